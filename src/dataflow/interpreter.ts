import type { Location } from '../core/index.js';
import { lineCountOf, type Node, type SourceFile } from '../parsing/parser.js';
import { foldNumbers, type ConstValue } from '../lang/python/semantic/constant.js';
import { isTestFile } from '../lang/python/test-files.js';
import type { PythonModule } from '../lang/python/semantic/scope.js';
import {
  CHECK_CALLS,
  CHECK_METHODS,
  CLEAN_CALLS,
  EXTERNAL_DATA_CALLS,
  NON_CALLING_CALLS,
  NON_CALLING_MODULES,
  CLEAN_METHODS,
  isClientEnvironKey,
  isEnvironAttribute,
  LOWER_TRUST_ATTRIBUTES,
  LOWER_TRUST_CALLS,
  LOWER_TRUST_METHODS,
  REQUEST_OBJECT_ATTRIBUTES,
  ROUTE_DECORATOR,
  SANITIZERS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
  type TaintOptions,
  type Trust,
} from './specs.js';
import {
  CLEAN,
  constEq,
  constVal,
  dataOf,
  Env,
  join,
  joinAll,
  joinFacts,
  sameVal,
  sanitize,
  UNKNOWN,
  withStep,
  type Callable,
  type Fact,
  type HeapObj,
  type SourceInfo,
  type Val,
} from './value.js';

/** One parsed module of the project, as the interpreter sees it. */
export interface ModuleUnit {
  file: SourceFile;
  module: PythonModule;
}

/**
 * The modules of a project, known by path, name and text from the start; each is parsed only when
 * the analysis first needs it (it holds an entry point, or a call or import reaches it).
 */
export interface ProjectModules {
  readonly count: number;
  path(i: number): string;
  moduleName(i: number): string;
  text(i: number): string;
  unit(i: number): ModuleUnit;
  /** Whether `unit(i)` has been asked for. */
  loaded(i: number): boolean;
}

/** Modules already parsed (tests, the file-local analysis). */
export function parsedModules(units: readonly ModuleUnit[]): ProjectModules {
  return {
    count: units.length,
    path: (i) => units[i].file.path,
    moduleName: (i) => units[i].module.moduleName,
    text: (i) => units[i].file.text,
    unit: (i) => units[i],
    loaded: () => true,
  };
}

/**
 * Text that may hold an entry point: a source's name (see Interpreter.sourceHint) or a route
 * decorator. A module without it is parsed only when a call or import reaches it.
 */
const ROUTE_TEXT =
  /@\s*[\w.]+\.(route|get|post|put|patch|delete|head|options|websocket|api_route|view|endpoint)\b/;

/** Parameters of an entry point that hold the client's request (Django, Pyramid, webob). */
const REQUEST_PARAMS = new Set(['request', 'req']);

/**
 * Names that show a function may read a source: its text is tested before the function is run as
 * an entry point, and a file's text before the file is parsed for the project pass.
 */
function sourceHint(options: TaintOptions): RegExp {
  const words = ['request', 'req', 'argv', 'input\\s*\\(', 'start_response', 'getenv', 'recv', 'stdin'];
  const calls = [...SOURCE_CALLS, ...SOURCE_ATTRIBUTES];
  for (const s of options.sources ?? []) {
    if (s.parameter) words.push(escapeRegExp(s.parameter));
    if (s.call) calls.push(s.call);
    if (s.attribute) calls.push(s.attribute);
  }
  for (const trust of ['environment', 'files', 'sockets'] as const) {
    if (!options.lowerTrust?.[trust]) continue;
    calls.push(...LOWER_TRUST_CALLS[trust]);
    for (const a of LOWER_TRUST_ATTRIBUTES[trust]) words.push(escapeRegExp(a.split('.').pop() ?? a));
  }
  // A configured `pkg.mod.read_message` shows up in code as `mod.read_message` or `read_message(`.
  for (const c of calls) {
    const parts = c.replace(/\(\)/g, '').split('.');
    if (parts.length > 1 && parts[0] !== 'builtins' && parts[0] !== 'flask' && parts[0] !== 'bottle')
      words.push(escapeRegExp(parts.slice(-2).join('.')), `${escapeRegExp(parts[parts.length - 1])}\\s*\\(`);
  }
  return new RegExp(`\\b(${[...new Set(words)].join('|')})(?!\\w)`);
}

/**
 * Whether a file may hold an entry point of the project pass (else it is parsed only when reached).
 * Test files never do: the requests and arguments there are built by the tests themselves.
 */
export function mayHoldEntryPoint(options: TaintOptions = {}): (path: string, text: string) => boolean {
  const hint = sourceHint(options);
  return (path, text) => !isTestFile(path) && (hint.test(text) || ROUTE_TEXT.test(text));
}

type Locals = Map<string, Val>;

interface Frame {
  mod: number;
  env: Env;
  scopeNode: Node;
  globals: Set<string>;
  nonlocals: Set<string>;
  returns: Val[];
  yields: Val[];
  /** Locals at every normal exit, to see what a validation helper proved about its parameters. */
  exits: Locals[];
  loops: { breaks: Locals[]; continues: Locals[] }[];
  tries: { raises: { locals: Locals; val: Val }[] }[];
  /** Class object whose body or method this frame runs (for super()). */
  cls?: number;
  fnName: string;
  depth: number;
  /** Writes to heap fields join instead of replacing (inside branches of unknown conditions). */
  weak: number;
}

/** What the analysis learned about one expression node, joined over every context it ran in. */
export interface NodeRecord {
  val: Val;
}

const MAX_DEPTH = 12;
const MAX_UNROLL = 40;
const MAX_FIXPOINT = 4;
/** Rounds of callers of functions that return source data (see Interpreter.run). */
const MAX_CALLER_ROUNDS = 8;
const ROOT_BUDGET = 20_000;
const PROJECT_STEPS_PER_LINE = 8;
/** Nesting of expressions evaluated at once (inter-procedural calls included) before giving up on a value. */
const MAX_EVAL_DEPTH = 250;
/** Nesting of constant lists folded into one constant. */
const MAX_CONST_DEPTH = 32;

/** Python's `seq[start:stop:step]` on a known sequence. */
function pySlice<T>(items: readonly T[], [start, stop, step]: (number | undefined)[]): T[] {
  const n = items.length;
  const st = step ?? 1;
  if (st === 0) return [];
  const norm = (i: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (i === undefined) return dflt;
    const j = i < 0 ? i + n : i;
    return Math.min(Math.max(j, lo), hi);
  };
  const out: T[] = [];
  if (st > 0) {
    for (let i = norm(start, 0, 0, n); i < norm(stop, n, 0, n); i += st) out.push(items[i]);
  } else {
    for (let i = norm(start, n - 1, -1, n - 1); i > norm(stop, -1, -1, n - 1); i += st) out.push(items[i]);
  }
  return out;
}

const TERMINATING_CALLS = new Set([
  'flask.abort',
  'werkzeug.exceptions.abort',
  'sys.exit',
  'builtins.exit',
  'builtins.quit',
  'os._exit',
  'os.abort',
  'django.shortcuts.get_object_or_404',
]);
const MUTATORS = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'write',
  'writelines',
  'put',
  'push',
  'appendleft',
  'extendleft',
  'frombytes',
  'fromlist',
  'fromunicode',
]);
const TERMINATING_CALL_RESULT_OK = new Set(['django.shortcuts.get_object_or_404']);

function key(s: string): string {
  return `a:${s}`;
}
function constKey(v: ConstValue): string {
  return `k:${JSON.stringify(v)}`;
}

/** Whether a function contains `yield`, per definition node (cleared after each project pass). */
const yieldCache = new Map<number, boolean>();

export function clearSyntaxCache(): void {
  yieldCache.clear();
}

/** Named children without comments. */
/** Named children without comments, kept for the nodes the interpreter runs (it runs them often). */
const namedCache = new WeakMap<Node, Node[]>();

function named(node: Node): Node[] {
  let out = namedCache.get(node);
  if (!out) {
    out = node.namedChildren.filter((n) => n.type !== 'comment');
    namedCache.set(node, out);
  }
  return out;
}

function field(node: Node | null | undefined, name: string): Node | null {
  return node ? node.childForFieldName(name) : null;
}

function typeOf(node: Node | null | undefined): string {
  return node ? node.type : '';
}

function textOf(node: Node | null | undefined): string {
  return node ? node.text : '';
}

function fields(node: Node, name: string): Node[] {
  return node.childrenForFieldName(name);
}

function truthy(v: ConstValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== 0 && v !== '';
}

function cloneLocals(l: Locals): Locals {
  return new Map(l);
}

function joinLocals(states: readonly (Locals | null)[]): Locals | null {
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

function sameLocals(a: Locals, b: Locals): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!sameVal(v, b.get(k))) return false;
  return true;
}

function hasYield(def: Node): boolean {
  let v = yieldCache.get(def.id);
  if (v === undefined) yieldCache.set(def.id, (v = computeHasYield(def)));
  return v;
}

function computeHasYield(def: Node): boolean {
  const body = field(def, 'body');
  if (!body) return false;
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'yield') return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/**
 * An abstract interpreter over the tree: it runs each function with abstract values (constants,
 * taint facts with their path, heap objects for instances and containers), follows calls into the
 * project's functions with the actual arguments (context-sensitive, bounded depth), folds constant
 * conditions so dead branches do not taint, and records what reaches every call argument.
 */
export class Interpreter {
  readonly heap = new Map<number, HeapObj>();
  private nextObj = 1;
  /** First object id made by the current root (see runRoot). */
  private rootObjs = 1;
  /** Objects made by module bodies run during a root. */
  private readonly staticObjs = new Set<number>();
  private budget = ROOT_BUDGET;
  private depth = 0;
  /** Re-exported names being resolved (a package importing from itself would loop). */
  private readonly resolvingImports = new Set<string>();
  private readonly moduleEnvs = new Map<number, Env>();
  private readonly moduleObjs = new Map<number, number>();
  private readonly executing = new Set<number>();
  private readonly callStack: Node[] = [];
  /** Per file: node id → value, joined over contexts. */
  readonly records = new Map<number, Map<number, { node: Node; val: Val }>>();
  /** Per file: the functions whose body was run at least once. */
  readonly analyzed = new Map<number, Map<number, Node>>();
  /**
   * Modules whose analysis ran out of budget: a module body cut short (its later definitions and
   * imports unknown) or entry points left unrun. Their reports say so (see engine/analyze.ts).
   */
  readonly exhausted = new Set<number>();
  private readonly sourceAttrs: string[];
  private readonly sourceCalls: Set<string>;
  private readonly sourceParams: Set<string>;
  private readonly sanitizers = new Map<string, readonly number[] | undefined>();
  private readonly lowerAttrs: { name: string; trust: Trust }[] = [];
  private readonly lowerCalls = new Map<string, Trust>();
  private readonly lowerMethods = new Map<string, Trust>();
  private readonly classOfDef = new Map<string, number>();
  private readonly memo = new Map<string, Val>();

  constructor(
    readonly modules: ProjectModules,
    private readonly resolveModule: (
      qualname: string,
      from: number,
    ) => { mod: number; rest: string[] } | undefined,
    private readonly options: TaintOptions = {},
  ) {
    this.sourceAttrs = [...SOURCE_ATTRIBUTES];
    this.sourceCalls = new Set(SOURCE_CALLS);
    this.sourceParams = new Set();
    for (const s of options.sources ?? []) {
      if (s.call) this.sourceCalls.add(s.call);
      if (s.attribute) this.sourceAttrs.push(s.attribute);
      if (s.parameter) this.sourceParams.add(s.parameter);
    }
    for (const [k, v] of Object.entries(SANITIZERS)) this.sanitizers.set(k, v);
    for (const s of options.sanitizers ?? [])
      this.sanitizers.set(s.call, s.cwe && s.cwe.length ? s.cwe : undefined);
    for (const trust of ['environment', 'files', 'sockets'] as const) {
      if (!options.lowerTrust?.[trust]) continue;
      for (const a of LOWER_TRUST_ATTRIBUTES[trust]) this.lowerAttrs.push({ name: a, trust });
      for (const c of LOWER_TRUST_CALLS[trust]) this.lowerCalls.set(c, trust);
      if (trust !== 'environment')
        for (const m of LOWER_TRUST_METHODS[trust]) this.lowerMethods.set(m, trust);
    }
  }

  // ---------------------------------------------------------------- entry points

  /** Runs every module body, then every function as an entry point with its parameters. */
  private projectLeft = 0;

  /**
   * Entry points run in rounds. First the functions that mention a source (or are routes). Then,
   * for each function whose run returned data from a source, the functions that call it by name,
   * since a caller may pass that data on to a sink; and so on, while returns carry sources. A
   * function that neither reads a source nor calls such a helper only ever sees unknown parameters,
   * so it is not run: its expressions stay "unknown" unless a caller's run reaches them.
   */
  run(): void {
    const { count } = this.modules;
    let lines = 0;
    for (let i = 0; i < count; i++) lines += lineCountOf(this.modules.text(i));
    this.projectLeft = PROJECT_STEPS_PER_LINE * lines;
    // Module bodies first for the modules at hand; the others run when something reaches them.
    for (let i = 0; i < count; i++) if (this.modules.loaded(i)) this.moduleEnv(i);
    this.rootObjs = this.nextObj;
    const hint = sourceHint(this.options);
    const hintWords = new RegExp(hint.source, 'g');
    const done = new Set<string>();
    const key = (f: { mod: number; def: Node }): string => `${f.mod}:${f.def.startIndex}`;
    let round: { mod: number; def: Node; name: string }[] = [];
    for (let i = 0; i < count; i++) {
      const text = this.modules.text(i);
      if (isTestFile(this.modules.path(i)) || (!hint.test(text) && !ROUTE_TEXT.test(text))) continue;
      for (const f of this.functions(i))
        if (this.isRoute(f.def) || this.mayReadSource(f, hint, hintWords)) round.push(f);
    }
    // Bounded work: a project gets a number of evaluation steps proportional to its size; entry
    // points past it are not run (their expressions stay "unknown").
    for (let depth = 0; depth <= MAX_CALLER_ROUNDS && round.length && this.projectLeft > 0; depth++) {
      const returning = new Set<string>();
      for (const f of round) {
        if (this.projectLeft <= 0) {
          for (const g of round) if (!done.has(key(g))) this.exhausted.add(g.mod);
          break;
        }
        done.add(key(f));
        const returned = this.runRoot(f.mod, f.def);
        this.projectLeft -= ROOT_BUDGET - Math.max(0, this.budget);
        if (this.deepData(returned).t?.length && !/^__\w+__$/.test(f.name) && f.name.length > 2)
          returning.add(f.name);
      }
      if (!returning.size) break;
      const calls = new RegExp(`\\b(${[...returning].map(escapeRegExp).join('|')})\\s*\\(`);
      round = [];
      for (let i = 0; i < count; i++) {
        if (isTestFile(this.modules.path(i)) || !calls.test(this.modules.text(i))) continue;
        for (const f of this.functions(i)) if (!done.has(key(f)) && calls.test(f.text)) round.push(f);
      }
    }
    // Every module read has its body's values recorded, as if run first.
    for (let i = 0; i < count; i++) if (this.modules.loaded(i)) this.moduleEnv(i);
  }

  /**
   * Whether a function may read a source when run as an entry point. Its text names one, and not
   * only in comments, docstrings or other string literals; and a `request`/`req` it names is not
   * only a variable of its own (`for request in spec.requests:`), which holds no client data.
   */
  private mayReadSource(
    f: { mod: number; def: Node; text: string },
    hint: RegExp,
    /** The hint with the global flag, to list every match. */
    hintWords: RegExp,
  ): boolean {
    if (!hint.test(f.text)) return false;
    const outer = f.def.parent?.type === 'decorated_definition' ? f.def.parent : f.def;
    const start = outer.startIndex;
    let code = '';
    let at = start;
    for (const n of outer.descendantsOfType(['comment', 'string_content'])) {
      code += f.text.slice(at - start, n.startIndex - start) + ' '.repeat(n.endIndex - n.startIndex);
      at = n.endIndex;
    }
    code += f.text.slice(at - start);
    let requestNamed = false;
    for (const m of code.matchAll(hintWords)) {
      if (!REQUEST_PARAMS.has(m[1])) return true;
      requestNamed = true;
    }
    if (!requestNamed) return false;
    const module = this.mods(f.mod).module;
    return outer.descendantsOfType('identifier').some((id) => {
      const name = textOf(id);
      if (!REQUEST_PARAMS.has(name)) return false;
      const parent = id.parent;
      if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === id.id) return false;
      if (parent?.type === 'keyword_argument' && field(parent, 'name')?.id === id.id) return false;
      const found = module.scopeOf(id).lookup(name);
      return (
        !found ||
        found.scope.kind === 'module' ||
        found.bindings.some((b) => b.kind === 'param' || b.kind === 'import')
      );
    });
  }

  /** The functions of a module, with their source text (decorators included) and name. */
  private functions(mod: number): { mod: number; def: Node; text: string; name: string }[] {
    const all: { mod: number; def: Node; text: string; name: string }[] = [];
    for (const def of this.mods(mod).file.tree.rootNode.descendantsOfType('function_definition')) {
      const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
      all.push({ mod, def, text: textOf(outer), name: field(def, 'name')?.text ?? '' });
    }
    return all;
  }

  /** Runs one function as an entry point; returns what it returned. */
  private runRoot(mod: number, def: Node): Val {
    this.budget = ROOT_BUDGET;
    // Drop the objects the previous root made (numbered from rootObjs up). Ids are not reused: values
    // recorded during that root may still name them, and must then find nothing.
    for (let id = this.rootObjs; id < this.nextObj; id++) if (!this.staticObjs.has(id)) this.heap.delete(id);
    this.rootObjs = this.nextObj;
    const fn = this.callableForRoot(mod, def);
    const params = named(field(def, 'parameters') ?? def);
    const args: Val[] = [];
    let selfVal: Val | undefined;
    const route = this.isRoute(def);
    const django = this.usesDjango(mod);
    const firstName = params[0] ? this.paramName(params[0]) : undefined;
    const isMethod =
      def.parent?.parent?.type === 'class_definition' ||
      def.parent?.parent?.parent?.type === 'class_definition';
    const kwargs = new Map<string, Val>();
    let requestSeen = false;
    params.forEach((p, i) => {
      const name = this.paramName(p);
      if (!name || this.splatKind(p)) return;
      if (i === 0 && isMethod && (name === 'self' || name === 'cls') && fn.cls !== undefined) {
        selfVal = name === 'self' ? { o: [this.newInstance(fn.cls)] } : { o: [fn.cls] };
        return;
      }
      let v: Val = UNKNOWN;
      if (REQUEST_PARAMS.has(name)) {
        v = { req: p, unk: true };
        requestSeen = true;
      } else if (this.sourceParams.has(name)) {
        v = this.sourceVal(mod, p, `parameter \`${name}\``, 'user');
      } else if (route) {
        v = this.sourceVal(mod, p, `route parameter \`${name}\``, 'user');
      } else if (name === 'environ' && params.some((q) => this.paramName(q) === 'start_response')) {
        v = this.sourceVal(mod, p, 'WSGI `environ`', 'user', true);
      } else if (requestSeen && django && firstName !== undefined) {
        v = this.sourceVal(mod, p, `URL parameter \`${name}\``, 'user');
      }
      kwargs.set(name, v);
      args.push(v);
    });
    const callable: Callable = selfVal ? { ...fn, self: selfVal } : fn;
    return this.invokeFn(callable as Extract<Callable, { kind: 'fn' }>, [], kwargs, def, 0);
  }

  private paramName(p: Node): string | undefined {
    if (p.type === 'identifier') return textOf(p);
    const n = field(p, 'name');
    if (n) return textOf(n);
    const inner = named(p)[0];
    if (inner && (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern'))
      return this.paramName(inner);
    return named(p).find((c) => c.type === 'identifier')?.text;
  }

  /** `*args` / `**kwargs`, typed or not. */
  private splatKind(p: Node): 'list' | 'dict' | undefined {
    const t = p.type === 'typed_parameter' ? named(p)[0]?.type : typeOf(p);
    return t === 'list_splat_pattern' ? 'list' : t === 'dictionary_splat_pattern' ? 'dict' : undefined;
  }

  private isRoute(def: Node): boolean {
    const parent = def.parent;
    if (!parent || typeOf(parent) !== 'decorated_definition') return false;
    for (const d of named(parent)) {
      if (typeOf(d) !== 'decorator') continue;
      const expr = named(d)[0];
      const callee = expr?.type === 'call' ? field(expr, 'function') : expr;
      if (callee && ROUTE_DECORATOR.test(textOf(callee))) return true;
    }
    return false;
  }

  private readonly djangoCache = new Map<number, boolean>();
  private usesDjango(mod: number): boolean {
    let v = this.djangoCache.get(mod);
    if (v === undefined) {
      v = /\b(from|import)\s+(django|rest_framework)\b/.test(this.modules.text(mod));
      this.djangoCache.set(mod, v);
    }
    return v;
  }

  /** A callable for a def node found by walking the tree (methods get their class). */
  private callableForRoot(mod: number, def: Node): Extract<Callable, { kind: 'fn' }> {
    const classNode = this.enclosingClass(def);
    const cls = classNode ? this.classOfDef.get(`${mod}:${classNode.id}`) : undefined;
    return {
      kind: 'fn',
      def,
      mod,
      closure: this.moduleEnv(mod),
      cls,
      name: field(def, 'name')?.text ?? '?',
    };
  }

  private enclosingClass(def: Node): Node | undefined {
    let p = def.parent;
    if (p?.type === 'decorated_definition') p = p.parent;
    if (p?.type === 'block' && p.parent?.type === 'class_definition') return p.parent;
    return undefined;
  }

  // ---------------------------------------------------------------- modules

  private moduleEnv(mod: number): Env {
    const existing = this.moduleEnvs.get(mod);
    if (existing) return existing;
    const unit = this.mods(mod);
    const env = new Env(new Map(), undefined, unit.file.tree.rootNode);
    this.moduleEnvs.set(mod, env);
    this.executing.add(mod);
    const obj = this.alloc({ kind: 'module', fields: new Map(), mod, name: unit.module.moduleName });
    this.moduleObjs.set(mod, obj);
    const frame = this.newFrame(mod, env, unit.file.tree.rootNode, '<module>', 0);
    const saved = this.budget;
    const budget = Math.max(500, Math.min(ROOT_BUDGET, this.projectLeft));
    this.budget = budget;
    const end = this.execBlock(unit.file.tree.rootNode, frame, env.vars);
    if (this.budget < 0) this.exhausted.add(mod);
    this.projectLeft -= budget - Math.max(0, this.budget);
    this.budget = saved;
    if (end) env.vars = end;
    this.executing.delete(mod);
    return env;
  }

  private moduleValue(mod: number): Val {
    this.moduleEnv(mod);
    return { o: [this.moduleObjs.get(mod)!] };
  }

  private newFrame(
    mod: number,
    env: Env,
    scopeNode: Node,
    fnName: string,
    depth: number,
    cls?: number,
  ): Frame {
    const module = this.mods(mod).module;
    const inner = scopeNode.parent ? (field(scopeNode, 'body') ?? scopeNode.namedChildren[0]) : null;
    const scope = inner ? module.scopeOf(inner) : module.root;
    const own = scope.node.id === scopeNode.id ? scope : undefined;
    return {
      mod,
      env,
      scopeNode,
      globals: new Set(own?.globals ?? []),
      nonlocals: new Set(own?.nonlocals ?? []),
      returns: [],
      yields: [],
      exits: [],
      loops: [],
      tries: [],
      cls,
      fnName,
      depth,
      weak: 0,
    };
  }

  // ---------------------------------------------------------------- heap

  private alloc(obj: HeapObj): number {
    const id = this.nextObj++;
    this.heap.set(id, obj);
    // A module body may run in the middle of a root (the module is loaded on demand): what it
    // makes belongs to the module and outlives the root.
    if (this.executing.size) this.staticObjs.add(id);
    return id;
  }

  private mods(i: number): ModuleUnit {
    return this.modules.unit(i);
  }

  private newInstance(cls: number): number {
    return this.alloc({ kind: 'instance', cls, fields: new Map() });
  }

  private newList(items: Val[], kind: 'list' | 'dict' = 'list'): Val {
    const fields = new Map<string, Val>();
    items.forEach((v, i) => fields.set(constKey(i), v));
    return { o: [this.alloc({ kind, fields, len: items.length })] };
  }

  private writeField(objs: readonly number[] | undefined, field: string, v: Val, frame: Frame): void {
    if (!objs) return;
    const strong = objs.length === 1 && frame.weak === 0;
    for (const id of objs) {
      const o = this.heap.get(id);
      if (!o) continue;
      const fields = new Map(o.fields);
      const prev = fields.get(field);
      fields.set(field, strong || !prev ? v : join(prev, v));
      this.heap.set(id, { ...o, fields });
    }
  }

  private writeElem(objs: readonly number[] | undefined, v: Val): void {
    if (!objs) return;
    for (const id of objs) {
      const o = this.heap.get(id);
      if (!o) continue;
      this.heap.set(id, { ...o, elem: o.elem ? join(o.elem, v) : v, len: undefined });
    }
  }

  private writeKeys(objs: readonly number[] | undefined, v: Val): void {
    for (const id of objs ?? []) {
      const o = this.heap.get(id);
      if (o) this.heap.set(id, { ...o, keys: o.keys ? join(o.keys, v) : v });
    }
  }

  /** Class attribute lookup along the bases (depth-first, as Python's MRO for simple trees). */
  private classLookup(cls: number, field: string, seen = new Set<number>()): Val | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const c = this.heap.get(cls);
    if (!c) return undefined;
    const v = c.fields.get(field);
    if (v) return v;
    for (const b of c.bases ?? []) {
      const r = this.classLookup(b, field, seen);
      if (r) return r;
    }
    return undefined;
  }

  /** All data in a value and the objects it points to (for unknown calls and sinks). */
  deepData(v: Val, depth = 0, seen = new Set<number>()): Val {
    let out = dataOf(v);
    if (v.gen) out = join(out, this.deepData(v.gen, depth + 1, seen));
    if (!v.o || depth > 3) return out;
    for (const id of v.o) {
      if (seen.has(id)) continue;
      seen.add(id);
      const o = this.heap.get(id);
      if (!o || o.kind === 'class' || o.kind === 'module') continue;
      for (const f of o.fields.values()) out = join(out, this.deepData(f, depth + 1, seen));
      if (o.elem) out = join(out, this.deepData(o.elem, depth + 1, seen));
      if (o.keys) out = join(out, o.keys);
    }
    return out;
  }

  // ---------------------------------------------------------------- sources

  private loc(mod: number, node: Node): Location {
    return this.mods(mod).file.location(node);
  }

  private sourceVal(mod: number, node: Node, label: string, trust: Trust, environ = false): Val {
    const src: SourceInfo = { file: this.modules.path(mod), node, label, trust };
    if (environ) src.environ = true;
    return { t: [{ src, steps: [] }] };
  }

  /**
   * An item read from `v` with key `k`: facts whose source is a whole environ mapping are dropped
   * when the key is a constant the server or middleware set (`environ['nova.context']`), and
   * otherwise become facts about the item, which is no longer a mapping.
   */
  private environItem(v: Val, k: Val): Val {
    if (!v.t?.some((f) => f.src.environ)) return v;
    const serverKey = typeof k.c?.v === 'string' && !isClientEnvironKey(k.c.v);
    const t: Fact[] = [];
    for (const f of v.t) {
      if (!f.src.environ) t.push(f);
      else if (!serverKey) t.push({ ...f, src: { ...f.src, environ: undefined } });
    }
    // The library object (`flask.request.environ`) is not what the item is: the server's data is clean.
    return serverKey ? { ...v, t: t.length ? t : undefined, fns: undefined } : { ...v, t };
  }

  /** `request.args` read as `request.args['host']`: the source is named by the most precise code. */
  private relabel(v: Val, base: Node, outer: Node, mod: number): Val {
    if (!v.t) return v;
    let changed = false;
    const t = v.t.map((f) => {
      if (f.steps.length === 0 && f.src.node.id === base.id && f.src.file === this.modules.path(mod)) {
        changed = true;
        return { ...f, src: { ...f.src, node: outer, label: textOf(outer).replace(/\s+/g, ' ') } };
      }
      return f;
    });
    return changed ? { ...v, t } : v;
  }

  private libSource(name: string, kind: 'attr' | 'call'): Trust | undefined {
    if (kind === 'call') {
      if (this.sourceCalls.has(name)) return 'user';
      return this.lowerCalls.get(name);
    }
    for (const a of this.sourceAttrs) if (name === a) return 'user';
    for (const a of this.lowerAttrs) if (name === a.name) return a.trust;
    return undefined;
  }

  // ---------------------------------------------------------------- records

  private record(mod: number, node: Node, v: Val): void {
    let m = this.records.get(mod);
    if (!m) this.records.set(mod, (m = new Map()));
    const prev = m.get(node.id);
    m.set(node.id, { node, val: prev ? join(prev.val, v) : v });
  }

  // ---------------------------------------------------------------- statements

  private execBlock(block: Node, frame: Frame, locals: Locals | null): Locals | null {
    let st = locals;
    for (const s of named(block)) {
      if (!s || s.type === 'comment') continue;
      if (!st) return null;
      st = this.exec(s, frame, st);
    }
    return st;
  }

  private setLocals(frame: Frame, st: Locals): void {
    frame.env.vars = st;
  }

  private exec(node: Node, frame: Frame, st: Locals): Locals | null {
    if (--this.budget < 0) return st;
    this.setLocals(frame, st);
    switch (typeOf(node)) {
      case 'expression_statement': {
        let cur = st;
        for (const e of named(node)) {
          const r = this.evalStmtExpr(e, frame, cur);
          if (!r) return null;
          cur = r;
        }
        return cur;
      }
      case 'return_statement': {
        const e = named(node)[0];
        let v: Val = constVal(null);
        if (e) {
          v = this.eval(e, frame, st);
          this.record(frame.mod, e, v);
          if (v.t) v = withStep(v, this.step(frame.mod, node, `returned from \`${frame.fnName}\``));
        }
        frame.returns.push(v);
        frame.exits.push(frame.env.vars);
        return null;
      }
      case 'pass_statement':
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'type_alias_statement':
        if (node.type === 'import_statement' || node.type === 'import_from_statement')
          this.execImport(node, frame, st);
        return st;
      case 'if_statement':
        return this.execIf(node, frame, st);
      case 'while_statement':
        return this.execWhile(node, frame, st);
      case 'for_statement':
        return this.execFor(node, frame, st);
      case 'try_statement':
        return this.execTry(node, frame, st);
      case 'with_statement':
        return this.execWith(node, frame);
      case 'match_statement':
        return this.execMatch(node, frame, st);
      case 'break_statement':
        frame.loops[frame.loops.length - 1]?.breaks.push(frame.env.vars);
        return null;
      case 'continue_statement':
        frame.loops[frame.loops.length - 1]?.continues.push(frame.env.vars);
        return null;
      case 'raise_statement': {
        const e = named(node)[0];
        const v = e ? this.eval(e, frame, st) : CLEAN;
        frame.tries[frame.tries.length - 1]?.raises.push({ locals: frame.env.vars, val: v });
        return null;
      }
      case 'assert_statement': {
        const cond = named(node)[0];
        if (!cond) return st;
        const r = this.cond(cond, frame, st);
        if (r.truth === false) return null;
        return r.then;
      }
      case 'delete_statement': {
        for (const t of named(node)) {
          const targets = t.type === 'expression_list' ? named(t) : [t];
          for (const x of targets) {
            if (x.type === 'identifier') {
              const cur = frame.env.vars;
              cur.delete(textOf(x));
            } else if (x.type === 'subscript' || x.type === 'attribute') {
              this.deleteTarget(x, frame);
            }
          }
        }
        return frame.env.vars;
      }
      case 'function_definition':
        this.bindLocal(frame, field(node, 'name')?.text ?? '?', this.defineFunction(node, frame, st));
        return frame.env.vars;
      case 'decorated_definition':
        return this.execDecorated(node, frame, st);
      case 'class_definition':
        this.bindLocal(frame, field(node, 'name')?.text ?? '?', this.defineClass(node, frame, st, []));
        return frame.env.vars;
      case 'block':
        return this.execBlock(node, frame, st);
      default:
        return st;
    }
  }

  /** An expression in statement position; may end the path (abort(), sys.exit(), validators). */
  private evalStmtExpr(e: Node, frame: Frame, st: Locals): Locals | null {
    if (e.type === 'assignment' || e.type === 'augmented_assignment') {
      this.execAssignment(e, frame, st);
      return frame.env.vars;
    }
    if (e.type === 'call') {
      const callee = field(e, 'function');
      const q = callee ? this.mods(frame.mod).module.qualifiedName(callee) : undefined;
      this.eval(e, frame, st);
      if (q && TERMINATING_CALLS.has(q) && !TERMINATING_CALL_RESULT_OK.has(q)) return null;
      return frame.env.vars;
    }
    this.eval(e, frame, st);
    return frame.env.vars;
  }

  private bindLocal(frame: Frame, name: string, v: Val): void {
    if (frame.globals.has(name)) {
      const m = this.moduleEnvs.get(frame.mod);
      if (m && m !== frame.env) {
        m.vars = new Map(m.vars);
        m.vars.set(name, v);
        return;
      }
    }
    if (frame.nonlocals.has(name)) {
      for (let e = frame.env.parent; e; e = e.parent) {
        if (e.vars.has(name)) {
          e.vars.set(name, v);
          return;
        }
      }
    }
    frame.env.vars.set(name, v);
  }

  private execImport(node: Node, frame: Frame, st: Locals): void {
    // Imports inside functions bind names; resolution goes through the scope's qualified names.
    void node;
    void frame;
    void st;
  }

  private execDecorated(node: Node, frame: Frame, st: Locals): Locals | null {
    const def = field(node, 'definition');
    if (!def) return st;
    const decorators = named(node).filter((d) => d.type === 'decorator');
    let v: Val;
    const flags = new Set<string>();
    for (const d of decorators) {
      const t = named(d)[0]?.text ?? '';
      if (/^(staticmethod|classmethod|property|[\w.]+\.setter)$/.test(t)) flags.add(t.split('.').pop()!);
    }
    if (def.type === 'class_definition') v = this.defineClass(def, frame, st, []);
    else v = this.defineFunction(def, frame, st, flags);
    for (let i = decorators.length - 1; i >= 0; i--) {
      const expr = named(decorators[i])[0];
      if (
        !expr ||
        /^(staticmethod|classmethod|property)$/.test(textOf(expr)) ||
        textOf(expr).endsWith('.setter')
      )
        continue;
      const dv = this.eval(expr, frame, st);
      const project = (dv.fns ?? []).filter((f) => f.kind === 'fn' || f.kind === 'partial');
      if (project.length === 0) continue; // library decorators (routes, caches, wraps) return the function
      const r = this.callValue(dv, [v], new Map(), frame, decorators[i], [def]);
      if (r.fns?.length || r.o?.length) v = r;
    }
    const name = field(def, 'name')?.text ?? '?';
    if (flags.has('setter')) return frame.env.vars;
    this.bindLocal(frame, name, v);
    return frame.env.vars;
  }

  private defineFunction(def: Node, frame: Frame, st: Locals, flags?: Set<string>): Val {
    // Defaults are evaluated at definition time.
    const params = field(def, 'parameters');
    if (params) {
      for (const p of named(params)) {
        const dv = field(p, 'value');
        if (dv) this.record(frame.mod, dv, this.eval(dv, frame, st));
      }
    }
    const name = field(def, 'name')?.text ?? '<lambda>';
    const fn: Callable & { deco?: string } = {
      kind: 'fn',
      def,
      mod: frame.mod,
      closure: frame.env,
      cls: frame.cls,
      name,
    };
    if (flags?.has('staticmethod')) fn.deco = 'static';
    else if (flags?.has('classmethod')) fn.deco = 'class';
    else if (flags?.has('property')) fn.deco = 'property';
    return { fns: [fn] };
  }

  private defineClass(node: Node, frame: Frame, st: Locals, _decorators: Node[]): Val {
    const bases: number[] = [];
    const supers = field(node, 'superclasses');
    let libBase = false;
    if (supers) {
      for (const b of named(supers)) {
        if (b.type === 'keyword_argument') continue;
        const bv = this.eval(b, frame, st);
        const classes = (bv.o ?? []).filter((id) => this.heap.get(id)?.kind === 'class');
        if (classes.length) bases.push(...classes);
        else libBase = true;
      }
    }
    const name = field(node, 'name')?.text ?? '?';
    const id = this.alloc({ kind: 'class', bases, fields: new Map(), name });
    this.classOfDef.set(`${frame.mod}:${node.id}`, id);
    if (libBase) this.heap.set(id, { ...this.heap.get(id)!, elem: UNKNOWN });
    const body = field(node, 'body');
    if (body) {
      const env = new Env(new Map(), frame.env, node);
      const cf = this.newFrame(frame.mod, env, node, name, frame.depth, id);
      // Methods close over the enclosing function, not the class body.
      const methodsEnv = frame.env;
      const end = this.execClassBody(body, cf, env.vars, methodsEnv);
      const fields = new Map<string, Val>();
      for (const [k, v] of end ?? env.vars) fields.set(key(k), v);
      const annotated: string[] = [];
      for (const st of named(body)) {
        const a = st.type === 'expression_statement' ? named(st)[0] : undefined;
        const left = a?.type === 'assignment' && field(a, 'type') ? field(a, 'left') : undefined;
        if (left?.type === 'identifier') annotated.push(textOf(left));
      }
      this.heap.set(id, { ...this.heap.get(id)!, fields, ...(annotated.length ? { annotated } : {}) });
    }
    return { o: [id], fns: [{ kind: 'class', obj: id }] };
  }

  private execClassBody(body: Node, cf: Frame, st: Locals, methodsEnv: Env): Locals | null {
    let cur: Locals | null = st;
    for (const s of named(body)) {
      if (!cur) break;
      if (s.type === 'function_definition' || s.type === 'decorated_definition') {
        cur = this.exec(s, cf, cur);
        const def = s.type === 'decorated_definition' ? field(s, 'definition') : s;
        const name = field(def, 'name')?.text;
        const v = name && cur ? cur.get(name) : undefined;
        if (v?.fns && cur && name) {
          cur.set(name, {
            ...v,
            fns: v.fns.map((f) =>
              f.kind === 'fn' && f.closure === cf.env ? { ...f, closure: methodsEnv } : f,
            ),
          });
        }
        if (def?.type === 'function_definition' && name && cur) {
          const prop = s.type === 'decorated_definition' && /@[\w.]*setter/.test(textOf(s));
          if (prop) continue;
        }
      } else {
        cur = this.exec(s, cf, cur);
      }
    }
    return cur;
  }

  private step(mod: number, node: Node, note: string): { file: string; node: Node; note: string } {
    return { file: this.modules.path(mod), node, note };
  }

  private execAssignment(node: Node, frame: Frame, st: Locals): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left) return;
    if (node.type === 'augmented_assignment') {
      if (!right) return;
      const rv = this.eval(right, frame, st);
      const lv = this.eval(left, frame, frame.env.vars);
      const op = field(node, 'operator')?.text.replace('=', '') ?? '+';
      let v = this.binop(op, lv, rv);
      if (lv.o && op === '+') {
        // list += iterable extends in place
        this.writeElem(lv.o, this.deepData(rv));
        v = lv;
      }
      this.record(frame.mod, right, rv);
      this.assign(left, v, frame, frame.env.vars, node);
      return;
    }
    if (!right) return; // annotation only
    let v: Val;
    if (right.type === 'assignment') {
      // a = b = value
      let inner: Node | null = right;
      const targets: Node[] = [left];
      while (inner?.type === 'assignment') {
        const l = field(inner, 'left');
        if (l) targets.push(l);
        const r = field(inner, 'right');
        if (typeOf(r) !== 'assignment') {
          v = r ? this.eval(r, frame, st) : CLEAN;
          if (r) this.record(frame.mod, r, v);
          for (const t of targets) this.assign(t, v, frame, frame.env.vars, node);
          return;
        }
        inner = r;
      }
      return;
    }
    v = this.eval(right, frame, st);
    this.record(frame.mod, right, v);
    this.assign(left, v, frame, frame.env.vars, node);
  }

  /** Binds a target (name, attribute, subscript, tuple pattern) to a value. */
  private assign(target: Node, v: Val, frame: Frame, st: Locals, at: Node): void {
    this.setLocals(frame, st);
    switch (typeOf(target)) {
      case 'identifier': {
        const sv = v.t ? withStep(v, this.step(frame.mod, at, `assigned to \`${textOf(target)}\``)) : v;
        this.bindLocal(frame, textOf(target), sv);
        return;
      }
      case 'attribute': {
        const obj = field(target, 'object');
        const attr = field(target, 'attribute')?.text;
        if (!obj || !attr) return;
        const ov = this.eval(obj, frame, frame.env.vars);
        const sv = v.t ? withStep(v, this.step(frame.mod, at, `stored in \`${textOf(target)}\``)) : v;
        this.writeField(ov.o, key(attr), sv, frame);
        return;
      }
      case 'subscript': {
        const obj = field(target, 'value');
        const sub = field(target, 'subscript');
        if (!obj || !sub) return;
        const ov = this.eval(obj, frame, frame.env.vars);
        const kv = this.eval(sub, frame, frame.env.vars);
        const sv = v.t ? withStep(v, this.step(frame.mod, at, `stored in \`${textOf(target)}\``)) : v;
        this.record(frame.mod, target, sv);
        if (!ov.o) return;
        if (kv.c && !Array.isArray(kv.c.v)) {
          const k = this.normIndex(ov.o, kv.c.v);
          this.writeField(ov.o, constKey(k), sv, frame);
        } else {
          this.writeElem(ov.o, sv);
          if (kv.t || kv.unk) this.writeKeys(ov.o, dataOf(kv));
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
          this.assign(parts[0], v, frame, frame.env.vars, at);
          return;
        }
        const items = this.elements(v);
        const starAt = parts.findIndex((p) => p.type === 'list_splat_pattern');
        parts.forEach((p, i) => {
          if (p.type === 'list_splat_pattern') {
            const inner = named(p)[0];
            let rest: Val[];
            if (items.exact) rest = items.exact.slice(i, items.exact.length - (parts.length - 1 - i));
            else rest = [items.any];
            if (inner) this.assign(inner, this.newList(rest), frame, frame.env.vars, at);
            return;
          }
          let item: Val;
          if (items.exact) {
            const idx = starAt >= 0 && i > starAt ? items.exact.length - (parts.length - i) : i;
            item = items.exact[idx] ?? CLEAN;
          } else item = items.any;
          this.assign(p, item, frame, frame.env.vars, at);
        });
        return;
      }
      case 'list_splat_pattern': {
        const inner = named(target)[0];
        if (inner) this.assign(inner, this.newList([this.elements(v).any]), frame, st, at);
        return;
      }
      default:
        return;
    }
  }

  /** `del x.a`, `del d[k]`, `del l[i]`, `del l[a:b]`. */
  private deleteTarget(x: Node, frame: Frame): void {
    if (x.type === 'attribute') {
      this.assign(x, CLEAN, frame, frame.env.vars, x);
      return;
    }
    const obj = field(x, 'value');
    const sub = field(x, 'subscript');
    if (!obj || !sub) return;
    const ov = this.eval(obj, frame, frame.env.vars);
    if (ov.o?.length !== 1 || frame.weak) return;
    const o = this.heap.get(ov.o[0]);
    if (!o) return;
    if (o.kind === 'list' && o.len !== undefined && !o.elem) {
      const items = listItems(o);
      let from: number | undefined;
      let to: number | undefined;
      if (sub.type === 'slice') {
        const parts = named(sub).map((p) => this.eval(p, frame, frame.env.vars).c?.v);
        const colon = textOf(sub).indexOf(':');
        const hasStart = colon > 0;
        const a = hasStart ? parts[0] : 0;
        const b = hasStart ? parts[1] : parts[0];
        if (typeof a !== 'number' || (b !== undefined && typeof b !== 'number') || named(sub).length > 2)
          return;
        from = a < 0 ? items.length + a : a;
        to = b === undefined ? items.length : b < 0 ? items.length + b : b;
      } else {
        const k = this.eval(sub, frame, frame.env.vars).c?.v;
        if (typeof k !== 'number') return;
        from = k < 0 ? items.length + k : k;
        to = from + 1;
      }
      items.splice(from, Math.max(0, to - from));
      this.heap.set(ov.o[0], withItems(o, items));
      return;
    }
    const k = this.eval(sub, frame, frame.env.vars).c?.v;
    if (k !== undefined && !Array.isArray(k)) {
      const fields = new Map(o.fields);
      fields.delete(constKey(k));
      this.heap.set(ov.o[0], { ...o, fields });
    }
  }

  private normIndex(objs: readonly number[], k: ConstValue): ConstValue {
    if (typeof k === 'number' && k < 0) {
      const o = this.heap.get(objs[0]);
      if (o?.len !== undefined) return o.len + k;
    }
    return k;
  }

  /** Elements of an iterable: exact when its length is known, else one joined value. */
  private elements(v: Val): { exact?: Val[]; any: Val } {
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
    if (v.o && v.o.length === 1) {
      const o = this.heap.get(v.o[0]);
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
    return { any: this.deepData(v) };
  }

  private dictValues(v: Val): Val {
    let out: Val = dataOf(v);
    for (const id of v.o ?? []) {
      const o = this.heap.get(id);
      if (!o) continue;
      for (const f of o.fields.values()) out = join(out, f);
      if (o.elem) out = join(out, o.elem);
    }
    return out;
  }

  // ---------------------------------------------------------------- control flow

  private execIf(node: Node, frame: Frame, st: Locals): Locals | null {
    const cond = field(node, 'condition');
    const body = field(node, 'consequence');
    const alts = fields(node, 'alternative');
    return this.branches(cond, body, alts, 0, frame, st);
  }

  private branches(
    cond: Node | null,
    body: Node | null,
    alts: Node[],
    i: number,
    frame: Frame,
    st: Locals,
  ): Locals | null {
    if (!cond || !body) return st;
    const r = this.cond(cond, frame, st);
    const runElse = (s: Locals): Locals | null => {
      const alt = alts[i];
      if (!alt) return s;
      if (alt.type === 'elif_clause') {
        return this.branches(field(alt, 'condition'), field(alt, 'consequence'), alts, i + 1, frame, s);
      }
      const b = field(alt, 'body') ?? named(alt).find((c) => c.type === 'block') ?? null;
      return b ? this.execBlock(b, frame, s) : s;
    };
    if (r.truth === true) return this.execBlock(body, frame, r.then);
    if (r.truth === false) return runElse(r.else);
    frame.weak++;
    const a = this.execBlock(body, frame, cloneLocals(r.then));
    const b = runElse(cloneLocals(r.else));
    frame.weak--;
    const out = joinLocals([a, b]);
    if (out) this.setLocals(frame, out);
    return out;
  }

  private execWhile(node: Node, frame: Frame, st: Locals): Locals | null {
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
      const r = this.cond(cond, frame, cur);
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
      const end = this.execBlock(body, frame, r.then);
      cur = joinLocals([end, ...loop.continues]);
      if (!cur) break;
    }
    if (!concrete && cur) {
      frame.weak++;
      let head: Locals = cur;
      for (let n = 0; n < MAX_FIXPOINT; n++) {
        const r = this.cond(cond, frame, head);
        exits.push(r.else);
        loop.continues = [];
        const end = this.execBlock(body, frame, cloneLocals(r.then));
        const next = joinLocals([head, end, ...loop.continues]);
        if (!next || sameLocals(next, head)) break;
        head = next;
      }
      frame.weak--;
    } else if (cur && concrete) {
      // Unrolling limit reached with a constant-true condition: treat as possibly exiting.
      exits.push(cur);
    }
    return this.finishLoop(frame, loop, joinLocals(exits), alt);
  }

  private execFor(node: Node, frame: Frame, st: Locals): Locals | null {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const body = field(node, 'body');
    const alt = field(node, 'alternative');
    if (!left || !right || !body) return st;
    const iter = this.eval(right, frame, st);
    this.record(frame.mod, right, iter);
    const items = this.iterate(iter);
    const loop = { breaks: [] as Locals[], continues: [] as Locals[] };
    frame.loops.push(loop);
    let cur: Locals | null = frame.env.vars;
    let normal: Locals | null;
    if (items.exact && items.exact.length <= MAX_UNROLL) {
      for (const item of items.exact) {
        if (!cur) break;
        this.assign(left, item, frame, cur, node);
        loop.continues = [];
        const end = this.execBlock(body, frame, frame.env.vars);
        cur = joinLocals([end, ...loop.continues]);
      }
      normal = cur;
    } else {
      frame.weak++;
      let head: Locals = cur;
      const exits: Locals[] = [head];
      for (let n = 0; n < MAX_FIXPOINT; n++) {
        this.assign(left, items.any, frame, cloneLocals(head), node);
        loop.continues = [];
        const end = this.execBlock(body, frame, frame.env.vars);
        const next = joinLocals([head, end, ...loop.continues]);
        if (!next) break;
        exits.push(next);
        if (sameLocals(next, head)) break;
        head = next;
      }
      frame.weak--;
      normal = joinLocals(exits);
    }
    return this.finishLoop(frame, loop, normal, alt);
  }

  /** Ends a `while`/`for`: runs its `else` block on normal exit, then joins the `break` exits. */
  private finishLoop(
    frame: Frame,
    loop: { breaks: Locals[] },
    normal: Locals | null,
    alt: Node | null,
  ): Locals | null {
    frame.loops.pop();
    if (normal && alt) {
      const b = field(alt, 'body') ?? named(alt).find((c) => c.type === 'block');
      if (b) normal = this.execBlock(b, frame, normal);
    }
    const out = joinLocals([normal, ...loop.breaks]);
    if (out) this.setLocals(frame, out);
    return out;
  }

  private iterate(v: Val): { exact?: Val[]; any: Val } {
    return this.elements(v);
  }

  private execTry(node: Node, frame: Frame, st: Locals): Locals | null {
    const body = field(node, 'body');
    const ctx = { raises: [] as { locals: Locals; val: Val }[] };
    frame.tries.push(ctx);
    const before = cloneLocals(st);
    const end = body ? this.execBlock(body, frame, st) : st;
    frame.tries.pop();
    const handlers = named(node).filter(
      (c) => c.type === 'except_clause' || c.type === 'except_group_clause',
    );
    const elseClause = named(node).find((c) => c.type === 'else_clause');
    const fin = named(node).find((c) => c.type === 'finally_clause');
    let normal = end;
    if (normal && elseClause) {
      const b = field(elseClause, 'body') ?? named(elseClause).find((c) => c.type === 'block');
      if (b) normal = this.execBlock(b, frame, normal);
    }
    const outs: (Locals | null)[] = [normal];
    if (handlers.length) {
      // A handler may start from any point of the body: before it, at a raise, or at its end.
      const entryStates: (Locals | null)[] = [before, ...ctx.raises.map((r) => r.locals)];
      if (end && this.mayRaise(body)) entryStates.push(end);
      const raised = joinAll(ctx.raises.map((r) => r.val));
      for (const h of handlers) {
        const entry = joinLocals(entryStates.map((s) => (s ? cloneLocals(s) : null)));
        if (!entry) continue;
        this.setLocals(frame, entry);
        const as = named(h).find((c) => c.type === 'as_pattern');
        if (as) {
          const target = field(as, 'alias');
          const id = target ? (named(target)[0] ?? target) : undefined;
          if (id) this.assign(id, ctx.raises.length ? raised : UNKNOWN, frame, entry, h);
        }
        const b = named(h).find((c) => c.type === 'block');
        outs.push(b ? this.execBlock(b, frame, frame.env.vars) : frame.env.vars);
      }
    } else if (ctx.raises.length) {
      // Not handled here: propagate to an outer try.
      frame.tries[frame.tries.length - 1]?.raises.push(...ctx.raises);
    }
    let out = joinLocals(outs);
    if (fin) {
      const b = named(fin).find((c) => c.type === 'block');
      if (b) {
        if (out) out = this.execBlock(b, frame, out);
        else {
          // Every path left the try (return/raise): the finally block still runs.
          this.execBlock(b, frame, cloneLocals(before));
        }
      }
    }
    if (out) this.setLocals(frame, out);
    return out;
  }

  private mayRaise(body: Node | null): boolean {
    if (!body) return false;
    return (
      body.descendantsOfType(['call', 'subscript', 'raise_statement', 'attribute', 'binary_operator'])
        .length > 0
    );
  }

  private execWith(node: Node, frame: Frame): Locals | null {
    const clause = named(node).find((c) => c.type === 'with_clause');
    for (const item of clause ? named(clause) : []) {
      const value = field(item, 'value');
      if (!value) continue;
      if (value.type === 'as_pattern') {
        const expr = named(value)[0];
        const target = field(value, 'alias');
        const v = expr ? this.eval(expr, frame, frame.env.vars) : UNKNOWN;
        if (expr) this.record(frame.mod, expr, v);
        const t = target ? (named(target)[0] ?? target) : undefined;
        if (t) this.assign(t, v, frame, frame.env.vars, item);
      } else {
        this.record(frame.mod, value, this.eval(value, frame, frame.env.vars));
      }
    }
    const body = field(node, 'body');
    return body ? this.execBlock(body, frame, frame.env.vars) : frame.env.vars;
  }

  private execMatch(node: Node, frame: Frame, st: Locals): Locals | null {
    const subject = field(node, 'subject');
    const body = field(node, 'body');
    if (!subject || !body) return st;
    const sv = this.eval(subject, frame, st);
    const outs: (Locals | null)[] = [];
    const rest: Locals | null = frame.env.vars;
    let definite = false;
    for (const c of named(body)) {
      if (typeOf(c) !== 'case_clause' || !rest) continue;
      const pattern = named(c).find((x) => x.type === 'case_pattern');
      const guard = field(c, 'guard');
      const consequence = field(c, 'consequence');
      let entry = cloneLocals(rest);
      this.setLocals(frame, entry);
      const m = pattern ? this.matchBind(pattern, sv, frame, c) : undefined;
      if (m === false) continue;
      entry = frame.env.vars;
      let g: boolean | undefined = true;
      if (guard) {
        const ge = named(guard)[0];
        const r = ge ? this.cond(ge, frame, entry) : { truth: undefined, then: entry, else: entry };
        g = r.truth;
        entry = r.then;
        if (g === false) continue;
      }
      if (!consequence) continue;
      if (m === true && g === true) {
        outs.push(this.execBlock(consequence, frame, entry));
        definite = true;
        break;
      }
      frame.weak++;
      outs.push(this.execBlock(consequence, frame, entry));
      frame.weak--;
    }
    if (!definite) outs.push(rest);
    const out = joinLocals(outs);
    if (out) this.setLocals(frame, out);
    return out;
  }

  /**
   * Whether a case pattern matches the subject (true, false, or undefined when not known), binding
   * its captures in the current locals.
   */
  private matchBind(p: Node, sv: Val, frame: Frame, at: Node): boolean | undefined {
    const capture = (id: Node, v: Val): void => this.assign(id, v, frame, frame.env.vars, at);
    switch (typeOf(p)) {
      case 'case_pattern': {
        const inner = named(p);
        return inner.length === 0 ? true : this.matchBind(inner[0], sv, frame, at);
      }
      case 'union_pattern': {
        let any: boolean | undefined = false;
        for (const alt of named(p)) {
          const r = this.matchBind(alt, sv, frame, at);
          if (r === true) return true;
          if (r === undefined) any = undefined;
        }
        return any;
      }
      case 'string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'concatenated_string': {
        const lit = this.evalLiteral(p);
        const c = this.constOf(sv).c;
        if (!c || !lit) return undefined;
        return constEq(c.v, lit.v);
      }
      case 'dotted_name':
        if (textOf(p).includes('.')) {
          const v = this.eval(p, frame, frame.env.vars);
          return v.c && sv.c ? constEq(v.c.v, sv.c.v) : undefined;
        }
        capture(named(p)[0] ?? p, sv);
        return true;
      case 'identifier':
        capture(p, sv);
        return true;
      case 'as_pattern': {
        const parts = named(p);
        const inner = parts[0];
        const alias = parts[parts.length - 1];
        const r = inner && inner !== alias ? this.matchBind(inner, sv, frame, at) : true;
        if (alias?.type === 'identifier') capture(alias, sv);
        return r;
      }
      case 'list_pattern':
      case 'tuple_pattern': {
        const subs = named(p);
        const items = this.elements(sv);
        const starAt = subs.findIndex((x) => named(x)[0]?.type === 'splat_pattern');
        if (items.exact && starAt < 0 && items.exact.length !== subs.length) return false;
        let result: boolean | undefined = items.exact ? true : undefined;
        subs.forEach((sub, i) => {
          const star = named(sub)[0];
          if (star?.type === 'splat_pattern') {
            const id = named(star)[0];
            const rest = items.exact
              ? items.exact.slice(i, items.exact.length - (subs.length - 1 - i))
              : [items.any];
            if (id && textOf(id) !== '_') capture(id, this.newList(rest));
            return;
          }
          const idx = starAt >= 0 && i > starAt && items.exact ? items.exact.length - (subs.length - i) : i;
          const v = items.exact ? (items.exact[idx] ?? CLEAN) : items.any;
          const r = this.matchBind(sub, v, frame, at);
          if (r === false) result = false;
          else if (r === undefined && result !== false) result = undefined;
        });
        return result;
      }
      case 'dict_pattern': {
        const kids = named(p);
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i];
          if (k.type === 'splat_pattern') {
            const id = named(k)[0];
            if (id) capture(id, sv);
            continue;
          }
          const valuePattern = kids[i + 1];
          if (!valuePattern || typeOf(valuePattern) !== 'case_pattern') continue;
          const kv = this.evalLiteral(k);
          const v = kv ? this.index(sv, { c: kv }) : this.elements(sv).any;
          this.matchBind(valuePattern, v, frame, at);
          i++;
        }
        return undefined;
      }
      case 'class_pattern': {
        const kids = named(p);
        const clsNode = kids.find((k) => k.type === 'dotted_name');
        const clsExpr = clsNode && named(clsNode).length === 1 ? named(clsNode)[0] : undefined;
        const cls = clsExpr ? this.eval(clsExpr, frame, frame.env.vars) : UNKNOWN;
        const clsId = cls.o?.find((id) => this.heap.get(id)?.kind === 'class');
        let names: ConstValue[] = [];
        if (clsId !== undefined) {
          const ma = this.classLookup(clsId, key('__match_args__'));
          const c = ma ? this.constOf(ma).c : undefined;
          if (c && Array.isArray(c.v)) names = c.v;
        }
        let pos = 0;
        for (const sub of kids) {
          if (typeOf(sub) !== 'case_pattern') continue;
          const inner = named(sub)[0];
          if (inner?.type === 'keyword_pattern') {
            const parts = named(inner);
            const attr = parts[0]?.text;
            const target = parts[parts.length - 1];
            if (attr && target) this.matchBind(target, this.getAttr(sv, attr, frame.mod, sub), frame, at);
            continue;
          }
          const name = names[pos++];
          const v =
            typeof name === 'string'
              ? this.getAttr(sv, name, frame.mod, sub)
              : clsId === undefined
                ? sv
                : this.deepData(sv);
          this.matchBind(sub, v, frame, at);
        }
        if (clsId !== undefined) {
          const inst = sv.o?.map((id) => this.heap.get(id)).find((o) => o?.kind === 'instance');
          if (inst?.cls === clsId) return true;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------- conditions and guards

  /** Evaluates a condition: its truth when constant, and the states refined for each branch. */
  private cond(
    node: Node,
    frame: Frame,
    st: Locals,
  ): { truth: boolean | undefined; then: Locals; else: Locals } {
    this.setLocals(frame, st);
    if (node.type === 'parenthesized_expression') {
      const inner = named(node)[0];
      if (inner) return this.cond(inner, frame, st);
    }
    if (node.type === 'not_operator') {
      const arg = field(node, 'argument');
      if (arg) {
        const r = this.cond(arg, frame, st);
        return { truth: r.truth === undefined ? undefined : !r.truth, then: r.else, else: r.then };
      }
    }
    if (node.type === 'boolean_operator') {
      const op = field(node, 'operator')?.text;
      const l = field(node, 'left');
      const r = field(node, 'right');
      if (l && r) {
        const a = this.cond(l, frame, st);
        if (op === 'and') {
          if (a.truth === false) return { truth: false, then: a.then, else: a.else };
          const b = this.cond(r, frame, cloneLocals(a.then));
          const truth = a.truth === true ? b.truth : b.truth === false ? false : undefined;
          return { truth, then: b.then, else: joinLocals([a.else, b.else]) ?? a.else };
        }
        if (a.truth === true) return { truth: true, then: a.then, else: a.else };
        const b = this.cond(r, frame, cloneLocals(a.else));
        const truth = a.truth === false ? b.truth : b.truth === true ? true : undefined;
        return { truth, then: joinLocals([a.then, b.then]) ?? b.then, else: b.else };
      }
    }
    const v = this.eval(node, frame, st);
    const after = frame.env.vars;
    let truth: boolean | undefined;
    if (v.c) truth = truthy(v.c.v);
    else if (!v.t && !v.unk && v.o?.length && v.o.every((id) => this.heap.get(id)?.kind === 'instance'))
      truth = true;
    const guarded = this.guardedNames(node, frame);
    if (guarded.length === 0 || truth !== undefined) return { truth, then: after, else: after };
    const then = cloneLocals(after);
    const els = cloneLocals(after);
    for (const g of guarded) {
      const target = g.positive ? then : els;
      const cur = target.get(g.name);
      if (cur) target.set(g.name, sanitize(cur, undefined));
    }
    return { truth, then, else: els };
  }

  /** Names a condition proves safe: `x in ALLOWED`, `re.fullmatch(p, x)`, `x.isdigit()`, `is_valid(x)`. */
  private guardedNames(node: Node, frame: Frame): { name: string; positive: boolean }[] {
    const mod = this.mods(frame.mod).module;
    if (node.type === 'comparison_operator') {
      const ops = fields(node, 'operators').map((o) => textOf(o).replace(/\s+/g, ' '));
      const operands = named(node);
      if (operands.length === 2 && operands[0].type === 'identifier') {
        const rhs = this.eval(operands[1], frame, frame.env.vars);
        const constantSet = !rhs.t && !rhs.unk;
        if ((ops[0] === 'in' || ops[0] === 'not in') && constantSet)
          return [{ name: operands[0].text, positive: ops[0] === 'in' }];
        if ((ops[0] === '==' || ops[0] === '!=') && rhs.c)
          return [{ name: operands[0].text, positive: ops[0] === '==' }];
      }
      if (operands.length === 2 && operands[0].type === 'call' && (ops[0] === 'is not' || ops[0] === '!=')) {
        if (operands[1].type === 'none') return this.guardedNames(operands[0], frame);
      }
      return [];
    }
    if (node.type === 'call') {
      const fn = field(node, 'function');
      const args = named(field(node, 'arguments') ?? node).filter((a) => typeOf(a) !== 'keyword_argument');
      if (!fn) return [];
      if (fn.type === 'attribute') {
        const m = field(fn, 'attribute')?.text ?? '';
        const recv = field(fn, 'object');
        const rq = recv ? mod.qualifiedName(recv) : undefined;
        const recvIsModule = rq !== undefined && !rq.includes('(');
        if (!recvIsModule && (m === 'fullmatch' || m === 'match') && args[0]?.type === 'identifier') {
          // A compiled pattern: `PATTERN.fullmatch(x)`.
          const pattern = recv ? this.eval(recv, frame, frame.env.vars) : UNKNOWN;
          if (m === 'fullmatch' || !pattern.t) return [{ name: args[0].text, positive: true }];
        }
        if (CHECK_METHODS.has(m) && m !== 'fullmatch' && recv?.type === 'identifier' && !recvIsModule)
          return [{ name: textOf(recv), positive: true }];
      }
      const q = mod.qualifiedName(fn);
      const at = q ? CHECK_CALLS.get(q) : undefined;
      if (q && at !== undefined && at >= 0) {
        const pat = args[0] ? this.eval(args[0], frame, frame.env.vars) : undefined;
        const subject = args[at];
        if (q === 're.match' && !(typeof pat?.c?.v === 'string' && /(\$|\\Z)$/.test(pat.c.v))) return [];
        if (q === 'builtins.isinstance') {
          const t = args[1]?.text ?? '';
          if (!/^(int|float|bool|\(int, float\)|uuid\.UUID|UUID)$/.test(t)) return [];
        }
        if (subject?.type === 'identifier') return [{ name: textOf(subject), positive: true }];
      }
      // A project validator: a function of the project whose result is a clean boolean.
      const cv = this.eval(fn, frame, frame.env.vars);
      if (cv.fns?.some((f) => f.kind === 'fn')) {
        const r = this.eval(node, frame, frame.env.vars);
        const fnName = textOf(fn).split('.').pop() ?? '';
        if (!r.t && !r.unk && /valid|safe|allow|check|is_|ok|permit|whitelist|sanit/i.test(fnName))
          return args
            .filter((a) => a.type === 'identifier')
            .map((a) => ({ name: textOf(a), positive: true }));
      }
    }
    return [];
  }

  // ---------------------------------------------------------------- expressions

  private readonly literals = new Map<number, { v: ConstValue } | null>();

  private evalLiteral(node: Node): { v: ConstValue } | undefined {
    let r = this.literals.get(node.id);
    if (r === undefined) this.literals.set(node.id, (r = this.computeLiteral(node) ?? null));
    return r ?? undefined;
  }

  private computeLiteral(node: Node): { v: ConstValue } | undefined {
    switch (typeOf(node)) {
      case 'integer': {
        const t = textOf(node).replace(/_/g, '');
        const n = /^0[xob]/i.test(t) ? Number(t) : Number(t.replace(/[lL]$/, ''));
        return Number.isFinite(n) ? { v: n } : undefined;
      }
      case 'float':
        return { v: Number(textOf(node).replace(/_/g, '')) };
      case 'true':
        return { v: true };
      case 'false':
        return { v: false };
      case 'none':
        return { v: null };
      case 'string': {
        let out = '';
        const raw = /^[a-zA-Z]*[rR]/.test(node.namedChildren[0]?.text ?? '');
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'interpolation') return undefined;
          if (c.type === 'string_content')
            out += raw ? c.text : textOf(c).replace(/\\(x[0-9a-fA-F]{2}|[\s\S])/g, (m) => unescape(m));
          else if (c.type === 'escape_sequence') out += unescape(textOf(c));
        }
        return { v: out };
      }
      case 'concatenated_string': {
        let out = '';
        for (const c of named(node)) {
          const v = this.evalLiteral(c);
          if (!v || typeof v.v !== 'string') return undefined;
          out += v.v;
        }
        return { v: out };
      }
      default:
        return undefined;
    }
  }

  eval(node: Node, frame: Frame, st: Locals): Val {
    if (--this.budget < -1000) return UNKNOWN;
    // Deeply nested expressions (generated code) would exhaust the stack: past a bound, the value is unknown.
    if (this.depth >= MAX_EVAL_DEPTH) return UNKNOWN;
    this.depth++;
    try {
      return this.evalNode(node, frame, st);
    } finally {
      this.depth--;
    }
  }

  /** `a + b + c + ...` parses as a left-leaning chain: fold it in a loop rather than by recursion. */
  private evalBinaryChain(node: Node, frame: Frame, st: Locals): Val {
    const chain: Node[] = [];
    let n: Node | null = node;
    while (n && typeOf(n) === 'binary_operator') {
      chain.push(n);
      n = field(n, 'left');
    }
    let acc = n ? this.eval(n, frame, st) : CLEAN;
    for (let i = chain.length - 1; i >= 0; i--) {
      const r = field(chain[i], 'right');
      const op = field(chain[i], 'operator')?.text ?? '+';
      const b = r ? this.eval(r, frame, frame.env.vars) : CLEAN;
      acc = op === '%' && b.o ? this.binop(op, acc, this.deepData(b)) : this.binop(op, acc, b);
    }
    return acc;
  }

  private evalNode(node: Node, frame: Frame, st: Locals): Val {
    this.setLocals(frame, st);
    switch (typeOf(node)) {
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'concatenated_string': {
        const lit = this.evalLiteral(node);
        if (lit) return { c: lit };
        let v: Val = constVal('');
        for (const c of named(node)) v = this.binop('+', v, this.eval(c, frame, frame.env.vars));
        return v;
      }
      case 'string': {
        const lit = this.evalLiteral(node);
        if (lit) return { c: lit };
        let out: Val = CLEAN;
        let text = '';
        let allConst = true;
        for (const c of named(node)) {
          if (c.type === 'string_content') text += textOf(c);
          else if (c.type === 'interpolation') {
            const e = field(c, 'expression') ?? named(c)[0];
            if (!e) continue;
            const v = this.eval(e, frame, frame.env.vars);
            if (v.c && !Array.isArray(v.c.v)) text += String(v.c.v);
            else allConst = false;
            out = join(out, this.deepData(v));
          }
        }
        return allConst && !out.t && !out.unk ? constVal(text) : dataOf(out);
      }
      case 'identifier':
        return this.evalName(node, frame);
      case 'parenthesized_expression': {
        const inner = named(node)[0];
        return inner ? this.eval(inner, frame, st) : CLEAN;
      }
      case 'attribute':
        return this.evalAttribute(node, frame);
      case 'subscript':
        return this.evalSubscript(node, frame);
      case 'call':
        return this.evalCall(node, frame);
      case 'binary_operator':
        return this.evalBinaryChain(node, frame, st);
      case 'unary_operator': {
        const a = field(node, 'argument');
        const op = field(node, 'operator')?.text;
        const v = a ? this.eval(a, frame, st) : CLEAN;
        if (v.c && typeof v.c.v === 'number')
          return constVal(op === '-' ? -v.c.v : op === '~' ? ~v.c.v : v.c.v);
        return dataOf(v);
      }
      case 'not_operator': {
        const r = this.cond(node, frame, st);
        return r.truth === undefined ? CLEAN : constVal(r.truth);
      }
      case 'boolean_operator': {
        const l = field(node, 'left');
        const r = field(node, 'right');
        const op = field(node, 'operator')?.text;
        const a = l ? this.eval(l, frame, st) : CLEAN;
        if (a.c) {
          const t = truthy(a.c.v);
          if ((op === 'and' && !t) || (op === 'or' && t)) return a;
          return r ? this.eval(r, frame, frame.env.vars) : CLEAN;
        }
        const b = r ? this.eval(r, frame, frame.env.vars) : CLEAN;
        // `a and b` yields `a` only when it is falsy ("", 0, None, an empty container): no text from it.
        if (op === 'and') return a.unk ? join(b, UNKNOWN) : b;
        return join(a, b);
      }
      case 'comparison_operator':
        return this.evalComparison(node, frame);
      case 'conditional_expression': {
        const [a, c, b] = named(node);
        if (!a || !c || !b) return UNKNOWN;
        const r = this.cond(c, frame, st);
        if (r.truth === true) return this.eval(a, frame, r.then);
        if (r.truth === false) return this.eval(b, frame, r.else);
        const va = this.eval(a, frame, r.then);
        const vb = this.eval(b, frame, r.else);
        this.setLocals(frame, st);
        return join(va, vb);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        const items: Val[] = [];
        let spread: Val | undefined;
        for (const c of named(node)) {
          if (c.type === 'list_splat') {
            const inner = named(c)[0];
            const el = inner ? this.elements(this.eval(inner, frame, frame.env.vars)) : { any: CLEAN };
            if (el.exact && !spread) items.push(...el.exact);
            else spread = spread ? join(spread, el.any) : el.any;
          } else {
            const v = this.eval(c, frame, frame.env.vars);
            this.record(frame.mod, c, v);
            items.push(v);
          }
        }
        const v = this.newList(items);
        if (spread) this.writeElem(v.o, spread);
        return v;
      }
      case 'dictionary': {
        const fields = new Map<string, Val>();
        let elem: Val | undefined;
        let keyData: Val | undefined;
        for (const p of named(node)) {
          if (p.type === 'pair') {
            const k = field(p, 'key');
            const val = field(p, 'value');
            const kv = k ? this.eval(k, frame, frame.env.vars) : CLEAN;
            const vv = val ? this.eval(val, frame, frame.env.vars) : CLEAN;
            if (kv.c && !Array.isArray(kv.c.v)) fields.set(constKey(kv.c.v), vv);
            else {
              elem = elem ? join(elem, vv) : vv;
              if (kv.t || kv.unk) keyData = keyData ? join(keyData, dataOf(kv)) : dataOf(kv);
            }
          } else if (p.type === 'dictionary_splat') {
            const inner = named(p)[0];
            if (inner) {
              const sv = this.eval(inner, frame, frame.env.vars);
              for (const id of sv.o ?? []) {
                const o = this.heap.get(id);
                if (!o) continue;
                for (const [k, f] of o.fields) fields.set(k, f);
                if (o.elem) elem = elem ? join(elem, o.elem) : o.elem;
              }
              if (!sv.o) elem = elem ? join(elem, dataOf(sv)) : dataOf(sv);
            }
          }
        }
        return { o: [this.alloc({ kind: 'dict', fields, elem, ...(keyData ? { keys: keyData } : {}) })] };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.evalComprehension(node, frame);
      case 'lambda':
        return {
          fns: [
            { kind: 'fn', def: node, mod: frame.mod, closure: frame.env, name: '<lambda>', cls: frame.cls },
          ],
        };
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        const v = value ? this.eval(value, frame, st) : CLEAN;
        if (name) {
          // PEP 572: the name binds in the enclosing function, even from a comprehension.
          let env = frame.env;
          while (env.parent && /comprehension|generator_expression/.test(typeOf(env.node))) env = env.parent;
          const sv = v.t ? withStep(v, this.step(frame.mod, node, `assigned to \`${textOf(name)}\``)) : v;
          env.vars.set(textOf(name), sv);
        }
        return v;
      }
      case 'await': {
        const inner = named(node)[0];
        const v = inner ? this.eval(inner, frame, st) : CLEAN;
        return v.gen && !v.t ? v.gen : v;
      }
      case 'yield': {
        const inner = named(node)[0];
        if (inner) {
          let v = this.eval(inner, frame, st);
          if (textOf(node).startsWith('yield from')) v = this.elements(v).any;
          frame.yields.push(v);
        }
        return UNKNOWN; // what send() passes in
      }
      case 'keyword_argument': {
        const v = field(node, 'value');
        return v ? this.eval(v, frame, st) : CLEAN;
      }
      case 'slice':
      case 'ellipsis':
        return CLEAN;
      case 'list_splat':
      case 'dictionary_splat': {
        const inner = named(node)[0];
        return inner ? this.eval(inner, frame, st) : CLEAN;
      }
      case 'type':
        return CLEAN;
      default:
        return UNKNOWN;
    }
  }

  /** The constant a value holds, lists included when every element is a known constant. */
  private constOf(v: Val, depth = 0): Val {
    if (v.c || !v.o || v.o.length !== 1 || v.t || v.unk) return v;
    // Bounded: a list may hold itself (`a[0] = a`) or be nested thousands deep.
    if (depth > MAX_CONST_DEPTH) return v;
    const o = this.heap.get(v.o[0]);
    if (!o || o.kind !== 'list' || o.len === undefined || o.elem) return v;
    const out: ConstValue[] = [];
    for (let i = 0; i < o.len; i++) {
      const f = o.fields.get(constKey(i));
      const c = f ? this.constOf(f, depth + 1).c : undefined;
      if (!c) return v;
      out.push(c.v);
    }
    return { ...v, c: { v: out } };
  }

  private evalComparison(node: Node, frame: Frame): Val {
    const operands = named(node);
    const ops = fields(node, 'operators').map((o) => textOf(o).replace(/\s+/g, ' '));
    const vals = operands.map((o) => this.constOf(this.eval(o, frame, frame.env.vars)));
    let result: boolean | undefined = true;
    for (let i = 0; i < ops.length && i + 1 < vals.length; i++) {
      const r = compareConst(ops[i], vals[i], vals[i + 1]);
      if (r === false) return constVal(false);
      if (r === undefined) result = undefined;
    }
    // A comparison yields a boolean: it carries no attacker-chosen text.
    if (result === undefined) return vals.some((v) => v.unk) ? UNKNOWN : CLEAN;
    return constVal(result);
  }

  binop(op: string, a: Val, b: Val): Val {
    if (a.c && b.c) {
      const r = foldBinary(op, a.c.v, b.c.v);
      if (r !== undefined) return constVal(r);
    }
    if (op === '+' && (a.o || b.o)) {
      // list concatenation keeps elements
      const ea = this.elements(a);
      const eb = this.elements(b);
      if (ea.exact && eb.exact) return this.newList([...ea.exact, ...eb.exact]);
      const v = this.newList([]);
      this.writeElem(v.o, join(ea.any, eb.any));
      return v;
    }
    if (op === '*' && a.o) return a;
    if (a.o && ['-', '|', '&', '^'].includes(op)) {
      // Set operations: the result holds elements of the operands.
      const v = this.newList([]);
      this.writeElem(
        v.o,
        op === '-' ? this.elements(a).any : join(this.elements(a).any, this.elements(b).any),
      );
      return v;
    }
    const out = join(dataOf(a), dataOf(b));
    // Arithmetic keeps the data: a number derived from input is still chosen by the attacker.
    return out;
  }

  private evalName(node: Node, frame: Frame): Val {
    const name = textOf(node);
    if (frame.globals.has(name)) {
      const m = this.moduleEnv(frame.mod).vars.get(name);
      if (m) return m;
    } else {
      for (let e: Env | undefined = frame.env; e; e = e.parent) {
        const v = e.vars.get(name);
        if (v) return v;
      }
      const m = this.moduleEnvs.get(frame.mod)?.vars.get(name);
      if (m) return m;
    }
    const module = this.mods(frame.mod).module;
    const scope = module.scopeOf(node);
    const found = scope.lookup(name);
    if (!found || found.bindings.every((b) => b.kind === 'import' || b.kind === 'def')) {
      const q = module.qualifiedName(node);
      if (q) return this.resolveQualname(q, frame.mod, node);
      return UNKNOWN;
    }
    if (found.scope.kind === 'module') return this.executing.has(frame.mod) ? CLEAN : UNKNOWN;
    if (found.bindings.some((b) => b.kind === 'param')) return UNKNOWN;
    // A free variable of an enclosing function analysed without its closure.
    if (found.scope.node.id !== frame.scopeNode.id) return UNKNOWN;
    // A local bound only in a branch that did not run.
    return CLEAN;
  }

  /** A qualified name: a project module, function or class when the project defines it, else a library value. */
  private resolveQualname(q: string, from: number, node: Node): Val {
    const r = this.resolveModule(q, from);
    if (r) {
      if (this.executing.has(r.mod) && r.rest.length > 0) {
        const v = this.moduleEnvs.get(r.mod)?.vars.get(r.rest[0]);
        if (!v) return UNKNOWN;
      }
      let v = this.moduleValue(r.mod);
      for (const part of r.rest) v = this.getAttr(v, part, from, node);
      return v;
    }
    const trust = this.libSource(q, 'attr');
    const lib: Val = { fns: [{ kind: 'lib', name: q }] };
    if (trust)
      return {
        ...lib,
        ...this.sourceVal(from, node, textOf(node), trust, trust === 'user' && isEnvironAttribute(q)),
      };
    return lib;
  }

  private libName(v: Val): string | undefined {
    const f = v.fns?.find((x) => x.kind === 'lib');
    return f?.kind === 'lib' ? f.name : undefined;
  }

  private evalAttribute(node: Node, frame: Frame): Val {
    const obj = field(node, 'object');
    const attr = field(node, 'attribute')?.text;
    if (!obj || !attr) return UNKNOWN;
    const base = this.eval(obj, frame, frame.env.vars);
    return this.getAttr(base, attr, frame.mod, node);
  }

  getAttr(base: Val, attr: string, mod: number, node: Node): Val {
    let out: Val | undefined;
    const lib = this.libName(base);
    if (lib && !base.o) {
      const q = `${lib}.${attr}`;
      const trust = this.libSource(q, 'attr');
      const v: Val = { fns: [{ kind: 'lib', name: q }] };
      if (trust)
        return {
          ...v,
          ...this.sourceVal(mod, node, textOf(node), trust, trust === 'user' && isEnvironAttribute(q)),
        };
      if (base.t) return { ...v, t: this.relabel(base, field(node, 'object') ?? node, node, mod).t };
      return v;
    }
    if (base.req && REQUEST_OBJECT_ATTRIBUTES.has(attr)) {
      return this.sourceVal(mod, node, textOf(node), 'user', isEnvironAttribute(attr));
    }
    if (base.fns?.some((f) => f.kind === 'super')) {
      for (const f of base.fns) {
        if (f.kind !== 'super') continue;
        const c = this.heap.get(f.cls);
        for (const b of c?.bases ?? []) {
          const v = this.classLookup(b, key(attr));
          if (v) out = join(out ?? CLEAN, this.bind(v, f.self, b));
        }
      }
      if (!out && attr === '__new__') return { fns: [{ kind: 'lib', name: 'object.__new__' }] };
      return out ?? UNKNOWN;
    }
    for (const id of base.o ?? []) {
      const o = this.heap.get(id);
      if (!o) continue;
      let v: Val | undefined = o.fields.get(key(attr));
      if (o.kind === 'instance') {
        if (!v && o.cls !== undefined) {
          const cv = this.classLookup(o.cls, key(attr));
          if (cv) {
            const prop = cv.fns?.find((f) => f.kind === 'fn' && (f as { deco?: string }).deco === 'property');
            v = prop
              ? this.callCallable(prop, [], new Map(), undefined, node, { o: [id] })
              : this.bind(cv, { o: [id] }, o.cls);
          }
        }
        if (!v && o.cls !== undefined && this.heap.get(o.cls)?.elem) v = UNKNOWN;
      } else if (o.kind === 'class') {
        if (!v) v = this.classLookup(id, key(attr));
        if (v) v = this.bind(v, undefined, id, true);
      } else if (o.kind === 'module' && !v && o.mod !== undefined) {
        const env = this.moduleEnvs.get(o.mod);
        v = env?.vars.get(attr);
        // A name the package imports (`from .mod import f` in __init__.py) before its code has run.
        const imported = v ? undefined : this.mods(o.mod).module.root.bindings.get(attr);
        const via =
          imported?.length === 1 && imported[0].kind === 'import' ? imported[0].qualname : undefined;
        if (via && !this.resolvingImports.has(via)) {
          this.resolvingImports.add(via);
          try {
            v = this.resolveQualname(via, o.mod, node);
          } finally {
            this.resolvingImports.delete(via);
          }
        }
        if (!v) {
          const q = `${this.modules.moduleName(o.mod)}.${attr}`;
          const r = this.resolveModule(q, o.mod);
          if (r && (r.mod !== o.mod || r.rest.length === 0)) v = this.resolveQualname(q, o.mod, node);
        }
      } else if ((o.kind === 'dict' || o.kind === 'list') && !v) {
        v = { fns: [{ kind: 'lib', name: `${o.kind}.${attr}` }] };
      }
      if (v) out = out ? join(out, v) : v;
    }
    if (base.gen && !out) out = base;
    if (out) return out;
    if (base.t || base.unk) return this.relabel(dataOf(base), field(node, 'object') ?? node, node, mod);
    return base.o ? UNKNOWN : CLEAN;
  }

  /** A method read from an instance or class is bound to it. */
  private bind(v: Val, self: Val | undefined, cls: number, fromClass = false): Val {
    if (!v.fns) return v;
    return {
      ...v,
      fns: v.fns.map((f) => {
        if (f.kind !== 'fn') return f;
        const deco = (f as { deco?: string }).deco;
        if (deco === 'static') return f;
        if (deco === 'class') return { ...f, self: { o: [cls] } };
        if (fromClass || !self) return f;
        return { ...f, self };
      }),
    };
  }

  private evalSubscript(node: Node, frame: Frame): Val {
    const obj = field(node, 'value');
    const sub = field(node, 'subscript');
    if (!obj) return UNKNOWN;
    const base = this.eval(obj, frame, frame.env.vars);
    const k = sub ? this.eval(sub, frame, frame.env.vars) : CLEAN;
    if (sub?.type === 'slice') {
      if (base.o) {
        // A constant slice of a list whose elements are known keeps each element's own data.
        const exact = this.elements(base).exact;
        const bounds = exact ? this.sliceBounds(sub, frame) : undefined;
        if (exact && bounds) return this.newList(pySlice(exact, bounds));
        const v = this.newList([]);
        this.writeElem(v.o, this.elements(base).any);
        return v;
      }
      return dataOf(base);
    }
    const v = this.index(this.environItem(base, k), k);
    return this.relabel(v, obj, node, frame.mod);
  }

  /** `[start:stop:step]` with constant integer (or omitted) parts; undefined when any part is not constant. */
  private sliceBounds(sub: Node, frame: Frame): (number | undefined)[] | undefined {
    const parts: (number | undefined)[] = [undefined];
    for (const c of sub.children) {
      if (!c) continue;
      if (c.type === ':') {
        parts.push(undefined);
        continue;
      }
      if (c.type === 'comment') continue;
      const v = this.eval(c, frame, frame.env.vars);
      if (typeof v.c?.v !== 'number' || !Number.isInteger(v.c.v)) {
        if (v.c?.v !== null) return undefined;
        continue;
      }
      parts[parts.length - 1] = v.c.v;
    }
    return parts.length <= 3 ? parts : undefined;
  }

  private index(base: Val, k: Val): Val {
    if (base.c && k.c) {
      const b = base.c.v;
      const i = k.c.v;
      if ((typeof b === 'string' || Array.isArray(b)) && typeof i === 'number') {
        const idx = i < 0 ? b.length + i : i;
        const r = Array.isArray(b) ? b[idx] : b[idx];
        if (r !== undefined) return constVal(r);
      }
    }
    let out: Val | undefined;
    for (const id of base.o ?? []) {
      const o = this.heap.get(id);
      if (!o) continue;
      if (o.kind === 'instance' || o.kind === 'class' || o.kind === 'module') {
        out = join(out ?? CLEAN, this.deepData({ o: [id] }));
        continue;
      }
      if (k.c && !Array.isArray(k.c.v)) {
        const kk = this.normIndex([id], k.c.v);
        const v = o.fields.get(constKey(kk)) ?? o.elem ?? (o.kind === 'dict' ? UNKNOWN : CLEAN);
        out = out ? join(out, v) : v;
      } else {
        let v: Val = o.elem ?? CLEAN;
        for (const f of o.fields.values()) v = join(v, f);
        out = out ? join(out, v) : v;
      }
    }
    if (base.gen) out = join(out ?? CLEAN, base.gen);
    if (out) return base.t ? join(out, dataOf(base)) : out;
    // An item of a library object (os.environ["X"], a response's field): not known.
    if (this.libName(base)) return { ...dataOf(base), unk: true };
    return dataOf(base);
  }

  private evalComprehension(node: Node, frame: Frame): Val {
    const env = new Env(new Map(), frame.env, node);
    const cf: Frame = { ...frame, env, loops: [], tries: [] };
    const clauses = named(node).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const body = field(node, 'body') ?? named(node)[0];
    const results: Val[] = [];
    let exact = true;
    const walk = (i: number, st: Locals): void => {
      if (--this.budget < 0) return;
      if (i === clauses.length) {
        if (!body) return;
        if (body.type === 'pair') {
          const k = field(body, 'key');
          const v = field(body, 'value');
          const kv = k ? this.eval(k, cf, st) : CLEAN;
          const vv = v ? this.eval(v, cf, cf.env.vars) : CLEAN;
          results.push(join(vv, dataOf(kv)));
        } else results.push(this.eval(body, cf, st));
        return;
      }
      const c = clauses[i];
      if (c.type === 'if_clause') {
        const e = named(c)[0];
        if (!e) return walk(i + 1, st);
        const r = this.cond(e, cf, st);
        if (r.truth === false) return;
        if (r.truth === undefined) exact = false;
        return walk(i + 1, r.then);
      }
      const left = field(c, 'left');
      const right = field(c, 'right');
      if (!left || !right) return;
      // The first iterable is evaluated in the enclosing scope.
      const it = this.eval(right, i === 0 ? frame : cf, i === 0 ? frame.env.vars : st);
      this.setLocals(cf, st);
      const items = this.elements(it);
      if (items.exact && items.exact.length <= MAX_UNROLL) {
        for (const item of items.exact) {
          const s = cloneLocals(st);
          this.assign(left, item, cf, s, c);
          walk(i + 1, cf.env.vars);
        }
      } else {
        exact = false;
        const s = cloneLocals(st);
        this.assign(left, items.any, cf, s, c);
        walk(i + 1, cf.env.vars);
      }
    };
    walk(0, env.vars);
    this.setLocals(frame, frame.env.vars);
    if (node.type === 'generator_expression') return { gen: joinAll(results) };
    if (node.type === 'dictionary_comprehension')
      return { o: [this.alloc({ kind: 'dict', fields: new Map(), elem: joinAll(results) })] };
    if (exact && node.type === 'list_comprehension') return this.newList(results);
    const v = this.newList([]);
    if (results.length) this.writeElem(v.o, joinAll(results));
    return v;
  }

  // ---------------------------------------------------------------- calls

  private evalArgs(node: Node, frame: Frame): { args: Val[]; kwargs: Map<string, Val>; argNodes: Node[] } {
    const argList = field(node, 'arguments');
    const args: Val[] = [];
    const argNodes: Node[] = [];
    const kwargs = new Map<string, Val>();
    if (!argList) return { args, kwargs, argNodes };
    if (argList.type === 'generator_expression') {
      const v = this.eval(argList, frame, frame.env.vars);
      this.record(frame.mod, argList, v);
      return { args: [v], kwargs, argNodes: [argList] };
    }
    for (const a of named(argList)) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name')?.text;
        const value = field(a, 'value');
        if (!name || !value) continue;
        const v = this.eval(value, frame, frame.env.vars);
        this.record(frame.mod, value, v);
        kwargs.set(name, v);
      } else if (a.type === 'list_splat') {
        const inner = named(a)[0];
        const v = inner ? this.eval(inner, frame, frame.env.vars) : CLEAN;
        if (inner) this.record(frame.mod, inner, v);
        const el = this.elements(v);
        if (el.exact) args.push(...el.exact);
        else args.push(el.any);
      } else if (a.type === 'dictionary_splat') {
        const inner = named(a)[0];
        const v = inner ? this.eval(inner, frame, frame.env.vars) : CLEAN;
        for (const id of v.o ?? []) {
          const o = this.heap.get(id);
          for (const [k, f] of o?.fields ?? []) {
            if (k.startsWith('k:')) {
              const name = JSON.parse(k.slice(2)) as unknown;
              if (typeof name === 'string') kwargs.set(name, f);
            }
          }
        }
        if (!v.o) kwargs.set('**', v);
      } else {
        const v = this.eval(a, frame, frame.env.vars);
        this.record(frame.mod, a, v);
        args.push(v);
        argNodes.push(a);
      }
    }
    return { args, kwargs, argNodes };
  }

  private evalCall(node: Node, frame: Frame): Val {
    const fn = field(node, 'function');
    if (!fn) return UNKNOWN;
    if (fn.type === 'attribute') {
      const recvNode = field(fn, 'object');
      const method = field(fn, 'attribute')?.text ?? '';
      const recv = recvNode ? this.eval(recvNode, frame, frame.env.vars) : UNKNOWN;
      if (recvNode) this.record(frame.mod, recvNode, recv);
      const { args, kwargs, argNodes } = this.evalArgs(node, frame);
      const r = this.callMethod(recv, method, args, kwargs, frame, node, recvNode ?? node, argNodes);
      this.record(frame.mod, node, r);
      return r;
    }
    const callee = this.eval(fn, frame, frame.env.vars);
    const { args, kwargs, argNodes } = this.evalArgs(node, frame);
    const r = this.callValue(callee, args, kwargs, frame, node, argNodes);
    this.record(frame.mod, node, r);
    return r;
  }

  private callMethod(
    recv: Val,
    method: string,
    args: Val[],
    kwargs: Map<string, Val>,
    frame: Frame,
    node: Node,
    recvNode: Node,
    argNodes: Node[],
  ): Val {
    // Project objects: look the method up on the instance, its class or module.
    const containers = (recv.o ?? []).filter((id) => {
      const k = this.heap.get(id)?.kind;
      return k === 'list' || k === 'dict';
    });
    if (containers.length && containers.length === recv.o?.length) {
      return this.containerMethod(recv, containers, method, args, kwargs, frame, node, recvNode);
    }
    if (recv.o?.length || recv.fns?.some((f) => f.kind === 'super') || (this.libName(recv) && !recv.t)) {
      const m = this.getAttr(recv, method, frame.mod, field(node, 'function') ?? node);
      if (m.fns?.length || m.o?.length) return this.callValue(m, args, kwargs, frame, node, argNodes);
      if (recv.o?.length && !recv.t) return m.t || m.unk ? this.unknownCall(m, args, kwargs) : UNKNOWN;
    }
    if (recv.gen && (method === 'send' || method === '__next__')) return recv.gen;
    // Strings and values of unknown type.
    if (CLEAN_METHODS.has(method)) return recv.unk || args.some((a) => a.unk) ? CLEAN : CLEAN;
    const lower = this.lowerMethods.get(method);
    if (lower) return this.sourceVal(frame.mod, node, textOf(node), lower);
    if (recv.c && typeof recv.c.v === 'string') {
      const folded = foldStringMethod(recv.c.v, method, args);
      if (folded !== undefined) return constVal(folded);
    }
    if (method === 'join') {
      const el = args[0] ? this.elements(args[0]).any : CLEAN;
      return join(dataOf(recv), this.deepData(el));
    }
    if (method === 'split' || method === 'splitlines' || method === 'rsplit' || method === 'partition') {
      const v = this.newList([]);
      this.writeElem(v.o, dataOf(recv));
      return v;
    }
    if (MUTATORS.has(method) && recvNode.type === 'identifier' && !recv.o) {
      // A buffer, array or builder of unknown type: what is added to it is now part of it.
      let added: Val = CLEAN;
      for (const a of args) added = join(added, this.deepData(a));
      if (added.t)
        this.bindLocal(
          frame,
          textOf(recvNode),
          join(recv, withStep(added, this.step(frame.mod, node, `added to \`${textOf(recvNode)}\``))),
        );
    }
    if (method === 'replace' && recv.t && typeof args[0]?.c?.v === 'string' && /[\r\n]/.test(args[0].c.v)) {
      // Removing line breaks neutralises log and header injection.
      return sanitize(join(dataOf(recv), dataOf(args[1] ?? CLEAN)), [113, 117]);
    }
    let out = dataOf(recv);
    if (method === 'get' && args[0])
      out = this.relabel(this.environItem(out, args[0]), recvNode, node, frame.mod);
    else if (
      out.t &&
      ['get', 'getlist', 'get_json', 'get_data', 'json', 'form', 'body', 'read', 'decode'].includes(method)
    )
      out = this.relabel(out, recvNode, node, frame.mod);
    for (const a of args) out = join(out, this.deepData(a));
    for (const a of kwargs.values()) out = join(out, this.deepData(a));
    if (!recv.t && !recv.unk && !recv.c && !args.some((a) => a.t || a.unk)) return UNKNOWN;
    return recv.c && !out.t && !out.unk ? UNKNOWN : out;
  }

  private containerMethod(
    recv: Val,
    objs: number[],
    method: string,
    args: Val[],
    kwargs: Map<string, Val>,
    frame: Frame,
    node: Node,
    recvNode: Node,
  ): Val {
    const o = this.heap.get(objs[0])!;
    const step = (v: Val): Val =>
      v.t ? withStep(v, this.step(frame.mod, node, `stored in \`${textOf(recvNode)}\``)) : v;
    switch (method) {
      case 'append':
      case 'add': {
        const v = step(args[0] ?? CLEAN);
        if (objs.length === 1 && o.len !== undefined && !o.elem && frame.weak === 0) {
          const fields = new Map(o.fields);
          fields.set(constKey(o.len), v);
          this.heap.set(objs[0], { ...o, fields, len: o.len + 1 });
        } else this.writeElem(objs, v);
        return constVal(null);
      }
      case 'extend':
      case 'update': {
        const src = args[0] ?? CLEAN;
        if (method === 'update' && src.o) {
          for (const id of src.o) {
            const s = this.heap.get(id);
            for (const [k, f] of s?.fields ?? []) this.writeField(objs, k, step(f), frame);
            if (s?.elem) this.writeElem(objs, step(s.elem));
          }
        } else if (method === 'extend') {
          const el = this.elements(src);
          if (el.exact && objs.length === 1 && o.len !== undefined && !o.elem && frame.weak === 0) {
            const fields = new Map(o.fields);
            el.exact.forEach((v, i) => fields.set(constKey(o.len! + i), step(v)));
            this.heap.set(objs[0], { ...o, fields, len: o.len + el.exact.length });
          } else this.writeElem(objs, step(el.any));
        } else this.writeElem(objs, step(this.deepData(src)));
        for (const [k, v] of kwargs) this.writeField(objs, constKey(k), step(v), frame);
        return constVal(null);
      }
      case 'insert': {
        const idx = args[0]?.c?.v;
        const v = step(args[1] ?? CLEAN);
        if (
          typeof idx === 'number' &&
          objs.length === 1 &&
          o.len !== undefined &&
          !o.elem &&
          frame.weak === 0
        ) {
          const items = listItems(o);
          items.splice(idx < 0 ? Math.max(0, o.len + idx) : idx, 0, v);
          this.heap.set(objs[0], withItems(o, items));
        } else this.writeElem(objs, v);
        return constVal(null);
      }
      case 'setdefault': {
        const k = args[0];
        if (k?.c && !Array.isArray(k.c.v)) {
          const existing = o.fields.get(constKey(k.c.v));
          if (existing) return existing;
          const v = step(args[1] ?? constVal(null));
          this.writeField(objs, constKey(k.c.v), v, frame);
          return v;
        }
        this.writeElem(objs, step(args[1] ?? CLEAN));
        return this.index(recv, CLEAN);
      }
      case 'get': {
        const k = args[0] ?? CLEAN;
        let v = this.index(recv, k);
        if (k.c && !Array.isArray(k.c.v) && !o.fields.has(constKey(k.c.v)) && !o.elem)
          v = args[1] ?? constVal(null);
        else if (args[1]) v = join(v, args[1]);
        return v;
      }
      case 'pop': {
        if (o.kind === 'list' && o.len !== undefined && !o.elem && objs.length === 1) {
          const idxRaw = args[0]?.c?.v;
          const idx =
            typeof idxRaw === 'number'
              ? idxRaw < 0
                ? o.len + idxRaw
                : idxRaw
              : args[0]
                ? undefined
                : o.len - 1;
          if (idx !== undefined && idx >= 0 && idx < o.len) {
            const items = listItems(o);
            const [removed] = items.splice(idx, 1);
            if (frame.weak === 0) this.heap.set(objs[0], withItems(o, items));
            return removed;
          }
        }
        if (o.kind === 'dict' && args[0]?.c && !Array.isArray(args[0].c.v)) {
          const kk = constKey(args[0].c.v);
          const v = o.fields.get(kk) ?? o.elem ?? args[1] ?? UNKNOWN;
          if (frame.weak === 0 && objs.length === 1) {
            const fields = new Map(o.fields);
            fields.delete(kk);
            this.heap.set(objs[0], { ...o, fields });
          }
          return v;
        }
        return this.index(recv, CLEAN);
      }
      case 'remove':
      case 'clear':
      case 'sort':
      case 'reverse':
        if (method === 'clear' && frame.weak === 0)
          for (const id of objs)
            this.heap.set(id, {
              ...this.heap.get(id)!,
              fields: new Map(),
              elem: undefined,
              len: o.kind === 'list' ? 0 : undefined,
            });
        return constVal(null);
      case 'copy':
        return { o: [this.alloc({ ...o, fields: new Map(o.fields) })] };
      case 'keys': {
        const v = this.newList([]);
        const keys = [...o.fields.keys()].map((k) => constVal(JSON.parse(k.slice(2)) as ConstValue));
        if (o.keys) this.writeElem(v.o, o.keys);
        if (!o.keys && keys.length) this.writeElem(v.o, joinAll(keys));
        return keys.length && !o.keys && !o.elem ? this.newList(keys) : v;
      }
      case 'values': {
        if (!o.elem && o.kind === 'dict') return this.newList([...o.fields.values()]);
        const v = this.newList([]);
        this.writeElem(v.o, this.dictValues(recv));
        return v;
      }
      case 'items': {
        if (!o.elem && o.kind === 'dict') {
          const pairs = [...o.fields.entries()].map(([k, f]) =>
            this.newList([constVal(JSON.parse(k.slice(2)) as ConstValue), f]),
          );
          return this.newList(pairs);
        }
        const v = this.newList([]);
        this.writeElem(v.o, this.newList([UNKNOWN, this.dictValues(recv)]));
        return v;
      }
      case 'index':
      case 'count':
        return CLEAN;
      default:
        return this.unknownCall(recv, args, kwargs);
    }
  }

  /** An unknown library call: data flows from the arguments (and receiver) to the result. */
  private unknownCall(callee: Val, args: Val[], kwargs: Map<string, Val>): Val {
    let out: Val = { unk: true, ...(callee.t ? { t: callee.t } : {}) };
    for (const a of args) out = join(out, this.deepData(a));
    for (const a of kwargs.values()) out = join(out, this.deepData(a));
    return out;
  }

  callValue(
    callee: Val,
    args: Val[],
    kwargs: Map<string, Val>,
    frame: Frame,
    node: Node,
    argNodes: Node[],
  ): Val {
    const fns = callee.fns ?? [];
    const classes = (callee.o ?? []).filter((id) => this.heap.get(id)?.kind === 'class');
    if (fns.length === 0 && classes.length === 0) {
      if (callee.o?.length) {
        // Calling an instance: its __call__.
        const m = this.getAttr(callee, '__call__', frame.mod, node);
        if (m.fns?.length) return this.callValue(m, args, kwargs, frame, node, argNodes);
      }
      return this.unknownCall(callee, args, kwargs);
    }
    let out: Val | undefined;
    for (const f of fns) {
      const r = this.callCallable(f, args, kwargs, frame, node, undefined, argNodes);
      out = out ? join(out, r) : r;
    }
    return out ?? UNKNOWN;
  }

  callCallable(
    f: Callable,
    args: Val[],
    kwargs: Map<string, Val>,
    frame: Frame | undefined,
    node: Node,
    self?: Val,
    argNodes: Node[] = [],
  ): Val {
    switch (f.kind) {
      case 'fn':
        return this.invokeFn(
          self ? { ...f, self } : f,
          args,
          kwargs,
          node,
          (frame?.depth ?? 0) + 1,
          frame,
          argNodes,
        );
      case 'partial':
        return this.callCallable(
          f.fn,
          [...f.args, ...args],
          new Map([...f.kwargs, ...kwargs]),
          frame,
          node,
          undefined,
          argNodes,
        );
      case 'class': {
        const cls = this.heap.get(f.obj);
        let inst: Val | undefined;
        const newFn = this.classLookup(f.obj, key('__new__'));
        if (newFn?.fns?.some((g) => g.kind === 'fn')) {
          for (const g of newFn.fns) {
            const r = this.callCallable(g, args, kwargs, frame, node, { o: [f.obj] }, argNodes);
            inst = inst ? join(inst, r) : r;
          }
          if (!inst?.o?.length) return inst ?? UNKNOWN;
        }
        inst ??= { o: [this.newInstance(f.obj)] };
        const init = this.classLookup(f.obj, key('__init__'));
        if (init?.fns) {
          for (const g of init.fns) this.callCallable(g, args, kwargs, frame, node, inst, argNodes);
        } else if (cls?.annotated?.length && frame) {
          // A dataclass (or NamedTuple, attrs class): arguments fill the annotated fields in order.
          cls.annotated.forEach((name, i) => {
            const v = kwargs.get(name) ?? args[i];
            if (v) this.writeField(inst.o, key(name), v, frame);
          });
        } else if (cls?.elem || !cls?.bases?.length) {
          // A library base (Exception, dict, str...) keeps its arguments.
          if (args.length || kwargs.size) this.writeElem(inst.o, this.unknownCall(CLEAN, args, kwargs));
          if (!cls?.elem) this.writeElem(inst.o, dataOf(this.unknownCall(CLEAN, args, kwargs)));
        }
        return inst;
      }
      case 'super':
        return UNKNOWN;
      case 'lib':
        return this.callLib(f.name, args, kwargs, frame, node);
    }
  }

  private callLib(
    name: string,
    args: Val[],
    kwargs: Map<string, Val>,
    frame: Frame | undefined,
    node: Node,
  ): Val {
    const mod = frame?.mod ?? 0;
    const trust = this.libSource(name, 'call');
    if (trust) return this.sourceVal(mod, node, textOf(node).replace(/\s+/g, ' '), trust);
    if (this.sanitizers.has(name)) {
      const cwes = this.sanitizers.get(name);
      let v: Val = CLEAN;
      for (const a of args) v = join(v, this.deepData(a));
      return sanitize(v, cwes);
    }
    switch (name) {
      case 'builtins.str':
      case 'builtins.repr':
      case 'builtins.format':
      case 'builtins.ascii': {
        const a = args[0];
        if (!a) return constVal('');
        if (a.c && !Array.isArray(a.c.v)) return constVal(a.c.v === null ? 'None' : String(a.c.v));
        return this.deepData(a);
      }
      case 'builtins.int':
      case 'builtins.float': {
        const a = args[0];
        if (a?.c && (typeof a.c.v === 'string' || typeof a.c.v === 'number')) {
          const n = Number(a.c.v);
          if (Number.isFinite(n)) return constVal(name === 'builtins.int' ? Math.trunc(n) : n);
        }
        return CLEAN;
      }
      case 'builtins.len': {
        const a = args[0];
        if (a?.c && (typeof a.c.v === 'string' || Array.isArray(a.c.v))) return constVal(a.c.v.length);
        const el = a ? this.elements(a) : undefined;
        if (el?.exact) return constVal(el.exact.length);
        return CLEAN;
      }
      case 'builtins.range': {
        const nums = args.map((a) => a.c?.v);
        if (nums.every((n) => typeof n === 'number')) {
          const [a, b, s] =
            nums.length === 1
              ? [0, nums[0] as number, 1]
              : [nums[0] as number, nums[1] as number, (nums[2] as number) ?? 1];
          const out: number[] = [];
          if (s !== 0)
            for (let i = a; s > 0 ? i < b : i > b; i += s) {
              out.push(i);
              if (out.length > MAX_UNROLL) break;
            }
          if (out.length <= MAX_UNROLL) return this.newList(out.map((n) => constVal(n)));
        }
        const v = this.newList([]);
        this.writeElem(v.o, CLEAN);
        return v;
      }
      case 'builtins.getattr': {
        const [o, n, d] = args;
        if (o && n?.c && typeof n.c.v === 'string') {
          const v = this.getAttr(o, n.c.v, mod, node);
          return d ? join(v, d) : v;
        }
        return this.unknownCall(CLEAN, args, kwargs);
      }
      case 'builtins.setattr': {
        const [o, n, v] = args;
        if (o && n?.c && typeof n.c.v === 'string' && v && frame)
          this.writeField(
            o.o,
            key(n.c.v),
            v.t ? withStep(v, this.step(mod, node, `stored by \`setattr\``)) : v,
            frame,
          );
        return constVal(null);
      }
      case 'builtins.delattr': {
        const [o, n] = args;
        if (o?.o && n?.c && typeof n.c.v === 'string') {
          for (const id of o.o) {
            const obj = this.heap.get(id);
            if (!obj) continue;
            const fields = new Map(obj.fields);
            fields.delete(key(n.c.v));
            this.heap.set(id, { ...obj, fields });
          }
        }
        return constVal(null);
      }
      case 'builtins.list':
      case 'builtins.tuple':
      case 'builtins.set':
      case 'builtins.frozenset':
      case 'builtins.sorted':
      case 'builtins.reversed':
      case 'builtins.iter': {
        if (!args[0]) return this.newList([]);
        const el = this.elements(args[0]);
        if (el.exact && name !== 'builtins.set' && name !== 'builtins.frozenset')
          return this.newList(name === 'builtins.reversed' ? [...el.exact].reverse() : el.exact);
        const v = this.newList([]);
        this.writeElem(v.o, el.any);
        return v;
      }
      case 'builtins.dict': {
        const v: Val = { o: [this.alloc({ kind: 'dict', fields: new Map() })] };
        if (args[0]) {
          if (args[0].o?.some((id) => this.heap.get(id)?.kind === 'dict')) {
            const src = this.heap.get(args[0].o[0])!;
            this.heap.set(v.o![0], { ...src, fields: new Map(src.fields) });
          } else this.writeElem(v.o, this.elements(this.elements(args[0]).any).any);
        }
        for (const [k, a] of kwargs) if (frame) this.writeField(v.o, constKey(k), a, frame);
        return v;
      }
      case 'builtins.next': {
        const a = args[0];
        if (!a) return UNKNOWN;
        const el = this.elements(a);
        return el.exact ? (el.exact[0] ?? CLEAN) : el.any;
      }
      case 'builtins.enumerate': {
        const el = args[0] ? this.elements(args[0]) : { any: CLEAN };
        if (el.exact) return this.newList(el.exact.map((x, i) => this.newList([constVal(i), x])));
        const v = this.newList([]);
        this.writeElem(v.o, this.newList([CLEAN, el.any]));
        return v;
      }
      case 'builtins.zip': {
        const els = args.map((a) => this.elements(a));
        if (els.every((e) => e.exact)) {
          const n = Math.min(...els.map((e) => e.exact!.length));
          const rows: Val[] = [];
          for (let i = 0; i < n; i++) rows.push(this.newList(els.map((e) => e.exact![i])));
          return this.newList(rows);
        }
        const v = this.newList([]);
        this.writeElem(v.o, this.newList(els.map((e) => e.any)));
        return v;
      }
      case 'builtins.map':
      case 'builtins.filter': {
        const [fv, it] = args;
        if (!fv || !it) return UNKNOWN;
        const el = this.elements(it);
        const items = el.exact ?? [el.any];
        const results = items.map((x) =>
          name === 'builtins.filter'
            ? x
            : fv.fns?.length && frame
              ? this.callValue(fv, [x], new Map(), frame, node, [])
              : this.deepData(x),
        );
        if (el.exact && name === 'builtins.map') return this.newList(results);
        const v = this.newList([]);
        this.writeElem(v.o, joinAll(results));
        return v;
      }
      case 'builtins.super': {
        if (!frame || frame.cls === undefined) return UNKNOWN;
        const self = frame.env.vars.get('self') ?? UNKNOWN;
        return { fns: [{ kind: 'super', cls: frame.cls, self }] };
      }
      case 'builtins.min':
      case 'builtins.max':
      case 'builtins.sum': {
        const el = args.length === 1 && args[0] ? this.elements(args[0]).any : joinAll(args);
        return dataOf(el);
      }
      case 'functools.partial': {
        const [target, ...rest] = args;
        if (!target?.fns?.length) return this.unknownCall(CLEAN, args, kwargs);
        return { fns: target.fns.map((fn) => ({ kind: 'partial' as const, fn, args: rest, kwargs })) };
      }
      case 'object.__new__':
      case 'builtins.object.__new__': {
        const cls = args[0]?.o?.find((id) => this.heap.get(id)?.kind === 'class');
        return cls === undefined ? UNKNOWN : { o: [this.newInstance(cls)] };
      }
      case 'functools.reduce':
        return this.unknownCall(CLEAN, args, kwargs);
      case 'builtins.eval':
      case 'builtins.exec':
        return this.unknownCall(CLEAN, args, kwargs);
      case 'builtins.open':
      case 'io.open':
      case 'codecs.open':
        return { fns: [{ kind: 'lib', name: 'builtins.open()' }], unk: true };
      default:
        break;
    }
    if (CLEAN_CALLS.has(name)) return CLEAN;
    // Output of a process, response of a server: not the arguments' data (methods on it stay library calls).
    if (EXTERNAL_DATA_CALLS.has(name)) return { fns: [{ kind: 'lib', name: `${name}()` }] };
    if (name.startsWith('builtins.') && /\.(isinstance|callable|hasattr|bool|id|hash)$/.test(name))
      return CLEAN;
    // Higher-order library calls (threads, executors, callbacks): run project callables on the data.
    const callables = args.filter((a) => a.fns?.some((fn) => fn.kind === 'fn' || fn.kind === 'partial'));
    const targetKw = kwargs.get('target');
    const takesFunction = callables.length > 0 || targetKw?.fns !== undefined;
    if (
      frame &&
      takesFunction &&
      !NON_CALLING_CALLS.has(name) &&
      !NON_CALLING_MODULES.some((m) => name.startsWith(m))
    ) {
      const data = args.filter((a) => !callables.includes(a));
      const kwArgs = kwargs.get('args');
      const passed = kwArgs ? (this.elements(kwArgs).exact ?? [this.elements(kwArgs).any]) : data;
      for (const c of [...callables, ...(targetKw ? [targetKw] : [])])
        this.callValue(c, passed, new Map(), frame, node, []);
    }
    const r = this.unknownCall(CLEAN, args, kwargs);
    return { ...r, fns: [{ kind: 'lib', name: `${name}()` }] };
  }

  /** Runs a project function with abstract arguments; its sinks record what reaches them. */
  invokeFn(
    f: Extract<Callable, { kind: 'fn' }>,
    args: Val[],
    kwargs: Map<string, Val>,
    callNode: Node,
    depth: number,
    caller?: Frame,
    argNodes: Node[] = [],
  ): Val {
    const def = f.def;
    if (depth > MAX_DEPTH || this.callStack.includes(def) || this.budget < 0) {
      let out: Val = UNKNOWN;
      for (const a of [...args, ...kwargs.values()]) out = join(out, this.deepData(a));
      return out;
    }
    const params = field(def, 'parameters');
    const env = new Env(new Map(), f.closure, def);
    const fnName = f.name;
    const frame = this.newFrame(f.mod, env, def, fnName, depth, f.cls);
    const positional = f.self ? [f.self, ...args] : args;
    const passStep = (v: Val, name: string, at: Node | undefined): Val =>
      v.t && caller && at
        ? withStep(v, this.step(caller.mod, at, `passed to \`${fnName}\` as \`${name}\``))
        : v;
    let i = 0;
    const consumed = new Set<string>();
    for (const p of params ? named(params) : []) {
      const name = this.paramName(p);
      if (!name) continue;
      const splat = this.splatKind(p);
      if (splat === 'list') {
        env.vars.set(name, this.newList(positional.slice(i)));
        i = positional.length;
        continue;
      }
      if (splat === 'dict') {
        const d: Val = { o: [this.alloc({ kind: 'dict', fields: new Map() })] };
        for (const [k, v] of kwargs) if (!consumed.has(k)) this.writeField(d.o, constKey(k), v, frame);
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
          ? (this.records.get(f.mod)?.get(dv.id)?.val ?? this.eval(dv, frame, env.vars))
          : (kwargs.get('**') ?? UNKNOWN);
      }
      env.vars.set(name, passStep(v ?? UNKNOWN, name, at ?? callNode));
    }
    const memoKey = this.memoKey(f, env.vars);
    if (memoKey) {
      const hit = this.memo.get(memoKey);
      if (hit) return hit;
    }
    this.markAnalyzed(f.mod, def);
    this.callStack.push(def);
    const body = field(def, 'body');
    let result: Val;
    if (def.type === 'lambda') {
      result = body ? this.eval(body, frame, env.vars) : CLEAN;
    } else {
      const end = body ? this.execBlock(body, frame, env.vars) : env.vars;
      if (end) {
        frame.returns.push(constVal(null));
        frame.exits.push(end);
      }
      result = frame.returns.length ? joinAll(frame.returns) : constVal(null);
      if (hasYield(def)) result = { gen: joinAll(frame.yields.length ? frame.yields : [CLEAN]) };
      if (caller) this.applyValidation(frame, caller, argNodes, positional, f.self !== undefined, params);
    }
    this.callStack.pop();
    if (result.t && caller)
      result = withStep(result, this.step(caller.mod, callNode, `returned by \`${fnName}\``));
    if (memoKey) this.memo.set(memoKey, result);
    return result;
  }

  /**
   * A helper that returns or raises unless its argument is valid (`validate(x)` as a statement)
   * proves the caller's variable clean afterwards: at every normal exit its parameter was clean.
   */
  private applyValidation(
    frame: Frame,
    caller: Frame,
    argNodes: Node[],
    positional: Val[],
    hasSelf: boolean,
    params: Node | null,
  ): void {
    if (!params || frame.exits.length === 0) return;
    const names = named(params).map((p) => this.paramName(p));
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

  private memoKey(f: Extract<Callable, { kind: 'fn' }>, vars: Map<string, Val>): string | undefined {
    if (f.self || f.closure !== this.moduleEnvs.get(f.mod)) return undefined;
    const parts: string[] = [`${f.mod}:${f.def.id}`];
    for (const [k, v] of vars) {
      if (v.o || v.fns || v.gen || v.req) return undefined;
      parts.push(
        `${k}=${v.unk ? 'u' : ''}${v.c ? JSON.stringify(v.c.v) : ''}${(v.t ?? []).map((t) => `${t.src.file}@${t.src.node.id}/${(t.san ?? []).join(',')}`).join('|')}`,
      );
    }
    // Module-level functions that touch globals may see different state: only memoize pure ones.
    if (this.writesGlobals(f.def)) return undefined;
    return parts.join(';');
  }

  private readonly globalWriters = new Map<number, boolean>();
  private writesGlobals(def: Node): boolean {
    let v = this.globalWriters.get(def.id);
    if (v === undefined) {
      v = def.descendantsOfType(['global_statement', 'nonlocal_statement', 'yield']).length > 0;
      this.globalWriters.set(def.id, v);
    }
    return v;
  }

  private markAnalyzed(mod: number, def: Node): void {
    let s = this.analyzed.get(mod);
    if (!s) this.analyzed.set(mod, (s = new Map()));
    s.set(def.id, def);
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function unescape(seq: string): string {
  const k = seq.slice(1);
  if (k in ESCAPES) return ESCAPES[k];
  if (/^x[0-9a-fA-F]{2}$/.test(k)) return String.fromCharCode(parseInt(k.slice(1), 16));
  return seq;
}

/** The elements of a list whose length is known. */
function listItems(o: HeapObj): Val[] {
  const items: Val[] = [];
  for (let i = 0; i < (o.len ?? 0); i++) items.push(o.fields.get(constKey(i)) ?? CLEAN);
  return items;
}

function withItems(o: HeapObj, items: readonly Val[]): HeapObj {
  const fields = new Map<string, Val>();
  items.forEach((v, i) => fields.set(constKey(i), v));
  return { ...o, fields, len: items.length };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compareConst(op: string, a: Val, b: Val): boolean | undefined {
  if (op === 'is not' || op === 'is') {
    if (a.c && b.c) return (a.c.v === b.c.v) === (op === 'is');
    if (b.c?.v === null && (a.o?.length || a.fns?.length)) return op === 'is not';
    return undefined;
  }
  if (!a.c || !b.c) return undefined;
  const x = a.c.v;
  const y = b.c.v;
  switch (op) {
    case '==':
      return constEq(x, y);
    case '!=':
      return !constEq(x, y);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (typeof x !== typeof y || (typeof x !== 'number' && typeof x !== 'string')) return undefined;
      const xx = x as number | string;
      const yy = y as number | string;
      return op === '<' ? xx < yy : op === '>' ? xx > yy : op === '<=' ? xx <= yy : xx >= yy;
    }
    case 'in':
    case 'not in': {
      let r: boolean | undefined;
      if (typeof y === 'string' && typeof x === 'string') r = y.includes(x);
      else if (Array.isArray(y)) r = y.some((e) => constEq(e, x));
      return r === undefined ? undefined : op === 'in' ? r : !r;
    }
    default:
      return undefined;
  }
}

function foldBinary(op: string, a: ConstValue, b: ConstValue): ConstValue | undefined {
  if (typeof a === 'number' && typeof b === 'number') return foldNumbers(op, a, b);
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (op === '*' && typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
  if (op === '%' && typeof a === 'string') {
    const vals = Array.isArray(b) ? b : [b];
    let i = 0;
    return a.replace(/%[sdrif]/g, () => String(vals[i++] ?? ''));
  }
  return undefined;
}

function foldStringMethod(s: string, method: string, args: Val[]): ConstValue | undefined {
  const c = args.map((a) => a.c?.v);
  if (c.some((x) => x === undefined)) return undefined;
  switch (method) {
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'strip':
      return s.trim();
    case 'lstrip':
      return s.trimStart();
    case 'rstrip':
      return s.trimEnd();
    case 'replace':
      return typeof c[0] === 'string' && typeof c[1] === 'string' ? s.split(c[0]).join(c[1]) : undefined;
    case 'format': {
      let i = 0;
      return s.replace(/\{(\d*)\}/g, (_m, n: string) => String(c[n ? Number(n) : i++] ?? ''));
    }
    case 'encode':
    case 'decode':
      return s;
    default:
      return undefined;
  }
}

export { joinFacts };
export type { Fact };
