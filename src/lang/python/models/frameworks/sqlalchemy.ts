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
});
