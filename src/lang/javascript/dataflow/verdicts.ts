/**
 * How a project check's result reads as a condition, from its own `return`s (see
 * `dataflow/verdicts.ts`): `function validateName(n) { if (n.length > 64) return 'too long'; return
 * null; }` answers with what is wrong, so `if (validateName(n)) return res.status(400)...` proves the
 * name valid where the result is falsy, not where it is truthy.
 */
import type { Node } from '../../../parsing/parser.js';
import {
  eitherKind,
  isVerdict,
  polarityOf,
  type Polarity,
  type ReturnKind,
} from '../../../dataflow/verdicts.js';
import { FUNCTION_TYPES, unwrap } from '../semantic/scope.js';

/** Methods and functions whose result is a boolean. */
const PREDICATES =
  /^(test|includes|startsWith|endsWith|has|some|every|isArray|isInteger|isSafeInteger|isFinite|isNaN|hasOwnProperty|hasOwn|Boolean)$/;

/** A predicate by its name (`isURL`, `hasAccess`, `canRead`). */
const PREDICATE_NAME = /^(is|has|can|should|matches)([A-Z_]|$)/;

const COMPARISON = /^(===|!==|==|!=|<|>|<=|>=|instanceof|in)$/;

/** The returns of a function's own body (not of the functions written in it). */
export function returnsOf(body: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    for (const ch of n.namedChildren) {
      if (FUNCTION_TYPES.has(ch.type) || ch.type === 'class_declaration' || ch.type === 'class') continue;
      if (ch.type === 'return_statement') out.push(ch);
      else visit(ch);
    }
  };
  visit(body);
  return out;
}

/** Whether running a statement may go on to the next one (no `return` or `throw` on every path). */
export function completes(s: Node): boolean {
  switch (s.type) {
    case 'return_statement':
    case 'throw_statement':
      return false;
    case 'statement_block': {
      const last = s.namedChildren.filter((c) => c.type !== 'comment').pop();
      return !last || completes(last);
    }
    case 'if_statement': {
      const then = s.childForFieldName('consequence');
      const alt = s.childForFieldName('alternative');
      const other = alt?.type === 'else_clause' ? alt.namedChildren[0] : alt;
      return !then || !other || completes(then) || completes(other);
    }
    default:
      return true;
  }
}

/** Whether a name is only ever given booleans in the function (`let ok = true; ... ok = false`). */
function booleanVariable(name: string, def: Node): boolean {
  const values: Node[] = [];
  for (const d of def.descendantsOfType('variable_declarator')) {
    if (d?.childForFieldName('name')?.text !== name) continue;
    const v = d.childForFieldName('value');
    if (!v) return false;
    values.push(v);
  }
  for (const a of def.descendantsOfType(['assignment_expression', 'augmented_assignment_expression'])) {
    if (a?.childForFieldName('left')?.text !== name) continue;
    const v = a.childForFieldName('right');
    if (!v || a.type !== 'assignment_expression') return false;
    values.push(v);
  }
  return values.length > 0 && values.every((v) => isVerdict(kindOf(v, def, 1)));
}

/** What an expression given back by `return` is (see ReturnKind). */
function kindOf(expr: Node, def: Node, depth = 0): ReturnKind {
  let n = unwrap(expr);
  if (n.type === 'await_expression' && n.namedChildren[0]) n = unwrap(n.namedChildren[0]);
  switch (n.type) {
    case 'true':
      return 'true';
    case 'false':
    case 'null':
    case 'undefined':
      return 'falsy';
    case 'number':
      return Number(n.text) === 0 ? 'falsy' : 'other';
    case 'string':
      return n.text.length <= 2 ? 'falsy' : 'error';
    case 'template_string':
    case 'new_expression':
    case 'object':
    case 'array':
      return 'error';
    case 'identifier':
      if (n.text === 'undefined') return 'falsy';
      return depth === 0 && booleanVariable(n.text, def) ? 'test' : 'other';
    case 'unary_expression': {
      const op = n.childForFieldName('operator')?.text;
      return op === '!' ? 'test' : op === 'void' ? 'falsy' : 'other';
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text ?? '';
      if (COMPARISON.test(op)) return 'test';
      if (op !== '&&' && op !== '||') return 'other';
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const both = [l, r].map((x) => (x ? kindOf(x, def, depth) : 'other'));
      return both.every(isVerdict) ? 'test' : 'other';
    }
    case 'ternary_expression': {
      const a = n.childForFieldName('consequence');
      const b = n.childForFieldName('alternative');
      return eitherKind(a ? kindOf(a, def, depth) : 'other', b ? kindOf(b, def, depth) : 'other');
    }
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn?.text;
      return name && (PREDICATES.test(name) || PREDICATE_NAME.test(name)) ? 'test' : 'other';
    }
    default:
      return 'other';
  }
}

/** The kinds of what a function gives back, falling off the end included. */
function returnKinds(def: Node): ReturnKind[] {
  const body = def.childForFieldName('body');
  if (!body) return [];
  if (body.type !== 'statement_block') return [kindOf(body, def)];
  const kinds = returnsOf(body).map((r) => {
    const value = r.namedChildren.find((c) => c.type !== 'comment');
    return value ? kindOf(value, def) : 'falsy';
  });
  return completes(body) ? [...kinds, 'falsy'] : kinds;
}

/** How a call of this function reads as a condition, or undefined when its returns tell nothing. */
export function checkPolarity(def: Node): Polarity | undefined {
  if (!FUNCTION_TYPES.has(def.type) || /^generator/.test(def.type)) return undefined;
  return polarityOf(returnKinds(def));
}
