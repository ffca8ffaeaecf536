import type { Node } from '../parsing/parser.js';
import { count, listItems } from './messages.js';

/**
 * What the improvement-suggestion rules (`<language>/suggest-*`) of every language share: the
 * thresholds, the measuring of a function's length and nesting (over node types each language
 * names), the messages of the measuring checks, and the aggregation of a file's sites into one
 * suggestion.
 */

/** Lines of code above which a function is reported, unless `suggestions.limits` says otherwise. */
export const MAX_FUNCTION_LINES = 50;

/** Nesting depth of blocks above which a function is reported. */
export const MAX_NESTING = 4;

/** 1-based line of a node's first character. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/**
 * One suggestion for many sites: the first site is the location, every distinct line is listed.
 * Returns undefined when there is nothing to report.
 */
export function aggregate<T extends { node: Node }>(
  sites: readonly T[],
): { node: Node; lines: number[]; sites: T[] } | undefined {
  if (sites.length === 0) return undefined;
  const sorted = [...sites].sort((a, b) => a.node.startIndex - b.node.startIndex);
  const lines = [...new Set(sorted.map((s) => lineOf(s.node)))];
  return { node: sorted[0].node, lines, sites: sorted };
}

/** A site that says one thing (`` `load` has 80 ``). */
export interface ListedSite {
  node: Node;
  text: string;
}

/**
 * One suggestion for sites that each say one thing (`` `load` has 80 ``): at the first site, with
 * every line, its message made from the number of sites and the list of what they say.
 */
export function listingSuggestion(
  sites: readonly ListedSite[],
  message: (count: number, list: string) => string,
): { node: Node; lines: number[]; message: string } | undefined {
  const found = aggregate(sites);
  if (!found) return undefined;
  const list = listItems(found.sites.map((s) => s.text));
  return { node: found.node, lines: found.lines, message: message(found.sites.length, list) };
}

/**
 * Code lines before each row (`codeLinesBefore[row]`), so that a function's count is one
 * subtraction however deeply it is nested; one more entry than the file has lines. What a code
 * line is (not blank, not only a comment) is the language's to say.
 */
export function codeLinesBefore(lineCount: number, isCode: (row: number) => boolean): Uint32Array {
  const before = new Uint32Array(lineCount + 1);
  for (let row = 0; row < lineCount; row++) before[row + 1] = before[row] + (isCode(row) ? 1 : 0);
  return before;
}

/** Code lines from row `from` to row `to`, both included; rows past the last line count nothing. */
export function codeLinesBetween(before: Uint32Array, from: number, to: number): number {
  const end = Math.min(to + 1, before.length - 1);
  return end > from ? before[end] - before[from] : 0;
}

/** The message of the function-size check, in every language. */
export function functionSizeMessage(n: number, limit: number, list: string): string {
  return `${n === 1 ? 'A function is' : `${n} functions are`} longer than ${limit} lines of code: ${list}.`;
}

/** The message of the nesting-depth check, in every language. */
export function nestingMessage(n: number, limit: number, list: string): string {
  return `${n === 1 ? 'A function nests' : `${n} functions nest`} blocks more than ${limit} levels deep: ${list}.`;
}

export const FUNCTION_SIZE_FIX =
  'Split long functions into smaller ones that each do one task and can be tested on their own.';

export const NESTING_FIX =
  'Return early for the exceptional cases (guard clauses) and move inner loops or branches into helper functions.';

/** How a language's blocks nest: which statements open a level and which nodes are scopes of their own. */
export interface NestingShape {
  /** Statements that open a nested block. */
  nesting: ReadonlySet<string>;
  /** Functions and classes inside the body: measured on their own, never counted in it. */
  scopes: ReadonlySet<string>;
  /** A nesting statement that stays at its parent's level (JavaScript's `else if`). */
  sameLevel?: (node: Node) => boolean;
}

/** The deepest nesting in a body and the first statement that reaches it (nested scopes excluded). */
export function deepestNesting(body: Node, shape: NestingShape): { depth: number; node: Node | undefined } {
  let best: { depth: number; node: Node | undefined } = { depth: 0, node: undefined };
  for (const n of body.descendantsOfType([...shape.nesting])) {
    let depth = 0;
    let nested = false;
    for (let p: Node | null = n; p && !p.equals(body); p = p.parent) {
      if (shape.scopes.has(p.type)) {
        nested = true;
        break;
      }
      if (shape.nesting.has(p.type) && !shape.sameLevel?.(p)) depth++;
    }
    if (!nested && depth > best.depth) best = { depth, node: n };
  }
  return best;
}

/** The phrase of a handler count: "1 exception handler hides errors", "3 ... hide errors". */
export function hidingHandlers(n: number): string {
  return `${count(n, 'exception handler')} ${n === 1 ? 'hides' : 'hide'} errors`;
}
