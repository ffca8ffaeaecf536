/**
 * What library calls do to the data they are given, as tables: a call not named here hands on the
 * data of its arguments and receiver (a conservative default for text functions).
 */

/** Calls whose result is a number or a boolean, whatever they are given: no text of the input survives. */
export const CLEAN_CALLS: ReadonlySet<string> = new Set([
  'parseInt',
  'parseFloat',
  'Number',
  'Boolean',
  'Number.parseInt',
  'Number.parseFloat',
  'Math.floor',
  'Math.round',
  'Math.ceil',
  'Math.abs',
  'Math.max',
  'Math.min',
  'isNaN',
  'Number.isInteger',
  'Array.isArray',
]);

/**
 * Calls that return what a token signed with the server's key holds, once the signature is checked
 * (`jose`'s `jwtVerify`, `jsonwebtoken`'s `verify`): the server wrote those claims, the client only
 * hands them back. `jsonwebtoken`'s `decode`, which checks nothing, is not among them. Likewise a
 * webhook event whose signature a provider's library checked with the endpoint's secret (Stripe's
 * `webhooks.constructEvent`, which throws unless the signature holds): the provider wrote it.
 */
export const VERIFIED_TOKEN_CALLS: ReadonlySet<string> = new Set([
  'jose.jwtVerify',
  'jose.jwtDecrypt',
  'jsonwebtoken.verify',
  'stripe().webhooks.constructEvent',
  'stripe().webhooks.constructEventAsync',
]);

/** Methods of any value whose result is a number or a boolean. */
export const CLEAN_METHODS: ReadonlySet<string> = new Set([
  'test',
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'has',
  'some',
  'every',
  'localeCompare',
  'charCodeAt',
  'findIndex',
]);

/**
 * Reads of a database through an ORM or driver (Sequelize, Prisma, TypeORM, Mongoose): what they
 * return is what the database holds, not the query's arguments. A record looked up by a request's
 * id is stored data (its URL, its name), so it does not carry the request's taint; the query
 * itself is judged where it is built (CWE-89, CWE-943). `find` is left out: it is also an array
 * method whose callback picks among the array's own items.
 */
export const STORED_READ_METHODS: ReadonlySet<string> = new Set([
  'findOne',
  'findAll',
  'findByPk',
  'findById',
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'findAndCountAll',
  'findOneBy',
  'findOneByOrFail',
  'findOneOrFail',
  'findBy',
  'countDocuments',
]);

/**
 * Lookups in a library's fixed table: what they return is one of the table's entries (`png`,
 * `image/png`), never text of the input.
 */
export const TABLE_LOOKUP_CALLS: ReadonlySet<string> = new Set([
  'mime.getExtension',
  'mime.getType',
  'mime.extension',
  'mime.lookup',
  'mime-types.extension',
  'mime-types.lookup',
  'mime-types.contentType',
]);

/**
 * Reads of the files an application ships with it, by canonical name: Meteor's server-side `Assets`
 * (`Assets.getText('file.css')` reads the app's or package's bundled `private/` files, by a path
 * relative to them). With a constant path the text is the application's own, never a client's.
 */
export const OWN_FILE_READS: ReadonlySet<string> = new Set([
  'Assets.getText',
  'Assets.getTextAsync',
  'Assets.getBinary',
  'Assets.getBinaryAsync',
]);

/** Members of any value that are numbers. */
export const CLEAN_MEMBERS: ReadonlySet<string> = new Set(['length', 'size']);

/**
 * The weaknesses that need the client to send an object, not text (a MongoDB query operator such as
 * `{ "$ne": null }`, CWE-943): text built from input (a template, a concatenation, `String(x)`, a
 * string method's result) is safe for them.
 */
export const TEXT_SAFE_CWES: readonly number[] = [943];

/**
 * What text that can spell no inherited member name is safe for: a key built with constant text
 * such as `` `${method}-${id}` `` (see `mayNameInherited`) picks only a table's own entries
 * (CWE-470; the rules use it for every single key of a lookup, prototype pollution's too). A key
 * path split into keys later is not one key: any operation but `WHOLE_TEXT_METHODS` drops it.
 */
export const OWN_KEY_CWES: readonly number[] = [470];

/** Methods whose result is the whole text of the receiver, every character kept (`key.toLowerCase()`). */
export const WHOLE_TEXT_METHODS: ReadonlySet<string> = new Set([
  'toString',
  'valueOf',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'normalize',
  'padStart',
  'padEnd',
  'concat',
]);

/** What text escaped for a regular expression (every metacharacter backslashed) is safe for. */
export const REGEX_ESCAPED_CWES: readonly number[] = [1333];

/** What text without line breaks is safe for: a forged log line (CWE-117), a split header (CWE-113). */
export const LINE_BREAK_CWES: readonly number[] = [117, 113];

/** Methods whose result is text whatever the receiver holds (see `TEXT_SAFE_CWES`). */
export const TEXT_METHODS: ReadonlySet<string> = new Set([
  'toString',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'padStart',
  'padEnd',
  'normalize',
  'substring',
  'substr',
  'charAt',
  'replace',
  'replaceAll',
  'join',
  'toFixed',
  'toISOString',
]);

/**
 * Calls that undo percent-encoding, by canonical name or method of a URLSearchParams object: what
 * `encodeURIComponent` made safe, or a browser's encoded URL held back (markup), is text again.
 */
export const DECODING_CALLS: ReadonlySet<string> = new Set(['decodeURIComponent', 'decodeURI', 'unescape']);
export const DECODING_METHODS: ReadonlySet<string> = new Set([
  'get',
  'getAll',
  'values',
  'entries',
  'forEach',
]);
export const DECODING_RECEIVERS = /^(URLSearchParams\(\)|URL\(\)\.searchParams)\./;

/** Calls whose result is safe for the weaknesses listed: they escape what would break out. */
export const SANITIZING_CALLS: Readonly<Record<string, readonly number[]>> = {
  // Percent-encoding leaves no shell, code or SQL syntax, no `/` or `..` separator (CWE-22 kept
  // for `encodeURI`, which leaves `/`), and no host change when appended to a URL.
  encodeURIComponent: [78, 94, 95, 89, 22, 601, 918, 79, 117, 113],
  encodeURI: [78, 94, 95, 89, 117, 113],
  'path.basename': [22],
  'shell-quote.quote': [78],
  'shell-escape': [78],
  'sqlstring.escape': [89],
  'mysql.escape': [89],
  'mysql2.escape': [89],
  'pg-format': [89],
  // HTML escaping: `<`, `>`, `&` and quotes become entities.
  'escape-html': [79],
  'lodash.escape': [79],
  'underscore.escape': [79],
  'he.encode': [79],
  'he.escape': [79],
  'validator.escape': [79],
  'html-escaper.escape': [79],
  'entities.encode': [79],
  'entities.encodeHTML': [79],
  'sanitize-html': [79],
  xss: [79],
  'dompurify.sanitize': [79],
  'isomorphic-dompurify.sanitize': [79],
  'handlebars.escapeExpression': [79],
  'handlebars.Utils.escapeExpression': [79],
  'escape-string-regexp': REGEX_ESCAPED_CWES,
  'lodash.escapeRegExp': REGEX_ESCAPED_CWES,
  'underscore.escapeRegExp': REGEX_ESCAPED_CWES,
  'escape-regexp': REGEX_ESCAPED_CWES,
  'regexp.escape': REGEX_ESCAPED_CWES,
  'RegExp.escape': REGEX_ESCAPED_CWES,
  // Text, or an object with every `$`-key removed.
  String: [943],
  'mongo-sanitize': [943],
};

/** Methods of project-unknown receivers that escape for SQL (`connection.escape(x)`). */
export const SANITIZING_METHODS: Readonly<Record<string, readonly number[]>> = {
  escape: [89],
  escapeId: [89],
  escapeLiteral: [89],
  escapeIdentifier: [89],
  // A SAML service provider's request to its identity provider (samlify's `createLoginRequest`,
  // `createLogoutRequest`): a URL or form to the configured identity provider, the arguments
  // encoded inside its SAML message, so no redirect or fetch goes where the client says.
  createLoginRequest: [601, 918],
  createLogoutRequest: [601, 918],
};

/** Promise methods: their callbacks receive the value the promise holds. */
export const PROMISE_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Array methods whose callback receives each element (the receiver's data). */
export const ELEMENT_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'map',
  'forEach',
  'filter',
  'find',
  'flatMap',
  'reduce',
  'some',
  'every',
]);

/** A template tag that builds a parameterised SQL statement from its substitutions. */
export const SQL_TAG = /(^|\.)sql$/i;

/**
 * Library calls that call a function they are given with the arguments given after it, by
 * canonical name: `[function position, first argument position]` (`setTimeout(fn, ms, a, b)` calls
 * `fn(a, b)`; `storage.run(store, fn, a)` of Node's `AsyncLocalStorage` calls `fn(a)`).
 */
export const FORWARDING_CALLS: readonly {
  readonly name: RegExp;
  readonly fn: number;
  readonly from: number;
}[] = [
  { name: /^(timers\.)?setTimeout$|^(timers\.)?setInterval$/, fn: 0, from: 2 },
  { name: /^(timers\.)?setImmediate$|^process\.nextTick$/, fn: 0, from: 1 },
  { name: /(^|\.)AsyncLocalStorage\(\)\.run$/, fn: 1, from: 2 },
];
