/**
 * The state of the JavaScript abstract interpreter over the core (heap, values, budgets, driver):
 * module bodies and their exports, project functions called with abstract arguments, and the
 * records the core's summaries turn into per-file results. Expressions and statements are
 * evaluated in evaluate.ts; frameworks' entry points and request objects come from ../models.
 */
import type { Node, SourceFile } from '../../../parsing/parser.js';
import { escapeRegExp } from '../../../core/escape.js';
import { textEntryHint, textTest } from '../../../dataflow/text-reads.js';
import { runEntryPoints, type EntryFrontEnd, type EntryFunction } from '../../../dataflow/driver.js';
import { attrKey, Heap } from '../../../dataflow/heap.js';
import { MAX_DEPTH, ROOT_BUDGET } from '../../../dataflow/limits.js';
import type { ProjectModules } from '../../../dataflow/project.js';
import type { TaintOptions, Trust } from '../../../dataflow/specs.js';
import { CLEAN, Env, join, joinAll, UNKNOWN, type Callable, type Val } from '../../../dataflow/value.js';
import { isTestCode } from '../files.js';
import { BROWSER_INPUT, ROUTES, SERVERS, type ParamSeed, type RouteModel } from '../models/frameworks.js';
import type { JsModule } from '../semantic/model.js';
import { FUNCTION_TYPES, parameterName as paramName, unwrap } from '../semantic/scope.js';
import {
  candidateSetup,
  declaredHandlers,
  declaredMember,
  endpointObject,
  exportedFunction,
  functionNodeOf,
  isHandlerCandidate,
  mayHoldDeclaredHandler,
  paramsOf,
  requestHandler,
  type Handler,
} from './entries.js';
import {
  bindPattern,
  CLASS_VAR,
  enclosingScope,
  evaluate,
  execBody,
  identifier,
  initFields,
  objectOf,
  sourceAt,
} from './evaluate.js';
import { dtoShape, shapedValue } from './validated.js';
import { NEST_VALIDATION } from '../models/validation.js';
import type { RequestObject } from '../models/requests.js';

export interface JsUnit {
  file: SourceFile;
  module: JsModule;
}

/** A project function a call ran. */
export interface CallTarget {
  mod: number;
  def: Node;
}

/** One function body being run. */
export interface Frame {
  mod: number;
  env: Env;
  returns: Val[];
  depth: number;
  weak: number;
  /** Statements a `break` or `continue` may leave, innermost last, with the states that left them. */
  jumps?: Jump[];
  /** Member paths a guard fixed on the branch being run (`ctx.headers.host` → its constant). */
  narrowed?: Map<string, Val>;
}

/** A loop, `switch` or labelled statement: the variables at each `break` (and `continue`) aimed at it. */
export interface Jump {
  kind: 'loop' | 'switch' | 'label';
  label?: string;
  breaks: Map<string, Val>[];
  continues: Map<string, Val>[];
}

/** What a routing call hands its handlers: the request object, at a parameter position. */
export interface RouteRequest {
  requestParam: number;
  request: RequestObject;
  /**
   * The call registers a listener of a server's events (socket.io's `connection`): every listener
   * it names runs when it runs, entry points too, on the state the code that starts the server built
   * (a dispatch table it filled first).
   */
  listener?: boolean;
  /**
   * A route setup known by its shape only (see `ROUTE_CANDIDATES`): only its arguments that are
   * shaped as request handlers are handlers.
   */
  candidate?: boolean;
}

/** A module that may hold Connect-style middleware that sets a field of the request (`req.x = ...`). */
const MIDDLEWARE_HINT = /\bnext\s*\)[\s\S]*\.\s*[\w$]+\s*=[^=>]|\.\s*[\w$]+\s*=[^=>][\s\S]*\bnext\s*\(/;

/** A module that may list endpoint objects whose handler is imported (`{ handler: login, ... }`). */
const ENDPOINT_LIST = /\bhandler\s*[:,}]/;

/**
 * Whether a route's path argument (a constant or a list of them) begins with a fixed segment in
 * every form (`/share/:id`, not `*`, `/*` or a pattern), so no path it matches begins with `//`.
 */
function fixedFirstSegment(arg: Node | undefined, module: JsModule): boolean {
  if (!arg) return false;
  const paths = arg.type === 'array' ? arg.namedChildren : [arg];
  return (
    paths.length > 0 &&
    paths.every((p) => {
      const path = module.constantString(p);
      return path !== undefined && /^\/[\w.~-]/.test(path);
    })
  );
}

/** Whether a routing call is one the route model takes: for an event emitter's, an event it names. */
function listensTo(route: RouteModel, first: Node | undefined, module: JsModule): boolean {
  if (!route.events) return true;
  const event = first ? module.constantString(first) : undefined;
  return event !== undefined && route.events.has(event);
}

/**
 * The steps of a route handler a module body registers (see `JsInterpreter.runRegisteredHandlers`):
 * a routes module registers many, and each is counted against the project's budget.
 */
const HANDLER_BUDGET = ROOT_BUDGET / 4;

/** The steps of a root a dispatch handed on (see `JsInterpreter.defer`). */
const DEFERRED_BUDGET = ROOT_BUDGET / 10;
/**
 * Steps a middleware's assignment to a request field may take (see `attachedField`), at most a
 * quarter of what the handler has left: a field read in passing (`req.schema = await getSchema()`)
 * must not spend the steps the handler needs for its own statements.
 */
const ATTACHED_FIELD_BUDGET = ROOT_BUDGET / 20;

/** A function that reads the process's arguments or environment runs as an entry point. */
const PROCESS_INPUT = /\bprocess\.(argv|env)\b/;

/**
 * Whether a module may hold an entry point, by its path and text: it names a framework, Node's
 * server, the process's arguments or environment, or a parameter the config declares a source, or
 * it may declare handlers (see entries.ts).
 */
export function entryHint(options: TaintOptions = {}): (path: string, text: string) => boolean {
  const params = (options.sources ?? []).flatMap((s) => (s.parameter ? [escapeRegExp(s.parameter)] : []));
  const words = ['express', 'koa', 'fastify', 'createServer', 'socket\\.io', ...params];
  const named = new RegExp(`${PROCESS_INPUT.source}|\\b(${words.join('|')})\\b`);
  return (path, text) => named.test(text) || BROWSER_INPUT.test(text) || mayHoldDeclaredHandler(path, text);
}

/**
 * What the handlers of a routing call receive: `method` called on a router whose canonical name is
 * `receiver` (`express.Router().get`), with its first argument (the path, or a server's event).
 */
function routeRequest(
  receiver: string,
  method: string,
  first: Node | undefined,
  module: JsModule,
): RouteRequest | undefined {
  const route = ROUTES.find(
    (r) => r.methods.has(method) && r.receivers.test(receiver) && listensTo(r, first, module),
  );
  if (!route) return undefined;
  const routed = !route.mounts?.has(method) && fixedFirstSegment(first, module);
  return {
    requestParam: route.requestParam,
    request: routed ? { ...route.request, routed } : route.request,
    listener: route.events !== undefined,
  };
}

/** How many constructors deep injected instances are made (a service's repository's client). */
const MAX_INJECTION_DEPTH = 3;

/** `private x: T`, `readonly x`, `public x` in a constructor's parameters. */
function isParameterProperty(p: Node): boolean {
  return (
    (p.type === 'required_parameter' || p.type === 'optional_parameter') &&
    p.children.some((c) => c.type === 'accessibility_modifier' || c.type === 'readonly')
  );
}

export class JsInterpreter implements EntryFrontEnd {
  readonly loadingMods = new Set<number>();
  readonly heap = new Heap(this.loadingMods);
  budget = ROOT_BUDGET;
  projectLeft = 0;
  readonly exhausted = new Set<number>();
  /** Per module: entry points not followed to the end (see driver.ts). */
  readonly unfollowed = new Map<number, string[]>();
  /** A call of the current root ran out of its share of the root's steps (see callFunction). */
  private starved = false;
  readonly records = new Map<number, Map<number, { node: Node; val: Val }>>();
  readonly analyzed = new Map<number, Map<number, Node>>();
  /** Per module: the project functions each call ran, by call node id (see forwards.ts). */
  readonly callTargets = new Map<number, Map<number, { call: Node; targets: Map<string, CallTarget> }>>();
  private readonly envs = new Map<number, Env>();
  private readonly exportsOf = new Map<number, number>();
  private readonly handlers = new Map<number, Map<number, Handler>>();
  /** Per module, the handler each routing call registers, by call node id. */
  private readonly routeCalls = new Map<number, Map<number, RouteRequest>>();
  private readonly byName = new Map<string, number>();
  /** Request objects by heap id, with their model. */
  readonly requests = new Map<number, RequestObject>();
  /** Values thrown while each enclosing `try` body runs (innermost last): its `catch` receives them. */
  readonly thrown: Val[][] = [];
  /** Instance field initializers of classes by heap id (`data = x;`, `#secret = y;` in the class body). */
  readonly instanceFields = new Map<number, { key: string; value: Node | null; env: Env; mod: number }[]>();
  /** The `prototype` object of each constructor function, by the function's node id. */
  readonly prototypes = new Map<number, number>();
  /** Parameters the config declares sources (`taint.sources[].parameter`), with their labels. */
  private readonly sourceParams = new Map<string, string>();
  private readonly hint: (path: string, text: string) => boolean;

  constructor(
    readonly modules: ProjectModules<JsUnit>,
    readonly options: TaintOptions = {},
  ) {
    for (let i = 0; i < modules.count; i++) this.byName.set(modules.moduleName(i), i);
    for (const s of options.sources ?? [])
      if (s.parameter) this.sourceParams.set(s.parameter, s.label ?? `parameter \`${s.parameter}\``);
    this.hint = entryHint(options);
  }

  run(): void {
    runEntryPoints(this);
  }

  unit(mod: number): JsUnit {
    return this.modules.unit(mod);
  }

  path(mod: number): string {
    return this.modules.path(mod);
  }

  /** Whether sources of this trust are switched on (operator data is always traced; rules decide). */
  traces(trust: Trust): boolean {
    return trust !== 'environment' || !!this.options.lowerTrust?.environment;
  }

  record(mod: number, node: Node, v: Val): void {
    let m = this.records.get(mod);
    if (!m) this.records.set(mod, (m = new Map()));
    const prev = m.get(node.id);
    m.set(node.id, { node, val: prev ? join(prev.val, v) : v });
  }

  /** Functions (`mod:node id`) some call ran other than as written: a callback, `f.call(o, x)`, `new F(x)`. */
  readonly calledUnwritten = new Set<string>();

  /** Notes that a call written in module `mod` ran a project function with its arguments as written. */
  recordTarget(mod: number, call: Node, target: CallTarget): void {
    let m = this.callTargets.get(mod);
    if (!m) this.callTargets.set(mod, (m = new Map()));
    let entry = m.get(call.id);
    if (!entry) m.set(call.id, (entry = { call, targets: new Map() }));
    entry.targets.set(`${target.mod}:${target.def.id}`, target);
  }

  // The driver's view (EntryFrontEnd).

  loadModule(mod: number): void {
    this.moduleEnv(mod);
  }

  isProjectCode(mod: number): boolean {
    return !isTestCode(this.path(mod));
  }

  mayHoldEntryPoint(mod: number): boolean {
    return (
      this.isProjectCode(mod) &&
      (textEntryHint(this.modules, mod, (text) => this.hint(this.path(mod), text)) ||
        this.importedEndpoints().has(mod))
    );
  }

  functions(mod: number): EntryFunction[] {
    const { file } = this.unit(mod);
    return file.tree.rootNode
      .descendantsOfType([...FUNCTION_TYPES])
      .flatMap((def) =>
        def && def.isNamed
          ? [{ mod, def, text: def.text, name: def.childForFieldName('name')?.text ?? '' }]
          : [],
      );
  }

  isEntryPoint(f: EntryFunction): boolean {
    return (
      this.handlersOf(f.mod).has(f.def.id) ||
      !!this.setups.get(f.mod)?.has(f.def.id) ||
      PROCESS_INPUT.test(f.text) ||
      BROWSER_INPUT.test(f.text) ||
      (this.sourceParams.size > 0 && paramsOf(f.def).some((p) => this.sourceParams.has(paramName(p) ?? '')))
    );
  }

  /** A handler known only by the shape of its route (its request says so: `RequestObject.likely`). */
  guessed(f: EntryFunction): boolean {
    const handler = this.handlersOf(f.mod).get(f.def.id);
    return [...(handler?.params.values() ?? [])].some(
      (p) => typeof p === 'object' && 'likely' in p && !!p.likely,
    );
  }

  runRoot(f: EntryFunction): Val {
    this.heap.startRoot();
    // A function a dispatch handed on is one of many the same call may pick: a smaller share each.
    this.rootBudget = this.deferredIds.has(`${f.mod}:${f.def.id}`) ? DEFERRED_BUDGET : ROOT_BUDGET;
    this.budget = this.rootBudget;
    const handler = this.handlersOf(f.mod).get(f.def.id);
    const params = paramsOf(f.def);
    const args = params.map((p, i) => {
      const declared = this.sourceParams.get(paramName(p) ?? '');
      if (declared !== undefined) return sourceAt(this.path(f.mod), p, declared, 'user');
      const seed = handler?.params.get(i);
      if (seed === undefined) return UNKNOWN;
      if (seed === 'clean') return CLEAN;
      if ('input' in seed) {
        const input = sourceAt(this.path(f.mod), p, seed.input, 'user');
        return seed.dto ? this.validatedDto(f.mod, seed.dto, input) : input;
      }
      return this.requestObject(seed);
    });
    // A function written inside another runs with the names the functions around it declare.
    const closure =
      this.deferredScopes.get(`${f.mod}:${f.def.id}`) ??
      enclosingScope(this, f.mod, this.moduleEnv(f.mod), f.def);
    const fn: Callable = { kind: 'fn', def: f.def, mod: f.mod, closure, name: f.name };
    this.starved = false;
    const returned = this.callFunction(fn, args, this.selfOf(f), 0);
    // A call inside it ran out of its share: what the root reached is known only in part.
    if (this.starved) this.exhausted.add(f.mod);
    return returned;
  }

  /**
   * `this` of an entry point that is a class's method (a NestJS controller's handler): an instance
   * the framework made, with the constructor run on what a dependency injector passes, an instance
   * of each parameter's class (`constructor(private readonly users: UsersService)`).
   */
  private selfOf(f: EntryFunction): Val | undefined {
    // An arrow function's `this` is its enclosing function's (`this.route('GET', '/a', req =>
    // this.find(req))` in a router class's method).
    let def: Node | undefined = f.def;
    while (def?.type === 'arrow_function') def = enclosingFunction(def);
    const cls = def?.type === 'method_definition' ? def.parent?.parent : undefined;
    const name =
      cls && /^(class_declaration|abstract_class_declaration)$/.test(cls.type)
        ? cls.childForFieldName('name')
        : null;
    if (!name) return undefined;
    const frame: Frame = { mod: f.mod, env: this.moduleEnv(f.mod), returns: [], depth: 0, weak: 0 };
    return this.injected(identifier(this, frame, name), 0);
  }

  /** A new instance of each class among the values, its constructor given injected instances. */
  private injected(classes: Val, depth: number): Val | undefined {
    const out: Val[] = [];
    for (const id of classes.o ?? []) {
      if (this.heap.get(id)?.kind !== 'class') continue;
      const self: Val = { o: [this.heap.alloc({ kind: 'instance', cls: id, fields: new Map() })] };
      initFields(this, 0, id, self);
      const ctors = (this.heap.classLookup(id, attrKey('constructor'))?.fns ?? []).filter(
        (c) => c.kind === 'fn',
      );
      for (const ctor of ctors) {
        const frame: Frame = {
          mod: ctor.mod,
          env: new Env(new Map(), ctor.closure, ctor.def),
          returns: [],
          depth: 0,
          weak: 0,
        };
        const args = paramsOf(ctor.def).map((p) => {
          const type = p.childForFieldName('type')?.namedChildren[0];
          if (depth >= MAX_INJECTION_DEPTH || type?.type !== 'type_identifier') return UNKNOWN;
          return this.injected(identifier(this, frame, type), depth + 1) ?? UNKNOWN;
        });
        this.callFunction(ctor, args, self, 0);
      }
      out.push(self);
    }
    return out.length ? joinAll(out) : undefined;
  }

  /** Per field name, where the project's middleware assigns it to the request (see `attachedField`). */
  private attachments?: Map<string, { mod: number; fn: Node; value: Node }[]>;
  /** Fields being evaluated (an assignment that reads the field it sets is not run again). */
  private readonly attaching = new Set<string>();

  /**
   * What the project's Connect-style middleware (`function (req, res, next)`) assigns to a field of
   * the request that the framework's model does not name (`req.config = Config.get(appId)`): it runs
   * before the handler on the same object, so the handler's `req.config` is that value. The value
   * is evaluated where the middleware writes it, its own locals and parameters unknown, on a few
   * steps of its own (`ATTACHED_FIELD_BUDGET`); every middleware's assignment counts (joined). Kept
   * on the request object once read.
   */
  attachedField(request: number, key: string, f: Frame): Val | undefined {
    const list = this.middlewareFields().get(key);
    if (!list || this.attaching.has(key)) return undefined;
    this.attaching.add(key);
    const saved = this.budget;
    const share = Math.min(ATTACHED_FIELD_BUDGET, Math.floor(saved / 4));
    this.budget = share;
    try {
      const v = joinAll(
        list.map(({ mod, fn, value }) => {
          const env = new Env(new Map(), enclosingScope(this, mod, this.moduleEnv(mod), fn), fn);
          return evaluate(this, { mod, env, returns: [], depth: f.depth, weak: 0 }, value);
        }),
      );
      this.heap.writeField([request], attrKey(key), v, { weak: 0 });
      return v;
    } finally {
      this.attaching.delete(key);
      this.budget = saved - (share - Math.max(0, this.budget));
    }
  }

  /**
   * The assignments `req.name = value` of the project's middleware: functions of three or more
   * parameters whose last is `next`, the first the request; also in functions written inside one
   * that do not bind the request's name again (a `.then` callback).
   */
  private middlewareFields(): Map<string, { mod: number; fn: Node; value: Node }[]> {
    if (this.attachments) return this.attachments;
    const out = new Map<string, { mod: number; fn: Node; value: Node }[]>();
    this.attachments = out;
    for (let i = 0; i < this.modules.count; i++) {
      if (!this.isProjectCode(i) || !textTest(this.modules, i, MIDDLEWARE_HINT)) continue;
      const { file } = this.unit(i);
      for (const def of file.tree.rootNode.descendantsOfType([...FUNCTION_TYPES])) {
        const params = paramsOf(def);
        const req = params.length >= 3 ? paramName(params[0]) : undefined;
        if (!req || paramName(params[params.length - 1]) !== 'next') continue;
        for (const a of def.childForFieldName('body')?.descendantsOfType('assignment_expression') ?? []) {
          const left = a.childForFieldName('left');
          const target = left && unwrap(left);
          const object = target?.type === 'member_expression' ? target.childForFieldName('object') : null;
          const property = target?.childForFieldName('property');
          const value = a.childForFieldName('right');
          if (!object || object.type !== 'identifier' || object.text !== req) continue;
          if (property?.type !== 'property_identifier' || !value) continue;
          // The innermost function the assignment is written in, unless one between binds the name.
          let fn: Node | undefined;
          let shadowed = false;
          for (let p = a.parent; p && p.id !== def.id; p = p.parent)
            if (FUNCTION_TYPES.has(p.type)) {
              fn ??= p;
              if (paramsOf(p).some((q) => paramName(q) === req)) shadowed = true;
            }
          if (shadowed) continue;
          fn ??= def;
          let list = out.get(property.text);
          if (!list) out.set(property.text, (list = []));
          list.push({ mod: i, fn, value });
        }
      }
    }
    return out;
  }

  /** Class declarations by heap id, with their module (a DTO's decorators are read there). */
  readonly classNodes = new Map<number, { node: Node; mod: number }>();
  private globalPipe: boolean | undefined;

  /** Whether a module of the project applies NestJS's validation pipe to every handler. */
  private validatesGlobally(): boolean {
    if (this.globalPipe === undefined) {
      this.globalPipe = false;
      for (let i = 0; i < this.modules.count && !this.globalPipe; i++)
        if (!isTestCode(this.path(i)) && textTest(this.modules, i, NEST_VALIDATION.global))
          this.globalPipe = true;
    }
    return this.globalPipe;
  }

  /**
   * A handler's input declared as a DTO class under a validation pipe: the fields whose
   * class-validator decorators leave no free text are clean, the others (and other keys) the input.
   */
  private validatedDto(mod: number, dto: { type: Node; validated: boolean }, input: Val): Val {
    if (!dto.validated && !this.validatesGlobally()) return input;
    const frame: Frame = { mod, env: this.moduleEnv(mod), returns: [], depth: 0, weak: 0 };
    for (const id of identifier(this, frame, dto.type).o ?? []) {
      const cls = this.classNodes.get(id);
      if (!cls) continue;
      const shape = dtoShape(cls.node, this.unit(cls.mod).module);
      return shapedValue(shape, input, (fields, elem) => objectOf(this, fields, elem));
    }
    return input;
  }

  /** A fresh request object of a model. */
  requestObject(request: RequestObject): Val {
    const id = this.heap.alloc({ kind: 'instance', name: request.name, fields: new Map() });
    this.requests.set(id, request);
    return { o: [id] };
  }

  chaseCallers(name: string): boolean {
    return name.length > 2;
  }

  // Modules.

  /** The project module a canonical name starts with, and the member path after it. */
  resolve(canonical: string): { mod: number; rest: string[] } | undefined {
    const parts = canonical.split('.');
    for (let k = parts.length; k > 0; k--) {
      const mod = this.byName.get(parts.slice(0, k).join('.'));
      if (mod !== undefined) return { mod, rest: parts.slice(k) };
    }
    return undefined;
  }

  /** The environment of a module, its body run once (exports filled in as it runs). */
  moduleEnv(mod: number): Env {
    let env = this.envs.get(mod);
    if (env) return env;
    const { file } = this.unit(mod);
    env = new Env(new Map(), undefined, file.tree.rootNode);
    this.envs.set(mod, env);
    // Loading from here: the module's objects outlive a root that loads it on demand (see Heap.alloc).
    this.loadingMods.add(mod);
    const exportsObj = this.heap.alloc({ kind: 'module', mod, fields: new Map() });
    this.exportsOf.set(mod, exportsObj);
    const moduleObj = this.heap.alloc({
      kind: 'instance',
      fields: new Map([[attrKey('exports'), { o: [exportsObj] }]]),
    });
    env.vars.set('exports', { o: [exportsObj] });
    env.vars.set('module', { o: [moduleObj] });
    const saved = this.budget;
    this.budget = ROOT_BUDGET;
    try {
      execBody(this, { mod, env, returns: [], depth: 0, weak: 0 }, file.tree.rootNode);
      // The body ran out of its steps: what it set up is known only in part, and its report says so.
      if (this.budget <= 0) this.unfollow(mod, 'the module body (line 1) stopped at its own budget');
    } finally {
      this.loadingMods.delete(mod);
      this.budget = saved;
    }
    return env;
  }

  /** Notes that what a module reaches is known only in part, and why, for its file's report. */
  unfollow(mod: number, why: string): void {
    this.exhausted.add(mod);
    let list = this.unfollowed.get(mod);
    if (!list) this.unfollowed.set(mod, (list = []));
    if (!list.includes(why)) list.push(why);
  }

  /**
   * Runs route handlers a module body registers (`router.post('/a', wrap(async (req, res) =>
   * ...))` in a router factory that a routes module calls while it loads): each is an entry point,
   * so each runs on a budget of its own (`HANDLER_BUDGET`, a quarter of a root's), counted against
   * the project's, rather than on what is left of the body's one budget for every route. Those the
   * project has no steps left for are noted as not run.
   */
  runRegisteredHandlers(
    handlers: readonly Val[],
    run: (handler: Val) => void,
    at: number,
    line: number,
  ): void {
    const saved = this.budget;
    try {
      for (const h of handlers) {
        if (this.projectLeft <= 0) {
          this.unfollow(at, `handlers registered at line ${line}: not run, the project's budget was spent`);
          return;
        }
        const start = Math.min(HANDLER_BUDGET, this.projectLeft);
        this.budget = start;
        run(h);
        this.projectLeft -= start - Math.max(0, this.budget);
        if (this.budget <= 0)
          this.unfollow(at, `a handler registered at line ${line} stopped at its own budget`);
      }
    } finally {
      this.budget = saved;
    }
  }

  /** What a module exports: `module.exports` as its body left it. */
  exportsValue(mod: number): Val {
    const env = this.moduleEnv(mod);
    const moduleObj = env.vars.get('module')?.o?.[0];
    const exported =
      moduleObj === undefined ? undefined : this.heap.get(moduleObj)?.fields.get(attrKey('exports'));
    return exported ?? { o: [this.exportsOf.get(mod)!] };
  }

  // Calls.

  /** Runs a project function with abstract arguments; returns what it may return. */
  callFunction(
    fn: Callable,
    args: readonly Val[],
    self: Val | undefined,
    depth: number,
    written = false,
  ): Val {
    if (fn.kind !== 'fn') return UNKNOWN;
    // Called other than by a call written with its arguments (`f.call(o, x)`, a callback): its
    // callers are not all known, so what it hands on stays its own finding (see forwards.ts).
    if (!written && depth > 0) this.calledUnwritten.add(`${fn.mod}:${fn.def.id}`);
    if (depth > MAX_DEPTH || this.budget <= 0) return UNKNOWN;
    let s = this.analyzed.get(fn.mod);
    if (!s) this.analyzed.set(fn.mod, (s = new Map()));
    s.set(fn.def.id, fn.def);
    const env = new Env(new Map(), fn.closure, fn.def);
    const thisVal = self ?? fn.self;
    if (thisVal) env.vars.set('this', thisVal);
    // A method knows its class, for `super`.
    if (fn.cls !== undefined) env.vars.set(CLASS_VAR, { o: [fn.cls] });
    const frame: Frame = { mod: fn.mod, env, returns: [], depth: depth + 1, weak: 0 };
    const params = paramsOf(fn.def);
    params.forEach((p, i) => {
      const rest = p.type === 'rest_pattern';
      const arg = rest ? joinAll(args.slice(i)) : (args[i] ?? CLEAN);
      bindPattern(this, frame, p, arg);
      // A TypeScript parameter property (`constructor(private readonly users: UsersService)`) is
      // also a field of the instance.
      const field = thisVal?.o && isParameterProperty(p) ? paramName(p) : undefined;
      if (field !== undefined) this.heap.writeField(thisVal!.o!, attrKey(field), arg, frame);
    });
    const body = fn.def.childForFieldName('body');
    if (body) {
      // A call gets three quarters of what its caller has left: a callee that runs into a large
      // library of the project (a framework's package in the same repository) cannot use up the
      // steps its caller still needs for the statements after the call (the sink is often there).
      const reserve = depth > 0 ? Math.ceil(this.budget / 4) : 0;
      this.budget -= reserve;
      const returned = execBody(this, frame, body);
      if (returned !== undefined) frame.returns.push(returned);
      if (this.budget <= 0 && reserve > 0) this.starved = true;
      this.budget = Math.max(this.budget, 0) + reserve;
    }
    return frame.returns.length ? joinAll(frame.returns) : CLEAN;
  }

  /**
   * The handler that a routing call of a module registers (`router.get('/a', users.list)`): its
   * function arguments, whatever module they were written in, receive the request object when the
   * call runs (see evaluate.ts `libCall`).
   */
  routeCall(mod: number, call: Node, callee: string): RouteRequest | undefined {
    this.handlersOf(mod);
    const written = this.routeCalls.get(mod)?.get(call.id);
    if (written) return written;
    // A router handed to a project helper (`setupRoute(router, '/a', controller)`) is known by its
    // value: the callee's name is the router's canonical name and the method.
    const dot = callee.lastIndexOf('.');
    if (dot < 0) return undefined;
    const first = call.childForFieldName('arguments')?.namedChildren[0];
    return routeRequest(callee.slice(0, dot), callee.slice(dot + 1), first, this.unit(mod).module);
  }

  /** Whether a function is a handler written at its routing call, which runs as an entry point. */
  isHandler(fn: Callable): boolean {
    return fn.kind === 'fn' && this.handlersOf(fn.mod).has(fn.def.id);
  }

  /** Functions of a module that register a server's listeners, by node id. */
  private readonly setups = new Map<number, Set<number>>();

  private setupsOf(mod: number): Set<number> {
    let s = this.setups.get(mod);
    if (!s) this.setups.set(mod, (s = new Set()));
    return s;
  }

  /** Functions a dispatch handed on, to run as roots after the current one (see `defer`). */
  private deferred: EntryFunction[] = [];
  private readonly deferredIds = new Set<string>();
  private readonly deferredScopes = new Map<string, Env>();
  rootBudget = ROOT_BUDGET;

  /**
   * A call through a dispatch by a client-named key (`api[event](socket, data)`): each function it
   * may pick runs later as a root of its own, each parameter as the call's argument was (the
   * request object, or input labelled as where it came from); one root's budget would not cover them.
   */
  defer(fns: readonly Callable[], args: readonly Val[]): void {
    const seeds = new Map<number, ParamSeed>();
    args.forEach((a, i) => {
      const request = a.o?.map((id) => this.requests.get(id)).find((r) => r !== undefined);
      const label = a.t?.find((fact) => fact.src.trust === 'user')?.src.label;
      if (request) seeds.set(i, request);
      else if (label !== undefined) seeds.set(i, { input: label });
    });
    for (const fn of fns) {
      if (fn.kind !== 'fn') continue;
      const handlers = this.handlersOf(fn.mod);
      if (!handlers.has(fn.def.id)) handlers.set(fn.def.id, { params: seeds });
      this.deferredIds.add(`${fn.mod}:${fn.def.id}`);
      // The scope the function was made in (`module.exports = function (api) { function helper()
      // {} api.run = (socket, data) => helper(data) }`): its root sees the names around it.
      if (fn.closure && !this.deferredScopes.has(`${fn.mod}:${fn.def.id}`))
        this.deferredScopes.set(`${fn.mod}:${fn.def.id}`, fn.closure);
      this.deferred.push({
        mod: fn.mod,
        def: fn.def,
        text: fn.def.text,
        name: fn.def.childForFieldName('name')?.text ?? '',
      });
    }
  }

  takeDeferred(): EntryFunction[] {
    const out = this.deferred;
    this.deferred = [];
    return out;
  }

  /**
   * The constant string of an expression of a module, also when it is a member of an enum or a
   * `const` object literal, declared in the module or imported from one of the project's
   * (`RouteKey.ASSET`; see `declaredMember`).
   */
  private constantOf(node: Node, module: JsModule, mod: number): string | undefined {
    const own = module.constantString(node);
    if (own !== undefined) return own;
    const n = unwrap(node);
    const object = n.type === 'member_expression' ? unwrap(n.childForFieldName('object') ?? n) : undefined;
    const member = n.childForFieldName('property');
    if (object?.type !== 'identifier' || member?.type !== 'property_identifier') return undefined;
    const bindings = module.bindingsOf(object);
    const b = bindings?.length === 1 ? bindings[0] : undefined;
    if (b?.kind !== 'import')
      return declaredMember(this.unit(mod).file.tree.rootNode, module, object.text, member.text);
    const target = this.resolve(`${b.canonical}.${member.text}`);
    if (!target || target.rest.length !== 2) return undefined;
    const unit = this.unit(target.mod);
    return declaredMember(unit.file.tree.rootNode, unit.module, target.rest[0], target.rest[1]);
  }

  /** Handlers of a module by function node id: functions its routing calls register. */
  private handlersOf(mod: number): Map<number, Handler> {
    let found = this.handlers.get(mod);
    if (found) return found;
    const { module, file } = this.unit(mod);
    found = declaredHandlers(this.path(mod), module, file.tree.rootNode, (n, m) =>
      this.constantOf(n, m, mod),
    );
    this.handlers.set(mod, found);
    const calls = new Map<number, RouteRequest>();
    this.routeCalls.set(mod, calls);
    for (const call of module.calls) {
      const method = call.methodName;
      const receiver = call.receiver ? module.qualifiedName(call.receiver) : undefined;
      const server = SERVERS.find((s) => call.callee !== undefined && s.callees.has(call.callee));
      const handler =
        (method !== undefined && receiver !== undefined
          ? routeRequest(receiver, method, call.args[0], module)
          : undefined) ??
        (server && { requestParam: server.requestParam, request: server.request, listener: false });
      if (!handler) {
        if (method !== undefined && call.receiver)
          this.candidateRoute(module, call.node, method, call.args, calls, found);
        continue;
      }
      const { requestParam, request, listener } = handler;
      calls.set(call.node.id, handler);
      // The function that registers a server's listener starts the server: it runs as an entry
      // point too, so its listeners see what it set up before (see `RouteRequest.listener`).
      const setup = listener ? enclosingFunction(call.node) : undefined;
      if (setup) this.setupsOf(mod).add(setup.id);
      for (const a of call.args) {
        const def = functionNodeOf(a, module);
        if (def) found.set(def.id, requestHandler(requestParam, request));
      }
    }
    for (const [id, handler] of this.importedEndpoints().get(mod) ?? [])
      if (!found.has(id)) found.set(id, handler);
    return found;
  }

  /**
   * A route setup known by its shape (`this.route('GET', '/a', req => ...)`, see
   * `ROUTE_CANDIDATES`): its handlers written in the module are entry points; the call is noted so
   * that, when it runs, handlers written elsewhere receive the request too (evaluate.ts `libCall`).
   */
  private candidateRoute(
    module: JsModule,
    node: Node,
    method: string,
    args: readonly Node[],
    calls: Map<number, RouteRequest>,
    found: Map<number, Handler>,
  ): void {
    const setup = candidateSetup(method, args, module);
    if (!setup) return;
    calls.set(node.id, { requestParam: 0, request: setup.request, candidate: true });
    for (const a of setup.handlers) {
      const def = functionNodeOf(a, module);
      if (def && isHandlerCandidate(def)) found.set(def.id, requestHandler(0, setup.request));
    }
  }

  /** Handlers of endpoint objects whose handler another module exports, by that module. */
  private endpointImports?: Map<number, Map<number, Handler>>;

  /**
   * Endpoint objects (`{ method: 'post', path: '/login', handler: loginHandler }`, see
   * `ROUTE_CANDIDATES`) whose handler is imported: the function the other module exports is a
   * handler of that module. Found once, over the modules whose text may list such objects.
   */
  private importedEndpoints(): Map<number, Map<number, Handler>> {
    if (this.endpointImports) return this.endpointImports;
    const out = new Map<number, Map<number, Handler>>();
    this.endpointImports = out;
    for (let i = 0; i < this.modules.count; i++) {
      if (!this.isProjectCode(i) || !textTest(this.modules, i, ENDPOINT_LIST)) continue;
      const { module, file } = this.unit(i);
      for (const obj of file.tree.rootNode.descendantsOfType('object')) {
        const endpoint = obj ? endpointObject(obj, module) : undefined;
        const h = endpoint ? unwrap(endpoint.handler) : undefined;
        const bindings = h?.type === 'identifier' ? module.bindingsOf(h) : undefined;
        const b = bindings?.length === 1 ? bindings[0] : undefined;
        const target = b?.kind === 'import' ? this.resolve(b.canonical) : undefined;
        if (!endpoint || !target || target.rest.length !== 1 || target.mod === i) continue;
        const unit = this.unit(target.mod);
        const def = exportedFunction(unit.module, unit.file.tree.rootNode, target.rest[0]);
        if (!def || !isHandlerCandidate(def)) continue;
        let m = out.get(target.mod);
        if (!m) out.set(target.mod, (m = new Map()));
        if (!m.has(def.id)) m.set(def.id, requestHandler(0, endpoint.request));
      }
    }
    return out;
  }
}

/** The function a node is written in, if any. */
function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p;
  return undefined;
}
