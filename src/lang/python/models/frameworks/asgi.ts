import { defineModel, OWN_URL } from '../concepts.js';

/**
 * ASGI: an application (`async def app(scope, receive, send)`, or a class's `__call__`) gets the
 * connection's `scope` mapping. Its `path`, `raw_path`, `query_string` and `headers` come from the
 * client's request, and so do the `path_params` a router filled from the path; the server and the
 * application set the rest (`type`, `server`, `root_path`, `app`, `state`).
 */
export default defineModel({
  name: 'asgi',
  sourceHints: ['scope\\s*,\\s*receive'],
  // A URL made from the scope (Starlette's `URL(scope=scope)`, a path with a slash added) is the
  // request's own, as `request.url` is: no open-redirect target. ASGI servers (Uvicorn, Hypercorn,
  // Daphne) refuse response header values with control characters: no header is split (113).
  environEntryPoints: [
    {
      parameter: 'scope',
      withParameter: 'receive',
      label: 'ASGI `scope`',
      returnsBody: false,
      notFor: OWN_URL,
    },
  ],
  clientEnvironKeys: ['path', 'raw_path', 'query_string', 'headers', 'path_params'],
});
