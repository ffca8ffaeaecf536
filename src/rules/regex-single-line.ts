import { createRequire } from 'node:module';
import type { AST } from '@eslint-community/regexpp';
import type { CharSet } from 'refa';

type Refa = typeof import('refa');
type Lib = typeof import('regexp-ast-analysis');

let refa: Refa | undefined;
function load(): Refa {
  refa ??= createRequire(import.meta.url)('refa') as Refa;
  return refa;
}

/**
 * Line breaks: the characters a header value, or any one line of text, never holds (with the two
 * that JavaScript's `.`, which the analysis reads patterns as, also refuses).
 */
const LINE_BREAKS = [
  { min: 10, max: 10 },
  { min: 13, max: 13 },
  { min: 0x2028, max: 0x2029 },
];

const MAX_STATES = 5000;

function charClass(set: CharSet): string {
  const hex = (c: number) => `\\u${Math.min(c, 0xffff).toString(16).padStart(4, '0')}`;
  return `[${set.ranges.map((r) => (r.min === r.max ? hex(r.min) : `${hex(r.min)}-${hex(r.max)}`)).join('')}]`;
}

/**
 * Whether two neighbouring repetitions `A* B*` of a top-level alternative (`seq[first]` and
 * `seq[second]` of its flattened elements) can only backtrack over each other on text that holds a
 * line break. Greedy `A*` stops at the end of the text or at a character outside A, and the rest of
 * the pattern (`B*` and what follows) is tried on that remainder. When the rest matches every
 * remainder without a line break (`[^0-9/(]*(/[^/ ]*)?([ /].*)?$` after `[^/ ]*`), `A*` is never
 * given back and the `n` ways to split the run are never tried: only a line break, which `.` does
 * not match, can make the match fail there. Undefined when the rest holds an assertion other than a final `$`, a
 * backreference, or the pattern is not one that the check reads.
 */
export function failsOnlyOnLineBreaks(
  alternative: AST.Alternative,
  seq: readonly AST.Element[],
  first: number,
  second: number,
  flags: AST.Flags,
  lib: Lib,
): boolean {
  if (alternative.parent.type !== 'Pattern' || alternative.parent.alternatives.length !== 1) return false;
  const a = seq[first];
  if (a.type !== 'Quantifier' || second <= first) return false;
  const rest = seq.slice(first + 1);
  const last = rest[rest.length - 1];
  const tail = last?.type === 'Assertion' && last.kind === 'end' ? rest.slice(0, -1) : rest;
  if (tail.some((e) => e.raw.includes('\\') && /\\[1-9kbB]/.test(e.raw))) return false;
  const { JS, NFA, DFA, isDisjointWith } = load();
  const flagText = `${flags.ignoreCase ? 'i' : ''}${flags.dotAll ? 's' : ''}`;
  try {
    const parse = (source: string) =>
      JS.Parser.fromLiteral({ source, flags: flagText }).parse({
        assertions: 'throw',
        backreferences: 'throw',
        maxNodes: MAX_STATES,
      });
    const restOf = parse(tail.map((e) => e.raw).join('') || '(?:)');
    const restNfa = NFA.fromRegex(
      restOf.expression,
      { maxCharacter: restOf.maxCharacter },
      {},
      new NFA.LimitedNodeFactory(MAX_STATES),
    );
    const stop = lib
      .getConsumedChars(a.element, flags)
      .chars.negate()
      .without(LINE_BREAKS[0])
      .without(LINE_BREAKS[1])
      .without(LINE_BREAKS[2]);
    const remainders = parse(stop.isEmpty ? '(?:)' : `(?:${charClass(stop)}[^\\n\\r\\u2028\\u2029]*)?`);
    const remainderNfa = NFA.fromRegex(remainders.expression, { maxCharacter: remainders.maxCharacter });
    // Automata of a few thousand states at most: a larger one is given up (no claim), never waited for.
    const factory = new DFA.LimitedNodeFactory(MAX_STATES);
    const rejected = DFA.fromFA(restNfa, factory);
    rejected.complement(factory);
    return isDisjointWith(remainderNfa, rejected, MAX_STATES);
  } catch {
    return false;
  }
}
