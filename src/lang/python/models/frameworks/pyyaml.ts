import type { LoaderOutcome } from '../../../../dataflow/concepts.js';
import { defineModel } from '../concepts.js';

/** FullLoader was exploitable before PyYAML 5.4 (CVE-2020-1747, CVE-2020-14343). */
const FULL_LOADER: LoaderOutcome = {
  how: 'uses `{value}`, which constructs Python objects and was exploitable before PyYAML 5.4',
  runsCode: 'before-fix',
};

/** PyYAML: its unsafe loaders build any Python object the document names. */
export default defineModel({
  name: 'pyyaml',
  sinks: [
    { concept: 'deserialization', calls: ['yaml.unsafe_load', 'yaml.unsafe_load_all'], runsCode: 'always' },
    {
      concept: 'deserialization',
      calls: ['yaml.full_load', 'yaml.full_load_all'],
      runsCode: 'before-fix',
      how: 'uses FullLoader, which constructs Python objects and was exploitable before PyYAML 5.4',
    },
    {
      concept: 'deserialization',
      calls: ['yaml.load', 'yaml.load_all'],
      runsCode: 'by-option',
      option: {
        keyword: 'Loader',
        arg: 1,
        missing: { how: 'has no `Loader`, and PyYAML before 5.1 then builds arbitrary Python objects' },
        named: {
          module: 'yaml',
          outcomes: {
            // Loaders that only build plain data.
            SafeLoader: 'safe',
            CSafeLoader: 'safe',
            BaseLoader: 'safe',
            CBaseLoader: 'safe',
            FullLoader: FULL_LOADER,
            CFullLoader: FULL_LOADER,
          },
          other: { how: 'uses `{value}`, which constructs arbitrary Python objects', runsCode: 'explicitly' },
        },
      },
    },
  ],
});
