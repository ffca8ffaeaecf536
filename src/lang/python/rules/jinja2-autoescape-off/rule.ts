import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse } from '../../helpers/constants.js';
import { defineRule } from '../../../../rules/rule.js';
import { templateEngineSettings } from '../../models/index.js';

/** Jinja2's environments and templates by qualified callee, with their escaping setting. */
const ENGINES = new Map(
  templateEngineSettings('jinja2').flatMap((setting) => setting.calls.map((c) => [c, setting] as const)),
);

export default defineRule({
  id: 'python/jinja2-autoescape-off',
  title: 'Jinja2 templates rendered without HTML escaping',
  cwe: 79,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['jinja2'],
  description:
    'A Jinja2 Environment or Template created directly (outside Flask, which turns escaping on) does not ' +
    'escape `{{ value }}` unless autoescape is enabled. Values containing `<script>` or attribute quotes ' +
    'are then inserted into HTML as markup: cross-site scripting.',
  fix:
    'Create the environment with autoescape=select_autoescape() (escapes .html/.xml templates) or ' +
    'autoescape=True, and mark trusted HTML explicitly with markupsafe.Markup.',
  example: {
    bad: 'env = Environment(loader=FileSystemLoader("templates"))',
    good: 'env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const engine = call.callee ? ENGINES.get(call.callee) : undefined;
      if (!engine) continue;
      const autoescape = call.kwargs.get(engine.keyword);
      if (autoescape) {
        if (!isConstantFalse(autoescape, module)) continue; // True, select_autoescape(), a callable
        report({
          node: call.node,
          confidence: 'high',
          message: `${callLabel(call, module)} is created with \`${engine.keyword}=False\`: values rendered into HTML templates are not escaped.`,
        });
        continue;
      }
      if (call.hasSplat) continue;
      report({
        node: call.node,
        confidence: engine.oftenPlainText ? 'low' : 'medium',
        message: `${callLabel(call, module)} is created without \`${engine.keyword}\`, which defaults to off: values rendered into HTML templates are not escaped.`,
      });
    }
  },
});
