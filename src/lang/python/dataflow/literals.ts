/**
 * Python's literals and the constant folding the interpreter does on them: number and string
 * literals (escapes included), truthiness, comparisons, binary operators and slices of constants.
 */
import type { Node } from '../../../parsing/parser.js';
import { constEq, type ConstValue, type Val } from '../../../dataflow/value.js';
import { foldNumbers } from '../semantic/constant.js';
import type { Interpreter } from './interpreter.js';
import { named, textOf, typeOf } from './syntax.js';

/** A literal's value, computed once per node. */
export function evalLiteral(it: Interpreter, node: Node): { v: ConstValue } | undefined {
  let r = it.literals.get(node.id);
  if (r === undefined) it.literals.set(node.id, (r = computeLiteral(it, node) ?? null));
  return r ?? undefined;
}

function computeLiteral(it: Interpreter, node: Node): { v: ConstValue } | undefined {
  switch (typeOf(node)) {
    case 'integer': {
      const t = textOf(node).replace(/_/g, '');
      const n = /^0[xob]/i.test(t) ? Number(t) : Number(t.replace(/[lL]$/, ''));
      return Number.isFinite(n) ? { v: n } : undefined;
    }
    case 'float':
      return { v: Number(textOf(node).replace(/_/g, '')) };
    case 'true':
      return { v: true };
    case 'false':
      return { v: false };
    case 'none':
      return { v: null };
    case 'string': {
      let out = '';
      const raw = /^[a-zA-Z]*[rR]/.test(node.namedChildren[0]?.text ?? '');
      for (const c of node.namedChildren) {
        if (!c) continue;
        if (c.type === 'interpolation') return undefined;
        if (c.type === 'string_content')
          out += raw ? c.text : textOf(c).replace(/\\(x[0-9a-fA-F]{2}|[\s\S])/g, (m) => unescape(m));
        else if (c.type === 'escape_sequence') out += unescape(textOf(c));
      }
      return { v: out };
    }
    case 'concatenated_string': {
      let out = '';
      for (const c of named(node)) {
        const v = evalLiteral(it, c);
        if (!v || typeof v.v !== 'string') return undefined;
        out += v.v;
      }
      return { v: out };
    }
    default:
      return undefined;
  }
}

/** Python truthiness of a constant. */
export function truthy(v: ConstValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== 0 && v !== '';
}

/** Python's `seq[start:stop:step]` on a known sequence. */
export function pySlice<T>(items: readonly T[], [start, stop, step]: (number | undefined)[]): T[] {
  const n = items.length;
  const st = step ?? 1;
  if (st === 0) return [];
  const norm = (i: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (i === undefined) return dflt;
    const j = i < 0 ? i + n : i;
    return Math.min(Math.max(j, lo), hi);
  };
  const out: T[] = [];
  if (st > 0) {
    for (let i = norm(start, 0, 0, n); i < norm(stop, n, 0, n); i += st) out.push(items[i]);
  } else {
    for (let i = norm(start, n - 1, -1, n - 1); i > norm(stop, -1, -1, n - 1); i += st) out.push(items[i]);
  }
  return out;
}

/** A comparison of two values, when both are constants (or `is None` of an object). */
export function compareConst(op: string, a: Val, b: Val): boolean | undefined {
  if (op === 'is not' || op === 'is') {
    if (a.c && b.c) return (a.c.v === b.c.v) === (op === 'is');
    // A project object or function is not None; a library call's result may be (`re.match`).
    if (b.c?.v === null && (a.o?.length || a.fns?.some((f) => f.kind !== 'lib'))) return op === 'is not';
    return undefined;
  }
  if (!a.c || !b.c) return undefined;
  const x = a.c.v;
  const y = b.c.v;
  switch (op) {
    case '==':
      return constEq(x, y);
    case '!=':
      return !constEq(x, y);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (typeof x !== typeof y || (typeof x !== 'number' && typeof x !== 'string')) return undefined;
      const xx = x as number | string;
      const yy = y as number | string;
      return op === '<' ? xx < yy : op === '>' ? xx > yy : op === '<=' ? xx <= yy : xx >= yy;
    }
    case 'in':
    case 'not in': {
      let r: boolean | undefined;
      if (typeof y === 'string' && typeof x === 'string') r = y.includes(x);
      else if (Array.isArray(y)) r = y.some((e) => constEq(e, x));
      return r === undefined ? undefined : op === 'in' ? r : !r;
    }
    default:
      return undefined;
  }
}

/** A binary operator on two constants, when Python's result is known. */
export function foldBinary(op: string, a: ConstValue, b: ConstValue): ConstValue | undefined {
  if (typeof a === 'number' && typeof b === 'number') return foldNumbers(op, a, b);
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (op === '*' && typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
  if (op === '%' && typeof a === 'string') {
    const vals = Array.isArray(b) ? b : [b];
    let i = 0;
    return a.replace(/%[sdrif]/g, () => String(vals[i++] ?? ''));
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function unescape(seq: string): string {
  const k = seq.slice(1);
  if (k in ESCAPES) return ESCAPES[k];
  if (/^x[0-9a-fA-F]{2}$/.test(k)) return String.fromCharCode(parseInt(k.slice(1), 16));
  return seq;
}
