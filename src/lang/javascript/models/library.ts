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

/** Members of any value that are numbers. */
export const CLEAN_MEMBERS: ReadonlySet<string> = new Set(['length', 'size']);

/** Calls whose result is safe for the weaknesses listed: they escape what would break out. */
export const SANITIZING_CALLS: Readonly<Record<string, readonly number[]>> = {
  // Percent-encoding leaves no shell, code or SQL syntax, no `/` or `..` separator (CWE-22 kept
  // for `encodeURI`, which leaves `/`), and no host change when appended to a URL.
  encodeURIComponent: [78, 94, 95, 89, 22, 601, 918],
  encodeURI: [78, 94, 95, 89],
  'path.basename': [22],
  'shell-quote.quote': [78],
  'shell-escape': [78],
  'sqlstring.escape': [89],
  'mysql.escape': [89],
  'mysql2.escape': [89],
  'pg-format': [89],
  // Markup cleaned of script, or text escaped for HTML.
  'dompurify.sanitize': [79],
  'isomorphic-dompurify.sanitize': [79],
  'sanitize-html': [79],
  'escape-html': [79],
  xss: [79],
};

/** Methods of project-unknown receivers that escape for SQL (`connection.escape(x)`). */
export const SANITIZING_METHODS: Readonly<Record<string, readonly number[]>> = {
  escape: [89],
  escapeId: [89],
  escapeLiteral: [89],
  escapeIdentifier: [89],
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
