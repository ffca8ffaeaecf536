/**
 * The project's subclasses of a class, for the `self` of a method run as an entry point: a method
 * a base class defines runs on instances of every subclass that keeps it, so `self.load(payload)`
 * in the base may run any of their overrides (`Serde.parse_request` reading the request, then
 * `PickleSerde.load` unpickling it). Bounded: a base with many subclasses (a model or plugin base)
 * gets none, since running all of them in one root would be a guess at which one the code means.
 */
import { attrKey } from '../../../dataflow/heap.js';
import { textMatches } from '../../../dataflow/text-reads.js';
import type { Interpreter } from './interpreter.js';
import { moduleEnv } from './modules.js';

/** At most this many subclasses take part in a root's `self`; more, and none do. */
export const MAX_SUBCLASSES = 6;

/** A class statement's name and the text of its bases (`class A(B, mod.C):`). */
const CLASS_HEADER = /^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)/gm;

/** Per interpreter: the modules whose class statements name a base, by the base's last name. */
const indexes = new WeakMap<Interpreter, Map<string, Set<number>>>();

function baseIndex(it: Interpreter): Map<string, Set<number>> {
  let index = indexes.get(it);
  if (index) return index;
  index = new Map();
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!it.isProjectCode(mod)) continue;
    for (const m of textMatches(it.modules, mod, CLASS_HEADER)) {
      for (const base of (m[2] ?? '').split(',')) {
        const last = /(\w+)\s*$/.exec(base.replace(/\[[^\]]*\]?/g, ''))?.[1];
        if (!last || base.includes('=')) continue;
        let mods = index.get(last);
        if (!mods) index.set(last, (mods = new Set()));
        mods.add(mod);
      }
    }
  }
  indexes.set(it, index);
  return index;
}

/** Whether `cls` has `base` among its bases, directly or further up. */
function derivesFrom(it: Interpreter, cls: number, base: number, seen = new Set<number>()): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  return (it.heap.get(cls)?.bases ?? []).some((b) => b === base || derivesFrom(it, b, base, seen));
}

/**
 * The project classes (outside tests) that derive from `cls` and inherit its method `method`
 * unchanged (the root's own code runs on them), at most MAX_SUBCLASSES, else none.
 */
export function inheritingSubclasses(it: Interpreter, cls: number, method: string): number[] {
  const own = it.heap.classLookup(cls, attrKey(method))?.fns;
  if (!own?.length) return [];
  return subclassesOf(it, cls).filter((sub) => {
    const fns = it.heap.classLookup(sub, attrKey(method))?.fns;
    return (
      !!fns?.length &&
      fns.every((f) => own.some((o) => o === f || ('def' in o && 'def' in f && o.def.id === f.def.id)))
    );
  });
}

/** Per interpreter: the subclasses of each class asked for (see subclassesOf). */
const found = new WeakMap<Interpreter, Map<number, number[]>>();

/**
 * The project classes outside tests that derive from `cls`, directly or further down, found by the
 * names their class statements give their bases; none when more than MAX_SUBCLASSES (or when more
 * modules than twice that name one of the bases, before loading them).
 */
function subclassesOf(it: Interpreter, cls: number): number[] {
  let memo = found.get(it);
  if (!memo) found.set(it, (memo = new Map()));
  const known = memo.get(cls);
  if (known) return known;
  const index = baseIndex(it);
  const subs: number[] = [];
  const names = [it.heap.get(cls)?.name];
  const looked = new Set<string>();
  const result = ((): number[] => {
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (!name || looked.has(name)) continue;
      looked.add(name);
      const mods = index.get(name) ?? new Set<number>();
      if (mods.size > 2 * MAX_SUBCLASSES) return [];
      for (const mod of mods) {
        moduleEnv(it, mod);
        for (const [key, sub] of it.classOfDef) {
          if (!key.startsWith(`${mod}:`) || sub === cls || subs.includes(sub)) continue;
          if (!derivesFrom(it, sub, cls)) continue;
          subs.push(sub);
          if (subs.length > MAX_SUBCLASSES) return [];
          names.push(it.heap.get(sub)?.name);
        }
      }
    }
    return subs;
  })();
  memo.set(cls, result);
  return result;
}
