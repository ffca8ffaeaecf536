import { defineModel, requestAttributes, sanitizers, SET_COOKIE_FLAG_POSITIONS } from '../concepts.js';

/** `Response(response, status, headers, mimetype, content_type)`: both name the media type. */
export const RESPONSE_CONTENT_TYPE_ARGUMENTS = [
  { arg: 3, keyword: 'mimetype' },
  { arg: 4, keyword: 'content_type' },
] as const;
export const RESPONSE_CONTENT_TYPE_ATTRIBUTES = ['mimetype', 'content_type'] as const;

/**
 * A `headers` object that is a response's, not a request's: `req.headers["X-Auth-Token"] = ...` in a
 * proxy or middleware and `request.headers.setdefault("Referer", url)` in a crawler split no response.
 */
const RESPONSE_HEADERS = /^(?!(.*\.)?(request|req)\.headers$).*headers$/i;

/** Werkzeug, Flask's request and response toolkit. */
export default defineModel({
  name: 'werkzeug',
  requestTypes: ['werkzeug.Request', 'werkzeug.wrappers.Request', 'flask.Request', 'flask.wrappers.Request'],
  // The URL rule and endpoint that routing matched.
  requestApplicationAttributes: ['url_rule', 'endpoint', 'blueprint'],
  requestTokenAttributes: ['method'],
  // A method computed once per instance and then read as an attribute (`ctx.tree`).
  summaries: { propertyDecorators: ['werkzeug.utils.cached_property', 'werkzeug.cached_property'] },
  // A Request object passed to a view (Flask's `request` is one).
  sources: [
    ...requestAttributes('parameters', ['args', 'form', 'values']),
    ...requestAttributes('body', ['json', 'get_json', 'get_data']),
  ],
  sinks: [
    { concept: 'redirect', calls: ['werkzeug.utils.redirect'], keywords: ['location'] },
    {
      concept: 'http-response-body',
      calls: ['werkzeug.Response', 'werkzeug.wrappers.Response'],
      keywords: ['response'],
      contentType: 'text/html',
      contentTypeArguments: RESPONSE_CONTENT_TYPE_ARGUMENTS,
      headersArgument: { arg: 2, keyword: 'headers' },
      contentTypeAttributes: RESPONSE_CONTENT_TYPE_ATTRIBUTES,
    },
    {
      concept: 'http-error-response',
      calls: ['werkzeug.exceptions.abort'],
      args: [1],
      keywords: ['description'],
    },
    // A response's `headers` mapping (Werkzeug's, and Django's and Starlette's alike).
    {
      concept: 'http-response-header',
      stores: [{ attribute: 'headers' }],
      receiver: RESPONSE_HEADERS,
    },
    {
      // Headers.add_header (and wsgiref's, email's): the value's keyword differs between them.
      concept: 'http-response-header',
      calls: ['.add_header'],
      args: [1],
      keywords: ['value', '_value'],
    },
    {
      concept: 'http-response-header',
      calls: ['.add', '.set', '.setdefault'],
      args: [1],
      keywords: [],
      receiver: RESPONSE_HEADERS,
    },
    // Response.set_cookie (Flask's responses are Werkzeug's).
    {
      concept: 'cookie-setting',
      calls: ['.set_cookie'],
      args: [1],
      keywords: ['value'],
      flagPositions: SET_COOKIE_FLAG_POSITIONS,
    },
  ],
  sanitizers: [
    ...sanitizers(
      [22],
      [
        'werkzeug.utils.secure_filename',
        'werkzeug.secure_filename',
        // None when any part would leave the base directory (`..`, an absolute path).
        'werkzeug.utils.safe_join',
        'werkzeug.security.safe_join',
      ],
    ),
    // A redirect's small page escapes the URL; a file send's body is the file, not its name.
    ...sanitizers(
      [79],
      ['werkzeug.utils.redirect', 'werkzeug.utils.send_file', 'werkzeug.utils.send_from_directory'],
    ),
  ],
  terminatingCalls: [{ call: 'werkzeug.exceptions.abort' }],
  // Its MultiDict's getters and the Request's body readers.
  requestMethods: ['get', 'getlist', 'get_json', 'get_data'],
});
