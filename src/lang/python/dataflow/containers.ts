/**
 * Methods of the built-in containers (list, dict, set) as a table of summaries: each method says
 * how the call changes the container on the heap and what it returns. A write is exact (it keeps
 * the list's length and each element's own data) only when the container is the one object the
 * receiver can be and the call is not inside a branch of unknown condition.
 */
import { constKey, listItems, withItems } from '../../../dataflow/heap.js';
import {
  CLEAN,
  UNKNOWN,
  constVal,
  join,
  joinAll,
  withStep,
  type ConstValue,
  type HeapObj,
  type Val,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { index } from './attributes.js';
import { unknownCall } from './calls.js';
import type { Frame, Interpreter } from './interpreter.js';
import { textOf } from './syntax.js';
import { dictValues, elements } from './targets.js';

/** One call of a container method. */
interface ContainerCall {
  it: Interpreter;
  recv: Val;
  /** The containers the receiver may be (all lists or dicts). */
  objs: number[];
  /** The first of them. */
  o: HeapObj;
  args: Val[];
  kwargs: Map<string, Val>;
  frame: Frame;
  node: Node;
  recvNode: Node;
}

type ContainerSummary = (c: ContainerCall) => Val;

/** A value stored in the container, with that step on its path. */
function stored(c: ContainerCall, v: Val): Val {
  return v.t ? withStep(v, c.it.step(c.frame.mod, c.node, `stored in \`${textOf(c.recvNode)}\``)) : v;
}

/** Whether the container is a list whose elements are known one by one and the write is certain. */
function exactList(c: ContainerCall): boolean {
  return c.objs.length === 1 && c.o.len !== undefined && !c.o.elem && c.frame.weak === 0;
}

const append: ContainerSummary = (c) => {
  const { it, o, objs } = c;
  const v = stored(c, c.args[0] ?? CLEAN);
  if (exactList(c)) {
    const fields = new Map(o.fields);
    fields.set(constKey(o.len!), v);
    it.heap.set(objs[0], { ...o, fields, len: o.len! + 1 });
  } else it.heap.writeElem(objs, v);
  return constVal(null);
};

/** `d.update(other, k=v)`: the other mapping's fields and the keywords. */
const update: ContainerSummary = (c) => {
  const { it, objs, frame } = c;
  const src = c.args[0] ?? CLEAN;
  if (src.o) {
    for (const id of src.o) {
      const s = it.heap.get(id);
      for (const [k, f] of s?.fields ?? []) it.heap.writeField(objs, k, stored(c, f), frame);
      if (s?.elem) it.heap.writeElem(objs, stored(c, s.elem));
    }
  } else it.heap.writeElem(objs, stored(c, it.heap.deepData(src)));
  writeKeywords(c);
  return constVal(null);
};

const extend: ContainerSummary = (c) => {
  const { it, o, objs } = c;
  const el = elements(it, c.args[0] ?? CLEAN);
  if (el.exact && exactList(c)) {
    const fields = new Map(o.fields);
    el.exact.forEach((v, i) => fields.set(constKey(o.len! + i), stored(c, v)));
    it.heap.set(objs[0], { ...o, fields, len: o.len! + el.exact.length });
  } else it.heap.writeElem(objs, stored(c, el.any));
  writeKeywords(c);
  return constVal(null);
};

function writeKeywords(c: ContainerCall): void {
  for (const [k, v] of c.kwargs) c.it.heap.writeField(c.objs, constKey(k), stored(c, v), c.frame);
}

const insert: ContainerSummary = (c) => {
  const { it, o, objs } = c;
  const idx = c.args[0]?.c?.v;
  const v = stored(c, c.args[1] ?? CLEAN);
  if (typeof idx === 'number' && exactList(c)) {
    const items = listItems(o);
    items.splice(idx < 0 ? Math.max(0, o.len! + idx) : idx, 0, v);
    it.heap.set(objs[0], withItems(o, items));
  } else it.heap.writeElem(objs, v);
  return constVal(null);
};

const setdefault: ContainerSummary = (c) => {
  const { it, o, objs, args } = c;
  const k = args[0];
  if (k?.c && !Array.isArray(k.c.v)) {
    const existing = o.fields.get(constKey(k.c.v));
    if (existing) return existing;
    const v = stored(c, args[1] ?? constVal(null));
    it.heap.writeField(objs, constKey(k.c.v), v, c.frame);
    return v;
  }
  it.heap.writeElem(objs, stored(c, args[1] ?? CLEAN));
  return index(it, c.recv, CLEAN);
};

const get: ContainerSummary = ({ it, o, recv, args }) => {
  const k = args[0] ?? CLEAN;
  let v = index(it, recv, k);
  if (k.c && !Array.isArray(k.c.v) && !o.fields.has(constKey(k.c.v)) && !o.elem)
    v = args[1] ?? constVal(null);
  else if (args[1]) v = join(v, args[1]);
  return v;
};

const pop: ContainerSummary = ({ it, o, objs, args, frame, recv }) => {
  if (o.kind === 'list' && o.len !== undefined && !o.elem && objs.length === 1) {
    const idxRaw = args[0]?.c?.v;
    const idx =
      typeof idxRaw === 'number' ? (idxRaw < 0 ? o.len + idxRaw : idxRaw) : args[0] ? undefined : o.len - 1;
    if (idx !== undefined && idx >= 0 && idx < o.len) {
      const items = listItems(o);
      const [removed] = items.splice(idx, 1);
      if (frame.weak === 0) it.heap.set(objs[0], withItems(o, items));
      return removed;
    }
  }
  if (o.kind === 'dict' && args[0]?.c && !Array.isArray(args[0].c.v)) {
    const kk = constKey(args[0].c.v);
    const v = o.fields.get(kk) ?? o.elem ?? args[1] ?? UNKNOWN;
    if (frame.weak === 0 && objs.length === 1) {
      const fields = new Map(o.fields);
      fields.delete(kk);
      it.heap.set(objs[0], { ...o, fields });
    }
    return v;
  }
  return index(it, recv, CLEAN);
};

const clear: ContainerSummary = ({ it, o, objs, frame }) => {
  if (frame.weak === 0)
    for (const id of objs)
      it.heap.set(id, {
        ...it.heap.get(id)!,
        fields: new Map(),
        elem: undefined,
        len: o.kind === 'list' ? 0 : undefined,
      });
  return constVal(null);
};

/** Keys of a dict's fields (stored as `k:<json>`). */
function fieldKeys(o: HeapObj): Val[] {
  return [...o.fields.keys()].map((k) => constVal(JSON.parse(k.slice(2)) as ConstValue));
}

const keys: ContainerSummary = ({ it, o }) => {
  const v = it.heap.newList([]);
  const ks = fieldKeys(o);
  if (o.keys) it.heap.writeElem(v.o, o.keys);
  if (!o.keys && ks.length) it.heap.writeElem(v.o, joinAll(ks));
  return ks.length && !o.keys && !o.elem ? it.heap.newList(ks) : v;
};

const values: ContainerSummary = ({ it, o, recv }) => {
  if (!o.elem && o.kind === 'dict') return it.heap.newList([...o.fields.values()]);
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, dictValues(it, recv));
  return v;
};

const items: ContainerSummary = ({ it, o, recv }) => {
  if (!o.elem && o.kind === 'dict') {
    const pairs = [...o.fields.entries()].map(([k, f]) =>
      it.heap.newList([constVal(JSON.parse(k.slice(2)) as ConstValue), f]),
    );
    return it.heap.newList(pairs);
  }
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, it.heap.newList([UNKNOWN, dictValues(it, recv)]));
  return v;
};

const returnsNone: ContainerSummary = () => constVal(null);
const returnsClean: ContainerSummary = () => CLEAN;

/** Container methods by name; any other method passes the receiver's and arguments' data on. */
const CONTAINER_METHODS: ReadonlyMap<string, ContainerSummary> = new Map([
  ['append', append],
  ['add', append],
  ['extend', extend],
  ['update', update],
  ['insert', insert],
  ['setdefault', setdefault],
  ['get', get],
  ['pop', pop],
  ['remove', returnsNone],
  ['clear', clear],
  ['sort', returnsNone],
  ['reverse', returnsNone],
  ['copy', ({ it, o }) => ({ o: [it.heap.alloc({ ...o, fields: new Map(o.fields) })] })],
  ['keys', keys],
  ['values', values],
  ['items', items],
  ['index', returnsClean],
  ['count', returnsClean],
]);

/** A method call on a receiver whose objects are all lists or dicts (`objs`). */
export function containerMethod(
  it: Interpreter,
  recv: Val,
  objs: number[],
  method: string,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame,
  node: Node,
  recvNode: Node,
): Val {
  const summary = CONTAINER_METHODS.get(method);
  if (!summary) return unknownCall(it, recv, args, kwargs);
  return summary({ it, recv, objs, o: it.heap.get(objs[0])!, args, kwargs, frame, node, recvNode });
}
