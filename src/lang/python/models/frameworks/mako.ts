import { defineModel } from '../concepts.js';

/** Mako: `${...}` is inserted as is unless a filter escapes it. */
export default defineModel({
  name: 'mako',
  // The text of a Template is compiled to Python: `${...}` and `<% %>` run in the server.
  sinks: [{ concept: 'template-compilation', calls: ['mako.template.Template'], keywords: ['text'] }],
  templateEngines: [
    {
      calls: ['mako.template.Template', 'mako.lookup.TemplateLookup'],
      keyword: 'default_filters',
      // `h` (HTML), `u` (URL) and any filter named for escaping.
      escapesWhen: { kind: 'filters', escapingFilter: /^(h|html_escape|u)$|escape/ },
    },
  ],
});
