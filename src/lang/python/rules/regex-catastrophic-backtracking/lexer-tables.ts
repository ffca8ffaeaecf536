import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';
import { patternValue } from './pattern-value.js';

export interface LexerRule {
  /** The pattern expression, first element of a `(pattern, token[, state])` tuple. */
  node: Node;
  pattern: string;
  verbose: boolean;
}

/**
 * Patterns of lexer tables: a class attribute `tokens = {state: [(pattern, token, ...), ...]}`, the
 * layout of Pygments' RegexLexer, which applies every pattern to the highlighted text at each position.
 */
export function lexerRules(module: PythonModule): LexerRule[] {
  const out: LexerRule[] = [];
  for (const cls of module.file.tree.rootNode.descendantsOfType('class_definition')) {
    const body = cls?.childForFieldName('body');
    if (!body) continue;
    let table: Node | undefined;
    let verbose = false;
    for (const stmt of body.namedChildren) {
      const assignment = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const name = assignment.childForFieldName('left')?.text;
      const value = assignment.childForFieldName('right');
      if (name === 'tokens' && value?.type === 'dictionary') table = value;
      if (name === 'flags' && value && /\b(X|VERBOSE)\b/.test(value.text)) verbose = true;
    }
    if (!table) continue;
    for (const pair of table.namedChildren) {
      const rules = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined;
      if (rules?.type !== 'list') continue;
      for (const rule of rules.namedChildren) {
        if (rule?.type !== 'tuple') continue;
        const first = rule.namedChildren.find((c) => c && c.type !== 'comment');
        if (!first || rule.namedChildren.length < 2) continue;
        const pattern = patternValue(first, module);
        if (pattern !== undefined) out.push({ node: first, pattern, verbose });
      }
    }
  }
  return out;
}
