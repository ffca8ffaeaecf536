import { defineModel } from '../concepts.js';

/** Libraries that load pickle's format (or its reduce protocol) and so run what the data names. */
const PICKLE_MODULES = ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle', 'joblib'];

/** pickle and the libraries built on it: dill, cloudpickle, joblib, pandas.read_pickle, jsonpickle. */
export default defineModel({
  name: 'pickle',
  sinks: [
    {
      concept: 'deserialization',
      calls: [
        ...PICKLE_MODULES.flatMap((m) => [`${m}.load`, `${m}.loads`, `${m}.Unpickler`]),
        'jsonpickle.decode',
        'jsonpickle.unpickler.decode',
        'pandas.read_pickle',
      ],
      runsCode: 'always',
    },
  ],
});
