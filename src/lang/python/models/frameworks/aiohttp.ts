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
  routeDecorators: ['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'view'],
  summaries: { externalData: CLIENT_CALLS.map((v) => `${CLIENT}.${v}`) },
});
