import { callLabel, writtenCallee } from '../../helpers/calls.js';
import { resolveValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { dynamicStringBuild, literalWords, SQL_KEYWORDS } from '../../helpers/strings.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { SinkOf } from '../../models/concepts.js';
import { sinksByMethod, sinksOf } from '../../models/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import { forwardedOrigin, ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';
import { forwardedArgument, forwardsArgument, placeOf } from '../../helpers/forwarded.js';
import type { ForwardedCall } from '../../../../dataflow/query.js';
import { reportedAtCallers } from '../../dataflow/sinks.js';

const SQL_SINKS = sinksOf('sql-execution');
/** The models' functions that wrap SQL text into a statement object. */
const TEXT_WRAPPERS: ReadonlyMap<string, SinkOf<'sql-execution'>> = new Map(
  SQL_SINKS.flatMap((s) => (s.level === 'statement' ? (s.calls ?? []).map((c) => [c, s] as const) : [])),
);
/** The models' execute methods of cursors and connections, by method name. */
const EXECUTE_METHODS = sinksByMethod('sql-execution', (s) => s.level === 'driver');
/** Whether an execute method is a database's: by its callee, its receiver's name, or SQL words in the text. */
function isDatabaseCall(call: CallSite, sql: Node, sink: SinkOf<'sql-execution'>): boolean {
  if (call.callee && sink.knownCallee?.test(call.callee)) return true;
  const receiver = call.receiver;
  const last =
    receiver?.type === 'attribute' ? receiver.childForFieldName('attribute')?.text : receiver?.text;
  if (last && sink.receiver?.test(last)) return true;
  return SQL_KEYWORDS.test(literalWords(sql));
}

/** `isDatabaseCall` for the execute call inside a project wrapper, as its own file resolved it. */
function forwardsToDatabase(
  fw: ForwardedCall,
  sql: Node,
  sink: SinkOf<'sql-execution'>,
  module: PythonModule,
): boolean {
  if (fw.callee && sink.knownCallee?.test(fw.callee)) return true;
  const last = fw.receiver?.split('.').pop();
  if (last && sink.receiver?.test(last)) return true;
  return SQL_KEYWORDS.test(literalWords(resolveValue(sql, module)));
}

function sqlArgument(
  call: CallSite,
  module: PythonModule,
  sink: SinkOf<'sql-execution'>,
): { sql: Node; how: string } | undefined {
  const sql = call.argument(sink.args?.[0] ?? 0, ...(sink.keywords ?? []));
  if (!sql) return undefined;
  const how = dynamicStringBuild(sql, module);
  return how ? { sql, how } : undefined;
}

export default defineRule({
  id: 'python/sql-injection',
  title: 'SQL statement built from non-constant data',
  cwe: 89,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['execute', 'text('],
  description:
    'The SQL text passed to a cursor, connection, session or `sqlalchemy.text()` is assembled with ' +
    'f-strings, `%`, `+` or `.format()`. Quotes in an interpolated value end the literal and the rest ' +
    'is parsed as SQL: the caller can read or change any table the database account can reach.' +
    ORIGIN_POLICY,
  fix:
    'Keep the SQL constant and pass values as parameters: cursor.execute("... WHERE id = %s", (user_id,)) ' +
    '(`?` for sqlite3) or text("... WHERE id = :id") with bound parameters; choose identifiers ' +
    '(table, column, ORDER BY) from a fixed allow-list.',
  example: {
    bad: 'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
    good: 'cursor.execute("SELECT * FROM users WHERE name = %s", (name,))',
  },
  // Sinks are traced here: the finding's severity depends on where the text comes from.
  taint: { concepts: ['sql-execution'], tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const wrapper = call.callee === undefined ? undefined : TEXT_WRAPPERS.get(call.callee);
      const execute = wrapper || !call.methodName ? undefined : EXECUTE_METHODS.get(call.methodName);
      const sink = wrapper ?? execute;
      if (!sink) continue;
      const found = sqlArgument(call, module, sink);
      if (!found) continue;
      if (execute && !isDatabaseCall(call, found.sql, execute)) continue;
      const label = callLabel(call, module);
      reportByOrigin(originOf(found.sql, module, taint, 89), taint, report, {
        node: call.node,
        head: (from) => `${label} runs SQL built with ${found.how} from ${from}`,
        tail: 'a quote in a value changes the statement.',
        flowNote: `reaches ${label} as SQL text`,
        unknownFrom: `non-constant values (\`${codeOf(found.sql)}\`)`,
      });
    }
    // Calls of project functions that hand the SQL text on to a driver: reported at proven flows.
    for (const call of module.calls) {
      for (const fw of taint.forwards?.(call.node) ?? []) {
        const wrapper = fw.callee === undefined ? undefined : TEXT_WRAPPERS.get(fw.callee);
        const execute = wrapper || !fw.method ? undefined : EXECUTE_METHODS.get(fw.method);
        const sink = wrapper ?? execute;
        if (!sink || !forwardsArgument(fw, sink) || fw.san?.includes(89)) continue;
        const sql = forwardedArgument(fw, call);
        const how = sql ? dynamicStringBuild(sql, module) : undefined;
        if (!sql || !how || (execute && !forwardsToDatabase(fw, sql, execute, module))) continue;
        const origin = forwardedOrigin(sql, taint, 89);
        if (origin.kind !== 'attacker') continue;
        // A parameter of a wrapper itself: its callers' calls are reported.
        if (reportedAtCallers(taint, sql, origin.trace, call.node, module)) continue;
        const label = `\`${writtenCallee(call)}\``;
        reportByOrigin(origin, taint, report, {
          node: call.node,
          head: (from) =>
            `${label} runs SQL built with ${how} from ${from} through ${fw.label} (${placeOf(fw)})`,
          tail: 'a quote in a value changes the statement.',
          flowNote: `passed to ${label}`,
          then: { location: fw.location, note: `reaches ${fw.label} as SQL text` },
          unknownFrom: `non-constant values (\`${codeOf(sql)}\`)`,
        });
      }
    }
  },
});
