/**
 * Python control flow: `if`, `while` and `for` (unrolled when the iterations are known, else run to
 * a fixpoint), `try` with its handlers and `finally`, and `with`.
 */
import { MAX_UNROLL, MAX_FIXPOINT } from '../../../dataflow/limits.js';
import { cloneLocals, joinLocals, sameLocals, type Locals } from '../../../dataflow/locals.js';
import { UNKNOWN, constVal, joinAll, sameVal, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { evalCondition } from './conditions.js';
import { evalExpr } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { execBlock, setLocals } from './statements.js';
import { named, field, fields } from './syntax.js';
import { assign, elements } from './targets.js';

/**
 * `if`/`elif`/`else`: a branch whose condition is constant runs alone; else both run and their
 * states join.
 */
export function execIf(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const cond = field(node, 'condition');
  const body = field(node, 'consequence');
  const alts = fields(node, 'alternative');
  return branches(it, cond, body, alts, 0, frame, st);
}

export function branches(
  it: Interpreter,
  cond: Node | null,
  body: Node | null,
  alts: Node[],
  i: number,
  frame: Frame,
  st: Locals,
): Locals | null {
  if (!cond || !body) return st;
  const r = evalCondition(it, cond, frame, st);
  const runElse = (s: Locals): Locals | null => {
    const alt = alts[i];
    if (!alt) return s;
    if (alt.type === 'elif_clause') {
      return branches(it, field(alt, 'condition'), field(alt, 'consequence'), alts, i + 1, frame, s);
    }
    const b = field(alt, 'body') ?? named(alt).find((c) => c.type === 'block') ?? null;
    return b ? execBlock(it, b, frame, s) : s;
  };
  if (r.truth === true) return execBlock(it, body, frame, r.then);
  if (r.truth === false) return runElse(r.else);
  frame.weak++;
  const a = execBlock(it, body, frame, cloneLocals(r.then));
  const b = runElse(cloneLocals(r.else));
  frame.weak--;
  const out = joinLocals([a, b]);
  if (out) setLocals(frame, out);
  return out;
}

/** `while`: unrolled while the condition is constant, else run to a fixpoint. */
export function execWhile(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const cond = field(node, 'condition');
  const body = field(node, 'body');
  const alt = field(node, 'alternative');
  if (!cond || !body) return st;
  const loop = { breaks: [] as Locals[], continues: [] as Locals[] };
  frame.loops.push(loop);
  let cur: Locals | null = st;
  const exits: (Locals | null)[] = [];
  let concrete = true;
  // Once an iteration is known to repeat (see repeatedIteration), the next ones only step its counters.
  let repeat: Map<string, number> | undefined;
  for (let n = 0; cur && n < MAX_UNROLL; n++) {
    const r = evalCondition(it, cond, frame, cur);
    if (r.truth === false) {
      exits.push(r.else);
      cur = null;
      break;
    }
    if (r.truth === undefined) {
      concrete = false;
      break;
    }
    if (repeat) {
      cur = cloneLocals(cur);
      for (const [name, step] of repeat) cur.set(name, constVal(Number(cur.get(name)?.c?.v) + step));
      setLocals(frame, cur);
      continue;
    }
    loop.continues = [];
    const head = cloneLocals(cur);
    const watch = it.heap.watchWrites();
    const end = execBlock(it, body, frame, r.then);
    it.heap.endWatch(watch);
    cur = joinLocals([end, ...loop.continues]);
    if (!cur) break;
    if (!watch.dirty) repeat = repeatedIteration(it, body, head, cur);
  }
  if (!concrete && cur) {
    frame.weak++;
    let head: Locals = cur;
    for (let n = 0; n < MAX_FIXPOINT; n++) {
      const r = evalCondition(it, cond, frame, head);
      exits.push(r.else);
      loop.continues = [];
      const end = execBlock(it, body, frame, cloneLocals(r.then));
      const next = joinLocals([head, end, ...loop.continues]);
      if (!next || sameLocals(next, head)) break;
      head = next;
    }
    frame.weak--;
  } else if (cur && concrete) {
    // Unrolling limit reached with a constant-true condition: treat as possibly exiting.
    exits.push(cur);
  }
  return finishLoop(it, frame, loop, joinLocals(exits), alt);
}

/**
 * Whether an iteration of an unrolled loop that went from state `head` to `next`, writing no object
 * that was there before it, is repeated by the next one: the states are the same, but for variables
 * holding whole numbers that the body only steps (`attempts += 1`, a retry loop's counter) and never
 * reads otherwise, so they cannot change what it does; it would record the same values, reach the
 * same calls and leave by the same `break`s. Returns the step of each such counter, or undefined
 * when the next iteration may differ.
 */
function repeatedIteration(
  it: Interpreter,
  body: Node,
  head: Locals,
  next: Locals,
): Map<string, number> | undefined {
  if (head.size !== next.size) return undefined;
  const counters = new Map<string, number>();
  for (const [name, a] of head) {
    const b = next.get(name);
    if (b === undefined) return undefined;
    if (sameValue(a, b)) continue;
    if (!wholeNumber(a) || !wholeNumber(b) || !onlyStepped(it, body, name)) return undefined;
    counters.set(name, Number(b.c?.v) - Number(a.c?.v));
  }
  return counters;
}

/** The same abstract value: the same facts, constant, objects, callables and request. */
function sameValue(a: Val | undefined, b: Val | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || !sameVal(a, b) || a.req !== b.req) return false;
  const same = <T>(x: readonly T[] | undefined, y: readonly T[] | undefined): boolean =>
    (x?.length ?? 0) === (y?.length ?? 0) && (x ?? []).every((e, i) => e === y?.[i]);
  return same(a.o, b.o) && same(a.fns, b.fns) && (a.gen === b.gen || sameValue(a.gen, b.gen));
}

function wholeNumber(v: Val): boolean {
  return typeof v.c?.v === 'number' && Number.isInteger(v.c.v) && !v.t && !v.unk && !v.o && !v.fns;
}

/** Whether every use of a name in a loop body is a step by a whole number (`name += 1`). */
function onlyStepped(it: Interpreter, body: Node, name: string): boolean {
  const key = `${body.id}:${name}`;
  let v = it.steppedOnly.get(key);
  if (v === undefined) {
    v = body.descendantsOfType('identifier').every((id) => {
      if (id.text !== name) return true;
      const p = id.parent;
      const right = p ? field(p, 'right') : null;
      return (
        p?.type === 'augmented_assignment' &&
        field(p, 'left')?.id === id.id &&
        /^[+-]=$/.test(field(p, 'operator')?.text ?? '') &&
        right?.type === 'integer'
      );
    });
    it.steppedOnly.set(key, v);
  }
  return v;
}

/** `for`: unrolled over a known sequence, else run to a fixpoint over its joined element. */
export function execFor(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const left = field(node, 'left');
  const right = field(node, 'right');
  const body = field(node, 'body');
  const alt = field(node, 'alternative');
  if (!left || !right || !body) return st;
  const iter = evalExpr(it, right, frame, st);
  it.record(frame.mod, right, iter);
  const items = iterate(it, iter);
  const loop = { breaks: [] as Locals[], continues: [] as Locals[] };
  frame.loops.push(loop);
  let cur: Locals | null = frame.env.vars;
  let normal: Locals | null;
  if (items.exact && items.exact.length <= MAX_UNROLL) {
    for (const item of items.exact) {
      if (!cur) break;
      assign(it, left, item, frame, cur, node);
      loop.continues = [];
      const end = execBlock(it, body, frame, frame.env.vars);
      cur = joinLocals([end, ...loop.continues]);
    }
    normal = cur;
  } else {
    frame.weak++;
    let head: Locals = cur;
    const exits: Locals[] = [head];
    for (let n = 0; n < MAX_FIXPOINT; n++) {
      assign(it, left, items.any, frame, cloneLocals(head), node);
      loop.continues = [];
      const end = execBlock(it, body, frame, frame.env.vars);
      const next = joinLocals([head, end, ...loop.continues]);
      if (!next) break;
      exits.push(next);
      if (sameLocals(next, head)) break;
      head = next;
    }
    frame.weak--;
    normal = joinLocals(exits);
  }
  return finishLoop(it, frame, loop, normal, alt);
}

/** Ends a `while`/`for`: runs its `else` block on normal exit, then joins the `break` exits. */
export function finishLoop(
  it: Interpreter,
  frame: Frame,
  loop: { breaks: Locals[] },
  normal: Locals | null,
  alt: Node | null,
): Locals | null {
  frame.loops.pop();
  if (normal && alt) {
    const b = field(alt, 'body') ?? named(alt).find((c) => c.type === 'block');
    if (b) normal = execBlock(it, b, frame, normal);
  }
  const out = joinLocals([normal, ...loop.breaks]);
  if (out) setLocals(frame, out);
  return out;
}

export function iterate(it: Interpreter, v: Val): { exact?: Val[]; any: Val } {
  return elements(it, v);
}

/** `try`: handlers start from any point of the body that may raise; `finally` runs on every path. */
export function execTry(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const body = field(node, 'body');
  const ctx = { raises: [] as { locals: Locals; val: Val }[] };
  frame.tries.push(ctx);
  const before = cloneLocals(st);
  const end = body ? execBlock(it, body, frame, st) : st;
  frame.tries.pop();
  const handlers = named(node).filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
  const elseClause = named(node).find((c) => c.type === 'else_clause');
  const fin = named(node).find((c) => c.type === 'finally_clause');
  let normal = end;
  if (normal && elseClause) {
    const b = field(elseClause, 'body') ?? named(elseClause).find((c) => c.type === 'block');
    if (b) normal = execBlock(it, b, frame, normal);
  }
  const outs: (Locals | null)[] = [normal];
  if (handlers.length) {
    // A handler may start from any point of the body: before it, at a raise, or at its end.
    const entryStates: (Locals | null)[] = [before, ...ctx.raises.map((r) => r.locals)];
    if (end && mayRaise(body)) entryStates.push(end);
    const raised = joinAll(ctx.raises.map((r) => r.val));
    for (const h of handlers) {
      const entry = joinLocals(entryStates.map((s) => (s ? cloneLocals(s) : null)));
      if (!entry) continue;
      setLocals(frame, entry);
      const as = named(h).find((c) => c.type === 'as_pattern');
      if (as) {
        const target = field(as, 'alias');
        const id = target ? (named(target)[0] ?? target) : undefined;
        if (id) assign(it, id, ctx.raises.length ? raised : UNKNOWN, frame, entry, h);
      }
      const b = named(h).find((c) => c.type === 'block');
      outs.push(b ? execBlock(it, b, frame, frame.env.vars) : frame.env.vars);
    }
  } else if (ctx.raises.length) {
    // Not handled here: propagate to an outer try.
    frame.tries[frame.tries.length - 1]?.raises.push(...ctx.raises);
  }
  let out = joinLocals(outs);
  if (fin) {
    const b = named(fin).find((c) => c.type === 'block');
    if (b) {
      if (out) out = execBlock(it, b, frame, out);
      else {
        // Every path left the try (return/raise): the finally block still runs.
        execBlock(it, b, frame, cloneLocals(before));
      }
    }
  }
  if (out) setLocals(frame, out);
  return out;
}

export function mayRaise(body: Node | null): boolean {
  if (!body) return false;
  return (
    body.descendantsOfType(['call', 'subscript', 'raise_statement', 'attribute', 'binary_operator']).length >
    0
  );
}

/** `with`: binds each context manager's value (the analysis does not run `__enter__`). */
export function execWith(it: Interpreter, node: Node, frame: Frame): Locals | null {
  const clause = named(node).find((c) => c.type === 'with_clause');
  for (const item of clause ? named(clause) : []) {
    const value = field(item, 'value');
    if (!value) continue;
    if (value.type === 'as_pattern') {
      const expr = named(value)[0];
      const target = field(value, 'alias');
      const v = expr ? evalExpr(it, expr, frame, frame.env.vars) : UNKNOWN;
      if (expr) it.record(frame.mod, expr, v);
      const t = target ? (named(target)[0] ?? target) : undefined;
      if (t) assign(it, t, v, frame, frame.env.vars, item);
    } else {
      it.record(frame.mod, value, evalExpr(it, value, frame, frame.env.vars));
    }
  }
  const body = field(node, 'body');
  return body ? execBlock(it, body, frame, frame.env.vars) : frame.env.vars;
}
