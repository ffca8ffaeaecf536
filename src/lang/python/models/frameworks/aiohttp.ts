import { CLIENT_CALLS, defineModel, requestAttributes } from '../concepts.js';

const CLIENT = 'aiohttp.ClientSession()';
/** aiohttp: its web server's request and its client session. */
export default defineModel({
  name: 'aiohttp',
  sources: [
    ...requestAttributes('parameters', ['query']),
    ...requestAttributes('path-parameters', ['match_info']),
    ...requestAttributes('body', ['content', 'text']),
  ],
  sinks: [
    { concept: 'outgoing-http-request', calls: [`${CLIENT}.get`, `${CLIENT}.post`], keywords: ['url'] },
  ],
  httpClient: {
    requestCalls: [...CLIENT_CALLS, 'ws_connect'].map((v) => `${CLIENT}.${v}`),
    clientCalls: ['aiohttp.ClientSession'],
    // A session's default timeout (five minutes in total) is not judged yet.
  },
  // `verify_ssl=False` is the older spelling of `ssl=False`; the connector takes both too.
  tls: { packages: ['aiohttp'], offKeywords: ['ssl', 'verify_ssl'] },
  routeDecorators: ['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'view'],
  // aiohttp-jinja2 makes the application's Jinja2 environment, escaping unless told not to.
  templateEngines: [
    {
      engine: 'jinja2',
      calls: ['aiohttp_jinja2.setup'],
      keyword: 'autoescape',
      escapesWhen: { kind: 'flag' },
      escapesByDefault: true,
      rendersPages: true,
    },
  ],
  summaries: { externalData: CLIENT_CALLS.map((v) => `${CLIENT}.${v}`) },
});
