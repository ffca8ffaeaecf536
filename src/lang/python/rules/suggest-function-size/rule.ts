import { displayName, docstringOf, listingSuggestion, measureFunctions } from '../../helpers/suggestions.js';
import type { Node, SourceFile } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import {
  codeLinesBefore,
  codeLinesBetween,
  FUNCTION_SIZE_FIX,
  functionSizeMessage,
  MAX_FUNCTION_LINES,
} from '../../../../rules/suggestions.js';

/** A line whose first non-blank character does not start a comment. */
const CODE_LINE = /^\s*[^\s#]/;

/** Non-blank, non-comment lines before each row (see `codeLinesBefore`). */
function codeLines(file: SourceFile): Uint32Array {
  return codeLinesBefore(file.lines.length, (row) => CODE_LINE.test(file.lines[row]));
}

/** Non-blank, non-comment lines of a function body, without its docstring. */
function linesOfCode(before: Uint32Array, body: Node): number {
  const doc = docstringOf(body);
  const count = (from: number, to: number): number => codeLinesBetween(before, from, to);
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
  fix: FUNCTION_SIZE_FIX,
  check({ file, report, limit = MAX_FUNCTION_LINES }) {
    const before = codeLines(file);
    const sites = measureFunctions(file.tree.rootNode, (d, body) => {
      const loc = linesOfCode(before, body);
      return loc > limit ? { node: d.node, text: `\`${displayName(d)}\` has ${loc}` } : undefined;
    });
    const suggestion = listingSuggestion(sites, (n, list) => functionSizeMessage(n, limit, list));
    if (suggestion) report(suggestion);
  },
});
