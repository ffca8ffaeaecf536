import { displayName, lineOf, listingSuggestion, measureFunctions } from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Nesting depth of blocks above which a function is reported. */
export const MAX_NESTING = 4;

/** Statements that open a nested block; `elif`, `else`, `except` stay at their statement's depth. */
const NESTING = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
  'match_statement',
]);

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** The deepest nesting in a body and the first statement that reaches it (nested defs excluded). */
function deepest(body: Node): { depth: number; node: Node | undefined } {
  let best: { depth: number; node: Node | undefined } = { depth: 0, node: undefined };
  for (const n of body.descendantsOfType([...NESTING])) {
    let depth = 0;
    let nested = false;
    for (let p: Node | null = n; p && !p.equals(body); p = p.parent) {
      if (SCOPES.has(p.type)) {
        nested = true;
        break;
      }
      if (NESTING.has(p.type)) depth++;
    }
    if (!nested && depth > best.depth) best = { depth, node: n };
  }
  return best;
}

export default defineRule({
  id: 'python/suggest-nesting-depth',
  title: 'Function nested too deeply',
  cwe: 1124,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  limit: MAX_NESTING,
  description:
    `A function nests blocks (if, for, while, with, try, match) more than ${MAX_NESTING} levels deep. ` +
    'Each level adds a condition the reader must hold in mind, and error handling at the bottom of ' +
    'a deep nest is easy to get wrong.',
  fix: 'Return early for the exceptional cases (guard clauses) and move inner loops or branches into helper functions.',
  check({ file, report, limit = MAX_NESTING }) {
    const sites = measureFunctions(file.tree.rootNode, (d, body) => {
      const { depth, node } = deepest(body);
      if (depth <= limit || !node) return undefined;
      return { node, text: `\`${displayName(d)}\` reaches ${depth} levels at line ${lineOf(node)}` };
    });
    const suggestion = listingSuggestion(
      sites,
      (n, list) =>
        `${n === 1 ? 'A function nests' : `${n} functions nest`} blocks more than ${limit} levels deep: ${list}.`,
    );
    if (suggestion) report(suggestion);
  },
});
