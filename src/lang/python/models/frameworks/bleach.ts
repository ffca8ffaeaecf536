import { defineModel, sanitizers } from '../concepts.js';

/** bleach, an HTML sanitizer. */
export default defineModel({
  name: 'bleach',
  sanitizers: sanitizers([79], ['bleach.clean']),
});
