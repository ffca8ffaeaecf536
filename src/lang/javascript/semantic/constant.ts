import type { Node } from '../../../parsing/parser.js';
import { unwrap } from './scope.js';

/**
 * Constant evaluation of JavaScript expressions: what a value is when the code as written fixes
 * it. Literals, template literals without substitutions, `+` of constants (string concatenation
 * and arithmetic as JavaScript does them), `!` of a constant, and names bound once by `const` to a
 * constant. Anything else is not constant (undefined), which rules read as "someone sets it".
 */
export type Constant = string | number | boolean | null;

/** How the evaluator reads a name: the value of a `const` bound once, if any (see model.ts). */
export type ConstBinding = (name: Node) => Node | undefined;

/** Deep enough for any hand-written chain of constants; guards a cycle of bindings. */
const MAX_DEPTH = 32;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The text of an escape sequence (`\n`, `\x41`, `\u{1F600}`, a line continuation). */
function unescape(sequence: string): string {
  const c = sequence[1];
  if (c === 'x' || c === 'u') {
    const hex = sequence.slice(2).replace(/[{}]/g, '');
    const code = Number.parseInt(hex, 16);
    return Number.isNaN(code) ? sequence : String.fromCodePoint(code);
  }
  if (c === '\n' || c === '\r') return '';
  return ESCAPES[c] ?? c;
}

/** A string literal's or a substitution-free template literal's value; undefined otherwise. */
export function stringLiteral(node: Node): string | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  let out = '';
  for (const part of node.namedChildren) {
    if (part.type === 'string_fragment') out += part.text;
    else if (part.type === 'escape_sequence') out += unescape(part.text);
    else if (part.type !== 'comment') return undefined; // a `${...}` substitution
  }
  return out;
}

/** The constant value of an expression, or undefined when the code does not fix it. */
export function constantValue(node: Node, binding: ConstBinding, depth = 0): Constant | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = unwrap(node);
  switch (n.type) {
    case 'string':
    case 'template_string':
      return stringLiteral(n);
    case 'number': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isNaN(v) ? undefined : v;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'identifier': {
      const value = binding(n);
      return value ? constantValue(value, binding, depth + 1) : undefined;
    }
    case 'unary_expression': {
      const operand = n.childForFieldName('argument');
      const operator = n.childForFieldName('operator')?.type;
      const v = operand ? constantValue(operand, binding, depth + 1) : undefined;
      if (v === undefined) return undefined;
      if (operator === '!') return !v;
      if (operator === '-' && typeof v === 'number') return -v;
      return undefined;
    }
    case 'binary_expression': {
      if (n.childForFieldName('operator')?.type !== '+') return undefined;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      const l = left ? constantValue(left, binding, depth + 1) : undefined;
      const r = l !== undefined && right ? constantValue(right, binding, depth + 1) : undefined;
      if (l === undefined || r === undefined) return undefined;
      if (typeof l === 'string' || typeof r === 'string') return `${String(l)}${String(r)}`;
      return typeof l === 'number' && typeof r === 'number' ? l + r : undefined;
    }
    default:
      return undefined;
  }
}

/** The constant string an expression evaluates to (a string, not a number made into one). */
export function constantString(node: Node, binding: ConstBinding): string | undefined {
  const v = constantValue(node, binding);
  return typeof v === 'string' ? v : undefined;
}
