import { defineModel } from '../concepts.js';

/** Receivers named like a connection or cursor. */
const CONNECTION = /(^|[._])(cur|cursor|conn|connection|con|cnx|db|database)$/i;

/**
 * The execute methods named for what they return that applications give their own connection
 * classes (`conn.execute_scalar(sql)`, `execute_dict`, `execute_void`, `execute_2darray`).
 */
const RESULT_NAMED_EXECUTES = [
  'execute_scalar',
  'execute_dict',
  'execute_void',
  'execute_2darray',
  'execute_non_query',
  'execute_query',
];

/** Quoting of a value as an SQL literal or identifier by the connection's rules (`qtLiteral`). */
const SQL_QUOTING_METHODS = [
  'qtLiteral',
  'qtIdent',
  'quote_literal',
  'quote_ident',
  'quote_identifier',
  'escape_literal',
  'escape_identifier',
];

/**
 * DB-API 2.0 (PEP 249) drivers: a cursor's or connection's execute methods (with sqlite3's
 * executescript, psycopg's mogrify and SQLAlchemy's Connection.exec_driver_sql), and the query methods
 * of asyncpg, databases and peewee, and the execute methods named for their result that
 * applications give their own connection classes. The method names
 * are common, so a call counts when its receiver is named like a cursor, connection, session or
 * engine, or its callee resolves into a database library.
 */
export default defineModel({
  name: 'dbapi',
  sinks: [
    {
      concept: 'sql-execution',
      calls: ['.execute', '.executemany', '.executescript', '.exec_driver_sql', '.mogrify'],
      keywords: ['sql', 'statement', 'query'],
      receiver:
        /(^|[._])(cur|cursor|curs|conn|connection|con|cnx|db|database|session|sess|engine|c|tx|transaction)$/i,
      knownCallee:
        /^(sqlite3|psycopg2?|pymysql|MySQLdb|mysql\.connector|cx_Oracle|oracledb|pyodbc|pymssql|sqlalchemy|asyncpg|aiosqlite|databases|django\.db)\b/,
      level: 'driver',
    },
    {
      // asyncpg's and databases' query methods, peewee's `Database.execute_sql`: SQL text first.
      concept: 'sql-execution',
      calls: ['.fetch', '.fetchrow', '.fetchval', '.fetch_all', '.fetch_one', '.fetch_val', '.execute_sql'],
      keywords: ['query', 'sql'],
      receiver: /(^|[._])(conn|connection|con|db|database|pool|tx|transaction)$/i,
      knownCallee: /^(asyncpg|databases|peewee)\b/,
      level: 'driver',
    },
    {
      // A connection class of the application's own, reached through a registry the analysis
      // cannot resolve (`get_driver(name).connection_manager(sid).connection()`): the SQL text
      // comes first, as a driver's.
      concept: 'sql-execution',
      calls: RESULT_NAMED_EXECUTES.map((m) => `.${m}`),
      keywords: ['sql', 'query', 'statement'],
      receiver: CONNECTION,
      level: 'driver',
    },
  ],
  // What those return is the database's rows and status: the statement's values are not in them.
  summaries: { queryMethods: [{ receiver: CONNECTION, methods: RESULT_NAMED_EXECUTES }] },
  sanitizerMethods: SQL_QUOTING_METHODS.map((method) => ({ method, cwe: [89] })),
});
