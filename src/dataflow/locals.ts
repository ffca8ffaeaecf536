/**
 * The local variables of a frame at one program point, and how states meet where paths join
 * (after a branch, at a loop head).
 */
import { join, sameVal, type Val } from './value.js';

export type Locals = Map<string, Val>;

export function cloneLocals(l: Locals): Locals {
  return new Map(l);
}

/** The join of the states of the paths still alive (null: the path ended). */
export function joinLocals(states: readonly (Locals | null)[]): Locals | null {
  const live = states.filter((s): s is Locals => s !== null);
  if (live.length === 0) return null;
  if (live.length === 1) return live[0];
  const out = new Map(live[0]);
  for (let i = 1; i < live.length; i++) {
    const s = live[i];
    for (const [k, v] of s) {
      const prev = out.get(k);
      out.set(k, prev ? join(prev, v) : v);
    }
  }
  return out;
}

/** Whether two states are the same, to see a loop reach its fixpoint. */
export function sameLocals(a: Locals, b: Locals): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!sameVal(v, b.get(k))) return false;
  return true;
}
