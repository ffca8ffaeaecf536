import { defineModel } from '../concepts.js';

/** Trait types: a class attribute made with one holds, on each instance, a value of the configuration. */
const TRAITS = [
  'Any',
  'Bool',
  'Dict',
  'Instance',
  'Integer',
  'List',
  'Set',
  'Tuple',
  'Type',
  'Unicode',
  'Union',
];

/**
 * traitlets (the configuration system of Jupyter and IPython): `SingletonConfigurable.instance()`
 * returns the one instance of the class it is called on, made on the first call.
 */
export default defineModel({
  name: 'traitlets',
  // `_states = Instance(_ExpiringDict)`: what the attribute holds is the configured value (or the
  // `@default` method's), not the trait object, so `self._states.get(key)` is a lookup in it.
  summaries: { cleanCalls: TRAITS.map((t) => `traitlets.${t}`) },
  singletonAccessors: [
    {
      bases: [
        'traitlets.config.SingletonConfigurable',
        'traitlets.config.configurable.SingletonConfigurable',
      ],
      method: 'instance',
    },
  ],
});
