import { isTestFile } from '../../test-files.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { exitGuardBefore, behindLoginCheck } from '../../helpers/views.js';
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
          ? behindLoginCheck(def, stmt, module, LOGIN_NAME)
          : exitGuardBefore(def, stmt, new RegExp(`^(${names.join('|')})$`));
        if (guarded) continue;
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
