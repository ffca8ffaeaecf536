import { CLIENT_CALLS, defineModel, HTTP_METHODS } from '../concepts.js';

/** requests. */
export default defineModel({
  name: 'requests',
  sinks: [
    {
      concept: 'outgoing-http-request',
      calls: [
        ...HTTP_METHODS.map((v) => `requests.${v}`),
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
  httpClient: {
    requestCalls: [
      'requests',
      'requests.api',
      'requests.Session()',
      'requests.session()',
      'requests.sessions.Session()',
      'requests.session.Session()',
    ].flatMap((m) => [...HTTP_METHODS, 'request'].map((v) => `${m}.${v}`)),
    defaultTimeout: 'none',
  },
  tls: { packages: ['requests'], offKeywords: ['verify'] },
  summaries: {
    externalData: ['requests', 'requests.Session()', 'requests.session()'].flatMap((m) =>
      CLIENT_CALLS.map((v) => `${m}.${v}`),
    ),
  },
});
