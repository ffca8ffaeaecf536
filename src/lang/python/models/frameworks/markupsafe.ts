import { defineModel, sanitizers } from '../concepts.js';

/** MarkupSafe, the escaping behind Jinja2 and Flask. */
export default defineModel({
  name: 'markupsafe',
  sinks: [{ concept: 'safe-html', calls: ['markupsafe.Markup'], keywords: [], escapesFormatting: true }],
  sanitizers: sanitizers([79], ['markupsafe.escape']),
});
