import { displayName, docstringOf, listingSuggestion, measureFunctions } from '../../helpers/suggestions.js';
import type { Node, SourceFile } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Lines of code above which a function is reported, unless `suggestions.limits` says otherwise. */
export const MAX_FUNCTION_LINES = 50;

/** A line whose first non-blank character does not start a comment. */
const CODE_LINE = /^\s*[^\s#]/;

/**
 * Non-blank, non-comment lines before each row (`codeLinesBefore[row]`), so that a function's count
 * is one subtraction however deeply it is nested; one more entry than the file has lines.
 */
function codeLinesBefore(file: SourceFile): Uint32Array {
  const before = new Uint32Array(file.lines.length + 1);
  for (let row = 0; row < file.lines.length; row++)
    before[row + 1] = before[row] + (CODE_LINE.test(file.lines[row]) ? 1 : 0);
  return before;
}

/** Non-blank, non-comment lines of a function body, without its docstring. */
function linesOfCode(before: Uint32Array, body: Node): number {
  const doc = docstringOf(body);
  // Rows past the last line count nothing.
  const count = (from: number, to: number): number => {
    const end = Math.min(to + 1, before.length - 1);
    return end > from ? before[end] - before[from] : 0;
  };
  const first = body.startPosition.row;
  const last = body.endPosition.row;
  let n = count(first, last);
  if (doc) n -= count(Math.max(first, doc.startPosition.row), Math.min(last, doc.endPosition.row));
  return n;
}

export default defineRule({
  id: 'python/suggest-function-size',
  title: 'Function too long',
  cwe: 1120,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  limit: MAX_FUNCTION_LINES,
  description:
    `A function has more than ${MAX_FUNCTION_LINES} lines of code (blank lines, comments and the ` +
    'docstring not counted). Long functions mix several tasks, are hard to test in parts and hide ' +
    'the error paths a reviewer needs to see.',
  fix: 'Split long functions into smaller ones that each do one task and can be tested on their own.',
  check({ file, report, limit = MAX_FUNCTION_LINES }) {
    const before = codeLinesBefore(file);
    const sites = measureFunctions(file.tree.rootNode, (d, body) => {
      const loc = linesOfCode(before, body);
      return loc > limit ? { node: d.node, text: `\`${displayName(d)}\` has ${loc}` } : undefined;
    });
    const suggestion = listingSuggestion(
      sites,
      (n, list) =>
        `${n === 1 ? 'A function is' : `${n} functions are`} longer than ${limit} lines of code: ${list}.`,
    );
    if (suggestion) report(suggestion);
  },
});
