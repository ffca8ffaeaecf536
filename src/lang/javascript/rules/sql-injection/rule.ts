import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/sql-injection',
  title: 'SQL built from request data',
  cwe: 89,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: [
    'query',
    'execute',
    'raw',
    'Raw',
    'prepare',
    'exec',
    '.run',
    '.all',
    '.get',
    // pg-promise
    '.any(',
    '.none(',
    '.one',
    '.many',
    '.result(',
    '.multi',
    '.map(',
  ],
  description:
    'Request data is pasted into the text of a SQL statement run by a driver (`mysql`/`mysql2` ' +
    '`query`/`execute`, `pg` `query`, `sqlite3` `run`/`all`/`get`/`exec`, `better-sqlite3` `prepare`/`exec`, pg-promise `any`/`none`/`one`/`many`/`oneOrNone`/`manyOrNone`/`result`/`multi`/`map` on a database or task), ' +
    'an ORM escape hatch (Sequelize and TypeORM `query`, Knex `raw`/`whereRaw`, Prisma `$queryRawUnsafe`/' +
    '`$executeRawUnsafe`). The client can change the statement: read or change any row. Placeholders with ' +
    'a values array and tagged templates (`sql`...``) keep data out of the SQL text and are not reported. ' +
    'High confidence: the flow is proven.',
  fix: 'Use placeholders (`?`, `$1`) with a values array, or a tagged SQL template; never concatenate.',
  example: {
    bad: "db.query(`SELECT * FROM users WHERE id = '${req.params.id}'`)",
    good: "db.query('SELECT * FROM users WHERE id = ?', [req.params.id])",
  },
  taint: { concepts: ['sql-execution'] },
});
