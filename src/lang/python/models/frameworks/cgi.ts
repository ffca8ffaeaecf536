import { defineModel, sanitizers } from '../concepts.js';

/** CGI (RFC 3875): the meta-variables the client controls, which WSGI's environ carries too. */
export default defineModel({
  name: 'cgi',
  clientEnvironPrefixes: ['HTTP_'],
  clientEnvironKeys: [
    'QUERY_STRING',
    'PATH_INFO',
    'PATH_TRANSLATED',
    'SCRIPT_NAME',
    'REQUEST_URI',
    'RAW_URI',
    'REQUEST_METHOD',
    'SERVER_PROTOCOL',
    'CONTENT_TYPE',
    'CONTENT_LENGTH',
    'REMOTE_USER',
  ],
  sanitizers: sanitizers([79], ['cgi.escape']),
});
