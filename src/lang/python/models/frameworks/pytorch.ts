import { defineModel } from '../concepts.js';

/** PyTorch: checkpoints are pickles; `weights_only=True` (the default from 2.6) loads tensors only. */
export default defineModel({
  name: 'pytorch',
  sinks: [
    {
      concept: 'deserialization',
      calls: ['torch.load'],
      runsCode: 'by-option',
      option: {
        keyword: 'weights_only',
        missing: { how: 'unpickles the checkpoint unless PyTorch is 2.6 or later (no `weights_only=True`)' },
        whenTrue: 'safe',
        whenFalse: {
          how: 'unpickles the checkpoint because of `weights_only=False`',
          runsCode: 'explicitly',
        },
      },
    },
  ],
});
