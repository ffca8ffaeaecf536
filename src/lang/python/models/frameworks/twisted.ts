import { defineModel, requestAttributes } from '../concepts.js';

const RESOURCE = ['twisted.web.resource.Resource'];

/** The methods Twisted Web calls to render a resource: `render` and one per HTTP method. */
const RENDER_METHODS = [
  'render',
  ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => `render_${m}`),
];

/**
 * Twisted Web: a `Resource` subclass renders a request in `render_GET(self, request)` (or
 * `render`), and its `getChild(self, path, request)` picks the child resource for the next
 * segment of the URL's path. The request's `args`, `content`, `path`, `uri`, `prepath` and
 * `postpath`, its headers and cookies are the client's; `request.write` and what a render method
 * returns are the response body (HTML unless the resource sets another type).
 */
export default defineModel({
  name: 'twisted',
  requestTypes: ['twisted.web.server.Request', 'twisted.web.http.Request', 'twisted.web.iweb.IRequest'],
  handlerMethodParameters: [
    {
      bases: RESOURCE,
      methods: RENDER_METHODS,
      request: 0,
      // `Request.defaultContentType` is HTML.
      returnsBody: { contentType: 'text/html', headerSetters: ['setHeader'] },
    },
    {
      bases: RESOURCE,
      methods: ['getChild', 'getChildWithDefault'],
      request: 1,
      path: { index: 0, what: 'URL path segment', segment: true },
    },
  ],
  // Synapse-style servlets on Twisted: `PATTERNS` and `on_GET(self, request, room_id)`.
  patternServlets: [{ methodPrefix: 'on_', patternAttribute: 'PATTERNS' }],
  sources: [
    // `args` and `content` are Werkzeug's and aiohttp's names too; `path` and `uri` Tornado's.
    ...requestAttributes('url', ['prepath', 'postpath']),
    ...requestAttributes('headers', ['getHeader', 'getAllHeaders', 'requestHeaders']),
    ...requestAttributes('cookies', ['getCookie', 'received_cookies']),
  ],
  sinks: [
    // The static resource serves the file (or lists the directory) at its path.
    { concept: 'file-access', calls: ['twisted.web.static.File'], keywords: ['path'] },
    {
      concept: 'http-response-body',
      calls: ['.write'],
      receiver: /^(request|req)$/,
      contentType: 'text/html',
      headerSetters: ['setHeader'],
    },
    { concept: 'redirect', calls: ['.redirect'], receiver: /^(request|req)$/, keywords: ['url'] },
    { concept: 'redirect', calls: ['twisted.web.util.redirectTo'], keywords: ['URL'] },
  ],
  requestMethods: ['getHeader', 'getCookie', 'getRawHeaders', 'getAllHeaders'],
});
