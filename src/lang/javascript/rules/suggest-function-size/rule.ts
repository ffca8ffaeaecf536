import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import {
  codeLinesBetween,
  FUNCTION_SIZE_FIX,
  functionSizeMessage,
  listingSuggestion,
  MAX_FUNCTION_LINES,
} from '../../../../rules/suggestions.js';
import {
  bodyOf,
  functionLabel,
  functionsOf,
  jsCodeLinesBefore,
  measureJsFunctions,
} from '../../helpers/suggestions.js';
import { FUNCTION_TYPES } from '../../semantic/scope.js';

function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p;
  return undefined;
}

/**
 * Code lines of a body: between the braces of a block (the lines of the signature and of the
 * closing brace are not counted, as Python counts none of them), all of an arrow's expression.
 */
function linesInside(before: Uint32Array, body: Node): number {
  const first = body.startPosition.row;
  const last = body.endPosition.row;
  if (body.type !== 'statement_block' || first === last) return codeLinesBetween(before, first, last);
  return codeLinesBetween(before, first + 1, last - 1);
}

export default defineRule({
  id: 'javascript/suggest-function-size',
  title: 'Function too long',
  cwe: 1120,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['javascript'],
  limit: MAX_FUNCTION_LINES,
  description:
    `A function has more than ${MAX_FUNCTION_LINES} lines of code (blank lines and comments not ` +
    'counted, nor the functions and callbacks inside it, which are measured on their own). Long functions ' +
    'mix several tasks, are hard to test in parts and hide the error paths a reviewer needs to see.',
  fix: FUNCTION_SIZE_FIX,
  check({ file, report, limit = MAX_FUNCTION_LINES }) {
    const before = jsCodeLinesBefore(file);
    /**
     * A function's own lines: the functions inside it (named helpers and callbacks alike) are
     * measured apart, as the nesting check does, so that a module wrapper
     * (`define([...], function () { ... })`, `module.exports = function (User) { ... }`), a test
     * suite's `describe` callback or a function that registers a long route handler is not one long
     * function, and a long handler is reported once.
     */
    const sizeOf = (fn: Node, body: Node): number => {
      let loc = linesInside(before, body);
      for (const inner of functionsOf(body)) {
        const innerBody = bodyOf(inner);
        if (innerBody && enclosingFunction(inner)?.equals(fn)) loc -= linesInside(before, innerBody);
      }
      return loc;
    };
    const sites = measureJsFunctions(file.tree.rootNode, (fn, body) => {
      const loc = sizeOf(fn, body);
      return loc > limit ? { node: fn, text: `${functionLabel(fn)} has ${loc}` } : undefined;
    });
    const suggestion = listingSuggestion(sites, (n, list) => functionSizeMessage(n, limit, list));
    if (suggestion) report(suggestion);
  },
});
