import { isTestFile } from '../../test-files.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { exitGuardBefore, behindLoginCheck, localCallers } from '../../helpers/views.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';

/** Names that make a condition an authentication, authorization or integrity check. */
const ACCESS_NAME =
  /^(is_authenticated|is_anonymous|is_admin|is_staff|is_superuser|is_owner|is_member|is_logged_in|logged_in|has_perms?|has_permissions?|has_role|has_scope|has_access|check_perms?|check_permissions?|check_password|verify_\w+|authori[sz]ed?|is_authori[sz]ed|authenticated|permissions?|roles?|scopes?|can_\w+|user_can|allowed_to_\w+|is_allowed|is_valid_token|valid_signature|signature_valid|compare_digest|owner|owner_id|privileges?|acl|csrf\w*)$/i;
/**
 * Names that only say whether someone is logged in: after a login check has run, asserting them is
 * how Django code narrows `User | AnonymousUser` for the type checker.
 */
const LOGIN_NAME = /^(is_authenticated|is_anonymous|is_logged_in|logged_in|authenticated)$/;

export default defineRule({
  id: 'python/assert-for-access-control',
  title: 'assert used to enforce an access check',
  cwe: 617,
  severity: 'medium',
  confidence: 'medium',
  confidenceReason: 'the assert is the only access check seen on this path',
  languages: ['python'],
  requires: ['assert'],
  description:
    'An `assert` statement checks authentication, permissions, ownership or a signature. Python removes every ' +
    'assert when run with `-O` or `PYTHONOPTIMIZE` (common in containers and some deployment tools), so the check ' +
    'silently disappears; when it is present it raises AssertionError, which frameworks turn into a 500 rather ' +
    'than a 403.',
  fix: 'Use an explicit condition that raises the proper error: `if not user.has_perm(...): raise PermissionDenied`.',
  example: {
    bad: 'assert request.user.is_staff',
    good: 'if not request.user.is_staff:\n    raise PermissionDenied',
  },
  check({ file, module, report }) {
    if (isTestFile(file.path)) return;
    for (const stmt of file.tree.rootNode.descendantsOfType('assert_statement')) {
      const condition = stmt?.namedChildren[0];
      if (!stmt || !condition || isTypeCheck(condition, module)) continue;
      const names = accessNames(condition);
      const name = names[0];
      if (!name) continue;
      const code = `\`${stmt.text.replace(/\s+/g, ' ').slice(0, 80)}\``;
      const def = enclosingFunction(stmt);
      if (def) {
        // A login check that already ran makes a login assert a type-narrowing hint; an earlier
        // `if` on the same names makes any access assert redundant.
        const login = names.every((n) => LOGIN_NAME.test(n));
        const guarded = login
          ? behindLoginCheck(def, stmt, module, LOGIN_NAME) ||
            authenticatedBefore(def, stmt, condition, module)
          : exitGuardBefore(def, stmt, new RegExp(`^(${names.join('|')})$`));
        if (guarded || checksTestClient(condition, module) || checksOwnObjects(condition, def)) continue;
        const decorator = login ? decoratorOfWrapper(def) : undefined;
        if (decorator) {
          report({
            node: stmt,
            severity: 'low',
            confidence: 'low',
            confidenceReason: `inside the wrapper of decorator \`${decorator}\`: whether the views it decorates are behind a login check is decided where it is applied`,
            message: `${code} checks login with assert in the wrapper of decorator \`${decorator}\`, which \`python -O\` removes; harmless where the decorated views are also behind a login check.`,
          });
          continue;
        }
        const helper = login ? helperReturning(def, module) : undefined;
        if (helper) {
          report({
            node: stmt,
            severity: 'low',
            confidence: 'low',
            confidenceReason: `in a helper that returns \`${helper}\`, not a response, and is called only from other modules: whether its callers are behind a login check is decided there`,
            message: `${code} checks login with assert in a helper (returning \`${helper}\`) whose callers are in other modules; \`python -O\` removes it, which matters only where a caller is not behind a login check.`,
          });
          continue;
        }
      }
      report({
        node: stmt,
        message: `${code} enforces an access check (\`${name}\`) with assert, which \`python -O\` removes.`,
      });
    }
  },
});

/**
 * `assert isinstance(self.permissions, list)`: a check of the kind of a value a developer passed,
 * not of who may act (`isinstance`, `issubclass`, `callable`, alone or negated).
 */
function isTypeCheck(condition: Node, module: PythonModule): boolean {
  const c = condition.type === 'not_operator' ? condition.childForFieldName('argument') : condition;
  const fn = c?.type === 'call' ? c.childForFieldName('function') : undefined;
  const q = fn ? module.qualifiedName(fn) : undefined;
  return q === 'builtins.isinstance' || q === 'builtins.issubclass' || q === 'builtins.callable';
}

/** Calls that make a new object: a class (`Profile(...)`) or a function named for making one. */
const CREATING_CALL = /(^|\.)([A-Z]\w*|(create|make|build|new)_\w+)$/;

/**
 * Whether every binding of `name` in `def` is an object the function made itself: the result of a
 * creating call, or an item of a local list, set or dict that starts empty and is only filled with
 * such objects (`profiles = []`, `profiles.append(create_profile(...))`, `for p in profiles:`).
 */
function madeHere(def: Node, name: string, seen: ReadonlySet<string> = new Set()): boolean {
  if (seen.size > 3) return false;
  const bindings: Node[] = [];
  for (const f of def.descendantsOfType('for_statement')) {
    if (f?.childForFieldName('left')?.text === name) bindings.push(f.childForFieldName('right')!);
  }
  for (const a of def.descendantsOfType('assignment')) {
    if (a?.childForFieldName('left')?.text !== name) continue;
    const right = a.childForFieldName('right');
    if (!right || right.type !== 'call') return false;
    const callee = right.childForFieldName('function')?.text ?? '';
    if (!CREATING_CALL.test(callee)) return false;
  }
  if (!bindings.length)
    return def.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name);
  return bindings.every(
    (items) =>
      items.type === 'identifier' && (seen.has(items.text) || builtCollection(def, items.text, seen)),
  );
}

/** A local collection bound only to an empty literal and filled only with objects made here. */
function builtCollection(def: Node, name: string, seen: ReadonlySet<string>): boolean {
  const assigned = def
    .descendantsOfType('assignment')
    .filter((a) => a?.childForFieldName('left')?.text === name);
  const empty = (n: Node | null | undefined) =>
    (n?.type === 'list' || n?.type === 'set' || n?.type === 'dictionary') && n.namedChildren.length === 0;
  if (!assigned.length || !assigned.every((a) => empty(a?.childForFieldName('right')))) return false;
  const fills = def.descendantsOfType('call').filter((c) => {
    const fn = c?.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name;
  });
  return fills.every((c) => {
    const method = c!.childForFieldName('function')?.childForFieldName('attribute')?.text;
    if (method !== 'append' && method !== 'add') return true;
    const item = c!.childForFieldName('arguments')?.namedChildren[0];
    return item?.type === 'identifier' && madeHere(def, item.text, new Set([...seen, name]));
  });
}

/**
 * `for profile in profiles_to_create: assert profile.role == Role.MEMBER`, where the function made
 * every profile itself: the assert states an invariant of objects the code built, not a check of
 * who is asking. Objects read from a request, a session or a database are still reported.
 */
function checksOwnObjects(condition: Node, def: Node): boolean {
  const subjects = [condition, ...condition.descendantsOfType('attribute')]
    .filter(
      (n): n is Node =>
        n?.type === 'attribute' && ACCESS_NAME.test(n.childForFieldName('attribute')?.text ?? ''),
    )
    .map((n) => n.childForFieldName('object'));
  return subjects.length > 0 && subjects.every((o) => o?.type === 'identifier' && madeHere(def, o.text));
}

/** Calls that return a user only when the credentials were right, and `None` otherwise. */
const AUTHENTICATING_CALLS = new Set([
  'django.contrib.auth.authenticate()',
  'django.contrib.auth.aauthenticate()',
]);

/**
 * `user = authenticate(request, username=..., password=...)`, then `if user is None: raise ...`, then
 * `assert user.is_authenticated`: the `if` on the user that authenticate() returned was the login check,
 * and the assert narrows its type.
 */
function authenticatedBefore(def: Node, stmt: Node, condition: Node, module: PythonModule): boolean {
  const c = condition.type === 'not_operator' ? condition.childForFieldName('argument') : condition;
  const subject = c?.type === 'attribute' ? c.childForFieldName('object') : undefined;
  if (subject?.type !== 'identifier') return false;
  if (!AUTHENTICATING_CALLS.has(module.qualifiedName(subject) ?? '')) return false;
  return exitGuardBefore(def, stmt, new RegExp(`^${subject.text}$`));
}

/** Clients that drive an application in-process, as tests do: what they log in to is the code's own doing. */
const TEST_CLIENTS =
  /^(django\.test(\.client)?\.(Client|AsyncClient)|rest_framework\.test\.(APIClient|APIRequestFactory)|flask\.testing\.FlaskClient|(starlette|fastapi)\.testclient\.TestClient)\(\)\./;

/**
 * `logged_in = client.login(...)` on a test client, then `assert logged_in`: the code checks the outcome of
 * its own scripted login (a development tool that drives the application), not a requester's access.
 */
function checksTestClient(condition: Node, module: PythonModule): boolean {
  if (condition.type !== 'identifier') return false;
  const value = module.singleValue(condition);
  const fn = value?.type === 'call' ? value.childForFieldName('function') : undefined;
  return !!fn && TEST_CLIENTS.test(module.qualifiedName(fn) ?? '');
}

/** Return types that say a function answers a request. */
const RESPONSE_TYPE = /Response|\bAny\b|^object$/;

/**
 * The return type of a helper: a function the module never calls or names, with no decorator, whose
 * annotated return type is not a response (`-> Optional[str]`, `-> bool`). A view answers with a
 * response; a helper that asserts the user's login to narrow its type for the type checker is called
 * from views elsewhere, where the login check is. A function of the module that the module names
 * (`app.add_url_rule("/", view_func=index)`, `path("", index)`) may be registered as a view there.
 */
function helperReturning(def: Node, module: PythonModule): string | undefined {
  if (def.parent?.type === 'decorated_definition') return undefined;
  const returns = def.childForFieldName('return_type')?.text.replace(/\s+/g, ' ');
  if (!returns || RESPONSE_TYPE.test(returns)) return undefined;
  if (localCallers(def, module).length) return undefined;
  const name = def.childForFieldName('name');
  const method = def.parent?.parent?.type === 'class_definition';
  const named =
    !method &&
    module.file.tree.rootNode
      .descendantsOfType('identifier')
      .some((id) => id !== null && id.text === name?.text && id.id !== name?.id);
  return named ? undefined : returns;
}

/** The identifiers and attribute names in the condition that name an access check, in order. */
function accessNames(condition: Node): string[] {
  const names: string[] = [];
  const stack: Node[] = [condition];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') continue;
    if (n.type === 'identifier' && ACCESS_NAME.test(n.text) && !names.includes(n.text)) names.push(n.text);
    for (let i = n.namedChildren.length - 1; i >= 0; i--) {
      const c = n.namedChildren[i];
      if (c) stack.push(c);
    }
  }
  return names;
}

/** The decorator whose wrapper `def` is: the enclosing function returns it by name. */
function decoratorOfWrapper(def: Node): string | undefined {
  const outer = enclosingFunction(def);
  const name = def.childForFieldName('name')?.text;
  if (!outer || !name) return undefined;
  const returns = outer
    .childForFieldName('body')
    ?.namedChildren.some((s) => s?.type === 'return_statement' && s.namedChildren[0]?.text === name);
  return returns ? outer.childForFieldName('name')?.text : undefined;
}
