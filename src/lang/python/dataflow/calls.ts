/**
 * Calls: arguments, dispatch on what is called (a project function, a class, a partial, a library
 * function), running a project function with its actual arguments, memoised when pure.
 */
import { attrKey, constKey } from '../../../dataflow/heap.js';
import { MAX_DEPTH } from '../../../dataflow/limits.js';
import {
  CLEAN,
  UNKNOWN,
  constVal,
  dataOf,
  join,
  joinAll,
  sanitize,
  withStep,
  Env,
  type Val,
  type Callable,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { getAttr } from './attributes.js';
import { paramName, splatKind } from './entry-points.js';
import { evalExpr } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { callLib } from './library.js';
import { callMethod } from './methods.js';
import { newFrame } from './modules.js';
import { notASegment } from './sources.js';
import { replacedSegment } from './path-segments.js';
import { execBlock } from './statements.js';
import { boundForm, modelClasses } from './stored.js';
import { named, field, typeOf, textOf, hasYield } from './syntax.js';
import { REQUEST_GLOBALS } from '../models/index.js';
import { elements } from './targets.js';
import { escapedCwes, validatedResult } from './validators.js';
import { URL_PATH_JOINS } from './specs.js';
import { UrlPrefix } from './url-authority.js';

/** Evaluates a call's arguments (`*args` and `**kwargs` spread when their contents are known). */
export function evalArgs(
  it: Interpreter,
  node: Node,
  frame: Frame,
): { args: Val[]; kwargs: Map<string, Val>; argNodes: Node[] } {
  const argList = field(node, 'arguments');
  const args: Val[] = [];
  const argNodes: Node[] = [];
  const kwargs = new Map<string, Val>();
  if (!argList) return { args, kwargs, argNodes };
  if (argList.type === 'generator_expression') {
    const v = evalExpr(it, argList, frame, frame.env.vars);
    it.record(frame.mod, argList, v);
    return { args: [v], kwargs, argNodes: [argList] };
  }
  for (const a of named(argList)) {
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name')?.text;
      const value = field(a, 'value');
      if (!name || !value) continue;
      const v = evalExpr(it, value, frame, frame.env.vars);
      it.record(frame.mod, value, v);
      kwargs.set(name, v);
    } else if (a.type === 'list_splat') {
      const inner = named(a)[0];
      const v = inner ? evalExpr(it, inner, frame, frame.env.vars) : CLEAN;
      if (inner) it.record(frame.mod, inner, v);
      const el = elements(it, v);
      if (el.exact) args.push(...el.exact);
      else args.push(el.any);
    } else if (a.type === 'dictionary_splat') {
      const inner = named(a)[0];
      const v = inner ? evalExpr(it, inner, frame, frame.env.vars) : CLEAN;
      for (const id of v.o ?? []) {
        const o = it.heap.get(id);
        for (const [k, f] of o?.fields ?? []) {
          if (k.startsWith('k:')) {
            const name = JSON.parse(k.slice(2)) as unknown;
            if (typeof name === 'string') kwargs.set(name, f);
          }
        }
      }
      if (!v.o) kwargs.set('**', v);
    } else {
      const v = evalExpr(it, a, frame, frame.env.vars);
      it.record(frame.mod, a, v);
      args.push(v);
      argNodes.push(a);
    }
  }
  return { args, kwargs, argNodes };
}

/**
 * Methods that change a segment's characters one by one, or its bytes to text and back (Twisted's
 * path segments are bytes), or take characters off its ends: no `/` appears that was not there.
 */
const SEGMENT_KEEPING_METHODS: ReadonlySet<string> = new Set([
  'decode',
  'encode',
  'lower',
  'upper',
  'casefold',
  'strip',
  'lstrip',
  'rstrip',
]);

/** Library functions whose summary decides itself whether the result is one path segment (`re.sub`). */
const SEGMENT_DECIDING_CALLS: ReadonlySet<string> = new Set(['re.sub()']);

/** A call expression: a method call on a receiver, or a call of what the callee evaluates to. */
export function evalCall(it: Interpreter, node: Node, frame: Frame): Val {
  const fn = field(node, 'function');
  if (!fn) return UNKNOWN;
  if (fn.type === 'attribute') {
    const recvNode = field(fn, 'object');
    const method = field(fn, 'attribute')?.text ?? '';
    const recv = recvNode ? evalExpr(it, recvNode, frame, frame.env.vars) : UNKNOWN;
    if (recvNode) it.record(frame.mod, recvNode, recv);
    const { args, kwargs, argNodes } = evalArgs(it, node, frame);
    // A method may make new text of a segment (`.replace('-', '/')`): see notASegment. Replacing
    // every `/` leaves one segment (`name.replace("/", "")`).
    const called = callMethod(it, recv, method, args, kwargs, frame, node, recvNode ?? node, argNodes);
    const r =
      SEGMENT_KEEPING_METHODS.has(method) ||
      called.fns?.some((f) => f.kind === 'lib' && SEGMENT_DECIDING_CALLS.has(f.name))
        ? called
        : method === 'replace' && kwargs.size === 0 && recv.t
          ? replacedSegment(args, called)
          : notASegment(called);
    it.record(frame.mod, node, r);
    return r;
  }
  const callee = evalExpr(it, fn, frame, frame.env.vars);
  const { args, kwargs, argNodes } = evalArgs(it, node, frame);
  const r = callValue(it, callee, args, kwargs, frame, node, argNodes);
  it.record(frame.mod, node, r);
  return r;
}

/** An unknown library call: data flows from the arguments (and receiver) to the result. */
export function unknownCall(it: Interpreter, callee: Val, args: Val[], kwargs: Map<string, Val>): Val {
  let out: Val = { unk: true, ...(callee.t ? { t: callee.t } : {}) };
  for (const a of args) out = join(out, it.heap.deepData(a));
  for (const a of kwargs.values()) out = join(out, it.heap.deepData(a));
  return notASegment(out);
}

/** Calls every callable a value may be and joins the results. */
export function callValue(
  it: Interpreter,
  callee: Val,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame,
  node: Node,
  argNodes: Node[],
): Val {
  // A class held without its constructor (a classmethod's `cls`, bound to the class it was read
  // from) is called as the class statement's value is: `cls(...)` makes an instance of it.
  const held = (callee.o ?? []).filter(
    (id) => it.heap.get(id)?.kind === 'class' && !callee.fns?.some((f) => f.kind === 'class' && f.obj === id),
  );
  const fns: readonly Callable[] = [
    ...(callee.fns ?? []),
    ...held.map((obj): Callable => ({ kind: 'class', obj })),
  ];
  if (fns.length === 0) {
    if (callee.o?.length) {
      // Calling an instance: its __call__.
      const m = getAttr(it, callee, '__call__', frame.mod, node);
      if (m.fns?.length) return callValue(it, m, args, kwargs, frame, node, argNodes);
    }
    return unknownCall(it, callee, args, kwargs);
  }
  let out: Val | undefined;
  for (const f of fns) {
    const r = callCallable(it, f, args, kwargs, frame, node, undefined, argNodes);
    out = out ? join(out, r) : r;
  }
  return out ?? UNKNOWN;
}

/**
 * `url_path_join(base, "files", name)`: the pieces in order with a slash between each two (see
 * URL_PATH_JOINS), as text built piece by piece, so that what a configured base and a constant
 * segment begin leaves the later pieces only a page to pick there.
 */
function urlPathJoined(it: Interpreter, args: Val[]): Val {
  const url = new UrlPrefix();
  const slash = (): void => void url.add(constVal('/'), '/');
  let out: Val = CLEAN;
  let started = false;
  args.forEach((a, i) => {
    const v = it.heap.deepData(a);
    const c = v.c?.v;
    if (typeof c === 'string' && !v.t) {
      // A constant piece loses its slashes (the first keeps a leading one); an empty one is left out.
      if (i === 0 && c.startsWith('/')) slash();
      const text = c.replace(/^\/+|\/+$/g, '');
      if (!text) return;
      if (started) slash();
      url.add(constVal(text), text);
    } else {
      if (started) slash();
      out = join(out, url.add(v));
    }
    started = true;
  });
  return out.t ? out : UNKNOWN;
}

/**
 * Calls one callable: a project function, a partial, a class (its `__new__` and `__init__`), a
 * library function.
 */
export function callCallable(
  it: Interpreter,
  f: Callable,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame | undefined,
  node: Node,
  self?: Val,
  argNodes: Node[] = [],
): Val {
  switch (f.kind) {
    case 'fn': {
      if (URL_PATH_JOINS.has(f.name) && kwargs.size === 0 && !self) return urlPathJoined(it, args);
      const out = invokeFn(
        it,
        self ? { ...f, self } : f,
        args,
        kwargs,
        node,
        (frame?.depth ?? 0) + 1,
        frame,
        argNodes,
      );
      // A project's own quoting function for a query language (`_escape_xpath_string`).
      const escaped = escapedCwes(f.name) ?? (out.t ? validatedResult(f.name, f.def) : undefined);
      return escaped ? sanitize(out, escaped) : out;
    }
    case 'partial':
      return callCallable(
        it,
        f.fn,
        [...f.args, ...args],
        new Map([...f.kwargs, ...kwargs]),
        frame,
        node,
        undefined,
        argNodes,
      );
    case 'class': {
      const cls = it.heap.get(f.obj);
      let inst: Val | undefined;
      const newFn = it.heap.classLookup(f.obj, attrKey('__new__'));
      if (newFn?.fns?.some((g) => g.kind === 'fn')) {
        for (const g of newFn.fns) {
          const r = callCallable(it, g, args, kwargs, frame, node, { o: [f.obj] }, argNodes);
          inst = inst ? join(inst, r) : r;
        }
        if (!inst?.o?.length) return inst ?? UNKNOWN;
      }
      inst ??= { o: [it.heap.newInstance(f.obj)] };
      const init = it.heap.classLookup(f.obj, attrKey('__init__'));
      if (init?.fns) {
        for (const g of init.fns) callCallable(it, g, args, kwargs, frame, node, inst, argNodes);
        // A form bound to a model keeps the data it was made with for its `save()` (stored.ts),
        // whatever its own constructor does before handing it to the library's.
        if ((args.length || kwargs.size) && boundForm(it, f.obj))
          it.heap.writeElem(inst.o, dataOf(unknownCall(it, CLEAN, args, kwargs)));
      } else if (cls?.annotated?.length && frame) {
        // A dataclass (or NamedTuple, attrs class): arguments fill the annotated fields in order.
        cls.annotated.forEach((name, i) => {
          const v = kwargs.get(name) ?? args[i];
          if (v) it.heap.writeField(inst.o, attrKey(name), v, frame);
        });
      } else if (frame && kwargs.size && !kwargs.has('**') && modelClasses(it, { o: [f.obj] }).length) {
        // A model of an ORM: its keywords are its fields (saved with it, see stored.ts).
        for (const [k, v] of kwargs) it.heap.writeField(inst.o, attrKey(k), v, frame);
      } else if (cls?.elem || !cls?.bases?.length) {
        // A library base (Exception, dict, str...) keeps its arguments.
        if (args.length || kwargs.size) it.heap.writeElem(inst.o, unknownCall(it, CLEAN, args, kwargs));
        if (!cls?.elem) it.heap.writeElem(inst.o, dataOf(unknownCall(it, CLEAN, args, kwargs)));
      }
      return inst;
    }
    case 'super':
      return UNKNOWN;
    case 'lib':
      return callLib(it, f.name, args, kwargs, frame, node);
  }
}

/** Runs a project function with abstract arguments; its sinks record what reaches them. */
export function invokeFn(
  it: Interpreter,
  f: Extract<Callable, { kind: 'fn' }>,
  args: Val[],
  kwargs: Map<string, Val>,
  callNode: Node,
  depth: number,
  caller?: Frame,
  argNodes: Node[] = [],
): Val {
  const def = f.def;
  // A call written with these arguments (not one a library makes: `map(f, items)`, a partial).
  if (caller && def.type === 'function_definition' && argNodes.length === args.length)
    it.recordTarget(caller.mod, callNode, { mod: f.mod, def, bound: f.self !== undefined });
  if (depth > MAX_DEPTH || it.callStack.some((d) => d.id === def.id) || it.budget < 0)
    return notFollowed(it, args, kwargs);
  const params = field(def, 'parameters');
  const env = new Env(new Map(), f.closure, def);
  const fnName = f.name;
  const frame = newFrame(it, f.mod, env, def, fnName, depth, f.cls);
  const positional = f.self ? [f.self, ...args] : args;
  const passStep = (v: Val, name: string, at: Node | undefined): Val =>
    v.t && caller && at ? withStep(v, it.step(caller.mod, at, `passed to \`${fnName}\` as \`${name}\``)) : v;
  let i = 0;
  const consumed = new Set<string>();
  for (const p of params ? named(params) : []) {
    const name = paramName(p);
    if (!name) continue;
    const splat = splatKind(p);
    if (splat === 'list') {
      env.vars.set(name, it.heap.newList(positional.slice(i)));
      i = positional.length;
      continue;
    }
    if (splat === 'dict') {
      const d: Val = { o: [it.heap.alloc({ kind: 'dict', fields: new Map() })] };
      for (const [k, v] of kwargs) if (!consumed.has(k)) it.heap.writeField(d.o, constKey(k), v, frame);
      env.vars.set(name, d);
      continue;
    }
    if (p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
    let v: Val | undefined;
    let at: Node | undefined;
    if (kwargs.has(name)) {
      v = kwargs.get(name);
      consumed.add(name);
    } else if (i < positional.length) {
      const argIndex = f.self ? i - 1 : i;
      at = argIndex >= 0 ? argNodes[argIndex] : undefined;
      v = positional[i++];
    } else {
      const dv = field(p, 'value');
      v = dv
        ? (it.records.get(f.mod)?.get(dv.id)?.val ?? evalExpr(it, dv, frame, env.vars))
        : (kwargs.get('**') ?? UNKNOWN);
    }
    env.vars.set(name, passStep(v ?? UNKNOWN, name, at ?? callNode));
  }
  const key = memoKey(it, f, env.vars);
  if (key) {
    const hit = it.memo.get(key);
    if (hit) return hit;
  }
  // A costly function run before with parameters at least as tainted (see call-summaries.ts). A
  // source read inside is an administrator's or anyone's by the root, as for the memo.
  const summaryKey = `${f.mod}:${def.startIndex}:${it.adminGuard ?? ''}:${it.openPathRoute ? 'open' : ''}`;
  const summarized = it.summaries.has(summaryKey)
    ? it.summaries.answer(summaryKey, env.vars, depth)
    : undefined;
  if (summarized)
    return summarized.t && caller ? returnedBy(it, summarized, caller, callNode, fnName) : summarized;
  const entry = { params: new Map(env.vars), left: it.budget, watch: it.heap.watchWrites() };
  it.markAnalyzed(f.mod, def);
  it.callStack.push(def);
  const body = field(def, 'body');
  let result: Val;
  if (def.type === 'lambda') {
    result = body ? evalExpr(it, body, frame, env.vars) : CLEAN;
  } else {
    const end = body ? execBlock(it, body, frame, env.vars) : env.vars;
    if (end) {
      frame.returns.push(constVal(null));
      frame.exits.push(end);
    }
    result = frame.returns.length ? joinAll(frame.returns) : constVal(null);
    if (hasYield(def)) result = { gen: joinAll(frame.yields.length ? frame.yields : [CLEAN]) };
    else if (!result.o?.length && !result.c && (result.t || result.unk))
      result = declaredInstance(it, def, frame) ?? result;
    if (caller) applyValidation(frame, caller, argNodes, positional, f.self !== undefined, params);
  }
  it.callStack.pop();
  it.summaries.record({
    fn: summaryKey,
    params: entry.params,
    depth,
    left: entry.left,
    after: it.budget,
    result,
    wroteOutside:
      it.heap.endWatch(entry.watch, f.self ? it.heap.reachable(f.self) : undefined) ||
      writesGlobals(it, f.mod, def),
    validated: provesValid(frame, entry.params),
    constructs: /^__\w+__$/.test(fnName),
  });
  if (result.t && caller) result = returnedBy(it, result, caller, callNode, fnName);
  if (key) it.memo.set(key, result);
  return result;
}

/** The result of a call, with the step of its return at the call. */
function returnedBy(it: Interpreter, result: Val, caller: Frame, callNode: Node, fnName: string): Val {
  return withStep(result, it.step(caller.mod, callNode, `returned by \`${fnName}\``));
}

/** What a call the analysis does not follow gives: data flows from its arguments to its result. */
function notFollowed(it: Interpreter, args: Val[], kwargs: Map<string, Val>): Val {
  let out: Val = UNKNOWN;
  for (const a of [...args, ...kwargs.values()]) out = join(out, it.heap.deepData(a));
  return out;
}

/** A parameter that held data from a source is clean at every normal exit (see applyValidation). */
function provesValid(frame: Frame, params: ReadonlyMap<string, Val>): boolean {
  if (frame.exits.length === 0) return false;
  for (const [name, v] of params) {
    if (!v.t?.length) continue;
    if (frame.exits.every((l) => l.get(name) !== undefined && !l.get(name)?.t)) return true;
  }
  return false;
}

/**
 * `def resolve(self, path: str) -> Record:` returning what a call the analysis cannot see gave back
 * (`self.pad.resolve_url_path(path)`): the function says it returns an instance of one of the
 * project's classes, an object the call found or built, not the text it was given. The result is a
 * new instance of that class whose fields are unknown, as a record a lookup returns. Only a class
 * the annotation names (`Record`, `Record | None`, `Optional[Record]`) that the project defines.
 */
function declaredInstance(it: Interpreter, def: Node, frame: Frame): Val | undefined {
  let type = field(def, 'return_type');
  if (type?.type === 'type') type = named(type)[0] ?? null;
  if (type?.type === 'binary_operator' && field(type, 'operator')?.text === '|') {
    const parts = [field(type, 'left'), field(type, 'right')].filter((n) => n?.type !== 'none');
    type = parts.length === 1 ? (parts[0] ?? null) : null;
  } else if (type?.type === 'generic_type' && /^(typing\.)?Optional$/.test(named(type)[0]?.text ?? '')) {
    // `Optional[Record]`: generic_type(identifier, type_parameter(type(Record))).
    const inner = named(named(type)[1] ?? type)[0];
    type = inner?.type === 'type' ? (named(inner)[0] ?? null) : null;
  }
  if (type?.type !== 'identifier' && type?.type !== 'attribute') return undefined;
  const cls = evalExpr(it, type, frame, frame.env.vars).o?.filter((id) => it.heap.get(id)?.kind === 'class');
  return cls?.length === 1 && !holdsText(it, cls[0]) ? { o: [it.heap.newInstance(cls[0])] } : undefined;
}

/** A class whose instances are text or a path (a subclass of `str`, `bytes`, `pathlib.Path`). */
function holdsText(it: Interpreter, cls: number, seen = new Set<number>()): boolean {
  const c = it.heap.get(cls);
  if (!c || seen.has(cls)) return false;
  seen.add(cls);
  if (c.libBases?.some((b) => /^(builtins\.)?(str|bytes|bytearray)$|^(pathlib|os)\b|UserString/.test(b)))
    return true;
  return (c.bases ?? []).some((b) => holdsText(it, b, seen));
}

/**
 * A helper that returns or raises unless its argument is valid (`validate(x)` as a statement)
 * proves the caller's variable clean afterwards: at every normal exit its parameter was clean.
 */
export function applyValidation(
  frame: Frame,
  caller: Frame,
  argNodes: Node[],
  positional: Val[],
  hasSelf: boolean,
  params: Node | null,
): void {
  if (!params || frame.exits.length === 0) return;
  const names = named(params).map((p) => paramName(p));
  const offset = hasSelf ? 1 : 0;
  argNodes.forEach((a, idx) => {
    if (typeOf(a) !== 'identifier') return;
    const pname = names[idx + offset];
    const passed = positional[idx + offset];
    if (!pname || !passed?.t) return;
    const cleanEverywhere = frame.exits.every((l) => {
      const v = l.get(pname);
      return v !== undefined && !v.t;
    });
    if (!cleanEverywhere) return;
    const cur = caller.env.vars.get(textOf(a));
    if (cur?.t) caller.env.vars.set(textOf(a), sanitize(cur, undefined));
  });
}

/**
 * The memo key of a call of a pure module-level function with simple arguments; undefined when it
 * may not be memoised.
 */
export function memoKey(
  it: Interpreter,
  f: Extract<Callable, { kind: 'fn' }>,
  vars: Map<string, Val>,
): string | undefined {
  if (f.self || f.closure !== it.moduleEnvs.get(f.mod)) return undefined;
  // A source read inside is an administrator's or anyone's, by the root (see admin-routes.ts), and
  // the request's own path is a redirect target or not by the root's routes.
  const parts: string[] = [`${f.mod}:${f.def.id}:${it.adminGuard ?? ''}:${it.openPathRoute ? 'open' : ''}`];
  for (const [k, v] of vars) {
    if (v.o || v.fns || v.gen || v.req) return undefined;
    parts.push(
      `${k}=${v.unk ? 'u' : ''}${v.c ? JSON.stringify(v.c.v) : ''}${(v.t ?? []).map((t) => `${t.src.file}@${t.src.node.id}/${(t.san ?? []).join(',')}`).join('|')}`,
    );
  }
  // Module-level functions that touch globals may see different state: only memoize pure ones.
  if (writesGlobals(it, f.mod, f.def)) return undefined;
  return parts.join(';');
}

/**
 * Whether a function writes state outside its own frame: `global`/`nonlocal` names, a generator's
 * yields, or an attribute of a request-scoped namespace (`g.user = ...`, read by the next function
 * of the request).
 */
export function writesGlobals(it: Interpreter, mod: number, def: Node): boolean {
  let v = it.globalWriters.get(def.id);
  if (v === undefined) {
    v =
      def.descendantsOfType(['global_statement', 'nonlocal_statement', 'yield']).length > 0 ||
      storesOnRequestGlobal(it, mod, def);
    it.globalWriters.set(def.id, v);
  }
  return v;
}

/** `g.attr = value` (or `+=`) where `g` is a request-scoped namespace (see FrameworkModel.requestGlobals). */
function storesOnRequestGlobal(it: Interpreter, mod: number, def: Node): boolean {
  const module = it.mods(mod).module;
  return def.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => {
    const left = field(a, 'left');
    const object = left?.type === 'attribute' ? field(left, 'object') : undefined;
    const q = object ? module.qualifiedName(object) : undefined;
    return q !== undefined && REQUEST_GLOBALS.has(q);
  });
}
