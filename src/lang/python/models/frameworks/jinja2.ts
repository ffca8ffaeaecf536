import { defineModel, sanitizers } from '../concepts.js';

/** Jinja2 (its re-exports of MarkupSafe, removed in 3.0 but still imported by older code). */
export default defineModel({
  name: 'jinja2',
  sinks: [
    { concept: 'safe-html', calls: ['jinja2.Markup'], keywords: [], escapesFormatting: true },
    {
      concept: 'safe-html',
      calls: ['jinja2.utils.Markup'],
      keywords: [],
      untraced: true,
      escapesFormatting: true,
    },
  ],
  sanitizers: sanitizers([79], ['jinja2.escape']),
  // Flask makes its own environment with escaping on; one made directly escapes nothing by default.
  templateEngines: [
    {
      calls: [
        'jinja2.Environment',
        'jinja2.environment.Environment',
        'jinja2.sandbox.SandboxedEnvironment',
        'jinja2.sandbox.ImmutableSandboxedEnvironment',
      ],
      keyword: 'autoescape',
      escapesWhen: { kind: 'flag' },
    },
    {
      calls: ['jinja2.Template', 'jinja2.environment.Template'],
      keyword: 'autoescape',
      escapesWhen: { kind: 'flag' },
      oftenPlainText: true,
    },
  ],
  // Outside Flask, Jinja2 escapes nothing unless told to.
  templateEngine: {
    constructors: [
      'jinja2.Environment',
      'jinja2.environment.Environment',
      'jinja2.Template',
      'jinja2.environment.Template',
    ],
    renderMethods: ['render'],
    autoescapeKeyword: 'autoescape',
    escapesByDefault: false,
  },
});
