/**
 * The state of the Python abstract interpreter: its heap, module environments, budgets, the
 * records it leaves for the summaries, and the sources and sanitizers the options switched on.
 * The work is done by functions over this state (`it`), one module per part of the language:
 * statements.ts, targets.ts, control-flow.ts, match.ts, conditions.ts, expressions.ts,
 * literals.ts, attributes.ts, calls.ts, methods.ts, containers.ts, library.ts, sources.ts,
 * modules.ts, entry-points.ts; what it knows of frameworks it reads from the models (../models).
 *
 * It runs each function with abstract values (constants, taint facts with their path, heap
 * objects for instances and containers), follows calls into the project's functions with the
 * actual arguments (context-sensitive, bounded depth), folds constant conditions so dead branches
 * do not taint, and records what reaches every call argument.
 */
import type { Node, SourceFile } from '../../../parsing/parser.js';
import { runEntryPoints, type EntryFrontEnd, type EntryFunction } from '../../../dataflow/driver.js';
import { Heap } from '../../../dataflow/heap.js';
import { CallSummaries } from '../../../dataflow/call-summaries.js';
import { ROOT_BUDGET } from '../../../dataflow/limits.js';
import type { Locals } from '../../../dataflow/locals.js';
import type { ProjectModules as CoreProjectModules } from '../../../dataflow/project.js';
import {
  LOWER_TRUST_ATTRIBUTES,
  LOWER_TRUST_CALLS,
  LOWER_TRUST_METHODS,
  SANITIZERS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
} from './specs.js';
import type { TaintOptions, Trust } from '../../../dataflow/specs.js';
import { join, type ConstValue, type Env, type Step, type Val } from '../../../dataflow/value.js';
import { isTestFile } from '../test-files.js';
import type { PythonModule } from '../semantic/scope.js';
import { functions, isEntryPoint, moduleMayHoldEntryPoint, runRoot, sourceHint } from './entry-points.js';
import { moduleEnv } from './modules.js';
import { readingRoots, rootStarts } from './stored.js';

/** One parsed module of the project, as the interpreter sees it. */
export interface ModuleUnit {
  file: SourceFile;
  module: PythonModule;
}

export type ProjectModules = CoreProjectModules<ModuleUnit>;

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

/** The project functions one call ran, by module, definition and whether `self` was bound. */
export interface CallTargets {
  call: Node;
  targets: Map<string, { mod: number; def: Node; bound: boolean }>;
}

/** One function (or module or class body) being run. */
export interface Frame {
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

/** Finds the project module a dotted name starts with, and the attribute path after it. */
export type ResolveModule = (qualname: string, from: number) => { mod: number; rest: string[] } | undefined;

export class Interpreter implements EntryFrontEnd {
  /** Module bodies being run (what they allocate outlives the current root). */
  readonly executing = new Set<number>();
  readonly heap = new Heap(this.executing);
  budget = ROOT_BUDGET;
  /** The guard of the root being run when only administrators reach it: its request data is theirs. */
  adminGuard: string | undefined;
  /** Branches of unknown conditions and loops being run, in every frame (see adminRefusal). */
  branchDepth = 0;
  /**
   * The root being run is a request handler's method that a route may give a path beginning with
   * `//`: its request's own path is an open-redirect target (see tornado-routes.ts).
   */
  openPathRoute = false;
  projectLeft = 0;
  /** Nesting of expressions being evaluated (see MAX_EVAL_DEPTH). */
  depth = 0;
  /** Re-exported names being resolved (a package importing from itself would loop). */
  readonly resolvingImports = new Set<string>();
  readonly moduleEnvs = new Map<number, Env>();
  readonly moduleObjs = new Map<number, number>();
  readonly callStack: Node[] = [];
  /** Per file: node id → value, joined over contexts. */
  readonly records = new Map<number, Map<number, { node: Node; val: Val }>>();
  /** Per file: the functions whose body was run at least once. */
  readonly analyzed = new Map<number, Map<number, Node>>();
  /** Per file: the project functions each call reached (see forwards.ts). */
  readonly callTargets = new Map<number, Map<number, CallTargets>>();
  /** Modules whose analysis ran out of budget (see PassResults.exhausted). */
  readonly exhausted = new Set<number>();
  /** Per module: entry points not followed to the end (see driver.ts). */
  readonly unfollowed = new Map<number, string[]>();
  readonly sourceAttrs: string[];
  readonly sourceCalls: Set<string>;
  readonly sourceParams: Set<string>;
  readonly sanitizers = new Map<string, readonly number[] | undefined>();
  readonly lowerAttrs: { name: string; trust: Trust }[] = [];
  readonly lowerCalls = new Map<string, Trust>();
  readonly lowerMethods = new Map<string, Trust>();
  /** Class objects by `mod:node id` of their definition. */
  readonly classOfDef = new Map<string, number>();
  /** Results of calls to pure functions, by function and arguments (see calls.ts memoKey). */
  readonly memo = new Map<string, Val>();
  /** Summaries of costly calls, answering later calls with parameters no more tainted. */
  readonly summaries = new CallSummaries(this.heap);
  readonly urlParamsCache = new Map<number, boolean>();
  /** The object of each request-scoped namespace (`flask.g`) in the current root (see sources.ts). */
  readonly requestGlobals = new Map<string, number>();
  /** The names the project's code calls (see entry-points.ts calledNames). */
  calledNamesCache: ReadonlySet<string> | undefined;
  /** Literal values by node id (null: not a literal). */
  readonly literals = new Map<number, { v: ConstValue } | null>();
  /** Whether a function has `global`, `nonlocal` or `yield`, by node id. */
  readonly globalWriters = new Map<number, boolean>();
  /** The language's test of whether a module may hold an entry point (see moduleMayHoldEntryPoint). */
  entryHint: ((path: string, text: string) => boolean) | undefined;
  /** Names that show a function may read a source, and the same with the global flag. */
  readonly hint: RegExp;
  readonly hintWords: RegExp;

  constructor(
    readonly modules: ProjectModules,
    readonly resolveModule: ResolveModule,
    readonly options: TaintOptions = {},
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
    this.hint = sourceHint(options);
    this.hintWords = new RegExp(this.hint.source, 'g');
  }

  /** Runs module bodies, then the entry points (see dataflow/driver.ts). */
  run(): void {
    runEntryPoints(this);
  }

  // The driver's view (EntryFrontEnd).

  loadModule(mod: number): void {
    moduleEnv(this, mod);
  }

  isProjectCode(mod: number): boolean {
    return !isTestFile(this.modules.path(mod));
  }

  mayHoldEntryPoint(mod: number): boolean {
    return moduleMayHoldEntryPoint(this, mod);
  }

  functions(mod: number): EntryFunction[] {
    return functions(this, mod);
  }

  isEntryPoint(f: EntryFunction): boolean {
    return isEntryPoint(this, f);
  }

  runRoot(f: EntryFunction): Val {
    rootStarts(this, f.mod, f.def);
    return runRoot(this, f.mod, f.def);
  }

  laterRoots(): EntryFunction[] {
    return readingRoots(this);
  }

  chaseCallers(name: string): boolean {
    return !/^__\w+__$/.test(name) && name.length > 2;
  }

  // Small helpers every part uses.

  mods(i: number): ModuleUnit {
    return this.modules.unit(i);
  }

  /** Joins what an expression evaluated to into its record. */
  record(mod: number, node: Node, v: Val): void {
    let m = this.records.get(mod);
    if (!m) this.records.set(mod, (m = new Map()));
    const prev = m.get(node.id);
    m.set(node.id, { node, val: prev ? join(prev.val, v) : v });
  }

  step(mod: number, node: Node, note: string): Step {
    return { file: this.modules.path(mod), node, note };
  }

  /** Notes that a call of module `mod` ran a project function (bound: given its `self`). */
  recordTarget(mod: number, call: Node, target: { mod: number; def: Node; bound: boolean }): void {
    let m = this.callTargets.get(mod);
    if (!m) this.callTargets.set(mod, (m = new Map()));
    let entry = m.get(call.id);
    if (!entry) m.set(call.id, (entry = { call, targets: new Map() }));
    entry.targets.set(`${target.mod}:${target.def.id}:${target.bound}`, target);
  }

  markAnalyzed(mod: number, def: Node): void {
    let s = this.analyzed.get(mod);
    if (!s) this.analyzed.set(mod, (s = new Map()));
    s.set(def.id, def);
  }
}
