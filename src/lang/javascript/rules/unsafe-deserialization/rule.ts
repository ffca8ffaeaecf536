import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { optionAt } from '../../helpers/objects.js';

/** Deserializers that call functions written in the data, and how. */
const RUNS_CODE = new Map<string, string>([
  [
    'node-serialize.unserialize',
    'evaluates every `_$$ND_FUNC$$_` function in the data, and runs it when written as `(...)()`',
  ],
  ['funcster.deepDeserialize', 'compiles the functions written in the data'],
]);

/** js-yaml's loaders and the schemas with `!!js/function`, which builds functions from the document. */
const YAML_LOADERS = new Set(['js-yaml.load', 'js-yaml.loadAll']);
const FULL_SCHEMAS = new Set(['js-yaml.DEFAULT_FULL_SCHEMA', 'js-yaml.FULL_SCHEMA']);

export default defineRule({
  id: 'javascript/unsafe-deserialization',
  title: 'Deserialization that runs code named in the data',
  cwe: 502,
  severity: 'high',
  confidence: 'medium',
  languages: ['javascript'],
  requires: ['node-serialize', 'funcster', 'js-yaml'],
  description:
    'node-serialize and funcster rebuild functions from their input with `eval`, and js-yaml 3 with ' +
    'its full schema builds them from `!!js/function` tags: whoever writes the data runs code in the ' +
    'process.',
  fix:
    'Exchange data, not code: JSON.parse, or js-yaml `load` with its default schema in js-yaml 4 ' +
    '(`safeLoad` in js-yaml 3).',
  example: {
    bad: 'const session = serialize.unserialize(req.cookies.profile);',
    good: 'const session = JSON.parse(req.cookies.profile);',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (callee === undefined) continue;
      const data = call.argument(0);
      // Data written in the code is the program's own.
      if (!data || module.constantString(data) !== undefined) continue;
      const how = RUNS_CODE.get(callee);
      if (how) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} ${how}: whoever writes \`${codeOf(data, 40)}\` runs code. Reported high with medium confidence: where the data comes from is not established here.`,
        });
        continue;
      }
      if (!YAML_LOADERS.has(callee)) continue;
      const schema = call.args
        .slice(1)
        .map((o) => optionAt(o, ['schema'], module))
        .find((p) => p !== undefined);
      const name = schema ? module.qualifiedName(schema.value) : undefined;
      if (!schema || name === undefined || !FULL_SCHEMAS.has(name)) continue;
      report({
        node: call.node,
        confidence: 'high',
        message: `${callLabel(call, module)} with \`${codeOf(schema.node)}\` builds functions from \`!!js/function\` tags in \`${codeOf(data, 40)}\`, which run when the program calls them. Reported high: the schema is asked for explicitly.`,
      });
    }
  },
});
