import type { Node } from '../../../parsing/parser.js';
import type { PythonModule } from './scope.js';

/** A statically known Python value. Lists and tuples hold their elements. */
export type ConstValue = string | number | boolean | null | ConstValue[];

const NOT_CONSTANT = Symbol('not-constant');
type Result = ConstValue | typeof NOT_CONSTANT;

/**
 * Evaluates an expression whose value does not depend on run-time input: literals, implicit and
 * explicit string concatenation, `%`/`+`/`*` over constants, f-strings without interpolations, and
 * names bound exactly once to such an expression. Returns undefined when the value is not known.
 */
export function constantValue(node: Node, module: PythonModule): { value: ConstValue } | undefined {
  const r = evaluate(node, module, new Set());
  return r === NOT_CONSTANT ? undefined : { value: r };
}

export function isConstant(node: Node, module: PythonModule): boolean {
  return constantValue(node, module) !== undefined;
}

function stringLiteral(node: Node): Result {
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return NOT_CONSTANT;
    if (c.type === 'string_content') out += contentValue(c);
    else if (c.type === 'escape_sequence') out += unescape(c.text);
  }
  return out;
}

/** The text of a string_content node with its escape_sequence children decoded (raw strings have none). */
export function contentValue(content: Node): string {
  const text = content.text;
  let out = '';
  let at = 0;
  for (const e of content.namedChildren) {
    if (e?.type !== 'escape_sequence') continue;
    const from = e.startIndex - content.startIndex;
    out += text.slice(at, from) + unescape(e.text);
    at = from + e.text.length;
  }
  return out + text.slice(at);
}

export function unescape(seq: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '\n': '',
    '\r\n': '',
  };
  const key = seq.slice(1);
  if (key in simple) return simple[key];
  if (/^(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})$/.test(key)) {
    const code = parseInt(key.slice(1), 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : seq;
  }
  if (/^[0-7]{1,3}$/.test(key)) return String.fromCharCode(parseInt(key, 8));
  return seq; // \N{NAME} and unknown escapes keep their text
}

function evaluate(node: Node, module: PythonModule, seen: Set<number>): Result {
  switch (node.type) {
    case 'string':
      return stringLiteral(node);
    case 'concatenated_string': {
      let out = '';
      for (const c of node.namedChildren) {
        if (!c) continue;
        const v = evaluate(c, module, seen);
        if (typeof v !== 'string') return NOT_CONSTANT;
        out += v;
      }
      return out;
    }
    case 'integer': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : NOT_CONSTANT;
    }
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? evaluate(inner, module, seen) : NOT_CONSTANT;
    }
    case 'list':
    case 'tuple': {
      const out: ConstValue[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = evaluate(c, module, seen);
        if (v === NOT_CONSTANT) return NOT_CONSTANT;
        out.push(v);
      }
      return out;
    }
    case 'unary_operator': {
      const arg = node.childForFieldName('argument');
      const op = node.childForFieldName('operator')?.text;
      const v = arg ? evaluate(arg, module, seen) : NOT_CONSTANT;
      if (typeof v !== 'number') return NOT_CONSTANT;
      return op === '-' ? -v : op === '+' ? v : op === '~' ? ~v : NOT_CONSTANT;
    }
    case 'binary_operator':
      return binary(node, module, seen);
    case 'identifier':
      return nameValue(node, module, seen);
    default:
      return NOT_CONSTANT;
  }
}

function binary(node: Node, module: PythonModule, seen: Set<number>): Result {
  const l = node.childForFieldName('left');
  const r = node.childForFieldName('right');
  const op = node.childForFieldName('operator')?.text;
  if (!l || !r) return NOT_CONSTANT;
  const a = evaluate(l, module, seen);
  const b = evaluate(r, module, seen);
  if (a === NOT_CONSTANT || b === NOT_CONSTANT) return NOT_CONSTANT;
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    return NOT_CONSTANT;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    const v = foldNumbers(op ?? '', a, b);
    return v === undefined ? NOT_CONSTANT : v;
  }
  if (op === '%' && typeof a === 'string') {
    // The formatted result is constant whenever every operand is; its exact text is not needed.
    return a;
  }
  if (op === '*' && typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
  return NOT_CONSTANT;
}

function nameValue(node: Node, module: PythonModule, seen: Set<number>): Result {
  const found = module.scopeOf(node).lookup(node.text);
  if (!found || found.bindings.length !== 1) return NOT_CONSTANT;
  const b = found.bindings[0];
  if (b.kind === 'import') return importedConstant(node, module, seen);
  if (b.kind !== 'value' || seen.has(b.value.id)) return NOT_CONSTANT;
  // Only module-level constants and names in the same function are trusted; a module-level name
  // rebound through `global` elsewhere would have more than one binding.
  seen.add(b.value.id);
  const v = evaluate(b.value, module, seen);
  seen.delete(b.value.id);
  if (Array.isArray(v) && isMutatedInPlace(node.text, found.scope.node)) return NOT_CONSTANT;
  return v;
}

/**
 * A string, number, boolean or None that another module of the project binds once at module level
 * and this one imports (`from .util import ESCAPE`): its value there. Not a list, which any module
 * may change in place.
 */
function importedConstant(node: Node, module: PythonModule, seen: Set<number>): Result {
  const imported = module.importedValue(node);
  if (!imported || seen.has(imported.value.id)) return NOT_CONSTANT;
  seen.add(imported.value.id);
  const v = evaluate(imported.value, imported.module, seen);
  seen.delete(imported.value.id);
  return Array.isArray(v) ? NOT_CONSTANT : v;
}

/**
 * `cmd.append(x)`, `cmd[0] = x`, `cmd += [x]`: a list (or bytearray) bound once may still change.
 * Any attribute of the name counts, so a caller may trust only values read by subscript.
 */
export function isMutatedInPlace(name: string, scopeNode: Node): boolean {
  for (const n of scopeNode.descendantsOfType(['attribute', 'subscript'])) {
    if (!n) continue;
    const object = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
    if (object?.type === 'identifier' && object.text === name) {
      if (n.type === 'attribute') return true;
      if (n.parent?.type === 'assignment' && n.parent.childForFieldName('left')?.id === n.id) return true;
    }
  }
  return false;
}

/** Python's arithmetic and bitwise operators on two numbers; undefined for other operators or division by zero. */
export function foldNumbers(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    case '%':
      return b === 0 ? undefined : ((a % b) + b) % b;
    case '**':
      return a ** b;
    case '|':
      return a | b;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    default:
      return undefined;
  }
}
