import { defineModel, requestAttributes } from '../concepts.js';

/**
 * WSGI (PEP 3333): the environ a server hands the application, and the caches of the parsed
 * request that WebOb, Paste and Werkzeug keep in it. Every other constant key (SERVER_NAME,
 * REMOTE_ADDR, wsgi.errors, a middleware's context object) is set by the server or the application.
 */
export default defineModel({
  name: 'wsgi',
  sources: requestAttributes('environ', ['environ']),
  environAttributes: ['environ'],
  // WebOb's and Pyramid's views take the request as `request` or `req`.
  requestParameterNames: ['request', 'req'],
  sourceHints: ['start_response'],
  environEntryPoints: [
    { parameter: 'environ', withParameter: 'start_response', label: 'WSGI `environ`', returnsBody: true },
  ],
  // The body stream, `environ['wsgi.input'].read()`.
  requestMethods: ['read'],
  clientEnvironKeys: [
    'wsgi.input',
    'werkzeug.request',
    'webob._parsed_query_vars',
    'webob._parsed_post_vars',
    'webob._parsed_cookies',
    'paste.parsed_querystring',
    'paste.parsed_formvars',
    'paste.cookies',
  ],
});
