import { defineModel } from '../concepts.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream'];

/** requests. */
export default defineModel({
  name: 'requests',
  sinks: [
    {
      concept: 'outgoing-http-request',
      calls: [
        ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].map((v) => `requests.${v}`),
        'requests.Session().get',
        'requests.Session().post',
      ],
      keywords: ['url'],
    },
    {
      concept: 'outgoing-http-request',
      calls: ['requests.request', 'requests.Session().request'],
      args: [1],
      keywords: ['url'],
    },
  ],
  summaries: {
    externalData: ['requests', 'requests.Session()', 'requests.session()'].flatMap((m) =>
      VERBS.map((v) => `${m}.${v}`),
    ),
  },
});
