/**
 * The abstract heap: instances, containers, classes and modules the interpreter made, by id.
 * Objects a root (one entry-point run) made are dropped when the next root starts; objects made
 * while a module body runs belong to the module and live for the whole pass.
 */
import type { ConstValue } from './value.js';
import { CLEAN, dataOf, join, type HeapObj, type Val } from './value.js';

/** The field key of an attribute. */
export function attrKey(name: string): string {
  return `a:${name}`;
}

/** The field key of a constant key or index. */
export function constKey(v: ConstValue): string {
  return `k:${JSON.stringify(v)}`;
}

/** The elements of a list whose length is known. */
export function listItems(o: HeapObj): Val[] {
  const items: Val[] = [];
  for (let i = 0; i < (o.len ?? 0); i++) items.push(o.fields.get(constKey(i)) ?? CLEAN);
  return items;
}

/** The list object with these elements (and their length). */
export function withItems(o: HeapObj, items: readonly Val[]): HeapObj {
  const fields = new Map<string, Val>();
  items.forEach((v, i) => fields.set(constKey(i), v));
  return { ...o, fields, len: items.length };
}

export class Heap {
  private readonly objs = new Map<number, HeapObj>();
  private nextObj = 1;
  /** First object id made by the current root (see startRoot). */
  private rootObjs = 1;
  /** Objects made by module bodies run during a root. */
  private readonly staticObjs = new Set<number>();
  /** Ids of the objects written while calls are watched (see watchWrites), in order. */
  private writes: number[] = [];
  /** Watches begun and not ended. */
  private watching = 0;

  /** `loading` is non-empty while a module body runs: what is made then outlives the root. */
  constructor(private readonly loading: ReadonlySet<unknown>) {}

  get(id: number): HeapObj | undefined {
    return this.objs.get(id);
  }

  set(id: number, obj: HeapObj): void {
    if (this.watching) this.writes.push(id);
    this.objs.set(id, obj);
  }

  /** The id the next object made will have: objects made before have lower ids. */
  get nextId(): number {
    return this.nextObj;
  }

  /** Begins watching the writes of a call; returns what endWatch needs. */
  watchWrites(): { at: number; firstId: number } {
    this.watching++;
    return { at: this.writes.length, firstId: this.nextObj };
  }

  /**
   * Ends a watch: whether the call wrote an object made before it began, other than those in
   * `own` (its receiver's state). The writes still count for the watches around it.
   */
  endWatch(watch: { at: number; firstId: number }, own: ReadonlySet<number> = new Set()): boolean {
    let wrote = false;
    for (let i = watch.at; i < this.writes.length && !wrote; i++) {
      const id = this.writes[i];
      wrote = id < watch.firstId && !own.has(id);
    }
    if (--this.watching === 0) this.writes = [];
    return wrote;
  }

  alloc(obj: HeapObj): number {
    const id = this.nextObj++;
    this.objs.set(id, obj);
    // A module body may run in the middle of a root (the module is loaded on demand): what it
    // makes belongs to the module and outlives the root.
    if (this.loading.size) this.staticObjs.add(id);
    return id;
  }

  /** Objects made from now on belong to the next root. */
  markRoot(): void {
    this.rootObjs = this.nextObj;
  }

  /**
   * Drops the objects the previous root made (numbered from its mark up). Ids are not reused:
   * values recorded during that root may still name them, and must then find nothing.
   */
  startRoot(): void {
    for (let id = this.rootObjs; id < this.nextObj; id++) if (!this.staticObjs.has(id)) this.objs.delete(id);
    this.rootObjs = this.nextObj;
  }

  newInstance(cls: number): number {
    return this.alloc({ kind: 'instance', cls, fields: new Map() });
  }

  newList(items: Val[], kind: 'list' | 'dict' = 'list'): Val {
    const fields = new Map<string, Val>();
    items.forEach((v, i) => fields.set(constKey(i), v));
    return { o: [this.alloc({ kind, fields, len: items.length })] };
  }

  /**
   * Writes a field. The write replaces the old value only when it is certain (one object, and not
   * inside a branch whose condition is unknown: `weak` counts those); else it joins with it.
   */
  writeField(
    objs: readonly number[] | undefined,
    field: string,
    v: Val,
    frame: { readonly weak: number },
  ): void {
    if (!objs) return;
    const strong = objs.length === 1 && frame.weak === 0;
    for (const id of objs) {
      const o = this.objs.get(id);
      if (!o) continue;
      const fields = new Map(o.fields);
      const prev = fields.get(field);
      fields.set(field, strong || !prev ? v : join(prev, v));
      this.set(id, { ...o, fields });
    }
  }

  /** Adds to the elements at unknown positions (the length is no longer known). */
  writeElem(objs: readonly number[] | undefined, v: Val): void {
    if (!objs) return;
    for (const id of objs) {
      const o = this.objs.get(id);
      if (!o) continue;
      this.set(id, { ...o, elem: o.elem ? join(o.elem, v) : v, len: undefined });
    }
  }

  /** Adds data to the keys written at unknown positions. */
  writeKeys(objs: readonly number[] | undefined, v: Val): void {
    for (const id of objs ?? []) {
      const o = this.objs.get(id);
      if (o) this.set(id, { ...o, keys: o.keys ? join(o.keys, v) : v });
    }
  }

  /** Class attribute lookup along the bases (depth-first, as a method resolution order is for simple trees). */
  classLookup(cls: number, field: string, seen = new Set<number>()): Val | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const c = this.objs.get(cls);
    if (!c) return undefined;
    const v = c.fields.get(field);
    if (v) return v;
    for (const b of c.bases ?? []) {
      const r = this.classLookup(b, field, seen);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * The instances and containers a value points to, and those their fields point to (as deep as
   * deepData looks): the state an object holds (a receiver's connection, its request handler).
   */
  reachable(v: Val, depth = 0, out = new Set<number>()): Set<number> {
    if (depth > 3) return out;
    for (const id of v.o ?? []) {
      const o = this.objs.get(id);
      if (!o || out.has(id) || o.kind === 'class' || o.kind === 'module') continue;
      out.add(id);
      for (const f of o.fields.values()) this.reachable(f, depth + 1, out);
      if (o.elem) this.reachable(o.elem, depth + 1, out);
    }
    return out;
  }

  /** All data in a value and the objects it points to (for unknown calls and sinks). */
  deepData(v: Val, depth = 0, seen = new Set<number>()): Val {
    let out = dataOf(v);
    if (v.gen) out = join(out, this.deepData(v.gen, depth + 1, seen));
    if (!v.o || depth > 3) return out;
    for (const id of v.o) {
      if (seen.has(id)) continue;
      seen.add(id);
      const o = this.objs.get(id);
      if (!o || o.kind === 'class' || o.kind === 'module') continue;
      for (const f of o.fields.values()) out = join(out, this.deepData(f, depth + 1, seen));
      if (o.elem) out = join(out, this.deepData(o.elem, depth + 1, seen));
      if (o.keys) out = join(out, o.keys);
    }
    return out;
  }
}
