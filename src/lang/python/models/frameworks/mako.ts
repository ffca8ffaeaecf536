import { defineModel } from '../concepts.js';

/** Mako: `${...}` is inserted as is unless a filter escapes it. */
export default defineModel({
  name: 'mako',
  templateEngines: [
    {
      calls: ['mako.template.Template', 'mako.lookup.TemplateLookup'],
      keyword: 'default_filters',
      // `h` (HTML), `u` (URL) and any filter named for escaping.
      escapesWhen: { kind: 'filters', escapingFilter: /^(h|html_escape|u)$|escape/ },
    },
  ],
});
