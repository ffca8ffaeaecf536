import { defineRule } from '../../../../rules/rule.js';
import {
  deepestNesting,
  lineOf,
  listingSuggestion,
  MAX_NESTING,
  NESTING_FIX,
  nestingMessage,
  type NestingShape,
} from '../../../../rules/suggestions.js';
import { functionLabel, measureJsFunctions } from '../../helpers/suggestions.js';
import { CLASS_TYPES, FUNCTION_TYPES } from '../../semantic/scope.js';

/**
 * Statements that open a nested block; `else`, `catch`, `finally` and `case` stay at their
 * statement's depth, and so does the `if` of an `else if`.
 */
const SHAPE: NestingShape = {
  nesting: new Set([
    'if_statement',
    'for_statement',
    'for_in_statement',
    'while_statement',
    'do_statement',
    'try_statement',
    'switch_statement',
  ]),
  scopes: new Set([...FUNCTION_TYPES, ...CLASS_TYPES]),
  sameLevel: (node) => node.type === 'if_statement' && node.parent?.type === 'else_clause',
};

export default defineRule({
  id: 'javascript/suggest-nesting-depth',
  title: 'Function nested too deeply',
  cwe: 1124,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['javascript'],
  limit: MAX_NESTING,
  description:
    `A function nests blocks (if, for, while, do, try, switch) more than ${MAX_NESTING} levels deep. ` +
    'Each level adds a condition the reader must hold in mind, and error handling at the bottom of ' +
    'a deep nest is easy to get wrong.',
  fix: NESTING_FIX,
  check({ file, report, limit = MAX_NESTING }) {
    const sites = measureJsFunctions(file.tree.rootNode, (fn, body) => {
      const { depth, node } = deepestNesting(body, SHAPE);
      if (depth <= limit || !node) return undefined;
      return { node, text: `${functionLabel(fn)} reaches ${depth} levels at line ${lineOf(node)}` };
    });
    const suggestion = listingSuggestion(sites, (n, list) => nestingMessage(n, limit, list));
    if (suggestion) report(suggestion);
  },
});
