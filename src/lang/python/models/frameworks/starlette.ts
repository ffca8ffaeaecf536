import { defineModel, HTTP_METHODS, requestAttributes, SET_COOKIE_FLAG_POSITIONS } from '../concepts.js';

/** Starlette and FastAPI, which is built on it. */
export default defineModel({
  name: 'starlette',
  sources: [
    ...requestAttributes('parameters', ['query_params']),
    ...requestAttributes('path-parameters', ['path_params']),
    ...requestAttributes('headers', ['headers']),
    ...requestAttributes('cookies', ['cookies']),
    ...requestAttributes('body', ['body', 'stream']),
    ...requestAttributes('url', ['url']),
  ],
  sinks: [
    {
      concept: 'redirect',
      calls: ['fastapi.responses.RedirectResponse', 'starlette.responses.RedirectResponse'],
      keywords: ['url'],
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
  routeDecorators: ['route', ...HTTP_METHODS, 'websocket', 'api_route'],
  // The Request's awaitable body readers.
  requestMethods: ['json', 'form', 'body'],
});
