/**
 * Handlers frameworks find by declaration rather than by a routing call: NestJS controllers
 * (decorators), Next.js route files and server actions (file paths, exports, directives) and Hapi
 * route objects. The models are in ../models/frameworks.ts; each handler found says what every
 * parameter receives.
 */
import type { Node } from '../../../parsing/parser.js';
import { objectLiteral, objectProperties } from '../helpers/objects.js';
import {
  HAPI,
  MESSAGE_LISTENER,
  NEST,
  NEXT,
  ROUTE_CANDIDATES,
  type ParamSeed,
} from '../models/frameworks.js';
import { NEST_VALIDATION } from '../models/validation.js';
import type { RequestObject } from '../models/requests.js';
import type { JsModule } from '../semantic/model.js';
import { FUNCTION_TYPES, propertyName, unwrap } from '../semantic/scope.js';

/** A handler a framework calls: what it passes at each parameter position. */
export interface Handler {
  readonly params: ReadonlyMap<number, ParamSeed>;
}

/** A handler whose request object is at one position. */
export function requestHandler(position: number, request: RequestObject): Handler {
  return { params: new Map([[position, request]]) };
}

/** The parameter patterns of a function (an arrow's single parameter too). */
export function paramsOf(def: Node): Node[] {
  const single = def.childForFieldName('parameter');
  if (single) return [single];
  return (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p.type !== 'comment');
}

/** The function an argument is: written in place, or named by a declaration of the module. */
export function functionNodeOf(arg: Node, module: JsModule): Node | undefined {
  const a = unwrap(arg);
  if (FUNCTION_TYPES.has(a.type)) return a;
  if (a.type !== 'identifier') return undefined;
  const bindings = module.bindingsOf(a);
  const b = bindings?.length === 1 ? bindings[0] : undefined;
  if (b?.kind === 'def') return b.node;
  if (b?.kind === 'value' && FUNCTION_TYPES.has(unwrap(b.value).type)) return unwrap(b.value);
  return undefined;
}

/** Whether a module may hold a handler of these frameworks, by its path and text. */
export function mayHoldDeclaredHandler(path: string, text: string): boolean {
  return (
    NEXT.appRoute.test(path) ||
    ROUTE_CANDIDATES.fileRoute.test(path) ||
    NEXT.apiRoute.test(path) ||
    NEXT.middleware.test(path) ||
    text.includes(NEXT.serverAction) ||
    text.includes('@nestjs/') ||
    HAPI.named.test(text) ||
    /\bonmessage\b|addEventListener\(\s*['"]message/.test(text) ||
    /\bhandler\b/.test(text) ||
    CANDIDATE_SETUP_HINT.test(text)
  );
}

/** A call that may set up a route by shape: a verb method or `route` with a constant first argument. */
const CANDIDATE_SETUP_HINT = /\.(route|addRoute|get|post|put|patch|delete|head|options|all)\(\s*['"`]/;

/**
 * Reads the constant string an expression is where the module alone may not fix it: a member of an
 * enum or constant object another module exports (`@Controller(RouteKey.ASSET)`).
 */
export type ConstantReader = (node: Node, module: JsModule) => string | undefined;

/** The handlers of a module found by declaration, by function node id. */
export function declaredHandlers(
  path: string,
  module: JsModule,
  root: Node,
  constant: ConstantReader = (n, m) => m.constantString(n),
): Map<number, Handler> {
  const found = new Map<number, Handler>();
  nestHandlers(module, root, found, constant);
  nextHandlers(path, module, root, found);
  hapiHandlers(module, root, found);
  messageListeners(module, root, found);
  endpointObjects(module, root, found);
  fileRoutes(path, module, root, found);
  return found;
}

// Route handlers known by their shape (see `ROUTE_CANDIDATES`).

/** Whether a function's parameters are named as a request handler's. */
export function isHandlerCandidate(def: Node): boolean {
  const params = paramsOf(def);
  return (
    params.length > 0 &&
    params.length <= ROUTE_CANDIDATES.params.length &&
    params.every((p, i) => ROUTE_CANDIDATES.params[i].test(unwrapParam(p) ?? ''))
  );
}

/** The request a candidate route's handlers receive: routed when its path begins with a fixed segment. */
function candidateRequest(path: string): RequestObject {
  const routed = /^\/[\w.~-]/.test(path);
  return routed ? { ...ROUTE_CANDIDATES.request, routed } : ROUTE_CANDIDATES.request;
}

/**
 * A route setup by shape: `x.route(VERB, PATH, ...handlers)` or `x.verb(PATH, ...handlers)` with
 * the verb and path constants; the request its handlers receive and the arguments that may be
 * handlers. The receiver is not looked at (the caller leaves out those a framework model knows).
 */
export function candidateSetup(
  method: string,
  args: readonly Node[],
  module: JsModule,
): { request: RequestObject; handlers: readonly Node[] } | undefined {
  const byVerb = ROUTE_CANDIDATES.routeMethods.has(method);
  if (!byVerb && !ROUTE_CANDIDATES.verbs.test(method)) return undefined;
  const verb = byVerb ? (args[0] ? module.constantString(args[0]) : undefined) : method;
  const pathArg = byVerb ? args[1] : args[0];
  const path = pathArg ? module.constantString(pathArg) : undefined;
  if (verb === undefined || !ROUTE_CANDIDATES.verbs.test(verb)) return undefined;
  if (path === undefined || !ROUTE_CANDIDATES.path.test(path)) return undefined;
  return { request: candidateRequest(path), handlers: args.slice(byVerb ? 2 : 1) };
}

/**
 * An endpoint object by shape, `{ method: VERB, path: PATH, handler }`: the request its handler
 * receives and the handler's value node.
 */
export function endpointObject(
  obj: Node,
  module: JsModule,
): { request: RequestObject; handler: Node } | undefined {
  const { method, path, handler } = ROUTE_CANDIDATES.object;
  if (!obj.text.includes(handler)) return undefined;
  const props = objectProperties(obj, module);
  const m = props.get(method);
  const p = props.get(path);
  const h = props.get(handler);
  const verb = m ? module.constantString(m.value) : undefined;
  const route = p ? module.constantString(p.value) : undefined;
  if (!h || verb === undefined || route === undefined) return undefined;
  if (!ROUTE_CANDIDATES.verbs.test(verb) || !ROUTE_CANDIDATES.path.test(route)) return undefined;
  return { request: candidateRequest(route), handler: h.value };
}

/**
 * File-based routes other than Next.js's (`api/store/carts/route.ts` exporting `GET` and `POST`):
 * a module named `route` whose exports named by HTTP verbs are shaped as request handlers.
 */
function fileRoutes(path: string, module: JsModule, root: Node, found: Map<number, Handler>): void {
  if (!ROUTE_CANDIDATES.fileRoute.test(path) || NEXT.appRoute.test(path)) return;
  const routed = !NEXT.catchAll.test(path);
  for (const [name, def] of exportedFunctions(module, root))
    if (NEXT.verbs.test(name) && !found.has(def.id) && isHandlerCandidate(def))
      found.set(
        def.id,
        requestHandler(0, routed ? { ...ROUTE_CANDIDATES.request, routed } : ROUTE_CANDIDATES.request),
      );
}

/** Endpoint objects whose handler is written in the module (a Hapi route's stays Hapi's). */
function endpointObjects(module: JsModule, root: Node, found: Map<number, Handler>): void {
  for (const obj of root.descendantsOfType('object')) {
    const endpoint = obj ? endpointObject(obj, module) : undefined;
    const def = endpoint ? functionNodeOf(endpoint.handler, module) : undefined;
    if (endpoint && def && !found.has(def.id) && isHandlerCandidate(def))
      found.set(def.id, requestHandler(0, endpoint.request));
  }
}

// NestJS.

/** The decorators of a class (written on it, or on the `export` that declares it) or of a member. */
function decoratorsOf(node: Node): Node[] {
  if (node.type === 'method_definition') {
    // A member's decorators are the class body's children written just before it.
    const siblings = node.parent?.namedChildren ?? [];
    const out: Node[] = [];
    for (
      let i = siblings.findIndex((c) => c.equals(node)) - 1;
      i >= 0 && siblings[i].type === 'decorator';
      i--
    )
      out.push(siblings[i]);
    return out;
  }
  const own = node.namedChildren.filter((c) => c.type === 'decorator');
  const parent = node.parent;
  return parent?.type === 'export_statement'
    ? [...parent.namedChildren.filter((c) => c.type === 'decorator'), ...own]
    : own;
}

/** A decorator's canonical name and its arguments (`@Param('id', ParseIntPipe)`). */
function decorator(d: Node, module: JsModule): { name: string | undefined; args: Node[] } {
  const e = d.namedChildren[0];
  const fn = e?.type === 'call_expression' ? e.childForFieldName('function') : e;
  const args =
    e?.type === 'call_expression'
      ? (e.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment')
      : [];
  return { name: fn ? module.qualifiedName(fn) : undefined, args };
}

function nestHandlers(
  module: JsModule,
  root: Node,
  found: Map<number, Handler>,
  constant: ConstantReader,
): void {
  for (const cls of root.descendantsOfType(['class_declaration', 'abstract_class_declaration', 'class'])) {
    const controller = cls
      ? decoratorsOf(cls)
          .map((d) => decorator(d, module))
          .find((d) => NEST.controller.test(d.name ?? ''))
      : undefined;
    if (!cls || !controller) continue;
    const prefixes = nestPaths(controller.args[0], module, constant, true);
    for (const m of cls.childForFieldName('body')?.namedChildren ?? []) {
      if (m.type !== 'method_definition') continue;
      const route = decoratorsOf(m)
        .map((d) => decorator(d, module))
        .find((d) => NEST.route.test(d.name ?? ''));
      if (!route) continue;
      const params = new Map<number, ParamSeed>();
      const validated = [m, cls].some((n) => decoratorsOf(n).some((d) => validationPipe(d, module)));
      const routed = nestRouted(prefixes, nestPaths(route.args[0], module, constant, false));
      paramsOf(m).forEach((p, i) => {
        const seed = nestParam(p, module, validated);
        if (seed && routed && typeof seed === 'object' && 'members' in seed)
          params.set(i, { ...seed, routed });
        else if (seed) params.set(i, seed);
      });
      found.set(m.id, { params });
    }
  }
}

/**
 * The paths a NestJS controller or route decorator gives (`'assets'`, `['a', 'b']`, none for the
 * root; a controller's options object names it as `path`), or undefined when one is not constant.
 */
function nestPaths(
  arg: Node | undefined,
  module: JsModule,
  constant: ConstantReader,
  options: boolean,
): string[] | undefined {
  if (!arg) return [''];
  const a = unwrap(arg);
  if (options && a.type === 'object') {
    const path = objectProperties(a, module).get('path');
    return path ? nestPaths(path.value, module, constant, false) : [''];
  }
  const items = a.type === 'array' ? a.namedChildren.filter((c) => c.type !== 'comment') : [a];
  const out: string[] = [];
  for (const item of items) {
    const path = constant(item, module);
    if (path === undefined) return undefined;
    out.push(path);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The constant string of a member of an enum or of a `const` object literal a module declares at
 * its top (exported or not): `RouteKey.ASSET` of `enum RouteKey { ASSET = 'assets' }`.
 */
export function declaredMember(
  root: Node,
  module: JsModule,
  name: string,
  member: string,
): string | undefined {
  for (const s of root.namedChildren) {
    const decl = s.type === 'export_statement' ? s.childForFieldName('declaration') : s;
    if (decl?.type === 'enum_declaration' && decl.childForFieldName('name')?.text === name) {
      for (const m of decl.childForFieldName('body')?.namedChildren ?? []) {
        if (m.type !== 'enum_assignment' || propertyName(m.childForFieldName('name')) !== member) continue;
        const value = m.childForFieldName('value');
        return value ? module.constantString(value) : undefined;
      }
      return undefined;
    }
    if (decl?.type !== 'lexical_declaration' || !/^const\b/.test(decl.text)) continue;
    for (const d of decl.namedChildren) {
      if (d.type !== 'variable_declarator' || d.childForFieldName('name')?.text !== name) continue;
      const value = d.childForFieldName('value');
      const object = value ? objectLiteral(value, module) : undefined;
      const property = object ? objectProperties(object, module).get(member) : undefined;
      return property ? module.constantString(property.value) : undefined;
    }
  }
  return undefined;
}

/**
 * Whether every route a controller's paths and a handler's paths make (NestJS joins them with one
 * slash; a global prefix or a version adds fixed segments before them) begins with
 * a fixed segment, so no path that reaches the handler begins with `//` or `/\` (see
 * `RequestObject.routed`).
 */
function nestRouted(prefixes: string[] | undefined, paths: string[] | undefined): boolean {
  if (!prefixes || !paths) return false;
  const trim = (p: string): string => p.replace(/^\/+|\/+$/g, '');
  return prefixes.every((c) =>
    paths.every((p) => /^\/[\w.~-]/.test(`/${[trim(c), trim(p)].filter((x) => x !== '').join('/')}`)),
  );
}

/** Whether a decorator applies NestJS's validation pipe (`@UsePipes(new ValidationPipe())`). */
function validationPipe(d: Node, module: JsModule): boolean {
  const { name, args } = decorator(d, module);
  return NEST_VALIDATION.usePipes.test(name ?? '') && args.some((a) => isValidationPipe(a, module));
}

/** Whether an argument is NestJS's validation pipe, a class or an instance. */
function isValidationPipe(a: Node, module: JsModule): boolean {
  const pipe = unwrap(a).type === 'new_expression' ? unwrap(a).childForFieldName('constructor') : a;
  return pipe !== null && NEST_VALIDATION.pipe.test(module.qualifiedName(pipe) ?? '');
}

/**
 * What a NestJS parameter decorator injects: input, a number a pipe parsed, or the request. Input
 * declared as a class (a DTO) names it, for its validated fields (`validated`: a validation pipe of
 * the handler or controller runs, or one of the parameter's own).
 */
function nestParam(p: Node, module: JsModule, validated: boolean): ParamSeed | undefined {
  for (const d of p.namedChildren.filter((c) => c.type === 'decorator')) {
    const { name, args } = decorator(d, module);
    const short = name !== undefined ? NEST.decorators.exec(name)?.[1] : undefined;
    const model = short !== undefined ? NEST.params[short] : undefined;
    if (!model) continue;
    if (model !== 'input') return model;
    const parsed = args.some((a) => {
      const pipe = unwrap(a).type === 'new_expression' ? unwrap(a).childForFieldName('constructor') : a;
      return pipe !== null && NEST.parsingPipes.test(module.qualifiedName(pipe) ?? '');
    });
    if (parsed) return 'clean';
    const field = args[0] ? module.constantString(args[0]) : undefined;
    const input = field !== undefined ? `@${short}('${field}')` : `@${short}()`;
    const type = p.childForFieldName('type')?.namedChildren[0];
    if (type?.type !== 'type_identifier') return { input };
    return { input, dto: { type, validated: validated || args.some((a) => isValidationPipe(a, module)) } };
  }
  return undefined;
}

// Next.js.

/** Whether a body (a program or a function's block) begins with a directive. */
function hasDirective(body: Node | null, directive: string): boolean {
  for (const s of body?.namedChildren ?? []) {
    if (s.type === 'comment') continue;
    const e = s.type === 'expression_statement' ? s.namedChildren[0] : undefined;
    if (e?.type !== 'string') return false;
    if (e.text.slice(1, -1) === directive) return true;
  }
  return false;
}

/** The function a module exports under a name, if it is one written in the module. */
export function exportedFunction(module: JsModule, root: Node, name: string): Node | undefined {
  return exportedFunctions(module, root).get(name);
}

/** The functions a module exports, by exported name (`export function GET`, `export const GET = ...`, `export { h as GET }`, `export default`). */
function exportedFunctions(module: JsModule, root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const locals = new Map<string, Node>();
  const add = (name: string, value: Node | null): void => {
    const def = value ? functionNodeOf(value, module) : undefined;
    if (def) out.set(name, def);
  };
  for (const s of root.namedChildren) {
    const decl = s.type === 'export_statement' ? s.childForFieldName('declaration') : s;
    const exported = s.type === 'export_statement';
    const isDefault = exported && /^export\s+default\b/.test(s.text);
    if (!decl) {
      const value = exported ? s.childForFieldName('value') : null;
      const def = value && isDefault ? defaultFunction(value, module) : undefined;
      if (def) add('default', def);
      continue;
    }
    if (decl.type === 'function_declaration' || decl.type === 'generator_function_declaration') {
      const name = decl.childForFieldName('name')?.text;
      if (name) locals.set(name, decl);
      if (exported && name) out.set(name, decl);
      if (isDefault) out.set('default', decl);
    } else if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        const def = value ? functionNodeOf(value, module) : undefined;
        if (name?.type !== 'identifier' || !def) continue;
        locals.set(name.text, def);
        if (exported) out.set(name.text, def);
      }
    }
  }
  for (const s of root.namedChildren) {
    if (s.type !== 'export_statement' || s.childForFieldName('source')) continue;
    for (const clause of s.namedChildren.filter((c) => c.type === 'export_clause'))
      for (const spec of clause.namedChildren) {
        const name = spec.childForFieldName('name')?.text;
        const alias = spec.childForFieldName('alias')?.text ?? name;
        const def = name !== undefined ? locals.get(name) : undefined;
        if (alias !== undefined && def) out.set(alias, def);
      }
  }
  return out;
}

/** The function a default export is: written in place, named, or wrapped (`export default withAuth(handler)`). */
function defaultFunction(value: Node, module: JsModule): Node | undefined {
  const v = unwrap(value);
  if (v.type !== 'call_expression') return v;
  const args = v.childForFieldName('arguments')?.namedChildren ?? [];
  for (const a of args) {
    const inner = defaultFunction(a, module);
    if (inner && functionNodeOf(inner, module)) return inner;
  }
  return undefined;
}

function nextHandlers(path: string, module: JsModule, root: Node, found: Map<number, Handler>): void {
  const appRoute = NEXT.appRoute.test(path);
  const apiRoute = NEXT.apiRoute.test(path);
  const actions = hasDirective(root, NEXT.serverAction);
  const middleware = NEXT.middleware.test(path) && NEXT.server.test(root.text);
  if (appRoute || apiRoute || actions || middleware) {
    const routed = !NEXT.catchAll.test(path);
    for (const [name, def] of exportedFunctions(module, root)) {
      if (appRoute && NEXT.verbs.test(name))
        found.set(def.id, {
          params: new Map(NEXT.routeParams.map((r, i) => [i, routed ? { ...r, routed } : r])),
        });
      else if (apiRoute && name === 'default') found.set(def.id, requestHandler(0, NEXT.apiRequest));
      else if (middleware && NEXT.middlewareExports.test(name))
        found.set(def.id, requestHandler(0, NEXT.routeParams[0]));
      else if (actions) found.set(def.id, actionHandler(def));
    }
  }
  // A function whose own body begins with the directive is a server action wherever it is written.
  if (!root.text.includes(NEXT.serverAction)) return;
  for (const def of root.descendantsOfType([...FUNCTION_TYPES]))
    if (def && hasDirective(def.childForFieldName('body'), NEXT.serverAction))
      found.set(def.id, actionHandler(def));
}

/** Every parameter of a server action is what the client sent. */
function actionHandler(def: Node): Handler {
  return { params: new Map(paramsOf(def).map((_, i) => [i, { input: 'server action argument' }])) };
}

// Hapi.

function hapiHandlers(module: JsModule, root: Node, found: Map<number, Handler>): void {
  const named = HAPI.named.test(root.text);
  for (const obj of root.descendantsOfType('object')) {
    if (!obj) continue;
    const props = objectProperties(obj, module);
    const path = props.get('path');
    if (!props.has('method') || !path) continue;
    const route = path ? module.constantString(path.value) : undefined;
    let handler = props.get('handler');
    for (const holder of HAPI.handlerHolders) {
      if (handler) break;
      const inner = props.get(holder);
      const literal = inner ? objectLiteral(inner.value, module) : undefined;
      handler = literal ? objectProperties(literal, module).get('handler') : undefined;
    }
    const def = handler ? functionNodeOf(handler.value, module) : undefined;
    if (!def) continue;
    const params = paramsOf(def);
    const toolkit = params[1] !== undefined && unwrapParam(params[1]) === HAPI.toolkit;
    if (!named && !toolkit) continue;
    const routed = route !== undefined && /^\/[\w.~-]/.test(route);
    found.set(def.id, requestHandler(0, routed ? { ...HAPI.request, routed } : HAPI.request));
  }
}

/** The name a parameter binds (`h`, `h: ResponseToolkit`). */
function unwrapParam(p: Node): string | undefined {
  const inner =
    p.type === 'required_parameter' || p.type === 'optional_parameter' ? p.childForFieldName('pattern') : p;
  return inner?.type === 'identifier' ? inner.text : undefined;
}

// The browser's `message` listeners.

function messageListeners(module: JsModule, root: Node, found: Map<number, Handler>): void {
  const add = (fn: Node | undefined): void => {
    const def = fn ? functionNodeOf(fn, module) : undefined;
    if (def && !MESSAGE_LISTENER.originCheck.test(def.text))
      found.set(def.id, requestHandler(0, MESSAGE_LISTENER.request));
  };
  for (const call of module.calls) {
    const receiver = call.receiver;
    if (call.methodName !== 'addEventListener' || !receiver || !MESSAGE_LISTENER.receiver.test(receiver.text))
      continue;
    if (call.args[0] && module.constantString(call.args[0]) === MESSAGE_LISTENER.event) add(call.args[1]);
  }
  for (const a of root.descendantsOfType('assignment_expression')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'member_expression' || !right) continue;
    const object = left.childForFieldName('object');
    if (
      left.childForFieldName('property')?.text === `on${MESSAGE_LISTENER.event}` &&
      object &&
      MESSAGE_LISTENER.receiver.test(object.text)
    )
      add(right);
  }
}
