import { defineModel } from '../concepts.js';

/** NumPy: `.npy` files hold object arrays as pickles, loaded only when allowed. */
export default defineModel({
  name: 'numpy',
  sinks: [
    {
      concept: 'deserialization',
      calls: ['numpy.load'],
      runsCode: 'by-option',
      option: {
        keyword: 'allow_pickle',
        missing: 'safe',
        whenTrue: { how: 'unpickles object arrays because of `allow_pickle=True`' },
      },
    },
  ],
});
