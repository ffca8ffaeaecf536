import { displayName, lineOf, listingSuggestion, measureFunctions } from '../../helpers/suggestions.js';
import { defineRule } from '../../../../rules/rule.js';
import {
  deepestNesting,
  MAX_NESTING,
  NESTING_FIX,
  nestingMessage,
  type NestingShape,
} from '../../../../rules/suggestions.js';

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

const SHAPE: NestingShape = { nesting: NESTING, scopes: SCOPES };

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
  fix: NESTING_FIX,
  check({ file, report, limit = MAX_NESTING }) {
    const sites = measureFunctions(file.tree.rootNode, (d, body) => {
      const { depth, node } = deepestNesting(body, SHAPE);
      if (depth <= limit || !node) return undefined;
      return { node, text: `\`${displayName(d)}\` reaches ${depth} levels at line ${lineOf(node)}` };
    });
    const suggestion = listingSuggestion(sites, (n, list) => nestingMessage(n, limit, list));
    if (suggestion) report(suggestion);
  },
});
