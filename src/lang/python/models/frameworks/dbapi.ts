import { defineModel } from '../concepts.js';

/**
 * DB-API 2.0 (PEP 249) drivers: a cursor's or connection's execute methods (with sqlite3's
 * executescript, psycopg's mogrify and SQLAlchemy's Connection.exec_driver_sql), and the query methods
 * of asyncpg, databases and peewee. The method names
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
  ],
});
