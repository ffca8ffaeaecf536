import { defineModel } from '../concepts.js';

/** regex, the drop-in alternative to `re`. */
export default defineModel({
  name: 'regex',
  guards: [{ call: 'regex.fullmatch', arg: 1 }],
});
