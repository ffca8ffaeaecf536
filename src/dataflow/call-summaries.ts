/**
 * Summaries of costly calls, reused across entry points. A project's many entry points often call
 * the same helpers (a database wrapper, an HTTP client, a metadata parser) with data of the same
 * kinds; each root ran them again in full, and a helper too big for one root's budget stopped every
 * root that called it, so the project's budget went on copies of the same work. A call that took
 * at least SUMMARY_MIN_STEPS steps, or ran out of the root's budget having begun with at least
 * EXHAUSTING_CALL_SHARE of it, leaves a summary: the shape of its parameters (the kinds of data
 * each held, see covers), and which parameters' data reached its result and what it was made safe
 * for on the way. A later call of the function whose parameters
 * are no more tainted is answered from the summary instead of being run: what the function reaches
 * inside was recorded by the first run with data of the same kinds (a rule reports a sink reached
 * through a wrapper at the wrapper's call, which is recorded whether the body runs or not).
 *
 * A function that ran out of the root's budget is not run in full again with other data either: a
 * later call is answered from its runs so far, and the root goes on with its own budget (what only
 * that other data would have reached inside it is not followed, as past the depth bound).
 *
 * No summary is left by a special method (a constructor); by a call that changed an object it did
 * not make, other than its receiver and what the receiver holds (a field of an argument, a
 * module's state); by one that proved a parameter valid (the caller's variable is clean after it);
 * by one that returned a function, a generator or an object holding data from a source; or by one
 * whose result holds data it read from a source itself, or marked on the way (a leading text): the
 * answer, plain data, could not stand for those.
 */
import { EXHAUSTING_CALL_SHARE, ROOT_BUDGET, SUMMARY_MIN_STEPS } from './limits.js';
import type { Heap } from './heap.js';
import {
  constEq,
  join,
  sanitize,
  UNKNOWN,
  type Callable,
  type ConstValue,
  type Fact,
  type Val,
} from './value.js';

/** What a source's fact is, as far as a sink's check can tell: everything but where it came from. */
interface FactKind {
  /** Trust and the source's other marks, in one key. */
  base: string;
  /** Text the value begins with ('' when none is known). */
  lead: string;
  /** CWEs it was made safe for. */
  san: readonly number[];
}

function factKind(f: Fact): FactKind {
  const s = f.src;
  const marks = [s.trust, s.guard, s.modelChosen && 'model', s.appChosen && 'app', s.environ && 'environ'];
  marks.push(s.segment && 'segment', s.rawPath && 'raw', (s.onlyFor ?? []).join(','));
  return { base: marks.map((m) => m || '').join('/'), lead: s.lead ?? '', san: f.san ?? [] };
}

/**
 * Data of kind `now` is no more dangerous than data of kind `then`: the same source marks, the
 * same leading text or none known then, and made safe for at least what it was then.
 */
function noWorse(now: FactKind, then: FactKind): boolean {
  return (
    now.base === then.base &&
    (then.lead === '' || then.lead === now.lead) &&
    then.san.every((c) => now.san.includes(c))
  );
}

/** What a parameter held at a call, for comparing calls of one function. */
interface ParamShape {
  /** The kinds of taint facts it held, in it or the objects it points to. */
  kinds: readonly FactKind[];
  /** A request object (its attributes are sources). */
  req: boolean;
  /** The constant it held, when known (a constant picks branches the first run may not have taken). */
  c?: { v: ConstValue };
}

/** A call's parameters by name, and how deep in calls it ran (deeper calls are cut sooner). */
export interface CallShape {
  params: ReadonlyMap<string, ParamShape>;
  depth: number;
}

interface Summary {
  shape: CallShape;
  /** Parameters whose data reached the result, with the CWEs all of it was made safe for on the way. */
  flows: ReadonlyMap<string, readonly number[]>;
  /** Data in the result from sources read inside the function. */
  inner: readonly Fact[];
  /** The constant the run gave, when it ran to its end and gave one. */
  c?: { v: ConstValue };
  /** The run ran out of the root's budget (see exhaustedRoot). */
  exhausted: boolean;
  /** The library functions or objects the result was (a cursor, a client), by name. */
  lib?: readonly Callable[];
}

/** Whether a call that begins with `left` steps and ends with `after` ran out of a root's budget. */
export function exhaustedRoot(left: number, after: number, rootBudget = ROOT_BUDGET): boolean {
  return left >= rootBudget * EXHAUSTING_CALL_SHARE && after < 0;
}

/** The key of where a fact's data entered. */
function sourceKey(f: Fact): string {
  return `${f.src.file}:${f.src.node.startIndex}`;
}

/** What the interpreter tells the summaries about one call it ran. */
export interface RunCall {
  /** The function and whatever of the root changes what its sources are, as one key. */
  fn: string;
  /** The parameters as bound when the call began. */
  params: ReadonlyMap<string, Val>;
  depth: number;
  /** Steps left when it began and when it ended. */
  left: number;
  after: number;
  result: Val;
  /** It changed an object made before it (see Heap.endWatch), or state outside its frame. */
  wroteOutside: boolean;
  /** It proved a parameter valid for its caller. */
  validated: boolean;
  /** A special method (`__init__` and the like): it runs to set its receiver's state, which an answer would not. */
  constructs: boolean;
}

export class CallSummaries {
  private readonly byFn = new Map<string, Summary[]>();

  constructor(private readonly heap: Heap) {}

  /** Whether some call of this function left a summary (a cheap test before shaping the arguments). */
  has(fn: string): boolean {
    return this.byFn.has(fn);
  }

  /** The shape of a call's parameters (the receiver included, by its name). */
  shape(params: ReadonlyMap<string, Val>, depth: number): CallShape {
    const out = new Map<string, ParamShape>();
    for (const [name, v] of params) {
      const d = this.heap.deepData(v);
      out.set(name, {
        kinds: (d.t ?? []).map(factKind),
        req: v.req !== undefined,
        ...(v.c && !v.o ? { c: v.c } : {}),
      });
    }
    return { params: out, depth };
  }

  /** Leaves a summary of a call that was costly enough and can stand as plain data. */
  record(call: RunCall): void {
    const costly =
      call.after >= 0 ? call.left - call.after >= SUMMARY_MIN_STEPS : exhaustedRoot(call.left, call.after);
    const r = call.result;
    const projectFns = r.fns?.some((f) => f.kind !== 'lib');
    if (!costly || call.constructs || call.wroteOutside || call.validated || projectFns || r.gen || r.req)
      return;
    const facts = this.heap.deepData(r).t ?? [];
    // An object's fields keep their data apart; plain data in the answer could not.
    if (r.o?.length && facts.length) return;
    const flows = new Map<string, readonly number[]>();
    const fromParams = new Set<string>();
    for (const [name, v] of call.params) {
      const given = new Map((this.heap.deepData(v).t ?? []).map((f) => [sourceKey(f), factKind(f)]));
      const reached = facts.filter((f) => given.has(sourceKey(f)));
      for (const s of given.keys()) fromParams.add(s);
      if (!reached.length) continue;
      // Data the function marked on the way (a leading `/` it wrote, a segment it cut) is not the
      // parameter's data made safe: an answer could not say so.
      for (const f of reached) {
        const was = given.get(sourceKey(f));
        const now = factKind(f);
        if (was && (was.base !== now.base || was.lead !== now.lead)) return;
      }
      // What every fact of it in the result was made safe for.
      const san = (reached[0].san ?? []).filter((c) => reached.every((f) => f.san?.includes(c)));
      flows.set(name, san);
    }
    const inner = facts.filter((f) => !fromParams.has(sourceKey(f)));
    // Data the function read from a source itself is judged by what the caller does with it
    // (a next-URL check's own request argument): it runs in full.
    if (inner.length) return;
    let list = this.byFn.get(call.fn);
    if (!list) this.byFn.set(call.fn, (list = []));
    const lib = r.fns?.length ? r.fns : undefined;
    const exhausted = call.after < 0;
    const c = !exhausted && r.c && !r.o?.length ? r.c : undefined;
    list.push({
      shape: this.shape(call.params, call.depth),
      flows,
      inner,
      exhausted,
      ...(lib ? { lib } : {}),
      ...(c ? { c } : {}),
    });
  }

  /**
   * The answer for a call of a function with a summary whose parameters were at least as tainted
   * as these, at no greater depth: each kind of data a parameter holds now, it held then or worse
   * (see noWorse); a request object then too; and a constant now either the same constant then or
   * a value the first run did not know (so took every branch on). The answer is the constant the
   * first run gave when it gave one from no data, else unknown data that
   * carries what the parameters that reached the result hold now, made safe as it was then, and
   * the data the function read from sources itself. A function that once ran out of a root's
   * budget is answered from those runs whatever its parameters hold: running it again would spend
   * another root's budget on the same part of it. Undefined when no summary answers the call.
   */
  answer(fn: string, params: ReadonlyMap<string, Val>, depth: number): Val | undefined {
    const list = this.byFn.get(fn);
    if (!list) return undefined;
    const now = this.shape(params, depth);
    const covering = list.find((then) => covers(then.shape, now));
    // A function too big for a root is not run again in full with other data: its runs say what
    // reaches its result.
    if (covering?.c && !covering.flows.size && !covering.inner.length) return { c: covering.c };
    const runs = covering ? [covering] : list.filter((then) => then.exhausted);
    if (!runs.length) return undefined;
    let out: Val = UNKNOWN;
    for (const run of runs) {
      if (run.lib) out = join(out, { fns: run.lib });
      for (const [name, san] of run.flows) {
        const d = this.heap.deepData(params.get(name) ?? UNKNOWN);
        if (d.t?.length) out = join(out, sanitize({ t: d.t }, san));
      }
      if (run.inner.length) out = join(out, { t: run.inner });
    }
    return out;
  }
}

function covers(then: CallShape, now: CallShape): boolean {
  if (then.depth > now.depth || then.params.size !== now.params.size) return false;
  for (const [name, p] of now.params) {
    const was = then.params.get(name);
    if (
      !was ||
      !p.kinds.every((k) => was.kinds.some((w) => noWorse(k, w))) ||
      (p.req && !was.req) ||
      (was.c && !(p.c && constEq(p.c.v, was.c.v)))
    )
      return false;
  }
  return true;
}
