import {
  aggregate,
  displayName,
  docstringOf,
  listItems,
  measureFunctions,
} from '../../../analysis/suggestions.js';
import type { Node, SourceFile } from '../../../parsing/parser.js';
import { defineRule } from '../../rule.js';

/** Lines of code above which a function is reported. */
export const MAX_FUNCTION_LINES = 50;

/** Non-blank, non-comment lines of a function body, without its docstring. */
function linesOfCode(file: SourceFile, body: Node): number {
  const doc = docstringOf(body);
  let n = 0;
  for (let row = body.startPosition.row; row <= body.endPosition.row; row++) {
    if (doc && row >= doc.startPosition.row && row <= doc.endPosition.row) continue;
    const text = file.lines[row]?.trim() ?? '';
    if (text && !text.startsWith('#')) n++;
  }
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
  description:
    `A function has more than ${MAX_FUNCTION_LINES} lines of code (blank lines, comments and the ` +
    'docstring not counted). Long functions mix several tasks, are hard to test in parts and hide ' +
    'the error paths a reviewer needs to see.',
  fix: 'Split long functions into smaller ones that each do one task and can be tested on their own.',
  check({ file, report }) {
    const sites = measureFunctions(file.tree.rootNode, (d, body) => {
      const loc = linesOfCode(file, body);
      return loc > MAX_FUNCTION_LINES
        ? { node: d.node, text: `\`${displayName(d)}\` has ${loc}` }
        : undefined;
    });
    const found = aggregate(sites);
    if (!found) return;
    const n = found.sites.length;
    report({
      node: found.node,
      lines: found.lines,
      message: `${n === 1 ? 'A function is' : `${n} functions are`} longer than ${MAX_FUNCTION_LINES} lines of code: ${listItems(found.sites.map((s) => s.text))}.`,
    });
  },
});
