import { defineModel } from '../concepts.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream'];

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
  summaries: {
    externalData: ['httpx', 'httpx.Client()', 'httpx.AsyncClient()'].flatMap((m) =>
      VERBS.map((v) => `${m}.${v}`),
    ),
  },
});
