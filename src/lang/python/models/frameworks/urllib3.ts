import { defineModel } from '../concepts.js';

/** urllib3. */
export default defineModel({
  name: 'urllib3',
  sinks: [
    {
      concept: 'outgoing-http-request',
      calls: ['urllib3.PoolManager().request'],
      args: [1],
      keywords: ['url'],
    },
  ],
  httpClient: {
    requestCalls: ['urllib3.request', 'urllib3.PoolManager().request'],
    clientCalls: ['urllib3.PoolManager', 'urllib3.HTTPSConnectionPool', 'urllib3.connection_from_url'],
    // Without `timeout=` a request waits as long as the socket default (forever); not judged yet.
  },
  tls: { packages: ['urllib3'], requirementKeyword: 'cert_reqs' },
  summaries: { externalData: ['urllib3.PoolManager().request', 'urllib3.request'] },
});
