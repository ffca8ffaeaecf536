/**
 * Python control flow: `if`, `while` and `for` (unrolled when the iterations are known, else run to
 * a fixpoint), `try` with its handlers and `finally`, and `with`.
 */
import { MAX_UNROLL, MAX_FIXPOINT } from '../../../dataflow/limits.js';
import { cloneLocals, joinLocals, sameLocals, type Locals } from '../../../dataflow/locals.js';
import { UNKNOWN, joinAll, sanitize, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { adminRefusal } from './admin-routes.js';
import { evalCondition, isSetting } from './conditions.js';
import { getAttr } from './attributes.js';
import { sameRow } from './stored.js';
import { attrKey } from '../../../dataflow/heap.js';
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
  // `if not settings.ALLOW_PRIVATE:` around a check that exits: as with `if setting and check:`
  // (see evalCondition), the deployment decides where the check applies, not the client.
  const setting = alts.length === 0 && exitsOnCheck(body) && isSetting(it, cond, frame, st);
  frame.weak++;
  it.branchDepth++;
  const a = execBlock(it, body, frame, cloneLocals(r.then));
  const b = runElse(cloneLocals(r.else));
  it.branchDepth--;
  frame.weak--;
  const out = joinLocals([a, b]);
  // `if not request.user.is_superuser: raise PermissionDenied` on every path of the root so far:
  // the request data read after it is an administrator's (see admin-routes.ts).
  if (
    !a &&
    alts.length === 0 &&
    it.branchDepth === 0 &&
    it.adminGuard === undefined &&
    it.options.adminInput !== 'untrusted'
  )
    it.adminGuard = adminRefusal(cond, body, frame.depth === 0);
  // `if not allowed(recipe.path): raise`: what follows reads the attribute as checked.
  if (out && !a && alts.length === 0 && r.attributes?.else.length)
    narrowAttributes(it, r.attributes.else, cond, frame, out);
  if (out && a && b && setting) {
    for (const [name, v] of a) if (checkedMore(v, b.get(name))) out.set(name, v);
  }
  if (out) setLocals(frame, out);
  return out;
}

/**
 * Rebinds each name whose attribute was checked (`recipe.path`) to a copy of its object holding the
 * attribute made safe: the branch where the check failed has left, so what follows in this frame
 * (and what it passes the object to) reads the checked value; other frames keep the object as it was.
 */
function narrowAttributes(
  it: Interpreter,
  guards: readonly { name: string; cwe?: readonly number[] }[],
  at: Node,
  frame: Frame,
  st: Locals,
): void {
  for (const g of guards) {
    const [name, attr] = g.name.split('.');
    const base = st.get(name);
    if (!base?.o?.length) continue;
    let changed = false;
    const o = base.o.map((id) => {
      const obj = it.heap.get(id);
      if (obj?.kind !== 'instance') return id;
      const cur = getAttr(it, { o: [id] }, attr, frame.mod, at);
      if (!cur.t) return id;
      changed = true;
      const copy = it.heap.alloc({
        ...obj,
        fields: new Map(obj.fields).set(attrKey(attr), sanitize(cur, g.cwe)),
      });
      sameRow(it, id, copy);
      return copy;
    });
    if (changed) st.set(name, { ...base, o });
  }
  setLocals(frame, st);
}

/** A block whose statements are checks that leave (`if is_private(host): raise ...`) and assignments. */
function exitsOnCheck(body: Node): boolean {
  const stmts = named(body).filter((c) => c.type !== 'comment');
  const exits = (n: Node): boolean => {
    const last = named(field(n, 'consequence') ?? n)
      .filter((c) => c.type !== 'comment')
      .pop();
    return last?.type === 'raise_statement' || last?.type === 'return_statement';
  };
  return (
    stmts.some((c) => c.type === 'if_statement') &&
    stmts.every(
      (c) =>
        (c.type === 'if_statement' && fields(c, 'alternative').length === 0 && exits(c)) ||
        (c.type === 'expression_statement' && named(c)[0]?.type === 'assignment'),
    )
  );
}

/** The same facts, each neutralised for more CWEs than in `other`. */
function checkedMore(v: Val, other: Val | undefined): boolean {
  const t = v.t;
  const u = other?.t;
  if (!t?.length || !u || t.length !== u.length) return false;
  let more = false;
  for (let i = 0; i < t.length; i++) {
    if (t[i].src.node !== u[i].src.node) return false;
    const mine = t[i].san ?? [];
    const theirs = u[i].san ?? [];
    if (!theirs.every((c) => mine.includes(c))) return false;
    if (mine.length > theirs.length) more = true;
  }
  return more;
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
    loop.continues = [];
    const end = execBlock(it, body, frame, r.then);
    cur = joinLocals([end, ...loop.continues]);
    if (!cur) break;
  }
  if (!concrete && cur) {
    frame.weak++;
    it.branchDepth++;
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
    it.branchDepth--;
    frame.weak--;
  } else if (cur && concrete) {
    // Unrolling limit reached with a constant-true condition: treat as possibly exiting.
    exits.push(cur);
  }
  return finishLoop(it, frame, loop, joinLocals(exits), alt);
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
    it.branchDepth++;
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
    it.branchDepth--;
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
