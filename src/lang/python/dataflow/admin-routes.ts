/**
 * Handlers only administrators reach: a route or view behind a guard the framework checks before
 * it runs (a decorator, a FastAPI dependency of the route, its router or the router's inclusion, a
 * Django admin class, a DRF permission class). The request data of such a handler is marked
 * `admin` (see sources.ts): an administrator can already change the application, so a flow only
 * they can start needs high privileges. The guard's name (`check_admin`) is what findings quote.
 */
import { textIncludes, textMatches } from '../../../dataflow/text-reads.js';
import type { Node } from '../../../parsing/parser.js';
import { ADMIN_GUARDS, ADMIN_NAME_WORDS, DEPENDENCY_MARKERS } from '../models/index.js';
import type { Interpreter } from './interpreter.js';
import { definitionOf } from './route-parameters.js';
import { enclosingClass, field, named, textOf } from './syntax.js';

const MAX_HOPS = 4;
const ADMIN_WORDS: ReadonlySet<string> = new Set(ADMIN_NAME_WORDS.admin);
const AFTER_SUPER: ReadonlySet<string> = new Set(ADMIN_NAME_WORDS.afterSuper);
const NEGATIONS: ReadonlySet<string> = new Set(ADMIN_NAME_WORDS.negations);
const QUALIFIERS: ReadonlySet<string> = new Set(ADMIN_NAME_WORDS.qualifiers);
const CLASS_GUARD_WORDS: ReadonlySet<string> = new Set(ADMIN_NAME_WORDS.classGuardWords);

/** `get_current_active_superuser` → get, current, active, superuser; `IsAdminUser` → is, admin, user. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/_+/)
    .filter(Boolean);
}

/** Whether a guard's name says it admits only administrators (see models/privileges.ts). */
export function isAdminGuardName(name: string, asClass = false): boolean {
  const words = wordsOf(name);
  let at = words.findIndex(
    (w, i) => ADMIN_WORDS.has(w) || (w === 'super' && AFTER_SUPER.has(words[i + 1] ?? '')),
  );
  if (at < 0) return false;
  if (words.slice(0, at).some((w) => NEGATIONS.has(w))) return false;
  if (words[at] === 'super') at++;
  const after = words.slice(at + 1);
  if (!after.every((w) => QUALIFIERS.has(w))) return false;
  return !asClass || after.some((w) => CLASS_GUARD_WORDS.has(w));
}

/**
 * Whether a permission's name says only administrators may write and anyone may read
 * (`IsAdminOrReadOnly`, `IsStaffOrReadOnlyScope`): for a method that writes it admits only them.
 */
export function isAdminWriteGuardName(name: string): boolean {
  const words = wordsOf(name);
  const at = words.findIndex((w) => ADMIN_WORDS.has(w));
  if (at < 0 || words.slice(0, at).some((w) => NEGATIONS.has(w))) return false;
  const after = words.slice(at + 1);
  const lead: readonly string[] = ADMIN_NAME_WORDS.orReadOnly;
  const tail: readonly string[] = ADMIN_NAME_WORDS.orReadOnlyTail;
  return (
    lead.every((w, i) => after[i] === w) &&
    after.slice(lead.length).every((w) => QUALIFIERS.has(w) || tail.includes(w))
  );
}

/** Handler methods that create, change or delete (DRF's viewset actions and the HTTP methods). */
const WRITING_METHODS: ReadonlySet<string> = new Set([
  'post',
  'put',
  'patch',
  'delete',
  'create',
  'update',
  'partial_update',
  'destroy',
]);

const lastName = (text: string): string => text.slice(text.lastIndexOf('.') + 1);

const cache = new WeakMap<Interpreter, Map<string, string | undefined>>();

/** The guard that lets only administrators run `def` as a handler, or undefined. */
export function adminGuardOf(it: Interpreter, mod: number, def: Node): string | undefined {
  let byDef = cache.get(it);
  if (!byDef) cache.set(it, (byDef = new Map()));
  const key = `${mod}:${def.id}`;
  if (byDef.has(key)) return byDef.get(key);
  const guard = findGuard(it, mod, def);
  byDef.set(key, guard);
  return guard;
}

function findGuard(it: Interpreter, mod: number, def: Node): string | undefined {
  for (const d of decoratorsOf(def)) {
    const g = decoratorGuard(it, mod, d, 0) ?? routerGuard(it, mod, d);
    if (g) return g;
  }
  for (const p of named(field(def, 'parameters') ?? def)) {
    const g = parameterGuard(it, mod, p);
    if (g) return g;
  }
  const cls = enclosingClass(def);
  if (cls) {
    const name = field(def, 'name')?.text ?? '';
    const g = classGuard(it, mod, cls, name, 0);
    if (g) return g;
  }
  return wrappedView(it, cls ? field(cls, 'name')?.text : field(def, 'name')?.text);
}

function decoratorsOf(node: Node): Node[] {
  const parent = node.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return named(parent).flatMap((d) => (d.type === 'decorator' && named(d)[0] ? [named(d)[0]] : []));
}

const qualified = (it: Interpreter, mod: number, node: Node): string | undefined =>
  it.mods(mod).module.qualifiedName(node);

function argumentsOf(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const a of named(field(call, 'arguments') ?? call)) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const k = field(a, 'name')?.text;
      const v = field(a, 'value');
      if (k && v) keywords.set(k, v);
    } else positional.push(a);
  }
  return { positional, keywords };
}

/** A decorator (or what an adapter applies) that admits only administrators. */
function decoratorGuard(it: Interpreter, mod: number, expr: Node, hops: number): string | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (expr.type === 'identifier' || expr.type === 'attribute') {
    const q = qualified(it, mod, expr);
    if (q && ADMIN_GUARDS.decorators.has(q)) return lastName(q);
    const name = lastName(textOf(expr));
    return isAdminGuardName(name) ? name : undefined;
  }
  if (expr.type !== 'call') return undefined;
  const fn = field(expr, 'function');
  if (!fn) return undefined;
  const q = qualified(it, mod, fn);
  const { positional, keywords } = argumentsOf(expr);
  if (q && ADMIN_GUARDS.userTests.has(q)) {
    const test = positional[0] ?? keywords.get('test_func');
    const flag = test ? userFlagRead(it, mod, test) : undefined;
    return flag ? `${lastName(q)}(${flag})` : undefined;
  }
  if (q && ADMIN_GUARDS.adapters.has(q))
    return positional[0] ? decoratorGuard(it, mod, positional[0], hops + 1) : undefined;
  if (q && ADMIN_GUARDS.permissionDecorators.has(q))
    return positional[0] ? permissionListGuard(it, mod, positional[0]) : undefined;
  for (const [k, v] of keywords) {
    const g = ADMIN_GUARDS.dependencyKeywords.has(k)
      ? dependencyListGuard(it, mod, v)
      : ADMIN_GUARDS.permissionAttributes.has(k)
        ? permissionListGuard(it, mod, v)
        : undefined;
    if (g) return g;
  }
  // `@staff_member_required(login_url=...)`, `@admin_required()`.
  if (q && ADMIN_GUARDS.decorators.has(q)) return lastName(q);
  const name = lastName(textOf(fn));
  return isAdminGuardName(name) ? name : undefined;
}

/** The administrator flag a user test reads (`lambda u: u.is_superuser`, or a function that does). */
function userFlagRead(it: Interpreter, mod: number, test: Node): string | undefined {
  let body: Node | null = test;
  if (test.type === 'identifier') {
    const found = it.mods(mod).module.scopeOf(test).lookup(textOf(test));
    const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    body = only?.kind === 'def' ? only.node : null;
  }
  if (!body) return undefined;
  for (const a of body.descendantsOfType('attribute')) {
    const attr = field(a, 'attribute')?.text;
    if (!attr || !ADMIN_GUARDS.userFlags.has(attr)) continue;
    // `not u.is_staff` or `u.is_staff or ...` admits others.
    const up = a.parent;
    if (up?.type === 'not_operator') return undefined;
    if (up?.type === 'boolean_operator' && field(up, 'operator')?.text === 'or') return undefined;
    return attr;
  }
  return undefined;
}

/**
 * The administrator check a handler makes itself (`if not request.user.is_superuser: raise
 * PermissionDenied`): the check's text when `cond` is the negation of a user's administrator flag
 * (alone or with others all required) and the block it guards leaves by raising, or by returning
 * when `ownFunction` (the entry point's own body, not a helper whose caller goes on). What runs
 * after it runs for administrators only.
 */
export function adminRefusal(cond: Node, body: Node, ownFunction: boolean): string | undefined {
  if (cond.type !== 'not_operator') return undefined;
  const required: Node[] = [];
  const collect = (n: Node | null): void => {
    if (!n) return;
    if (n.type === 'parenthesized_expression') return collect(named(n)[0] ?? null);
    if (n.type === 'boolean_operator' && field(n, 'operator')?.text === 'and') {
      collect(field(n, 'left'));
      collect(field(n, 'right'));
      return;
    }
    required.push(n);
  };
  collect(field(cond, 'argument'));
  const flag = required.find((n) => {
    const attr = n.type === 'attribute' ? field(n, 'attribute')?.text : undefined;
    const owner = field(n, 'object');
    return (
      attr !== undefined &&
      ADMIN_GUARDS.userFlags.has(attr) &&
      owner !== null &&
      /user$/i.test(lastName(textOf(owner)))
    );
  });
  if (!flag) return undefined;
  const last = named(body)
    .filter((c) => c.type !== 'comment')
    .pop();
  return last?.type === 'raise_statement' || (ownFunction && last?.type === 'return_statement')
    ? textOf(flag)
    : undefined;
}

/** `[Depends(check_admin)]`: a list of dependencies every request passes. */
function dependencyListGuard(it: Interpreter, mod: number, list: Node): string | undefined {
  if (list.type !== 'list' && list.type !== 'tuple') return undefined;
  for (const item of named(list)) {
    const g = dependencyGuard(it, mod, item);
    if (g) return g;
  }
  return undefined;
}

/** `Depends(check_admin)` or `Security(get_current_active_superuser, ...)`. */
function dependencyGuard(it: Interpreter, mod: number, call: Node): string | undefined {
  if (call.type !== 'call') return undefined;
  const fn = field(call, 'function');
  const q = fn ? qualified(it, mod, fn) : undefined;
  if (!q || !DEPENDENCY_MARKERS.has(q)) return undefined;
  const { positional, keywords } = argumentsOf(call);
  const dep = positional[0] ?? keywords.get('dependency');
  if (!dep || (dep.type !== 'identifier' && dep.type !== 'attribute')) return undefined;
  const name = lastName(textOf(dep));
  return isAdminGuardName(name) ? name : undefined;
}

/**
 * `[IsAuthenticated, IsAdminUser]`: every permission must pass, so one administrator-only one guards;
 * for a method that writes, so does one that lets others only read (`IsAdminOrReadOnly`).
 */
function permissionListGuard(it: Interpreter, mod: number, list: Node, writes = false): string | undefined {
  if (list.type !== 'list' && list.type !== 'tuple') return undefined;
  for (const item of named(list)) {
    if (item.type !== 'identifier' && item.type !== 'attribute') continue;
    const q = qualified(it, mod, item);
    if (q && ADMIN_GUARDS.permissions.has(q)) return lastName(q);
    const name = lastName(textOf(item));
    if (isAdminGuardName(name, true) || isAdminGuardName(name)) return name;
    if (writes && isAdminWriteGuardName(name)) return name;
  }
  return undefined;
}

/** A parameter `user = Depends(check_admin)` or `user: Annotated[User, Depends(check_admin)]`. */
function parameterGuard(it: Interpreter, mod: number, p: Node): string | undefined {
  const value = field(p, 'value');
  const g = value ? dependencyGuard(it, mod, value) : undefined;
  if (g) return g;
  const type = field(p, 'type');
  return type ? annotatedGuard(it, mod, type, 0) : undefined;
}

/** `Annotated[User, Depends(check_admin)]`, also through a module-level alias (`AdminUser`). */
function annotatedGuard(it: Interpreter, mod: number, node: Node, hops: number): string | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (node.type === 'type') {
    const inner = named(node)[0];
    return inner ? annotatedGuard(it, mod, inner, hops + 1) : undefined;
  }
  if (node.type === 'generic_type' || node.type === 'subscript') {
    const [, ...rest] = named(node);
    const args =
      node.type === 'generic_type'
        ? rest.flatMap((r) => (r.type === 'type_parameter' ? named(r) : [r]))
        : rest;
    for (const a of args) {
      const inner = a.type === 'type' ? (named(a)[0] ?? a) : a;
      const g = dependencyGuard(it, mod, inner);
      if (g) return g;
    }
    return undefined;
  }
  if (node.type === 'identifier' || node.type === 'attribute') {
    const d = definitionOf(it, mod, node, hops);
    if (d && d.node.type !== 'class_definition') return annotatedGuard(it, d.mod, d.node, hops + 1);
  }
  return undefined;
}

/** `@router.get(...)` of a router made with administrator-only dependencies, or included with them. */
function routerGuard(it: Interpreter, mod: number, decorator: Node): string | undefined {
  const fn = decorator.type === 'call' ? field(decorator, 'function') : decorator;
  const router = fn?.type === 'attribute' ? field(fn, 'object') : null;
  if (router?.type !== 'identifier') return undefined;
  const module = it.mods(mod).module;
  const found = module.scopeOf(router).lookup(textOf(router));
  const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (only?.kind === 'value' && only.value.type === 'call') {
    const ctor = field(only.value, 'function');
    const q = ctor ? qualified(it, mod, ctor) : undefined;
    if (q && ADMIN_GUARDS.routers.has(q)) {
      for (const [k, v] of argumentsOf(only.value).keywords) {
        const g = ADMIN_GUARDS.dependencyKeywords.has(k) ? dependencyListGuard(it, mod, v) : undefined;
        if (g) return g;
      }
    }
  }
  return includedRouters(it).get(`${mod}:${textOf(router)}`);
}

const inclusions = new WeakMap<Interpreter, Map<string, string>>();

/**
 * Routers the project includes with administrator-only dependencies
 * (`app.include_router(admin.router, dependencies=[Depends(check_admin)])`), by the module and
 * name of the router; read once from the modules whose text includes a router.
 */
function includedRouters(it: Interpreter): Map<string, string> {
  let found = inclusions.get(it);
  if (found) return found;
  found = new Map();
  inclusions.set(it, found);
  const methods = [...ADMIN_GUARDS.routerInclusions];
  if (methods.length === 0) return found;
  for (let mod = 0; mod < it.modules.count; mod++) {
    const has = (s: string): boolean => textIncludes(it.modules, mod, s);
    if (!methods.some((m) => has(`${m}(`)) || !has('ependencies')) continue;
    const module = it.mods(mod).module;
    for (const call of module.calls) {
      const fn = field(call.node, 'function');
      if (fn?.type !== 'attribute' || !methods.includes(field(fn, 'attribute')?.text ?? '')) continue;
      const { positional, keywords } = argumentsOf(call.node);
      const router = positional[0] ?? keywords.get('router');
      if (!router) continue;
      let guard: string | undefined;
      for (const [k, v] of keywords)
        if (!guard && ADMIN_GUARDS.dependencyKeywords.has(k)) guard = dependencyListGuard(it, mod, v);
      if (!guard) continue;
      const q =
        router.type === 'identifier' || router.type === 'attribute' ? qualified(it, mod, router) : undefined;
      const target = q ? it.resolveModule(q, mod) : undefined;
      if (target && target.rest.length === 1) found.set(`${target.mod}:${target.rest[0]}`, guard);
      else if (router.type === 'identifier') found.set(`${mod}:${textOf(router)}`, guard);
    }
  }
  return found;
}

/**
 * A method of a class only administrators reach: an admin class (`ModelAdmin`), a class whose
 * decorator or base is a guard (`@method_decorator(staff_member_required, name='dispatch')`,
 * `StaffRequiredMixin`), or whose permission classes include an administrator-only one.
 */
function classGuard(
  it: Interpreter,
  mod: number,
  cls: Node,
  method: string,
  hops: number,
): string | undefined {
  if (hops > MAX_HOPS) return undefined;
  for (const d of decoratorsOf(cls)) {
    const g = decoratorGuard(it, mod, d, 0);
    if (g) return g;
  }
  for (const stmt of named(field(cls, 'body') ?? cls)) {
    const assign = stmt.type === 'expression_statement' ? named(stmt)[0] : undefined;
    const left = assign?.type === 'assignment' ? field(assign, 'left') : null;
    const right = assign?.type === 'assignment' ? field(assign, 'right') : null;
    if (left?.type === 'identifier' && right && ADMIN_GUARDS.permissionAttributes.has(left.text)) {
      // The class's own list decides, whatever its bases say.
      return permissionListGuard(it, mod, right, WRITING_METHODS.has(method));
    }
  }
  const module = it.mods(mod).module;
  for (const base of named(field(cls, 'superclasses') ?? cls)) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const q = module.qualifiedName(base);
    const admin = q ? ADMIN_GUARDS.handlerClasses.find((h) => h.bases.includes(q)) : undefined;
    if (admin) return admin.publicMethods?.includes(method) ? undefined : lastName(q ?? '');
    const name = lastName(textOf(base));
    if (isAdminGuardName(name, true)) return name;
    const d = definitionOf(it, mod, base, hops);
    if (d?.node.type === 'class_definition') {
      const g = classGuard(it, d.mod, d.node, method, hops + 1);
      if (g) return g;
    }
  }
  return undefined;
}

/** The guard of a class-based view that lets only administrators write through it (see classGuard). */
export function classAdminGuard(it: Interpreter, mod: number, cls: Node): string | undefined {
  return classGuard(it, mod, cls, 'create', 0);
}

const wrapped = new WeakMap<Interpreter, Map<string, string>>();

/** A view the URL configuration wraps for administrators (`admin.site.admin_view(views.report)`). */
function wrappedView(it: Interpreter, view: string | undefined): string | undefined {
  if (!view) return undefined;
  let views = wrapped.get(it);
  if (!views) {
    views = new Map();
    wrapped.set(it, views);
    const names = [...ADMIN_GUARDS.viewWrappers];
    const call = names.length ? new RegExp(`\\.(${names.join('|')})\\(\\s*([\\w.]+)`, 'g') : undefined;
    for (let mod = 0; call && mod < it.modules.count; mod++) {
      if (!names.some((n) => textIncludes(it.modules, mod, n))) continue;
      for (const m of textMatches(it.modules, mod, call)) {
        const parts = m[2].split('.');
        const name =
          parts[parts.length - 1] === 'as_view' ? parts[parts.length - 2] : parts[parts.length - 1];
        if (name) views.set(name, m[1]);
      }
    }
  }
  return views.get(view);
}
