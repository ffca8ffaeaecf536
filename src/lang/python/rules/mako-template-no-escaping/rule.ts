import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';
import type { TemplateEngineSetting } from '../../models/concepts.js';
import { templateEngineSettings } from '../../models/index.js';

/** Mako's templates and lookups by qualified callee, with their escaping setting. */
const ENGINES = new Map(
  templateEngineSettings('mako').flatMap((setting) => setting.calls.map((c) => [c, setting] as const)),
);

/** Whether a constant setting's value turns escaping on. */
function escapes(setting: TemplateEngineSetting, value: unknown): boolean {
  if (setting.escapesWhen.kind === 'flag') return value !== false;
  const filter = setting.escapesWhen.escapingFilter;
  return Array.isArray(value) && value.some((f) => typeof f === 'string' && filter.test(f));
}

export default defineRule({
  id: 'python/mako-template-no-escaping',
  title: 'Mako template rendered without HTML escaping',
  cwe: 79,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['mako'],
  description:
    'Mako does not escape `${...}` expressions unless told to: a `Template` or `TemplateLookup` created without ' +
    "`default_filters=['h']` inserts values as raw HTML. Any markup in a rendered value (a name, a comment) reaches " +
    'the page and can run script in it. Templates that add `| h` to every expression are safe but fragile, so ' +
    'confidence is medium.',
  fix: "Create templates with default_filters=['h'] (or ['str', 'h']) so every expression is HTML-escaped, and opt out with `| n` where markup is intended.",
  example: {
    bad: 'lookup = TemplateLookup(directories=["templates"])',
    good: 'lookup = TemplateLookup(directories=["templates"], default_filters=["h"])',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const engine = call.callee ? ENGINES.get(call.callee) : undefined;
      if (!engine || call.hasSplat) continue;
      const filters = call.kwargs.get(engine.keyword);
      if (filters) {
        const v = constantValue(filters, module);
        if (!v || escapes(engine, v.value)) continue;
      }
      report({
        node: call.node,
        message: `${calleeLabel(call)} is created ${filters ? `with \`${engine.keyword}=${filters.text}\`, which has no HTML escaping` : `without \`${engine.keyword}=['h']\``}; \`\${...}\` values are inserted as raw HTML.`,
      });
    }
  },
});
