/**
 * Paths joined from one-segment values. A route parameter the router matched in one segment of the
 * URL path (`/files/{name}`, `<name>`, not a `path` converter) holds no `/`: the most it can do in a
 * path is `..`, which takes back one directory. A join that puts, before each such value, more
 * directories the program chose than the values can take back, and ends below its first part,
 * stays inside that first part whatever the values are (on POSIX, where `\` is no separator).
 */
import type { ConstValue, Val } from '../../../dataflow/value.js';

/** What such a join is safe for: path traversal. */
export const PATH_TRAVERSAL: readonly number[] = [22];

/** Calls that join their arguments into one path, the first being the base. */
export const PATH_JOINS: ReadonlySet<string> = new Set([
  'os.path.join',
  'posixpath.join',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.PurePosixPath',
]);

/** Directories a constant part adds below the base (`..` counts -1); undefined when absolute. */
function constantDepth(v: ConstValue): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.startsWith('/')) return undefined;
  let depth = 0;
  for (const part of v.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
  }
  return depth;
}

/**
 * Whether the join of `args` stays strictly below its first argument although some of them are
 * the client's: every tainted part is one path segment, and the program's parts before it outnumber
 * the segments. A part the program made whose text is not known counts as one directory; an
 * absolute constant starts a new base.
 */
export function staysBelowBase(args: readonly Val[]): boolean {
  if (args.length < 2 || args[0]?.t) return false;
  let depth = 0;
  let tainted = false;
  for (const a of args.slice(1)) {
    if (a.t) {
      if (!a.t.every((f) => f.src.segment)) return false;
      tainted = true;
      depth--;
      if (depth < 0) return false;
      continue;
    }
    const fixed = a.c !== undefined ? constantDepth(a.c.v) : 1;
    if (fixed === undefined) depth = 0;
    else depth += fixed;
    if (depth < 0) return false;
  }
  return tainted && depth >= 1;
}
