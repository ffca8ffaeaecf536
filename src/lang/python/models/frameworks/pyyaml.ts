import { defineModel } from '../concepts.js';

/** PyYAML: its unsafe loaders build any Python object the document names. */
export default defineModel({
  name: 'pyyaml',
  sinks: [
    { concept: 'deserialization', calls: ['yaml.unsafe_load', 'yaml.unsafe_load_all'], runsCode: 'always' },
  ],
});
