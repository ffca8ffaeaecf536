/**
 * Paths joined from one-segment values. A route parameter the router matched in one segment of the
 * URL path (`/files/{name}`, `<name>`, not a `path` converter) holds no `/`: the most it can do in a
 * path is `..`, which takes back one directory. A join that puts, before each such value, more
 * directories the program chose than the values can take back, and ends below its first part,
 * stays inside that first part whatever the values are (on POSIX, where `\` is no separator).
 */
import { sanitize, type ConstValue, type Val } from '../../../dataflow/value.js';
import { asSegment, notASegment } from './sources.js';

/** What such a join is safe for: path traversal. */
export const PATH_TRAVERSAL: readonly number[] = [22];

/**
 * Not a CWE but a mark in a fact's `san`: the path names an entry directly in a directory the
 * program chose, or that directory itself or its parent (its last part is one segment: `..` takes
 * back that one directory and no more). A call that only acts on files (opens, reads, writes or
 * removes one: `SinkBase.filesOnly`) fails on a directory, so for it the path stays inside.
 */
export const ENTRY_OF_BASE = -22;

/**
 * Not a CWE but a mark in a fact's `san`: the text holds no `.` (a piece of `name.split(".")`, an
 * extension cut at the dots). It cannot hold a `..` component, so written after other text in the
 * same string (`f"{uuid4()}.{ext}"`), where it cannot start an absolute path either, it keeps a
 * path below the directory the text before it names (see `afterTextWithoutDots`).
 */
export const NO_DOT = -46;

/**
 * A piece of text built piece by piece (an f-string) that holds no `.` and comes after constant
 * text of the same string: it neither climbs out with `..` nor starts the path, so it is safe for
 * path traversal there.
 */
export function afterTextWithoutDots(piece: Val, textBefore: string): Val {
  if (!textBefore || !piece.t || !piece.t.every((f) => f.san?.includes(NO_DOT))) return piece;
  return sanitize(piece, PATH_TRAVERSAL);
}

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

/**
 * Whether the join of `args` names an entry of a directory the program chose (see ENTRY_OF_BASE):
 * the client's data is its last part and one segment, every part before it the program's.
 */
export function namesEntryOfBase(args: readonly Val[]): boolean {
  const last = args[args.length - 1];
  if (args.length < 2 || !last?.t || !last.t.every((f) => f.src.segment)) return false;
  return args.slice(0, -1).every((a) => !a.t);
}

/** Whether a `replace` keeps a value's text without `/`: its new text has none (count not given). */
function replacement(args: readonly Val[]): { old: string } | undefined {
  const [old, repl] = args;
  if (args.length !== 2 || typeof old?.c?.v !== 'string' || typeof repl?.c?.v !== 'string') return undefined;
  return repl.c.v.includes('/') ? undefined : { old: old.c.v };
}

/**
 * Text after `s.replace(old, new)`: when `old` is `/` and `new` holds none, no `/` is left (one
 * segment); a replacement that adds no `/` keeps a segment one. Any other replace makes new text.
 */
export function replacedSegment(args: readonly Val[], result: Val): Val {
  const r = replacement(args);
  if (!r) return notASegment(result);
  return r.old === '/' ? asSegment(result) : result;
}
