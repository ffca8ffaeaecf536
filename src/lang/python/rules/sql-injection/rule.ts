import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { dynamicStringBuild, literalWords } from '../../helpers/strings.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const EXECUTE_METHODS = new Set(['execute', 'executemany', 'executescript', 'exec_driver_sql', 'mogrify']);
/** Functions that wrap SQL text into a statement object. */
const TEXT_WRAPPERS = new Set(['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text']);
/** Receiver names of DB-API cursors and connections, SQLAlchemy sessions and engines. */
const DB_RECEIVER =
  /(^|_)(cur|cursor|curs|conn|connection|con|cnx|db|database|session|sess|engine|c|tx|transaction)$/i;
const SQL_WORDS =
  /\b(select|insert|update|delete|create|drop|alter|replace|merge|truncate|with|pragma|grant)\b/i;
/** Modules whose `.execute` runs SQL. */
const DB_MODULE =
  /^(sqlite3|psycopg2?|pymysql|MySQLdb|mysql\.connector|cx_Oracle|oracledb|pyodbc|pymssql|sqlalchemy|asyncpg|aiosqlite|databases|django\.db)\b/;

function isDatabaseCall(call: CallSite, sql: Node): boolean {
  if (call.callee && DB_MODULE.test(call.callee)) return true;
  const receiver = call.receiver;
  const last =
    receiver?.type === 'attribute' ? receiver.childForFieldName('attribute')?.text : receiver?.text;
  if (last && DB_RECEIVER.test(last)) return true;
  return SQL_WORDS.test(literalWords(sql));
}

function sqlArgument(call: CallSite, module: PythonModule): { sql: Node; how: string } | undefined {
  const sql = call.argument(0, 'sql', 'statement', 'query');
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
    'is parsed as SQL: the caller can read or change any table the database account can reach.',
  fix:
    'Keep the SQL constant and pass values as parameters: cursor.execute("... WHERE id = %s", (user_id,)) ' +
    '(`?` for sqlite3) or text("... WHERE id = :id") with bound parameters; choose identifiers ' +
    '(table, column, ORDER BY) from a fixed allow-list.',
  example: {
    bad: 'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
    good: 'cursor.execute("SELECT * FROM users WHERE name = %s", (name,))',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const isText = call.callee !== undefined && TEXT_WRAPPERS.has(call.callee);
      if (!isText && !(call.methodName && EXECUTE_METHODS.has(call.methodName))) continue;
      const found = sqlArgument(call, module);
      if (!found) continue;
      if (!isText && !isDatabaseCall(call, found.sql)) continue;
      report({
        node: call.node,
        message: `${callLabel(call, module)} runs SQL built with ${found.how} from non-constant values (\`${codeOf(found.sql)}\`); a quote in a value changes the statement.`,
      });
    }
  },
});
