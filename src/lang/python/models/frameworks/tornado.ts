import { defineModel } from '../concepts.js';

/** Tornado's request handlers. */
export default defineModel({
  name: 'tornado',
  sinks: [
    {
      concept: 'http-response-header',
      calls: ['.set_header'],
      args: [1],
      keywords: ['value', '_value'],
    },
  ],
});
