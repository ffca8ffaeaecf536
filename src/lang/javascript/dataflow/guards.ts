/**
 * Conditions that prove a name safe on one branch: an anchored regular expression of word
 * characters (`/^\w+$/.test(x)`), membership in a constant list (`ALLOWED.includes(x)`), a type
 * test (`typeof x === 'number'`; `'string'` only for `TEXT_SAFE_CWES`). `whenTrue` says on which branch the name is safe.
 */
import type { Node } from '../../../parsing/parser.js';
import { TEXT_SAFE_CWES } from '../models/library.js';
import { unwrap } from '../semantic/scope.js';

export interface Guard {
  name: string;
  whenTrue: boolean;
  /** The weaknesses the name is safe for on that branch (default: all). */
  cwes?: readonly number[];
}

/** An anchored pattern whose characters cannot spell a separator, a quote or shell syntax. */
function safePattern(regex: Node): boolean {
  const pattern = regex.childForFieldName('pattern')?.text ?? '';
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return false;
  const body = pattern
    .slice(1, -1)
    .replace(/\\[wd]/g, '')
    .replace(/[a-zA-Z0-9_\-[\]+*{},?()]/g, '');
  return body === '' || /^(\\-)*$/.test(body);
}

export function guardsOf(cond: Node): Guard[] {
  const n = unwrap(cond);
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
    const arg = n.childForFieldName('argument');
    return arg ? guardsOf(arg).map((g) => ({ ...g, whenTrue: !g.whenTrue })) : [];
  }
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    const arg = n.childForFieldName('arguments')?.namedChildren[0];
    if (fn?.type !== 'member_expression' || arg?.type !== 'identifier') return [];
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('property')?.text;
    if (method === 'test' && object?.type === 'regex' && safePattern(object))
      return [{ name: arg.text, whenTrue: true }];
    if (
      (method === 'includes' || method === 'has') &&
      object &&
      /^(array|identifier|member_expression)$/.test(object.type)
    )
      return [{ name: arg.text, whenTrue: true }];
    return [];
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text ?? '';
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (op === '&&' && l && r) return [...guardsOf(l), ...guardsOf(r)].filter((g) => g.whenTrue);
    if (op === '||' && l && r) return [...guardsOf(l), ...guardsOf(r)].filter((g) => !g.whenTrue);
    if (!/^[!=]==?$/.test(op) || l?.type !== 'unary_expression' || !l.text.startsWith('typeof')) return [];
    const name = l.childForFieldName('argument');
    const type = /^['"](number|boolean|string)['"]$/.exec(r?.text ?? '')?.[1];
    if (name?.type !== 'identifier' || !type) return [];
    // Text is still text: safe only where an object hurts.
    const cwes = type === 'string' ? { cwes: TEXT_SAFE_CWES } : {};
    return [{ name: name.text, whenTrue: op.startsWith('='), ...cwes }];
  }
  return [];
}
