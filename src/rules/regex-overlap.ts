import type { AST } from '@eslint-community/regexpp';
import type { CharSet } from 'refa';
import { failsOnlyOnLineBreaks } from './regex-single-line.js';

/**
 * Ambiguities between neighbouring parts of a pattern, which regexpp-based libraries do not report
 * precisely enough (see regex.ts for the nested and absorbed cases):
 *
 * - two unbounded repetitions of single characters in a row, with only skippable parts between them
 *   (`\s*\S*\s*=`, `[a-z]+\w*x`, `(\d+)(\d*)$`), whose character sets intersect: a run of n shared
 *   characters can be split between them in n ways, so a failing match costs O(n^2);
 * - an alternative of a repetition that spells text the single-character alternatives can also spell
 *   (`(?:\\[\\*]|[^*])*`: `\\` is one escape or two plain characters), exponential.
 */

export interface Overlap {
  part: string;
  kind: 'exponential' | 'polynomial';
  explanation: string;
  /** Only a line break in the text can make the match backtrack over the part (see regex-single-line.ts). */
  needsLineBreak?: boolean;
}

type Lib = typeof import('regexp-ast-analysis');
type Flags = AST.Flags;

/** Polynomial splits between neighbouring unbounded repetitions in every alternative of the pattern. */
export function adjacentOverlaps(alternative: AST.Alternative, flags: Flags, lib: Lib): Overlap[] {
  const out: Overlap[] = [];
  const seq = flatten(alternative.elements);
  for (let i = 0; i < seq.length; i++) {
    const a = unboundedSingle(seq[i], flags, lib);
    if (!a) continue;
    for (let j = i + 1; j < seq.length; j++) {
      const b = unboundedSingle(seq[j], flags, lib);
      if (b) {
        const shared = a.chars.intersect(b.chars);
        if (!shared.isEmpty && canFailAfter(seq[j], flags, lib))
          out.push({
            part: `${seq[i].raw}${seq[j].raw}`,
            kind: 'polynomial',
            explanation: `\`${seq[i].raw}\` and \`${seq[j].raw}\` both match ${describeChars(shared)}${j > i + 1 ? ' with only optional parts between them' : ''}, so a long run of those characters can be split between them in as many ways as it is long`,
            ...(failsOnlyOnLineBreaks(alternative, seq, i, j, flags, lib) ? { needsLineBreak: true } : {}),
          });
      }
      // Only parts that can match nothing let the run continue into a later repetition.
      if (lib.getLengthRange(seq[j], flags).min > 0 || seq[j].type === 'Assertion') break;
    }
  }
  return out;
}

/** Elements of an alternative with non-repeated single-alternative groups opened: `(\d+)(\d*)` → `\d+ \d*`. */
function flatten(elements: readonly AST.Element[]): AST.Element[] {
  const out: AST.Element[] = [];
  for (const e of elements) {
    if ((e.type === 'Group' || e.type === 'CapturingGroup') && e.alternatives.length === 1)
      out.push(...flatten(e.alternatives[0].elements));
    else out.push(e);
  }
  return out;
}

/** The character set of `x*`, `x+`, `x{2,}` where x matches exactly one character. */
function unboundedSingle(e: AST.Element, flags: Flags, lib: Lib): { chars: CharSet } | undefined {
  if (e.type !== 'Quantifier' || e.max !== Infinity) return undefined;
  const len = lib.getLengthRange(e.element, flags);
  if (len.min !== 1 || len.max !== 1) return undefined;
  const consumed = lib.getConsumedChars(e.element, flags);
  if (!consumed.exact) return undefined;
  return { chars: consumed.chars };
}

/** True when something after the node (in its alternative or an enclosing one) can make the match fail. */
export function canFailAfter(node: AST.Node, flags: Flags, lib: Lib): boolean {
  let n: AST.Node = node;
  while (n.parent) {
    const p: AST.Node = n.parent;
    if (p.type === 'Alternative') {
      const i = (p.elements as AST.Node[]).indexOf(n);
      for (const next of p.elements.slice(i + 1)) {
        if (next.type === 'Assertion' || next.type === 'Backreference') return true;
        if (lib.getLengthRange(next, flags).min > 0) return true;
      }
    }
    if (p.type === 'Pattern' || p.type === 'RegExpLiteral') return false;
    n = p;
  }
  return false;
}

/**
 * `(?:\\[\\*]|[^*])*`: an alternative made of single characters (no repetition) whose every position
 * shares a character with the single-character alternatives, so its text can also be matched one
 * character per iteration: each occurrence doubles the ways to match.
 */
export function spelledAlternatives(q: AST.Quantifier, flags: Flags, lib: Lib): Overlap | undefined {
  const element = q.element;
  if (element.type !== 'Group' && element.type !== 'CapturingGroup') return undefined;
  const singles = element.alternatives.filter((a) => {
    const len = lib.getLengthRange(a, flags);
    return len.min === 1 && len.max === 1;
  });
  if (!singles.length) return undefined;
  let union: CharSet | undefined;
  for (const s of singles) {
    const c = lib.getConsumedChars(s, flags).chars;
    union = union ? union.union(c) : c;
  }
  if (!union) return undefined;
  for (const alt of element.alternatives) {
    if (singles.includes(alt) || alt.elements.length < 2) continue;
    const positions: CharSet[] = [];
    for (const e of alt.elements) {
      if (e.type !== 'Character' && e.type !== 'CharacterClass' && e.type !== 'CharacterSet') break;
      positions.push(lib.getConsumedChars(e, flags).chars);
    }
    if (positions.length !== alt.elements.length) continue;
    const shared = positions.map((p) => p.intersect(union));
    if (shared.some((s) => s.isEmpty)) continue;
    const example = shared.map((s) => printChar(sample(s))).join('');
    return {
      part: q.raw,
      kind: 'exponential',
      explanation: `inside \`${q.raw}\` the text \`${example}\` matches both alternative \`${alt.raw}\` and ${alt.elements.length} iterations of the single-character alternatives, so each occurrence doubles the ways to match`,
    };
  }
  return undefined;
}

/** A character of the set, printable ASCII when there is one. */
function sample(set: CharSet): number {
  for (const r of set.ranges) {
    if (r.max >= 33 && r.min <= 126) return Math.max(r.min, 33);
  }
  return set.ranges[0].min;
}

function printChar(code: number): string {
  const named: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r', 11: '\\v', 12: '\\f', 32: ' ' };
  if (named[code]) return named[code];
  if (code < 32 || code > 126) return `\\u${code.toString(16).padStart(4, '0')}`;
  return String.fromCharCode(code);
}

/** A short description of a character set: `` ` ` ``, `` `\t` ``, `` `0`-`9` ``, or "almost any character". */
export function describeChars(set: CharSet): string {
  if (set.size > 0x8000) return 'almost any character';
  // Unicode classes such as \s also hold rarely typed characters: the ASCII ones say enough.
  const ascii = set.ranges.filter((r) => r.min < 128).map((r) => ({ min: r.min, max: Math.min(r.max, 127) }));
  const shown = (ascii.length ? ascii : set.ranges).slice(0, 4);
  const parts = shown.map((r) =>
    r.min === r.max ? `\`${printChar(r.min)}\`` : `\`${printChar(r.min)}\`-\`${printChar(r.max)}\``,
  );
  const more = set.ranges.length > shown.length || set.ranges.some((r) => r.max >= 128);
  return `${parts.join(', ')}${more ? ' and more' : ''}`;
}
