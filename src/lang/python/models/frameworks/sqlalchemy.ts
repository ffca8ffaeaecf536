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
  summaries: {
    // Rows a query returns are stored data, whatever values chose them.
    queryMethods: [
      {
        // `User.query.filter_by(name=n).first()`, `db.session.query(User).get(uid)`,
        // `session.execute(select(User).where(...)).scalar_one()`.
        receiver: /(^|\.)query\b|\bquery\(|\bselect\(|\.(execute|scalars)\(|\.(filter|filter_by|where)\(/,
        methods: [
          ...['get', 'first', 'one', 'one_or_none', 'scalar', 'scalar_one', 'scalar_one_or_none', 'all'],
          ...['first_or_404', 'one_or_404', 'get_or_404', 'filter', 'filter_by', 'where', 'order_by'],
        ],
      },
      // `session.get(User, uid)`, Flask-SQLAlchemy's `db.get_or_404(User, uid)`: the first argument
      // is the mapped class (a session's `get("key")` is another library's session).
      {
        receiver: /(^|\.)(session|db_session|db)$/i,
        methods: ['get', 'get_or_404', 'first_or_404', 'one_or_404'],
        firstArgument: /^([\w.]+\.)?[A-Z]\w*$/,
      },
    ],
  },
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
