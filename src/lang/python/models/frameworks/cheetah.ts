import { defineModel } from '../concepts.js';

/**
 * Cheetah (Cheetah3): a template's source is compiled to a Python class; `#import`, `#from`,
 * `#silent` and `$` placeholders run Python in the server. `Template(source)` and the class method
 * `Template.compile(source)` take the text first, or as `source=`.
 */
export default defineModel({
  name: 'cheetah',
  sinks: [
    {
      concept: 'template-compilation',
      calls: ['Cheetah.Template.Template', 'Cheetah.Template.Template.compile'],
      keywords: ['source'],
    },
  ],
});
