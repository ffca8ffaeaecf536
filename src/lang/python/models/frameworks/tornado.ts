import { defineModel, OWN_URL, requestAttributes } from '../concepts.js';

const STATIC = 'tornado.web.StaticFileHandler';

/** A handler's methods that read the query and the form. */
const HANDLER_ARGUMENTS = [
  'get_argument',
  'get_arguments',
  'get_query_argument',
  'get_query_arguments',
  'get_body_argument',
  'get_body_arguments',
];

/** Tornado's HTTP clients (`fetch` sends a request). */
const CLIENTS = ['tornado.httpclient.AsyncHTTPClient()', 'tornado.httpclient.HTTPClient()'];

/**
 * Tornado: a `RequestHandler` subclass's instance is the request (`self.get_argument(...)`), its
 * `request` attribute the HTTPServerRequest (`self.request.body`), and the parameters of its HTTP
 * methods the groups its URL pattern matched.
 */
export default defineModel({
  name: 'tornado',
  requestHandlerClasses: ['tornado.web.RequestHandler', 'tornado.websocket.WebSocketHandler'],
  // A static file handler maps the URL's path to a file in these steps; a subclass that overrides
  // one gets the client's path (`absolute_path` is only inside `root` once the base class checked it).
  handlerMethodParameters: [
    { bases: [STATIC], methods: ['parse_url_path'], path: { index: 0, what: 'URL path' } },
    { bases: [STATIC], methods: ['get_absolute_path'], path: { index: 1, what: 'requested path' } },
    {
      bases: [STATIC],
      methods: ['validate_absolute_path'],
      path: { index: 1, what: 'requested absolute path' },
    },
  ],
  requestTypes: ['tornado.httputil.HTTPServerRequest'],
  nestedRequestAttributes: ['request'],
  // The path the route matched: a catch-all route (`.*` and a slash) also matches `//evil.example/`.
  routedPathAttributes: ['path', 'uri'],
  // A handler method reads the request through `self`: these words show one may.
  sourceHints: [
    'get_(?:query_|body_)?arguments?',
    'get_cookie',
    'path_k?args',
    'self\\.request',
    'RequestHandler',
    'HTTPServerRequest',
  ],
  requestHandlerAttributes: [...HANDLER_ARGUMENTS, 'path_args', 'path_kwargs', 'get_cookie', 'cookies'],
  // Jupyter's login and identity classes are handlers whose class methods take the handler at hand.
  requestHandlerParameterNames: ['handler'],
  sources: [
    ...requestAttributes('parameters', [
      ...HANDLER_ARGUMENTS,
      'arguments',
      'query_arguments',
      'body_arguments',
      'query',
    ]),
    ...requestAttributes('path-parameters', ['path_args', 'path_kwargs']),
    ...requestAttributes('body', ['body']),
    ...requestAttributes('files', ['files']),
    ...requestAttributes('headers', ['headers']),
    ...requestAttributes('cookies', ['get_cookie', 'cookies']),
    ...requestAttributes('url', ['uri', 'path', 'full_url'], OWN_URL),
  ],
  // Its HTTP client: `fetch` takes a URL or a request built with `HTTPRequest(url, ...)`.
  sinks: [
    { concept: 'redirect', calls: ['.redirect'], receiver: /^self$/, keywords: ['url'] },
    {
      concept: 'outgoing-http-request',
      calls: [...CLIENTS.map((c) => `${c}.fetch`), 'tornado.httpclient.HTTPRequest'],
      keywords: ['request', 'url'],
    },
  ],
  // A request object is judged where it is built, on its URL: its body and headers pick no server,
  // so `fetch(req)` is not judged again.
  summaries: {
    externalData: CLIENTS.map((c) => `${c}.fetch`),
    cleanCalls: ['tornado.httpclient.HTTPRequest'],
    queryAppenders: ['tornado.httputil.url_concat'],
  },
  // No header sink: `set_header`/`add_header` reject values with control characters (CR, LF), so
  // a handler cannot split its response whatever it passes.
});
