/**
 * Assignment targets and iteration: binding names, attributes, items and unpacked sequences, `del`,
 * and the elements an iterable yields (exact when its length is known).
 */
import { attrKey, constKey, listItems, withItems } from '../../../dataflow/heap.js';
import { MAX_UNROLL } from '../../../dataflow/limits.js';
import type { Locals } from '../../../dataflow/locals.js';
import {
  CLEAN,
  constVal,
  dataOf,
  join,
  joinAll,
  withStep,
  type Val,
  type ConstValue,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { evalExpr } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { setLocals, bindLocal } from './statements.js';
import { iteratedRows } from './stored.js';
import { named, field, typeOf, textOf } from './syntax.js';

/** Binds a target (name, attribute, subscript, tuple pattern) to a value. */
export function assign(it: Interpreter, target: Node, v: Val, frame: Frame, st: Locals, at: Node): void {
  setLocals(frame, st);
  switch (typeOf(target)) {
    case 'identifier': {
      const sv = v.t ? withStep(v, it.step(frame.mod, at, `assigned to \`${textOf(target)}\``)) : v;
      bindLocal(it, frame, textOf(target), sv);
      return;
    }
    case 'attribute': {
      const obj = field(target, 'object');
      const attr = field(target, 'attribute')?.text;
      if (!obj || !attr) return;
      const ov = evalExpr(it, obj, frame, frame.env.vars);
      const sv = v.t ? withStep(v, it.step(frame.mod, at, `stored in \`${textOf(target)}\``)) : v;
      it.heap.writeField(ov.o, attrKey(attr), sv, frame);
      return;
    }
    case 'subscript': {
      const obj = field(target, 'value');
      const sub = field(target, 'subscript');
      if (!obj || !sub) return;
      const ov = evalExpr(it, obj, frame, frame.env.vars);
      const kv = evalExpr(it, sub, frame, frame.env.vars);
      const sv = v.t ? withStep(v, it.step(frame.mod, at, `stored in \`${textOf(target)}\``)) : v;
      it.record(frame.mod, target, sv);
      if (!ov.o) return;
      if (kv.c && !Array.isArray(kv.c.v)) {
        const k = normIndex(it, ov.o, kv.c.v);
        it.heap.writeField(ov.o, constKey(k), sv, frame);
      } else {
        it.heap.writeElem(ov.o, sv);
        if (kv.t || kv.unk) it.heap.writeKeys(ov.o, dataOf(kv));
      }
      return;
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'expression_list': {
      const parts = named(target);
      if (target.type === 'parenthesized_expression' && parts.length === 1) {
        assign(it, parts[0], v, frame, frame.env.vars, at);
        return;
      }
      const items = elements(it, v);
      const starAt = parts.findIndex((p) => p.type === 'list_splat_pattern');
      parts.forEach((p, i) => {
        if (p.type === 'list_splat_pattern') {
          const inner = named(p)[0];
          let rest: Val[];
          if (items.exact) rest = items.exact.slice(i, items.exact.length - (parts.length - 1 - i));
          else rest = [items.any];
          if (inner) assign(it, inner, it.heap.newList(rest), frame, frame.env.vars, at);
          return;
        }
        let item: Val;
        if (items.exact) {
          const idx = starAt >= 0 && i > starAt ? items.exact.length - (parts.length - i) : i;
          item = items.exact[idx] ?? CLEAN;
        } else item = items.any;
        assign(it, p, item, frame, frame.env.vars, at);
      });
      return;
    }
    case 'list_splat_pattern': {
      const inner = named(target)[0];
      if (inner) assign(it, inner, it.heap.newList([elements(it, v).any]), frame, st, at);
      return;
    }
    default:
      return;
  }
}

/** `del x.a`, `del d[k]`, `del l[i]`, `del l[a:b]`. */
export function deleteTarget(it: Interpreter, x: Node, frame: Frame): void {
  if (x.type === 'attribute') {
    assign(it, x, CLEAN, frame, frame.env.vars, x);
    return;
  }
  const obj = field(x, 'value');
  const sub = field(x, 'subscript');
  if (!obj || !sub) return;
  const ov = evalExpr(it, obj, frame, frame.env.vars);
  if (ov.o?.length !== 1 || frame.weak) return;
  const o = it.heap.get(ov.o[0]);
  if (!o) return;
  if (o.kind === 'list' && o.len !== undefined && !o.elem) {
    const items = listItems(o);
    let from: number | undefined;
    let to: number | undefined;
    if (sub.type === 'slice') {
      const parts = named(sub).map((p) => evalExpr(it, p, frame, frame.env.vars).c?.v);
      const colon = textOf(sub).indexOf(':');
      const hasStart = colon > 0;
      const a = hasStart ? parts[0] : 0;
      const b = hasStart ? parts[1] : parts[0];
      if (typeof a !== 'number' || (b !== undefined && typeof b !== 'number') || named(sub).length > 2)
        return;
      from = a < 0 ? items.length + a : a;
      to = b === undefined ? items.length : b < 0 ? items.length + b : b;
    } else {
      const k = evalExpr(it, sub, frame, frame.env.vars).c?.v;
      if (typeof k !== 'number') return;
      from = k < 0 ? items.length + k : k;
      to = from + 1;
    }
    items.splice(from, Math.max(0, to - from));
    it.heap.set(ov.o[0], withItems(o, items));
    return;
  }
  const k = evalExpr(it, sub, frame, frame.env.vars).c?.v;
  if (k !== undefined && !Array.isArray(k)) {
    const fields = new Map(o.fields);
    fields.delete(constKey(k));
    it.heap.set(ov.o[0], { ...o, fields });
  }
}

/** A negative index counted from the end of a list whose length is known. */
export function normIndex(it: Interpreter, objs: readonly number[], k: ConstValue): ConstValue {
  if (typeof k === 'number' && k < 0) {
    const o = it.heap.get(objs[0]);
    if (o?.len !== undefined) return o.len + k;
  }
  return k;
}

/** Elements of an iterable: exact when its length is known, else one joined value. */
export function elements(it: Interpreter, v: Val): { exact?: Val[]; any: Val } {
  if (v.c) {
    const c = v.c.v;
    if (Array.isArray(c)) {
      const exact = c.map((x) => constVal(x));
      return { exact, any: joinAll(exact) };
    }
    if (typeof c === 'string' && c.length <= MAX_UNROLL) {
      const exact = [...c].map((x) => constVal(x));
      return { exact, any: exact.length ? joinAll(exact) : CLEAN };
    }
  }
  if (v.gen) return { any: v.gen };
  // The rows of a queryset: each is a row of its model (stored.ts).
  const rows = iteratedRows(it, v);
  if (rows) return { any: rows };
  // Several tuples of one length (a call that may run one of several implementations, each
  // returning `contents, path`): element i of the value is element i of one of them, so unpacking
  // keeps each position's data apart.
  if (v.o && v.o.length > 1) {
    const lists = v.o.map((id) => it.heap.get(id));
    const len = lists[0]?.len;
    if (len !== undefined && lists.every((o) => o?.kind === 'list' && o.len === len && !o.elem)) {
      const exact: Val[] = [];
      for (let i = 0; i < len; i++)
        exact.push(joinAll(lists.map((o) => o?.fields.get(constKey(i)) ?? CLEAN)));
      return { exact, any: exact.length ? joinAll(exact) : CLEAN };
    }
  }
  if (v.o && v.o.length === 1) {
    const o = it.heap.get(v.o[0]);
    if (o && (o.kind === 'list' || o.kind === 'dict')) {
      if (o.kind === 'list' && o.len !== undefined && !o.elem) {
        const exact: Val[] = [];
        for (let i = 0; i < o.len; i++) exact.push(o.fields.get(constKey(i)) ?? CLEAN);
        return { exact, any: exact.length ? joinAll(exact) : CLEAN };
      }
      if (o.kind === 'dict') {
        // Iterating a dict gives its keys.
        const keys = [...o.fields.keys()].map((k) => constVal(JSON.parse(k.slice(2)) as ConstValue));
        let any = keys.length ? joinAll(keys) : CLEAN;
        if (o.keys) any = join(any, o.keys);
        if (o.keys) return { any };
        if (o.elem) any = join(any, dataOf(o.elem));
        if (!o.elem) return { exact: keys, any };
        return { any };
      }
      let any: Val = o.elem ?? CLEAN;
      for (const f of o.fields.values()) any = join(any, f);
      return { any };
    }
  }
  return { any: it.heap.deepData(v) };
}

/** The data of every value a dict (or object) holds. */
export function dictValues(it: Interpreter, v: Val): Val {
  let out: Val = dataOf(v);
  for (const id of v.o ?? []) {
    const o = it.heap.get(id);
    if (!o) continue;
    for (const f of o.fields.values()) out = join(out, f);
    if (o.elem) out = join(out, o.elem);
  }
  return out;
}
