/**
 * Entry points of a Python project: which modules and functions may read a source (by their
 * text and the names they bind), and how a function runs as a root, its parameters filled from
 * the client's request where the framework does so. The rounds themselves are the core driver's.
 */
import { textEntryHint, textMatches, textTest } from '../../../dataflow/text-reads.js';
import type { Node } from '../../../parsing/parser.js';
import { escapeRegExp } from '../../../core/escape.js';
import type { EntryFunction } from '../../../dataflow/driver.js';
import { ROOT_BUDGET } from '../../../dataflow/limits.js';
import {
  LOWER_TRUST_ATTRIBUTES,
  LOWER_TRUST_CALLS,
  REQUEST_HANDLER_CLASSES,
  REQUEST_TYPES,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
} from './specs.js';
import type { TaintOptions } from '../../../dataflow/specs.js';
import { UNKNOWN, sanitize, type Callable, type Val } from '../../../dataflow/value.js';
import { isTestFile } from '../test-files.js';
import { routeArgumentSafeCwes, routeMayStartWithDoubleSlash } from './tornado-routes.js';
import { invokeFn } from './calls.js';
import {
  ENVIRON_ENTRY_POINTS,
  HANDLER_METHOD_PARAMETERS,
  PATTERN_SERVLETS,
  REQUEST_HANDLER_PARAMETER_NAMES,
  REQUEST_PARAMETER_NAMES,
  CALLBACK_TEXT,
  ROUTE_DECORATOR,
  ROUTE_TEXT,
  SOURCE_HINT_WORDS,
  urlParametersFollowRequest,
  UNHINTED_SOURCE_PACKAGES,
} from '../models/index.js';
import type { Interpreter } from './interpreter.js';
import { inheritingSubclasses } from './subclasses.js';
import { moduleEnv } from './modules.js';
import { adminGuardOf } from './admin-routes.js';
import {
  pathConverter,
  patternParameters,
  routeParameterHoldsText,
  segmentPathParameters,
} from './route-parameters.js';
import { runPreludes } from './view-preludes.js';
import { convertedValue } from './converters.js';
import { asSegment, chosenByApp, chosenByModel, sourceVal } from './sources.js';
import { annotatedOnlyWith, callbackOf, holdsExposedClass } from './callbacks.js';
import { annotatedClass, validatedModel } from './validated-models.js';
import { getAttr } from './attributes.js';
import { enclosingClass, field, named, textOf, typeOf } from './syntax.js';
import { HTTP_METHODS, type EnvironEntryPoint, type HandlerMethodParameters } from '../models/concepts.js';
import { decoratorExpression, decoratorsOf } from '../helpers/functions.js';

/**
 * Names that show a function may read a source: its text is tested before the function is run as
 * an entry point, and a file's text before the file is parsed for the project pass.
 */
export function sourceHint(options: TaintOptions): RegExp {
  const words = [...SOURCE_HINT_WORDS];
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
    if (parts.length > 1 && !UNHINTED_SOURCE_PACKAGES.has(parts[0]))
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
  return (path, text) =>
    !isTestFile(path) &&
    (hint.test(text) || ROUTE_TEXT.test(text) || HANDLER_TEXT.test(text) || CALLBACK_TEXT.test(text));
}

/** mayHoldEntryPoint for a module of the project. */
export function moduleMayHoldEntryPoint(it: Interpreter, mod: number): boolean {
  // The language's own test (the one the engine makes of every file), read through the ledger.
  const path = it.modules.path(mod);
  const hint = (it.entryHint ??= mayHoldEntryPoint(it.options));
  // A class whose instance another module registers with a framework (its methods are callbacks).
  return textEntryHint(it.modules, mod, (text) => hint(path, text)) || holdsExposedClass(it, mod);
}

/** A function of the first round: a route, or one that may read a source. */
export function isEntryPoint(it: Interpreter, f: EntryFunction): boolean {
  return (
    isRoute(f.def) ||
    mayReadSource(it, f, it.hint, it.hintWords) ||
    takesPathArguments(it, f) ||
    callbackOf(it, f.mod, f.def) !== undefined ||
    takesHandlerParameters(it, f) ||
    takesRequestHandler(it, f)
  );
}

/** The names of the request handler classes (`RequestHandler`), as they show in a module's text. */
const HANDLER_TEXT = new RegExp(
  `\\b(${[
    ...new Set(
      [...REQUEST_HANDLER_CLASSES, ...HANDLER_METHOD_PARAMETERS.flatMap((h) => h.bases)].map(
        (c) => c.split('.').pop() ?? c,
      ),
    ),
  ].join('|')})\\b`,
);

/**
 * A method that a framework calls with the client's data (see FrameworkModel.handlerMethodParameters):
 * it reads the client whatever words its body uses.
 */
function takesHandlerParameters(it: Interpreter, f: EntryFunction): boolean {
  if (!HANDLER_METHOD_NAMES.has(f.name)) return false;
  const classNode = enclosingClass(f.def);
  if (!classNode || !textTest(it.modules, f.mod, HANDLER_TEXT)) return false;
  moduleEnv(it, f.mod);
  const cls = it.classOfDef.get(`${f.mod}:${classNode.id}`);
  return cls !== undefined && handlerParameters(it, cls, f.name) !== undefined;
}

/**
 * A class method or static method of a request handler class that takes the handler of the request
 * at hand (see FrameworkModel.requestHandlerParameterNames): it reads the client through it.
 */
function takesRequestHandler(it: Interpreter, f: EntryFunction): boolean {
  const params = named(field(f.def, 'parameters') ?? f.def).map((p) => paramName(p));
  if (!params.some((p) => p !== undefined && REQUEST_HANDLER_PARAMETER_NAMES.has(p))) return false;
  const classNode = enclosingClass(f.def);
  if (!classNode || !classOrStaticMethod(f.def) || !textTest(it.modules, f.mod, HANDLER_TEXT)) return false;
  moduleEnv(it, f.mod);
  const cls = it.classOfDef.get(`${f.mod}:${classNode.id}`);
  return cls !== undefined && handlesRequests(it, cls);
}

const HANDLER_METHOD_NAMES: ReadonlySet<string> = new Set(
  HANDLER_METHOD_PARAMETERS.flatMap((h) => h.methods),
);

/** The model of a method of a class whose library base the framework calls it on, if any. */
function handlerParameters(
  it: Interpreter,
  cls: number,
  method: string,
): HandlerMethodParameters | undefined {
  if (!HANDLER_METHOD_NAMES.has(method)) return undefined;
  const models = HANDLER_METHOD_PARAMETERS.filter((h) => h.methods.includes(method));
  return models.find((h) => inherits(it, cls, new Set(h.bases)));
}

/** Whether a class has one of these library classes among its bases, directly or through its own bases. */
export function inherits(
  it: Interpreter,
  cls: number,
  bases: ReadonlySet<string>,
  seen = new Set<number>(),
): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  const c = it.heap.get(cls);
  if (!c) return false;
  if (c.libBases?.some((b) => bases.has(b))) return true;
  return (c.bases ?? []).some((b) => inherits(it, b, bases, seen));
}

/**
 * An HTTP method of a request handler class that takes the URL's groups (`def get(self, path)`):
 * it reads the client whatever words its body uses.
 */
function takesPathArguments(it: Interpreter, f: EntryFunction): boolean {
  if (!isHttpMethod(f.name)) return false;
  if (named(field(f.def, 'parameters') ?? f.def).length < 2) return false;
  const classNode = enclosingClass(f.def);
  if (!classNode || !textTest(it.modules, f.mod, HANDLER_TEXT)) return false;
  // The module's body defines the class (it runs once).
  moduleEnv(it, f.mod);
  const cls = it.classOfDef.get(`${f.mod}:${classNode.id}`);
  return cls !== undefined && handlesRequests(it, cls);
}

/**
 * Whether a function may read a source when run as an entry point. Its text names one, and not
 * only in comments, docstrings or other string literals; and a `request`/`req` it names is not
 * only a variable of its own (`for request in spec.requests:`), which holds no client data.
 */
export function mayReadSource(
  it: Interpreter,
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
    if (!REQUEST_PARAMETER_NAMES.has(m[1])) return true;
    requestNamed = true;
  }
  if (!requestNamed) return false;
  const module = it.mods(f.mod).module;
  return outer.descendantsOfType('identifier').some((id) => {
    const name = textOf(id);
    if (!REQUEST_PARAMETER_NAMES.has(name)) return false;
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
export function functions(it: Interpreter, mod: number): EntryFunction[] {
  const all: EntryFunction[] = [];
  for (const def of it.mods(mod).file.tree.rootNode.descendantsOfType('function_definition')) {
    const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
    all.push({ mod, def, text: textOf(outer), name: field(def, 'name')?.text ?? '' });
  }
  return all;
}

/** Whether instances of the class handle one request each (a subclass of Tornado's RequestHandler). */
function handlesRequests(it: Interpreter, cls: number): boolean {
  return inherits(it, cls, REQUEST_HANDLER_CLASSES);
}

/** A parameter annotated with a request class (`handler: web.RequestHandler`). */
function annotatedRequest(it: Interpreter, mod: number, p: Node): boolean {
  const type = field(p, 'type');
  const annotation = type?.type === 'type' ? named(type)[0] : type;
  if (!annotation) return false;
  const q = it.mods(mod).module.qualifiedName(annotation);
  return q !== undefined && (REQUEST_TYPES.has(q) || REQUEST_HANDLER_CLASSES.has(q));
}

/** Runs one function as an entry point; returns what it returned. */
export function runRoot(it: Interpreter, mod: number, def: Node): Val {
  it.budget = ROOT_BUDGET;
  it.heap.startRoot();
  it.requestGlobals.clear();
  it.adminGuard = it.options.adminInput === 'untrusted' ? undefined : adminGuardOf(it, mod, def);
  it.branchDepth = 0;
  const fn = callableForRoot(it, mod, def);
  const params = named(field(def, 'parameters') ?? def);
  const args: Val[] = [];
  let selfVal: Val | undefined;
  const route = isRoute(def);
  const segments = route ? segmentPathParameters(def) : new Set<string>();
  const urlParams = takesUrlParameters(it, mod);
  // A function a framework calls with outside data (a component's `preprocess`, an agent's tool).
  const callback = route ? undefined : callbackOf(it, mod, def);
  const firstName = params[0] ? paramName(params[0]) : undefined;
  const isMethod =
    def.parent?.parent?.type === 'class_definition' ||
    def.parent?.parent?.parent?.type === 'class_definition';
  const kwargs = new Map<string, Val>();
  let requestSeen = false;
  // A request handler's method: `self` is the request; an HTTP method's parameters are the path's.
  const handler = isMethod && fn.cls !== undefined && handlesRequests(it, fn.cls);
  const handlerMethod = handler && isHttpMethod(field(def, 'name')?.text ?? '');
  const handlerClass = handler ? enclosingClass(def) : undefined;
  it.openPathRoute = !!handlerClass && routeMayStartWithDoubleSlash(it.mods(mod).module, handlerClass);
  const called =
    isMethod && fn.cls !== undefined
      ? handlerParameters(it, fn.cls, field(def, 'name')?.text ?? '')
      : undefined;
  const servlet = isMethod && handlerClass === undefined && servletMethod(def);
  params.forEach((p, i) => {
    const name = paramName(p);
    if (!name || splatKind(p)) return;
    // A parameter the framework fills with the request or the URL's path (`getChild(self, path, request)`).
    if (called && i > 0 && (called.request === i - 1 || called.path?.index === i - 1)) {
      let v: Val = { req: p, unk: true };
      if (called.request === i - 1) requestSeen = true;
      else if (called.path) {
        v = sourceVal(it, mod, p, `${called.path.what} \`${name}\``, 'user');
        if (called.path.segment) v = asSegment(v);
      }
      kwargs.set(name, v);
      args.push(v);
      return;
    }
    // The instance or class, never the client's data (even when the class is not known).
    if (i === 0 && isMethod && (name === 'self' || name === 'cls')) {
      if (fn.cls !== undefined) {
        // The class, and the subclasses that keep this method (see subclasses.ts).
        const classes = [fn.cls, ...inheritingSubclasses(it, fn.cls, fn.name)];
        selfVal =
          name === 'self'
            ? {
                o: classes.map((cls) =>
                  it.heap.alloc({ kind: 'instance', cls, fields: new Map(), fresh: true }),
                ),
                ...(handler ? { req: p } : {}),
              }
            : { o: classes };
        return;
      }
      kwargs.set(name, UNKNOWN);
      args.push(UNKNOWN);
      return;
    }
    let v: Val = UNKNOWN;
    if (handler && !handlerMethod && REQUEST_HANDLER_PARAMETER_NAMES.has(name) && classOrStaticMethod(def)) {
      // Another handler's `self`, passed to a class method (see requestHandlerParameterNames).
      v = { o: [it.heap.alloc({ kind: 'instance', fields: new Map() })], req: p };
      requestSeen = true;
    } else if ((route || urlParams || callback) && !routeParameterHoldsText(it, mod, def, p, name)) {
      // A dependency's result or a value the framework parsed (`id: int`, `<int:id>`).
    } else if (REQUEST_PARAMETER_NAMES.has(name) || annotatedRequest(it, mod, p)) {
      v = { req: p, unk: true };
      requestSeen = true;
    } else if (callback) {
      // Only the parameters the framework fills with outside data (its position after `self`).
      const at = isMethod && (firstName === 'self' || firstName === 'cls') ? i - 1 : i;
      if (!callback.parameters || callback.parameters.includes(at)) {
        v = sourceVal(it, mod, p, `${callback.what} \`${name}\``, 'user');
        if (callback.chosenBy === 'language-model') v = chosenByModel(v);
        if (callback.chosenBy === 'application') v = chosenByApp(v, callback.onlyFor ?? []);
        const checked = callback.checkedTypes;
        if (checked && annotatedOnlyWith(it, mod, p, checked.types)) v = sanitize(v, checked.cwe);
      }
    } else if (handlerMethod) {
      v = sourceVal(it, mod, p, `path argument \`${name}\``, 'user');
      // The group of the handler's URL pattern that fills it (`(?P<name>\w+)`).
      const safe = handlerClass
        ? routeArgumentSafeCwes(it.mods(mod).module, handlerClass, name, i - 1)
        : undefined;
      if (safe) v = sanitize(v, safe);
    } else if (servlet && requestSeen) {
      v = sourceVal(it, mod, p, `URL path group \`${name}\``, 'user');
    } else if (it.sourceParams.has(name)) {
      v = sourceVal(it, mod, p, `parameter \`${name}\``, 'user');
    } else if (route) {
      const source = sourceVal(it, mod, p, `route parameter \`${name}\``, 'user');
      const converter = pathConverter(def, name);
      const converted = converter ? convertedValue(it, converter, source) : source;
      v = validatedModel(it, mod, p, segments.has(name) ? asSegment(converted) : converted);
    } else if (environEntry(name, params)) {
      const e = environEntry(name, params);
      v = sourceVal(it, mod, p, e?.label ?? name, 'user', true);
      if (e?.notFor) v = sanitize(v, e.notFor);
    } else if (requestSeen && urlParams && firstName !== undefined && mayBeView(it, def, isMethod)) {
      v = sourceVal(it, mod, p, `URL parameter \`${name}\``, 'user');
    }
    kwargs.set(name, v);
    args.push(v);
  });
  if (handler && selfVal && field(def, 'name')?.text !== 'initialize')
    initializeHandler(it, mod, selfVal, def);
  // What the application's URL value preprocessors and before-request functions do first.
  if (route) runPreludes(it, mod, def, patternParameters(def), kwargs);
  const callable: Callable = selfVal ? { ...fn, self: selfVal } : fn;
  return invokeFn(it, callable as Extract<Callable, { kind: 'fn' }>, [], kwargs, def, 0);
}

/**
 * Tornado calls a handler's `initialize` with the keyword arguments of its route, the application's
 * own objects and never the client's, before the HTTP method. It runs first on the same instance:
 * a parameter annotated with a project class is an instance of it (`registry: ComponentRegistry`),
 * any other is unknown, so `self._registry.get_component_path(name)` runs the project's method.
 */
function initializeHandler(it: Interpreter, mod: number, self: Val, at: Node): void {
  const m = getAttr(it, self, 'initialize', mod, at);
  const init = m.fns?.length === 1 && m.fns[0].kind === 'fn' ? m.fns[0] : undefined;
  if (!init) return;
  const kwargs = new Map<string, Val>();
  for (const p of named(field(init.def, 'parameters') ?? init.def).slice(1)) {
    const name = paramName(p);
    if (!name || splatKind(p)) continue;
    const cls = annotatedClass(it, init.mod, p);
    kwargs.set(name, cls === undefined ? UNKNOWN : { o: [it.heap.newInstance(cls)] });
  }
  invokeFn(it, init, [], kwargs, at, 1);
}

/** Whether a method is decorated as a class method or static method. */
function classOrStaticMethod(def: Node): boolean {
  return decoratorsOf(def).some((d) => {
    const e = decoratorExpression(d);
    return !!e && /^(classmethod|staticmethod)$/.test(textOf(e));
  });
}

/** The application kind whose request mapping a parameter is, when its function takes the pair. */
function environEntry(name: string, params: readonly Node[]): EnvironEntryPoint | undefined {
  return ENVIRON_ENTRY_POINTS.find(
    (e) => name === e.parameter && params.some((q) => paramName(q) === e.withParameter),
  );
}

/**
 * A servlet's `on_GET` (see FrameworkModel.patternServlets): a method named for an HTTP method in
 * capitals after the prefix, of a class whose text assigns the pattern attribute.
 */
function servletMethod(def: Node): boolean {
  const name = field(def, 'name')?.text ?? '';
  const classNode = enclosingClass(def);
  if (!classNode) return false;
  return PATTERN_SERVLETS.some(
    (s) =>
      name.startsWith(s.methodPrefix) &&
      (HTTP_METHODS as readonly string[]).some((m) => name === s.methodPrefix + m.toUpperCase()) &&
      new RegExp(`\\b${escapeRegExp(s.patternAttribute)}\\s*=[^=]`).test(textOf(classNode)),
  );
}

/** The name a parameter binds (typed, defaulted or splatted). */
export function paramName(p: Node): string | undefined {
  if (p.type === 'identifier') return textOf(p);
  const n = field(p, 'name');
  if (n) return textOf(n);
  const inner = named(p)[0];
  if (inner && (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern'))
    return paramName(inner);
  return named(p).find((c) => c.type === 'identifier')?.text;
}

/**
 * A definition's named parameters as a call fills them: each with its position among the call's
 * positional arguments (-1 after `*` or `*args`: by keyword only), `self` left out when the call binds
 * it; `*args` and `**kwargs` themselves are not listed.
 */
export function parameterList(def: Node, bound: boolean): { node: Node; name: string; index: number }[] {
  const out: { node: Node; name: string; index: number }[] = [];
  const params = field(def, 'parameters');
  let index = 0;
  let skipSelf = bound;
  let keywordOnly = false;
  for (const p of params ? named(params) : []) {
    if (p.type === 'keyword_separator' || splatKind(p) === 'list') {
      keywordOnly = true;
      continue;
    }
    if (p.type === 'positional_separator' || splatKind(p) === 'dict') continue;
    const name = paramName(p);
    if (!name) continue;
    if (skipSelf) {
      skipSelf = false;
      continue;
    }
    out.push({ node: p, name, index: keywordOnly ? -1 : index++ });
  }
  return out;
}

/** `*args` / `**kwargs`, typed or not. */
export function splatKind(p: Node): 'list' | 'dict' | undefined {
  const t = p.type === 'typed_parameter' ? named(p)[0]?.type : typeOf(p);
  return t === 'list_splat_pattern' ? 'list' : t === 'dictionary_splat_pattern' ? 'dict' : undefined;
}

/** Whether a function has a route decorator (its parameters come from the URL). */
export function isRoute(def: Node): boolean {
  return decoratorCallees(def).some((d) => ROUTE_DECORATOR.test(d));
}

/** A method named for an HTTP method (`get`, `post`): a class-based view's or handler's entry. */
function isHttpMethod(name: string): boolean {
  return (HTTP_METHODS as readonly string[]).includes(name);
}

/** The actions of Django REST framework's viewsets: they take the URL's parameters after the request. */
const VIEWSET_ACTIONS = new Set(['list', 'retrieve', 'create', 'update', 'partial_update', 'destroy']);

/**
 * Whether a function that takes the request first may be a view, whose later parameters the URL
 * fills. A method may when it is an HTTP method, a viewset action or an extra `@action`; any other
 * method is a helper of its class, called with its caller's values. A module function may unless
 * the project calls it itself (`redirect_to_referrer(request, default)`: its caller chose
 * `default`) or registers it as a template tag or filter (the template passes its arguments).
 */
function mayBeView(it: Interpreter, def: Node, isMethod: boolean): boolean {
  const name = field(def, 'name')?.text ?? '';
  const decorators = decoratorCallees(def);
  if (isMethod)
    return (
      isHttpMethod(name) ||
      VIEWSET_ACTIONS.has(name) ||
      decorators.some((d) => /(^|\.)(action|detail_route|list_route)$/.test(d))
    );
  if (decorators.some((d) => /(^|\.)(simple_tag|inclusion_tag|filter|tag)$/.test(d))) return false;
  return !calledNames(it).has(name);
}

/** The callee text of each decorator of a function (`register.simple_tag`, `action`). */
function decoratorCallees(def: Node): string[] {
  return decoratorsOf(def).flatMap((d) => {
    const expr = decoratorExpression(d);
    const callee = expr?.type === 'call' ? field(expr, 'function') : expr;
    return callee ? [textOf(callee)] : [];
  });
}

/** The names the project's code calls (`name(` or `obj.name(`; not `def name(`), read once. */
function calledNames(it: Interpreter): ReadonlySet<string> {
  if (it.calledNamesCache) return it.calledNamesCache;
  const names = new Set<string>();
  const call = /(\b(?:def|class)\s+)?\b([A-Za-z_]\w*)\s*\(/g;
  for (let i = 0; i < it.modules.count; i++) {
    if (!it.isProjectCode(i)) continue;
    for (const m of textMatches(it.modules, i, call)) if (!m[1]) names.add(m[2] as string);
  }
  it.calledNamesCache = names;
  return names;
}

/** Whether a module's views take URL parameters after the request (cached per module). */
export function takesUrlParameters(it: Interpreter, mod: number): boolean {
  let v = it.urlParamsCache.get(mod);
  if (v === undefined) {
    v = urlParametersFollowRequest(it.modules.text(mod));
    it.urlParamsCache.set(mod, v);
  }
  return v;
}

/** A callable for a def node found by walking the tree (methods get their class). */
export function callableForRoot(it: Interpreter, mod: number, def: Node): Extract<Callable, { kind: 'fn' }> {
  // The module's body runs first (when nothing reached it yet): it defines the class.
  const closure = moduleEnv(it, mod);
  const classNode = enclosingClass(def);
  const cls = classNode ? it.classOfDef.get(`${mod}:${classNode.id}`) : undefined;
  return {
    kind: 'fn',
    def,
    mod,
    closure,
    cls,
    name: field(def, 'name')?.text ?? '?',
  };
}
