import { defineModel, sanitizers } from '../concepts.js';

/** SQLAlchemy. */
export default defineModel({
  name: 'sqlalchemy',
  sinks: [
    {
      concept: 'sql-execution',
      calls: ['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text'],
      keywords: ['sql', 'statement', 'query'],
      level: 'statement',
    },
  ],
  sanitizers: sanitizers([89], ['sqlalchemy.text().bindparams']),
  // Rows a query returns (Flask-SQLAlchemy's `*_or_404` included): the request selected them but did
  // not write them, so they are the application's data for the session (CWE-501).
  sanitizerMethods: [
    ...[
      'first',
      'one',
      'one_or_none',
      'scalar_one',
      'scalar_one_or_none',
      'first_or_404',
      'one_or_404',
      'get_or_404',
    ].map((method) => ({ method, cwe: [501] })),
    { method: 'get', cwe: [501], receiver: /^[A-Z][\w.]*\.query$/ },
  ],
});
