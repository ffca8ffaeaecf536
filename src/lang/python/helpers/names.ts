import type { Node } from '../../../parsing/parser.js';
import { enclosingFunction } from './functions.js';
import { literalWords } from './strings.js';

/**
 * Which names a value carries or is given: the variable, attribute, key or keyword it flows into.
 * What the names say (a secret, a value that must be unpredictable) is language-neutral: rules/names.ts.
 */
export {
  headMatches,
  isSecretValueName,
  isUnpredictableName,
  nameParts,
  secretKindOfName,
  snakeCase,
  type SecretKind,
} from '../../../rules/names.js';

/**
 * The name an expression carries for naming heuristics: `token`, `self.token` and `request.headers["X-Token"]`
 * all give the last meaningful name ("token", "X-Token"); `f()` gives "f".
 */
export function carriedName(node: Node): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      if (key?.type === 'string') return key.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, '');
      const value = node.childForFieldName('value');
      return value ? carriedName(value) : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      return fn ? carriedName(fn) : undefined;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? carriedName(inner) : undefined;
    }
    default:
      return undefined;
  }
}

/** The variable or attribute an expression's value is assigned to, if any (`x = ...`, `self.x = ...`). */
export function assignedName(node: Node): string | undefined {
  let n: Node | null = node;
  while (
    n?.parent &&
    ['parenthesized_expression', 'call', 'attribute', 'argument_list'].includes(n.parent.type)
  ) {
    if (n.parent.type === 'call' || n.parent.type === 'argument_list') break;
    n = n.parent;
  }
  const p = n?.parent;
  if (p?.type === 'assignment' && p.childForFieldName('right')?.id === n?.id) {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') return left.text;
    if (left?.type === 'attribute') return left.childForFieldName('attribute')?.text;
    if (left?.type === 'subscript') return left.childForFieldName('subscript')?.text.replace(/['"]/g, '');
  }
  if (p?.type === 'keyword_argument') return p.childForFieldName('name')?.text;
  return undefined;
}

const STATEMENT_TYPES = new Set([
  'expression_statement',
  'return_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'function_definition',
  'class_definition',
  'module',
  'block',
  'assert_statement',
]);

/**
 * The names a value is given on its way to the statement that holds it: the assigned variable,
 * attribute or subscript key, a keyword argument, a dictionary key, and, when the value is returned,
 * the enclosing function. Innermost first.
 */
export function destinationNames(node: Node): string[] {
  const names: string[] = [];
  let n: Node = node;
  while (n.parent && !STATEMENT_TYPES.has(n.parent.type)) {
    const p: Node = n.parent;
    if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id === n.id) {
      const k = p.childForFieldName('name')?.text;
      if (k) names.push(k);
    } else if (p.type === 'pair' && p.childForFieldName('value')?.id === n.id) {
      const k = p.childForFieldName('key');
      if (k) names.push(k.text.replace(/^[rbuf]*['"]+|['"]+$/gi, ''));
    } else if (p.type === 'assignment' || p.type === 'augmented_assignment') {
      const left = p.childForFieldName('left');
      if (left && left.id !== n.id) names.push(...targetNames(left));
    } else if (p.type === 'argument_list') {
      // Key-value calls name the value by their first argument: set_cookie("sid", v), cache.set("otp", v).
      const first = p.namedChildren.find((c) => c && c.type !== 'comment');
      if (first?.type === 'string' && first.id !== n.id && !first.descendantsOfType('interpolation').length) {
        names.push(literalWords(first));
      }
    } else if (p.type === 'named_expression') {
      const k = p.childForFieldName('name')?.text;
      if (k) names.push(k);
    }
    n = p;
  }
  if (n.parent?.type === 'return_statement' || n.type === 'return_statement') {
    const fn = enclosingFunction(n);
    const name = fn?.childForFieldName('name')?.text;
    if (name) names.push(name);
  }
  return names;
}

/** Names written by an assignment target: `x`, `self.x`, `d["x"]`, `a, b`. */
export function targetNames(target: Node): string[] {
  switch (target.type) {
    case 'identifier':
      return [target.text];
    case 'attribute': {
      const a = target.childForFieldName('attribute')?.text;
      return a ? [a] : [];
    }
    case 'subscript': {
      const s = target.childForFieldName('subscript');
      return s ? [s.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '')] : [];
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
      return target.namedChildren.flatMap((c) => (c ? targetNames(c) : []));
    default:
      return [];
  }
}

/** Identifiers, attribute names and constant subscript keys an expression reads (`user.password.encode()` → user, password, encode). */
export function namesRead(node: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'identifier') out.push(n.text);
    else if (n.type === 'string' && n.parent?.type === 'subscript')
      out.push(n.text.replace(/^[rbuf]*['"]+|['"]+$/gi, ''));
    else if (n.type === 'keyword_argument') {
      const v = n.childForFieldName('value');
      if (v) visit(v);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return out;
}
