import {
  defineModel,
  HTTP_METHODS,
  OWN_URL,
  requestAttributes,
  SET_COOKIE_FLAG_POSITIONS,
  type SinkOf,
} from '../concepts.js';

const RESPONSE_MODULES = ['starlette.responses', 'fastapi.responses'];

/** Response classes of one media type, by their names in Starlette and FastAPI. */
function responseClasses(contentType: string, names: readonly string[]): SinkOf<'http-response-body'>[] {
  const calls = names.flatMap((n) => RESPONSE_MODULES.map((m) => `${m}.${n}`));
  return [{ concept: 'http-response-body', calls, keywords: ['content'], contentType }];
}

/** Starlette and FastAPI, which is built on it. */
export default defineModel({
  name: 'starlette',
  requestTypes: ['starlette.requests.Request', 'fastapi.Request', 'fastapi.requests.Request'],
  sources: [
    ...requestAttributes('parameters', ['query_params']),
    ...requestAttributes('path-parameters', ['path_params']),
    ...requestAttributes('headers', ['headers']),
    ...requestAttributes('cookies', ['cookies']),
    ...requestAttributes('body', ['body', 'stream']),
    ...requestAttributes('url', ['url'], OWN_URL),
  ],
  sinks: [
    {
      concept: 'redirect',
      calls: ['fastapi.responses.RedirectResponse', 'starlette.responses.RedirectResponse'],
      keywords: ['url'],
    },
    // `detail` is sent to the client as the JSON error body.
    {
      concept: 'http-error-response',
      calls: [
        'fastapi.HTTPException',
        'fastapi.exceptions.HTTPException',
        'starlette.exceptions.HTTPException',
      ],
      args: [1],
      keywords: ['detail'],
    },
    ...responseClasses('text/html', ['HTMLResponse']),
    ...responseClasses('text/plain', ['PlainTextResponse']),
    ...responseClasses('application/json', ['JSONResponse', 'ORJSONResponse', 'UJSONResponse']),
    {
      // Without a media type Starlette sends no Content-Type: the browser sniffs the body.
      concept: 'http-response-body',
      calls: [...RESPONSE_MODULES.map((m) => `${m}.Response`), 'fastapi.Response'],
      keywords: ['content'],
      contentType: '',
      contentTypeArguments: [{ arg: 3, keyword: 'media_type' }],
      headersArgument: { arg: 2, keyword: 'headers' },
      contentTypeAttributes: ['media_type'],
    },
    // Sends the file at `path` (Starlette's FileResponse, also as FastAPI's).
    {
      concept: 'file-access',
      calls: [...RESPONSE_MODULES.map((m) => `${m}.FileResponse`), 'fastapi.FileResponse'],
      keywords: ['path'],
    },
    {
      concept: 'cookie-setting',
      calls: ['.set_cookie'],
      args: [1],
      keywords: ['value'],
      flagPositions: SET_COOKIE_FLAG_POSITIONS,
      sameSiteLaxByDefaultWhenImported: ['starlette', 'fastapi'],
    },
  ],
  // The Request's and application's URLs of its own routes.
  internalUrls: ['.url_for', '.url_path_for'],
  routeDecorators: ['route', ...HTTP_METHODS, 'websocket', 'api_route'],
  // `Jinja2Templates` hands its keywords to the Jinja2 environment it makes, escaping by default.
  templateEngines: [
    {
      engine: 'jinja2',
      calls: ['starlette.templating.Jinja2Templates', 'fastapi.templating.Jinja2Templates'],
      keyword: 'autoescape',
      escapesWhen: { kind: 'flag' },
      escapesByDefault: true,
      rendersPages: true,
    },
  ],
  // FastAPI injects a dependency's result (a database session, the current user), and
  // Starlette's `{id:int}` converters parse the path segment.
  routeParameters: {
    dependencyMarkers: [
      'fastapi.Depends',
      'fastapi.Security',
      'fastapi.params.Depends',
      'fastapi.params.Security',
    ],
    typedConverters: ['int', 'float', 'uuid'],
    // A project's own convertor instance: its `regex`, then what its `convert` returns.
    customConverters: [
      {
        call: { name: 'starlette.convertors.register_url_convertor', nameArg: 0, converterArg: 1 },
        regexAttribute: 'regex',
        valueMethod: 'convert',
      },
    ],
  },
  // Dependencies every request of a route, a router or an included router passes before the route
  // runs (`dependencies=[Depends(check_admin)]`); an administrator-only one guards the route.
  adminGuards: {
    dependencyKeywords: ['dependencies'],
    routers: ['fastapi.APIRouter', 'fastapi.routing.APIRouter', 'fastapi.FastAPI'],
    routerInclusions: ['include_router'],
  },
  // FastAPI encodes whatever a route returns (a model, a dict, a string) as JSON by default.
  routeReturns: {
    constructors: ['fastapi.FastAPI', 'fastapi.APIRouter', 'fastapi.routing.APIRouter'],
    returnedText: 'application/json',
    responseClassKeywords: ['response_class', 'default_response_class'],
    imports: ['fastapi'],
  },
  // `Jinja2Templates(...).TemplateResponse(request, name, context)`: Starlette turns Jinja2's
  // autoescaping on unless the application passes its own environment; the body is escaped HTML.
  sanitizerMethods: [{ method: 'TemplateResponse', cwe: [79] }],
  // The Request's awaitable body readers.
  requestMethods: ['json', 'form', 'body'],
});
