import { defineModel, sanitizers } from '../concepts.js';

const ENVIRONMENTS = ['jinja2.Environment', 'jinja2.environment.Environment'];
const SANDBOXES = ['jinja2.sandbox.SandboxedEnvironment', 'jinja2.sandbox.ImmutableSandboxedEnvironment'];

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
    // Template text compiled by an environment: its expressions run in the server, unless sandboxed.
    {
      concept: 'template-compilation',
      calls: [
        'jinja2.Template',
        'jinja2.environment.Template',
        ...ENVIRONMENTS.map((e) => `${e}().from_string`),
      ],
      keywords: ['source'],
    },
    {
      concept: 'template-compilation',
      calls: SANDBOXES.map((e) => `${e}().from_string`),
      keywords: ['source'],
      sandboxed: true,
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
