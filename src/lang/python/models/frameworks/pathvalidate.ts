import { defineModel, sanitizers } from '../concepts.js';

/**
 * pathvalidate: its sanitizers drop path separators, `..` components and reserved names, so what
 * they return stays a single name (or a relative path) under the directory it is joined to.
 */
export default defineModel({
  name: 'pathvalidate',
  sanitizers: sanitizers([22], ['pathvalidate.sanitize_filename', 'pathvalidate.sanitize_filepath']),
});
