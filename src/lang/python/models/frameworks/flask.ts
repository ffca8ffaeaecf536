import { defineModel, OWN_URL, sanitizers, sources } from '../concepts.js';
import { RESPONSE_CONTENT_TYPE_ARGUMENTS, RESPONSE_CONTENT_TYPE_ATTRIBUTES } from './werkzeug.js';
import { INJECTION_CWES } from '../../../../dataflow/concepts.js';

const REQUEST = 'flask.request';

/** Flask (its request, response and session; Werkzeug's own APIs are in werkzeug.ts). */
export default defineModel({
  name: 'flask',
  sources: [
    ...sources('http-request-input', 'parameters', {
      attributes: ['args', 'form', 'values', 'query_string'].map((a) => `${REQUEST}.${a}`),
      calls: ['args.get', 'form.get', 'values.get', 'args.getlist', 'form.getlist'].map(
        (c) => `${REQUEST}.${c}`,
      ),
    }),
    ...sources('http-request-input', 'body', {
      attributes: ['json', 'data', 'stream'].map((a) => `${REQUEST}.${a}`),
      calls: [`${REQUEST}.get_json`, `${REQUEST}.get_data`],
    }),
    ...sources('http-request-input', 'cookies', {
      attributes: [`${REQUEST}.cookies`],
      calls: [`${REQUEST}.cookies.get`],
    }),
    ...sources('http-request-input', 'headers', {
      attributes: ['headers', 'referrer', 'user_agent', 'authorization'].map((a) => `${REQUEST}.${a}`),
      calls: [`${REQUEST}.headers.get`],
    }),
    ...sources('http-request-input', 'files', { attributes: [`${REQUEST}.files`] }),
    ...sources('http-request-input', 'path-parameters', { attributes: [`${REQUEST}.view_args`] }),
    ...sources('http-request-input', 'url', {
      attributes: ['url', 'base_url', 'full_path', 'path'].map((a) => `${REQUEST}.${a}`),
      notFor: OWN_URL,
    }),
    ...sources('http-request-input', 'environ', { attributes: [`${REQUEST}.environ`] }),
  ],
  sinks: [
    { concept: 'redirect', calls: ['flask.redirect'], keywords: ['location'] },
    {
      concept: 'http-response-body',
      calls: ['flask.make_response'],
      keywords: [],
      contentType: 'text/html',
      contentTypeAttributes: RESPONSE_CONTENT_TYPE_ATTRIBUTES,
    },
    {
      concept: 'http-response-body',
      calls: ['flask.Response'],
      keywords: ['response'],
      contentType: 'text/html',
      contentTypeArguments: RESPONSE_CONTENT_TYPE_ARGUMENTS,
      headersArgument: { arg: 2, keyword: 'headers' },
      contentTypeAttributes: RESPONSE_CONTENT_TYPE_ATTRIBUTES,
    },
    // Serialized as an application/json response: no HTML, whatever it holds.
    {
      concept: 'http-response-body',
      calls: ['flask.jsonify', 'flask.json.jsonify'],
      contentType: 'application/json',
    },
    // The description goes into the error page (escaped) or the JSON error body.
    { concept: 'http-error-response', calls: ['flask.abort'], args: [1], keywords: ['description'] },
    { concept: 'safe-html', calls: ['flask.Markup'], keywords: [], escapesFormatting: true },
    {
      concept: 'template-rendering',
      calls: ['flask.render_template_string'],
      keywords: ['source'],
      escaping: 'none',
    },
    // Flask's environment is not sandboxed: the source's expressions run in the server.
    { concept: 'template-compilation', calls: ['flask.render_template_string'], keywords: ['source'] },
    { concept: 'file-access', calls: ['flask.send_file'], keywords: ['path_or_file'] },
    // The file name is joined safely under the directory; the directory itself is trusted as given.
    { concept: 'file-access', calls: ['flask.send_from_directory'], keywords: ['directory'] },
    { concept: 'session-store', stores: [{ object: 'flask.session' }] },
  ],
  sanitizers: [
    ...sanitizers([79], ['flask.escape', 'flask.render_template', 'flask.jsonify']),
    // itsdangerous, Flask's signing library: what passes the signature check the application signed.
    ...sanitizers(
      INJECTION_CWES,
      ['Serializer', 'URLSafeSerializer', 'TimedSerializer', 'URLSafeTimedSerializer']
        .map((c) => `itsdangerous.${c}().loads`)
        .concat(['Signer', 'TimestampSigner'].map((c) => `itsdangerous.${c}().unsign`)),
    ),
    // A finished response whose body is not built from the arguments as markup: a redirect's small
    // page escapes the URL, a file send's body is the file's bytes, not its name.
    ...sanitizers([79], ['flask.redirect', 'flask.send_file', 'flask.send_from_directory']),
    // Werkzeug's safe_join, re-exported by Flask before 2.2.
    ...sanitizers([22], ['flask.safe_join', 'flask.helpers.safe_join']),
  ],
  internalUrls: ['flask.url_for'],
  routeDecorators: ['route', 'get', 'post', 'put', 'patch', 'delete', 'endpoint'],
  // A view's returned string is the body of a text/html response.
  routeReturns: {
    constructors: ['flask.Flask', 'flask.Blueprint'],
    returnedText: 'text/html',
    imports: ['flask'],
  },
  // Werkzeug's `<int:id>` converters parse the path segment; a project's own converter class,
  // added to the application's `url_map.converters`, matches its `regex` and gives `to_python`'s value.
  routeParameters: {
    typedConverters: ['int', 'float', 'uuid'],
    customConverters: [{ mapping: 'url_map.converters', regexAttribute: 'regex', valueMethod: 'to_python' }],
  },
  // Its sources are read through `request`, already a source hint.
  unhintedSourcePackages: ['flask'],
  // Flask-RESTful's and flask-smorest's `abort` raise the HTTP error too.
  terminatingCalls: [
    { call: 'flask.abort' },
    { call: 'flask_restful.abort' },
    { call: 'flask_smorest.abort' },
  ],
  // Flask's session cookie and Flask-Login's remember-me cookie.
  cookieSettings: {
    secure: ['SESSION_COOKIE_SECURE', 'REMEMBER_COOKIE_SECURE'],
    httponly: ['SESSION_COOKIE_HTTPONLY', 'REMEMBER_COOKIE_HTTPONLY'],
    samesite: ['SESSION_COOKIE_SAMESITE', 'REMEMBER_COOKIE_SAMESITE'],
  },
});
