/**
 * Abstract values: what the interpreter knows about a value (constant, taint facts with their
 * paths, heap objects, callables), and the lattice operations on them (join, sanitize, steps).
 */
import type { Node } from '../parsing/parser.js';
import type { Trust } from './concepts.js';

/** A constant the analysis knows exactly (a language's literals and lists of them). */
export type ConstValue = string | number | boolean | null | ConstValue[];

/** Where untrusted data entered: the expression, its file and a label naming the code. */
export interface SourceInfo {
  file: string;
  node: Node;
  /** The code, e.g. "request.args['host']" or "parameter `host` of route `ping`". */
  label: string;
  trust: Trust;
  /** For `admin` trust: the guard that lets only administrators reach the handler (`check_admin`). */
  guard?: string;
  /**
   * A language model chose the value (an argument of an agent's tool): whoever writes text the
   * model reads can steer it (prompt injection), but not as directly as a client sends a request.
   */
  modelChosen?: boolean;
  /**
   * The application's code chose the value from data the analysis does not see, and apps of the
   * kind often pass on a user's text there (what a Gradio app's function returns for a component
   * to show): reported at medium confidence, and only for `onlyFor`.
   */
  appChosen?: boolean;
  /**
   * The weaknesses the source counts for, when not all (see TaintSource.onlyFor): for any other
   * CWE the value is as if a check had passed.
   */
  onlyFor?: readonly number[];
  /**
   * Weaknesses the source never counts for (see TaintSource.notFor): for them the value is as if a
   * check had passed, whatever decodes or rebuilds it later.
   */
  notFor?: readonly number[];
  /**
   * The client's data read back from where a request handler stored it (a model's field): what
   * the application holds, not what this request sent (see the front end's stored data).
   */
  stored?: boolean;
  /**
   * The source is a request's whole CGI-style environment mapping: an item read with a constant
   * key that the server or middleware set is clean (see the front end's sources).
   */
  environ?: boolean;
  /**
   * The value is one segment of the request's URL path, as the router matched it, or text whose
   * every `/` was replaced: it holds no `/` (the front end may keep a join of such values inside a
   * directory, see its path segments).
   */
  segment?: boolean;
  /**
   * Text the value always begins with (a request's own path begins with `/`): appended after a
   * scheme and host, it closes the host (see url-prefix.ts).
   */
  lead?: string;
  /**
   * The request's own path or URL as the client sent it, still percent-encoded: a browser turns a
   * `\\` in a link's path into `/` before sending it, so only slashes can make it name another host.
   */
  rawPath?: boolean;
}

/** One step of a path: a node in a file and what happened there. */
export interface Step {
  file: string;
  node: Node;
  note: string;
}

/** One way a value is tainted: the source, the steps since, and the CWEs it was made safe for. */
export interface Fact {
  src: SourceInfo;
  steps: readonly Step[];
  /** CWEs a sanitizer on the path neutralised. */
  san?: readonly number[];
}

export type Callable =
  | { kind: 'fn'; def: Node; mod: number; closure: Env | undefined; self?: Val; cls?: number; name: string }
  | { kind: 'class'; obj: number }
  /**
   * A library value by its qualified name. `kw`: the keyword arguments a class the analysis does not
   * see was made with (`AuthResult(user=user, data=data)`), whose attributes of the same names hold them.
   */
  | { kind: 'lib'; name: string; kw?: ReadonlyMap<string, Val> }
  | { kind: 'partial'; fn: Callable; args: Val[]; kwargs: Map<string, Val> }
  | { kind: 'super'; cls: number; self: Val };

/**
 * An abstract value. Absent fields mean "no": a value with no facts, not `unk`, is clean.
 * `c` holds the exact value when it is a known constant.
 */
export interface Val {
  t?: readonly Fact[];
  /** May depend on data the analysis cannot see (parameters of an entry point, unknown calls). */
  unk?: boolean;
  c?: { v: ConstValue };
  /** Heap objects (instances, containers, classes) the value may point to. */
  o?: readonly number[];
  fns?: readonly Callable[];
  /** A generator or awaitable producing this value. */
  gen?: Val;
  /** A framework request object (attributes like GET/args are sources). */
  req?: Node;
}

export const CLEAN: Val = {};
export const UNKNOWN: Val = { unk: true };

export function constVal(v: ConstValue): Val {
  return { c: { v } };
}

export interface HeapObj {
  kind: 'instance' | 'dict' | 'list' | 'class' | 'module';
  /** Class of an instance; bases of a class. */
  cls?: number;
  bases?: readonly number[];
  name?: string;
  /** `a:name` attributes, `k:<json>` keys and indices. */
  fields: ReadonlyMap<string, Val>;
  /** Elements at unknown keys / indices. */
  elem?: Val;
  /** Exact length of a list when every index is known. */
  len?: number;
  /** Module index, for module objects. */
  mod?: number;
  /** Annotated field names of a class body, in order (dataclass constructors). */
  annotated?: readonly string[];
  /** Library classes a class names among its bases (`RequestHandler`), by qualified name. */
  libBases?: readonly string[];
  /** Data of keys written at unknown positions (a dict keyed by input). */
  keys?: Val;
  /**
   * An instance made without running its constructor (an entry point's `self`): a field it lacks
   * may hold what the class's methods store there (the language front end decides what).
   */
  fresh?: boolean;
}

/** A mutable binding environment of one frame; closures keep a reference to it. */
export class Env {
  constructor(
    public vars: Map<string, Val>,
    readonly parent: Env | undefined,
    /** Scope node of the frame (a function, lambda or module). */
    readonly node: Node,
  ) {}
}

const MAX_FACTS = 3;

export function isTainted(v: Val): boolean {
  return !!v.t && v.t.length > 0;
}

function factKey(f: Fact): string {
  // The same code reached from an administrators' route and from anyone's is two sources.
  // A source known to begin with some text (see SourceInfo `lead`) is not the same fact as without it.
  const lead = f.src.lead === undefined ? '' : `:${f.src.lead}`;
  return `${f.src.trust === 'admin' ? 'admin:' : ''}${f.src.file}:${f.src.node.startIndex}:${(f.san ?? []).join(',')}${lead}`;
}

export function joinFacts(
  a: readonly Fact[] | undefined,
  b: readonly Fact[] | undefined,
): readonly Fact[] | undefined {
  if (!a || a.length === 0) return b && b.length ? b : undefined;
  if (!b || b.length === 0 || a === b) return a;
  const out = [...a];
  const keys = new Set(a.map(factKey));
  for (const f of b) {
    if (out.length >= MAX_FACTS) break;
    if (!keys.has(factKey(f))) {
      keys.add(factKey(f));
      out.push(f);
    }
  }
  return out;
}

/**
 * Heap objects or callables a value may be, at most this many: a loop or recursion that makes a
 * new object each time would otherwise grow the list (and every join over it) without end. As with
 * facts, the first ones are kept.
 */
const MAX_TARGETS = 24;

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (!a || a.length === 0) return b && b.length ? b : undefined;
  if (!b || b.length === 0 || a === b || a.length >= MAX_TARGETS) return a;
  const out = [...a];
  for (const x of b) {
    if (out.length >= MAX_TARGETS) break;
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

export function constEq(a: ConstValue, b: ConstValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => constEq(x, b[i]));
  }
  return a === b;
}

/** The least value covering both (may-taint). */
export function join(a: Val, b: Val): Val {
  if (a === b) return a;
  const out: { -readonly [K in keyof Val]: Val[K] } = {};
  const t = joinFacts(a.t, b.t);
  if (t) out.t = t;
  if (a.unk || b.unk) out.unk = true;
  if (a.c && b.c && constEq(a.c.v, b.c.v)) out.c = a.c;
  else if ((a.c && !b.c && !isEmptyish(b)) || (b.c && !a.c && !isEmptyish(a))) {
    /* one side is not a constant: the join is not either */
  }
  const o = union(a.o, b.o);
  if (o) out.o = o;
  const fns = union(a.fns, b.fns);
  if (fns) out.fns = fns;
  if (a.gen || b.gen) out.gen = a.gen && b.gen ? join(a.gen, b.gen) : (a.gen ?? b.gen);
  if (a.req || b.req) out.req = a.req ?? b.req;
  return out;
}

function isEmptyish(_v: Val): boolean {
  return false;
}

export function joinAll(vals: readonly Val[]): Val {
  if (vals.length === 0) return CLEAN;
  let v = vals[0];
  for (let i = 1; i < vals.length; i++) v = join(v, vals[i]);
  return v;
}

/** Cheap equality used to detect loop fixpoints. */
export function sameVal(a: Val | undefined, b: Val | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (!!a.unk !== !!b.unk) return false;
  if ((a.t?.length ?? 0) !== (b.t?.length ?? 0)) return false;
  if (a.t && b.t && !a.t.every((f, i) => factKey(f) === factKey(b.t![i]))) return false;
  if (!!a.c !== !!b.c || (a.c && b.c && !constEq(a.c.v, b.c.v))) return false;
  if ((a.o?.length ?? 0) !== (b.o?.length ?? 0)) return false;
  if ((a.fns?.length ?? 0) !== (b.fns?.length ?? 0)) return false;
  if (!!a.gen !== !!b.gen || (a.gen && !sameVal(a.gen, b.gen))) return false;
  return true;
}

/** Taint facts of a value with one more step on each path. */
export function withStep(v: Val, step: Step): Val {
  if (!v.t) return v;
  return { ...v, t: v.t.map((f) => ({ ...f, steps: addStep(f.steps, step) })) };
}

const MAX_STEPS = 16;

function addStep(steps: readonly Step[], step: Step): readonly Step[] {
  const last = steps[steps.length - 1];
  if (last && last.node.id === step.node.id) return steps;
  if (last && last.file === step.file && last.node.startPosition.row === step.node.startPosition.row)
    return [...steps.slice(0, -1), step];
  const out = [...steps, step];
  return out.length > MAX_STEPS ? [...out.slice(0, 2), ...out.slice(out.length - MAX_STEPS + 2)] : out;
}

/** Marks every fact as neutralised for the CWEs (all CWEs when `cwes` is undefined: the data is gone). */
export function sanitize(v: Val, cwes: readonly number[] | undefined): Val {
  if (!cwes) return v.unk ? { unk: true } : CLEAN;
  if (!v.t) return v;
  return {
    ...v,
    c: undefined,
    t: v.t.map((f) => ({ ...f, san: [...new Set([...(f.san ?? []), ...cwes])].sort((x, y) => x - y) })),
  };
}

/** Only the data-carrying part of a value (no constant, no object identity). */
export function dataOf(v: Val): Val {
  const out: { t?: readonly Fact[]; unk?: boolean } = {};
  if (v.t) out.t = v.t;
  if (v.unk) out.unk = true;
  return out;
}
