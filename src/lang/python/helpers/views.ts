import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import { decoratorExpression, decoratorsOf, enclosingFunction } from './functions.js';

/**
 * How a view authenticates its user, as far as its module shows: the evidence the CSRF and
 * access-check rules weigh. Cross-site request forgery needs an ambient credential (the session
 * cookie), and an access check is redundant when a login decorator already ran.
 */

/**
 * Decorators that admit only a user logged in through the session: Django's auth decorators,
 * Flask-Login and Flask-Security, and project decorators of the same names, or named for the
 * login they require (`fresh_login_required`, a project's `portal_login_required` built on
 * `user_passes_test`).
 */
const LOGIN_DECORATOR =
  /(^|\.)((\w+_)?login_required|permission_required|user_passes_test|staff_member_required|superuser_required|admin_required|roles_required|roles_accepted)$/;

/** Attributes of a view's request object that the session cookie fills in. */
const SESSION_ATTRIBUTES = new Set(['user', 'auser', 'session', 'COOKIES', 'cookies']);

/** Module-level names whose value comes from the session cookie. */
const SESSION_NAMES = new Set([
  'flask_login.current_user',
  'flask_login.utils.current_user',
  'flask.session',
  'flask.request.cookies',
]);

/** What shows that a view relies on the session cookie, for the message. */
export interface CookieEvidence {
  /** `request.user`, `@login_required`, ... */
  what: string;
  node: Node;
}

/** The login decorator on a definition, if any (`@login_required`, `@permission_required(...)`). */
export function loginDecorator(def: Node, module: PythonModule): Node | undefined {
  return decoratorsOf(def).find((d) => {
    const e = decoratorExpression(d);
    if (!e) return false;
    const callee = e.type === 'call' ? (e.childForFieldName('function') ?? e) : e;
    const q = module.qualifiedName(callee) ?? callee.text;
    return LOGIN_DECORATOR.test(q);
  });
}

/** The parameter holding the request: the first one that is not `self`/`cls`. */
export function requestParameter(def: Node): string | undefined {
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const name =
      p.type === 'identifier'
        ? p
        : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
    if (!name || name.type !== 'identifier') return undefined;
    if (name.text === 'self' || name.text === 'cls') continue;
    return name.text;
  }
  return undefined;
}

/** The function definition a name refers to in this module, if it is one. */
export function localFunction(name: Node, module: PythonModule): Node | undefined {
  const def = module.singleDefinition(name);
  return def?.type === 'function_definition' ? def : undefined;
}

/**
 * The first sign that the view authenticates with the session cookie: a login decorator, a read of
 * `request.user`/`request.session`/cookies (the request parameter or `self.request`), Flask-Login's
 * `current_user` or Flask's `session`; also in the functions of this module the view hands its
 * request to. A view that assigns `request.user` itself (from a token it checked) does not count.
 */
export function cookieAuthEvidence(def: Node, module: PythonModule, depth = 0): CookieEvidence | undefined {
  const decorator = loginDecorator(def, module);
  if (decorator) return { what: decorator.text.replace(/\s+/g, ' '), node: decorator };
  const body = def.childForFieldName('body');
  const request = requestParameter(def);
  if (!body) return undefined;
  const isRequest = (n: Node | null): boolean =>
    !!n &&
    ((request !== undefined && n.type === 'identifier' && n.text === request) || n.text === 'self.request');
  const attributes = body.descendantsOfType('attribute').filter((n): n is Node => !!n);
  const assignsUser = attributes.some(
    (a) =>
      a.parent?.type === 'assignment' &&
      a.parent.childForFieldName('left')?.id === a.id &&
      isRequest(a.childForFieldName('object')),
  );
  for (const a of attributes) {
    const attr = a.childForFieldName('attribute')?.text ?? '';
    if (SESSION_ATTRIBUTES.has(attr) && isRequest(a.childForFieldName('object')) && !assignsUser) {
      return { what: a.text, node: a };
    }
  }
  for (const n of [...attributes, ...body.descendantsOfType('identifier')]) {
    if (!n || (n.parent?.type === 'attribute' && n.parent.childForFieldName('object')?.id !== n.id)) continue;
    const q = module.qualifiedName(n);
    if (q && SESSION_NAMES.has(q)) return { what: n.text, node: n };
  }
  if (depth >= 2 || request === undefined) return undefined;
  for (const call of body.descendantsOfType('call')) {
    const fn = call?.childForFieldName('function');
    const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
    if (!fn || !args.some((a) => a?.type === 'identifier' && a.text === request)) continue;
    const callee = localFunction(fn, module);
    if (!callee || callee.id === def.id) continue;
    const found = cookieAuthEvidence(callee, module, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The calls in this module of a function defined in it (by its name). */
export function localCallSites(def: Node, module: PythonModule): CallSite[] {
  return module.calls.filter((call) => {
    const fn = call.functionNode;
    return fn?.type === 'identifier' && localFunction(fn, module)?.id === def.id;
  });
}

/** The nodes of localCallSites. */
export function localCallers(def: Node, module: PythonModule): Node[] {
  return localCallSites(def, module).map((call) => call.node);
}

/**
 * Whether an `if` before `at` in the function tests a name that `names` matches and leaves the
 * function in its branch (`if not request.user.is_authenticated: return HttpResponseForbidden()`).
 */
export function exitGuardBefore(def: Node, at: Node, names: RegExp): boolean {
  const body = def.childForFieldName('body');
  for (const stmt of body?.descendantsOfType('if_statement') ?? []) {
    if (!stmt || stmt.startIndex >= at.startIndex) continue;
    const condition = stmt.childForFieldName('condition');
    const branch = stmt.childForFieldName('consequence');
    if (!condition || !branch) continue;
    const tests = condition.descendantsOfType('identifier').some((n) => !!n && names.test(n.text));
    const exits = branch.namedChildren.some(
      (s) => s?.type === 'raise_statement' || s?.type === 'return_statement',
    );
    if (tests && exits) return true;
  }
  return false;
}

/**
 * Whether the code at `at` in `def` is kept from anonymous users before it runs: a login decorator
 * on the function, an earlier `if` that tests `names` and leaves, or (for a helper) the same at every
 * call of it in this module. False when nothing protects it or its callers are elsewhere.
 */
export function behindLoginCheck(
  def: Node,
  at: Node,
  module: PythonModule,
  names: RegExp,
  depth = 0,
): boolean {
  if (loginDecorator(def, module) || exitGuardBefore(def, at, names)) return true;
  if (depth >= 3) return false;
  const callers = localCallers(def, module);
  return (
    callers.length > 0 &&
    callers.every((call) => {
      const caller = enclosingFunction(call);
      return !!caller && behindLoginCheck(caller, call, module, names, depth + 1);
    })
  );
}
