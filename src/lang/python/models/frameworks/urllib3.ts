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
  summaries: { externalData: ['urllib3.PoolManager().request', 'urllib3.request'] },
});
