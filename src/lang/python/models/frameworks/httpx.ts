import { CLIENT_CALLS, defineModel } from '../concepts.js';

/** HTTPX. */
export default defineModel({
  name: 'httpx',
  sinks: [
    {
      concept: 'outgoing-http-request',
      calls: [
        ...['get', 'post', 'put', 'patch', 'delete', 'head', 'stream'].map((v) => `httpx.${v}`),
        'httpx.Client().get',
        'httpx.Client().post',
        'httpx.AsyncClient().get',
        'httpx.AsyncClient().post',
      ],
      keywords: ['url'],
    },
    { concept: 'outgoing-http-request', calls: ['httpx.request'], args: [1], keywords: ['url'] },
  ],
  httpClient: {
    requestCalls: [
      ...['httpx', 'httpx.Client()', 'httpx.AsyncClient()'].flatMap((m) =>
        CLIENT_CALLS.map((v) => `${m}.${v}`),
      ),
      // A request built beforehand (`client.build_request(...)`).
      'httpx.Client().send',
      'httpx.AsyncClient().send',
    ],
    clientCalls: ['httpx.Client', 'httpx.AsyncClient'],
    // Five seconds, unless told `timeout=None`.
    defaultTimeout: 'finite',
  },
  tls: { packages: ['httpx'], offKeywords: ['verify'] },
  summaries: {
    externalData: ['httpx', 'httpx.Client()', 'httpx.AsyncClient()'].flatMap((m) =>
      CLIENT_CALLS.map((v) => `${m}.${v}`),
    ),
  },
});
