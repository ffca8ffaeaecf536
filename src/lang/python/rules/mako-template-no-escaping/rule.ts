import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';

const MAKO = new Set(['mako.template.Template', 'mako.lookup.TemplateLookup']);

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
      if (!call.callee || !MAKO.has(call.callee) || call.hasSplat) continue;
      const filters = call.kwargs.get('default_filters');
      if (filters) {
        const v = constantValue(filters, module);
        if (
          !v ||
          (Array.isArray(v.value) &&
            v.value.some((f) => typeof f === 'string' && /^(h|html_escape|u)$|escape/.test(f)))
        )
          continue;
      }
      report({
        node: call.node,
        message: `${calleeLabel(call)} is created ${filters ? `with \`default_filters=${filters.text}\`, which has no HTML escaping` : "without `default_filters=['h']`"}; \`\${...}\` values are inserted as raw HTML.`,
      });
    }
  },
});
