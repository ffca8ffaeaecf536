import { calleeLabel } from '../../helpers/calls.js';
import { dictEntries, elementsOf, isConstantish, resolveValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { evidenceOf } from '../../helpers/security.js';
import { isBuiltString } from '../../helpers/strings.js';
import { describeSource } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';
import { isSinkCall } from '../../dataflow/sinks.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksOf } from '../../models/index.js';

/** The models' ORM raw SQL APIs: those with one SQL argument, and those whose several parameters are parts of it. */
const SINKS = sinksOf('sql-execution').filter((sink) => sink.level === 'orm');

/** The parts of an `extra()` argument that end up in SQL: dict values, list elements, or the whole. */
function sqlParts(node: Node, module: PythonModule): Node[] {
  const value = resolveValue(node, module);
  if (value.type === 'dictionary') return [...dictEntries(value, module).values()];
  if (value.type === 'list' || value.type === 'tuple') return elementsOf(value);
  if (value.type === 'call' && value.childForFieldName('function')?.text === 'dict') {
    return (value.childForFieldName('arguments')?.namedChildren ?? [])
      .map((a) => (a?.type === 'keyword_argument' ? a.childForFieldName('value') : a))
      .filter((a): a is Node => a !== null);
  }
  return [node];
}

export default defineRule({
  id: 'python/django-raw-sql',
  title: 'Django raw SQL built from non-constant strings',
  cwe: 89,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['extra', 'raw', 'RawSQL'],
  description:
    "`QuerySet.extra()`, `Manager.raw()` and `RawSQL()` insert their SQL text into the query as is; Django's " +
    'escaping applies only to the separate `params`. SQL text built from variables by formatting or ' +
    'concatenation lets whoever controls them change the query.',
  fix: 'Keep the SQL text constant and pass every value through `params` (placeholders `%s`); prefer ORM lookups, annotations and F()/Func() expressions over raw SQL.',
  example: {
    bad: 'User.objects.raw(f"SELECT * FROM auth_user WHERE username = \'{name}\'")',
    good: 'User.objects.raw("SELECT * FROM auth_user WHERE username = %s", [name])',
  },
  // Reports non-constant SQL too, and each part of `extra()`: the check traces the sinks.
  taint: { concepts: ['sql-execution'], tracedBy: 'check' },
  check({ module, report, taint }) {
    const flag = (call: (typeof module.calls)[number], part: Node, what: string): void => {
      const e = evidenceOf(part, module, taint, 89);
      if (e === 'safe') return;
      if (e !== 'unknown') {
        report({
          node: call.node,
          confidence: 'high',
          message: `${calleeLabel(call)} puts ${what} \`${codeOf(part)}\` into the SQL text, built from ${describeSource(e.sources[0])}; values in it are not escaped.`,
          flow: taint.flowTo(e, call.node, `reaches ${calleeLabel(call)} as SQL text`),
        });
        return;
      }
      if (isBuiltString(resolveValue(part, module))) {
        report({
          node: call.node,
          confidence: 'high',
          message: `${calleeLabel(call)} puts ${what} \`${codeOf(part)}\` into the SQL text, a string built by formatting; values in it are not escaped.`,
        });
        return;
      }
      // Neither built here nor reached by a flow from a source: all that is known is that the text is
      // not a constant (a helper's result, a parameter, an attribute), which most raw SQL is.
      report({
        node: call.node,
        severity: 'low',
        confidence: 'low',
        confidenceReason: `\`${codeOf(part, 40)}\` is not a constant, but it is not built here by formatting and no flow from a source reaches it`,
        message: `${calleeLabel(call)} puts ${what} \`${codeOf(part)}\` into the SQL text and it is not a constant; if a caller's or client's value can reach it, values in it are not escaped.`,
      });
    };
    for (const call of module.calls) {
      const sink = SINKS.find((s) => isSinkCall(call, s));
      if (!sink) continue;
      const positions = sink.args ?? [0];
      if (positions.length === 1) {
        const sql = sinkArgument(call, sink);
        if (sql) flag(call, sql, `the ${sink.what}`);
        continue;
      }
      positions.forEach((pos, i) => {
        const name = sink.keywords?.[i];
        const a = name === undefined ? call.args[pos] : call.argument(pos, name);
        if (!a) return;
        const bad = sqlParts(a, module).find((p) => !isConstantish(p, module));
        if (bad) flag(call, bad, `\`${name}\` part`);
      });
    }
  },
});
