/**
 * Project functions that return only for fixed values of a parameter: every `return` stands where a
 * comparison has fixed it (`if (type === Kind.BLOCK) return ...`, the cases of `switch (type)`),
 * and the body ends on every other path in a `throw` (`throw new Error('Type not supported')`). A
 * call that came back has then seen one of those constants, whatever the caller passed, so the
 * caller's name given there holds no free text after it (see `call` in evaluate.ts).
 */
import type { Node } from '../../../parsing/parser.js';
import { FUNCTION_TYPES, parameterName, unwrap } from '../semantic/scope.js';
import { completes, returnsOf } from './verdicts.js';

const LITERAL = /^(string|number|true|false|null)$/;
const PATH = /^[\w$]+(\.[\w$]+)+$/;

/** Names bound in the function itself: its parameters and its declarations. */
function localNames(def: Node, params: readonly Node[]): Set<string> {
  const names = new Set<string>(['this']);
  for (const p of params)
    for (const id of [p, ...p.descendantsOfType('identifier')]) if (id) names.add(id.text);
  for (const d of def.descendantsOfType('variable_declarator')) {
    const name = d?.childForFieldName('name');
    if (name) for (const id of [name, ...name.descendantsOfType('identifier')]) if (id) names.add(id.text);
  }
  return names;
}

/**
 * A value the function cannot have been given: a literal without substitutions, or a member path
 * of a name bound outside the function (`Kind.BLOCK` of an imported enum or a module constant).
 */
function fixedValue(n: Node, locals: ReadonlySet<string>): boolean {
  const v = unwrap(n);
  if (LITERAL.test(v.type))
    return v.type !== 'string' || v.namedChildren.every((c) => c.type === 'string_fragment');
  if (v.type !== 'member_expression' || !PATH.test(v.text)) return false;
  return !locals.has(v.text.split('.')[0]);
}

/** Whether a condition, where true, makes the name one of fixed values (`p === 'a' || p === K.B`). */
function fixes(cond: Node, name: string, locals: ReadonlySet<string>): boolean {
  const n = unwrap(cond);
  if (n.type === 'parenthesized_expression' && n.namedChildren[0])
    return fixes(n.namedChildren[0], name, locals);
  if (n.type !== 'binary_expression') return false;
  const op = n.childForFieldName('operator')?.text;
  const l = n.childForFieldName('left');
  const r = n.childForFieldName('right');
  if (!l || !r) return false;
  if (op === '||') return fixes(l, name, locals) && fixes(r, name, locals);
  if (op === '&&') return fixes(l, name, locals) || fixes(r, name, locals);
  if (op !== '===' && op !== '==') return false;
  const [a, b] = [unwrap(l), unwrap(r)];
  return (
    (a.type === 'identifier' && a.text === name && fixedValue(b, locals)) ||
    (b.type === 'identifier' && b.text === name && fixedValue(a, locals))
  );
}

/** Whether a `return` of the body stands where a comparison fixed the name. */
function returnFixed(ret: Node, body: Node, name: string, locals: ReadonlySet<string>): boolean {
  for (let n: Node = ret, p = ret.parent; p && !n.equals(body); n = p, p = p.parent) {
    if (p.type === 'if_statement') {
      const cond = p.childForFieldName('condition');
      if (n.equals(p.childForFieldName('consequence') ?? p) && cond && fixes(cond, name, locals)) return true;
    }
    if (p.type === 'switch_case') {
      const sw = p.parent?.parent;
      const subject = sw?.type === 'switch_statement' ? sw.childForFieldName('value') : null;
      const inner = subject?.type === 'parenthesized_expression' ? subject.namedChildren[0] : subject;
      const value = p.childForFieldName('value');
      if (inner && unwrap(inner).text === name && value && fixedValue(value, locals)) return true;
    }
  }
  return false;
}

/** Whether the function body gives the name a new value (`type = type.trim()`, a `let type` of its own). */
function reassigned(body: Node, name: string): boolean {
  for (const a of body.descendantsOfType(['assignment_expression', 'augmented_assignment_expression'])) {
    const left = a?.childForFieldName('left');
    if (left && unwrap(left).text === name) return true;
  }
  for (const u of body.descendantsOfType('update_expression')) if (u?.text.includes(name)) return true;
  for (const d of body.descendantsOfType('variable_declarator')) {
    if (d?.childForFieldName('name')?.text === name) return true;
  }
  return false;
}

/**
 * Whether every path through a body ends in a `return` or `throw`: as `completes` says, or with a
 * last `switch` that has a `default` and whose every clause ends so, with no `break` in it.
 */
function endsAbruptly(body: Node): boolean {
  if (!completes(body)) return true;
  const last = body.namedChildren.filter((c) => c.type !== 'comment').pop();
  if (last?.type !== 'switch_statement') return false;
  const clauses = last.childForFieldName('body')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (!clauses.some((c) => c.type === 'switch_default')) return false;
  if (last.descendantsOfType('break_statement').length) return false;
  return clauses.every((c) => {
    const value = c.childForFieldName('value');
    const statements = c.namedChildren.filter((s) => s.type !== 'comment' && !(value && s.equals(value)));
    const end = statements.pop();
    return !end ? !c.equals(clauses[clauses.length - 1]) : !completes(end);
  });
}

const memo = new WeakMap<Node, readonly number[]>();

/**
 * The positions of the parameters a function lets through only as fixed values (see the module
 * comment); none for an async function or a generator, whose `throw` rejects a promise the caller
 * may never wait for, or a function that never returns.
 */
export function fixedParameters(def: Node): readonly number[] {
  const known = memo.get(def);
  if (known) return known;
  const out: number[] = [];
  memo.set(def, out);
  if (!FUNCTION_TYPES.has(def.type) || /generator/.test(def.type)) return out;
  if (def.children.some((c) => c.type === 'async')) return out;
  const body = def.childForFieldName('body');
  if (body?.type !== 'statement_block' || !endsAbruptly(body)) return out;
  const returns = returnsOf(body);
  if (!returns.length) return out;
  const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter(
    (p) => p.type !== 'comment',
  );
  const locals = localNames(def, params);
  params.forEach((p, i) => {
    const name = parameterName(p);
    if (!name || reassigned(body, name)) return;
    if (returns.every((r) => returnFixed(r, body, name, locals))) out.push(i);
  });
  return out;
}

/**
 * Whether a call runs whenever the statement it is written in does: not behind `&&`, `||`, `??`,
 * `?:` or `?.` of that statement (where the statement may go on without it).
 */
export function unconditionalCall(call: Node): boolean {
  if (call.children.some((c) => c.type === 'optional_chain')) return false;
  for (let n: Node = call, p = call.parent; p; n = p, p = p.parent) {
    if (FUNCTION_TYPES.has(p.type) || /_statement$|^(lexical|variable)_declaration$/.test(p.type))
      return true;
    if (p.type === 'ternary_expression') return false;
    if (
      p.type === 'binary_expression' &&
      /^(&&|\|\||\?\?)$/.test(p.childForFieldName('operator')?.text ?? '')
    ) {
      if (!n.equals(p.childForFieldName('left') ?? p)) return false;
    }
    if (p.children.some((c) => c.type === 'optional_chain')) return false;
  }
  return true;
}
