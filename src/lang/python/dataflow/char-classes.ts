/**
 * Text reduced to a set of characters: `re.sub(r"[^a-z0-9_-]+", "", s)` removes every character
 * outside the class, so what is left (with the replacement) is made of the class's characters only.
 * Which weaknesses such text is safe for follows from which characters it can hold.
 */
import type { ConstValue } from '../../../dataflow/value.js';

/** The characters a class admits; `word`, `digit` and `space` stand for `\w`, `\d` and `\s`. */
interface CharSet {
  chars: Set<string>;
  word: boolean;
  space: boolean;
}

/** Characters that break out of most contexts (quotes, markup, separators, shell syntax, spaces). */
const WORDLIKE = /^[A-Za-z0-9_.-]$/;

/** Injection CWEs that text of letters, digits, `_`, `-` and `.` cannot take part in. */
const WORD_SAFE = [77, 78, 79, 89, 90, 94, 95, 113, 117, 601, 643, 1336];
/** And path traversal and external control of a file name, when `.` is not among them either. */
const NO_DOT_SAFE = [22, 73];

/** Parses the inside of `[^...]`; undefined for a construct it does not know. */
function parseClass(body: string): CharSet | undefined {
  const set: CharSet = { chars: new Set(), word: false, space: false };
  const singles: string[] = [];
  for (let i = 0; i < body.length; i++) {
    let c = body[i] as string;
    if (c === '\\') {
      const e = body[++i];
      if (e === undefined) return undefined;
      if (e === 'w') set.word = true;
      else if (e === 'd') for (let d = 0; d <= 9; d++) set.chars.add(String(d));
      else if (e === 's') set.space = true;
      else if (/[A-Za-z0-9]/.test(e))
        return undefined; // \W, \S, \n, \x41...: not judged
      else {
        singles.push(e);
        continue;
      }
      continue;
    }
    if (c === '[') return undefined;
    // A range `a-z` (a `-` first or last is the character itself).
    if (body[i + 1] === '-' && i + 2 < body.length && body[i + 2] !== '\\') {
      const end = body[i + 2] as string;
      for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++)
        set.chars.add(String.fromCharCode(code));
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t') set.space = true;
    c = c === '\t' ? ' ' : c;
    singles.push(c);
  }
  for (const c of singles) set.chars.add(c);
  return set;
}

/**
 * The CWEs text is safe for after `re.sub(pattern, repl, text)`, when the pattern is one negated
 * class (`[^a-z0-9_-]`, with `+` or `*`) and the replacement a constant without group references;
 * undefined otherwise.
 */
export function charsetSafeCwes(
  pattern: ConstValue | undefined,
  repl: ConstValue | undefined,
): number[] | undefined {
  if (typeof pattern !== 'string' || typeof repl !== 'string' || repl.includes('\\')) return undefined;
  const m = /^\[\^((?:\\.|[^\]\\])+)\][+*]?$/.exec(pattern);
  const set = m ? parseClass(m[1] as string) : undefined;
  if (!set) return undefined;
  for (const c of repl) set.chars.add(c);
  return safeCwesOf(set);
}

/**
 * What text of letters, digits, `_`, `-`, `.` and white space (line breaks among it) cannot do:
 * open markup or a template expression, or spell a scheme or a `//` that takes a link off the site.
 * Spaces still separate the words of a command or a query, and line breaks forge log entries.
 */
const SPACED_WORD_SAFE = [79, 601, 1336];

/** The CWEs text made only of a set's characters is safe for; undefined when it may hold others. */
function safeCwesOf(set: CharSet): number[] | undefined {
  const chars = [...set.chars].filter((c) => c !== ' ');
  if (!chars.every((c) => WORDLIKE.test(c))) return undefined;
  const safe = set.space ? SPACED_WORD_SAFE : WORD_SAFE;
  return set.chars.has('.') ? safe : [...safe, ...NO_DOT_SAFE].sort((a, b) => a - b);
}

/**
 * The CWEs text is safe for when the whole of it matched `pattern` (a path converter's `regex`):
 * a sequence of character classes (`[0-9a-f]`, `\d`, `\w`), literal characters and groups of
 * them or of alternatives, each with any quantifier. Undefined for `.`, a negated class, or a
 * construct not known here.
 */
export function patternSafeCwes(pattern: string): number[] | undefined {
  const set: CharSet = { chars: new Set(), word: false, space: false };
  const add = (inner: CharSet | undefined): boolean => {
    if (!inner) return false;
    for (const ch of inner.chars) set.chars.add(ch);
    set.word ||= inner.word;
    set.space ||= inner.space;
    return true;
  };
  let i = 0;
  // A sequence of quantified atoms and `|`, up to the `)` of its group or the end.
  const sequence = (): boolean => {
    while (i < pattern.length && pattern[i] !== ')') {
      const c = pattern[i] as string;
      if (c === '|') {
        i++;
        continue;
      }
      if (c === '$' && i === pattern.length - 1) return true;
      if (c === '[') {
        const cls = /^\[((?:\\.|[^\]\\])+)\]/.exec(pattern.slice(i));
        if (!cls || cls[1].startsWith('^') || !add(parseClass(cls[1]))) return false;
        i += cls[0].length;
      } else if (c === '\\') {
        if (!add(parseClass(pattern.slice(i, i + 2)))) return false;
        i += 2;
      } else if (c === '(') {
        i += pattern.startsWith('(?:', i) ? 3 : 1;
        if (!sequence() || pattern[i] !== ')') return false;
        i++;
      } else if (WORDLIKE.test(c) && c !== '.') {
        set.chars.add(c);
        i++;
      } else return false;
      const q = /^(?:[?*+]|\{\d*(?:,\d*)?\})\??/.exec(pattern.slice(i));
      if (q) i += q[0].length;
    }
    return true;
  };
  if (pattern.startsWith('^')) i++;
  if (!sequence() || i < pattern.length - (pattern.endsWith('$') ? 1 : 0)) return undefined;
  return safeCwesOf(set);
}

/**
 * Whether `re.sub(pattern, repl, text)` leaves no `/` or backslash in what it keeps of the text, so
 * that a value which was one path segment stays one, and any text becomes one: the pattern is one
 * negated class without those characters (`[^\w\s.-]`: every other character goes), or the text was
 * one segment already and the replacement adds neither (`re.sub(r"[-\s]+", "-", name)`).
 */
export function keepsOneSegment(
  pattern: ConstValue | undefined,
  repl: ConstValue | undefined,
  wasSegment: boolean,
): boolean {
  if (typeof repl !== 'string' || /[\\/]/.test(repl)) return false;
  if (wasSegment) return true;
  if (typeof pattern !== 'string') return false;
  const m = /^\[\^((?:\\.|[^\]\\])+)\][+*]?$/.exec(pattern);
  const set = m ? parseClass(m[1] as string) : undefined;
  return !!set && !set.chars.has('/') && !set.chars.has('\\');
}
