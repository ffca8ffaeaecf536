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

/**
 * The patterns a loop variable takes: `for pattern, token in RULES: re.compile(pattern)` or
 * `[re.compile(p) for p in PATTERNS]` over a list or tuple literal (directly or through a name bound
 * once). Returns the pattern expressions of the table, or undefined when the variable is not such a loop's.
 */
export function loopPatterns(name: Node, module: PythonModule): Node[] | undefined {
  if (name.type !== 'identifier') return undefined;
  for (let n = name.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'module') break;
    const loops =
      n.type === 'for_statement'
        ? [n]
        : n.type.endsWith('comprehension') || n.type === 'generator_expression'
          ? n.namedChildren.filter((c): c is Node => c?.type === 'for_in_clause')
          : [];
    for (const loop of loops) {
      const left = loop.childForFieldName('left');
      const right = loop.childForFieldName('right');
      if (!left || !right) continue;
      const targets = left.type === 'identifier' ? [left] : left.namedChildren.filter((c): c is Node => !!c);
      const index = targets.findIndex((t) => t.type === 'identifier' && t.text === name.text);
      if (index < 0) continue;
      const table = right.type === 'identifier' ? module.singleValue(right) : right;
      if (table?.type !== 'list' && table?.type !== 'tuple') return undefined;
      const out: Node[] = [];
      for (const row of table.namedChildren) {
        if (!row || row.type === 'comment') continue;
        const cell =
          left.type === 'identifier' ? row : row.type === 'tuple' ? row.namedChildren[index] : undefined;
        if (cell) out.push(cell);
      }
      return out;
    }
  }
  return undefined;
}
