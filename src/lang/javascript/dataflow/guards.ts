/**
 * Conditions that prove a name safe on one branch: an anchored regular expression of word
 * characters (`/^\w+$/.test(x)`), membership in a constant list (`ALLOWED.includes(x)`), a type
 * test (`typeof x === 'number'`; `'string'` only for `TEXT_SAFE_CWES`), equality with a constant
 * (`x === 'a'`, `ctx.headers.host === 'example.com'`: the name or member path is that constant).
 * `whenTrue` says on which branch the name is safe.
 */
import type { Node } from '../../../parsing/parser.js';
import { safeAfter } from '../../../dataflow/url-prefix.js';
import { TEXT_SAFE_CWES } from '../models/library.js';
import { unwrap } from '../semantic/scope.js';

export interface Guard {
  /** A name, or a member path of one (`ctx.headers.host`) when `path` is set. */
  name: string;
  whenTrue: boolean;
  /** The weaknesses the name is safe for on that branch (default: all). */
  cwes?: readonly number[];
  /** The constant the name equals on that branch (`x === 'a'`): it becomes that value. */
  equals?: Node;
  /** `name` is a member path (letters, digits, `_`, `$` and dots), narrowed where it is read. */
  path?: boolean;
}

/** The text of a string literal without substitutions or escapes, else undefined. */
function stringText(n: Node): string | undefined {
  const parts = n.namedChildren;
  if (parts.some((c) => c.type !== 'string_fragment')) return undefined;
  return parts.map((c) => c.text).join('');
}

const LITERAL = /^(string|number|true|false|null)$/;
const PATH = /^[\w$]+(\.[\w$]+)+$/;

/** `x === 'a'`, `'a' == ctx.headers.host`, `x !== 1`: the name or member path and the constant. */
function equalityGuard(op: string, l: Node | null, r: Node | null): Guard[] {
  if (!l || !r || !/^[!=]==?$/.test(op)) return [];
  const [subject, constant] = LITERAL.test(r.type)
    ? [unwrap(l), r]
    : LITERAL.test(l.type)
      ? [unwrap(r), l]
      : [];
  if (
    !subject ||
    !constant ||
    (constant.type === 'string' && constant.namedChildren.some((c) => c.type !== 'string_fragment'))
  )
    return [];
  const whenTrue = op.startsWith('=');
  if (subject.type === 'identifier') return [{ name: subject.text, whenTrue, equals: constant }];
  if (subject.type === 'member_expression' && PATH.test(subject.text))
    return [{ name: subject.text, whenTrue, equals: constant, path: true }];
  return [];
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
    if (fn?.type !== 'member_expression' || !arg) return [];
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('property')?.text;
    if (method === 'test' && object?.type === 'regex' && safePattern(object))
      return [{ name: arg.text, whenTrue: true }];
    // `url.startsWith('https://images.example.com/')`: a prefix that fixes the server (or begins a
    // path) makes the rest only pick a path there, as text built after it would (url-prefix.ts).
    if (method === 'startsWith' && object?.type === 'identifier' && arg?.type === 'string') {
      const prefix = stringText(arg);
      const cwes = prefix === undefined ? undefined : safeAfter(prefix);
      return cwes ? [{ name: object.text, whenTrue: true, cwes }] : [];
    }
    if (arg.type !== 'identifier') return [];
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
    if (l?.type !== 'unary_expression' || !l.text.startsWith('typeof')) return equalityGuard(op, l, r);
    const name = l.childForFieldName('argument');
    const type = /^['"](number|boolean|string)['"]$/.exec(r?.text ?? '')?.[1];
    if (name?.type !== 'identifier' || !type) return [];
    // Text is still text: safe only where an object hurts.
    const cwes = type === 'string' ? { cwes: TEXT_SAFE_CWES } : {};
    return [{ name: name.text, whenTrue: op.startsWith('='), ...cwes }];
  }
  return [];
}
