import { isTestFile } from '../../test-files.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Names that make a condition an authentication, authorization or integrity check. */
const ACCESS_NAME =
  /^(is_authenticated|is_anonymous|is_admin|is_staff|is_superuser|is_owner|is_member|is_logged_in|logged_in|has_perms?|has_permissions?|has_role|has_scope|has_access|check_perms?|check_permissions?|check_password|verify_\w+|authori[sz]ed?|is_authori[sz]ed|authenticated|permissions?|roles?|scopes?|can_\w+|user_can|allowed_to_\w+|is_allowed|is_valid_token|valid_signature|signature_valid|compare_digest|owner|owner_id|privileges?|acl|csrf\w*)$/i;

export default defineRule({
  id: 'python/assert-for-access-control',
  title: 'assert used to enforce an access check',
  cwe: 617,
  severity: 'medium',
  confidence: 'medium',
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
  check({ file, report }) {
    if (isTestFile(file.path)) return;
    for (const stmt of file.tree.rootNode.descendantsOfType('assert_statement')) {
      const condition = stmt?.namedChildren[0];
      if (!stmt || !condition) continue;
      const name = accessName(condition);
      if (!name) continue;
      report({
        node: stmt,
        message: `\`${stmt.text.replace(/\s+/g, ' ').slice(0, 80)}\` enforces an access check (\`${name}\`) with assert, which \`python -O\` removes.`,
      });
    }
  },
});

/** The first identifier or attribute name in the condition that names an access check. */
function accessName(condition: Node): string | undefined {
  const stack: Node[] = [condition];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') continue;
    if (n.type === 'identifier' && ACCESS_NAME.test(n.text)) return n.text;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return undefined;
}
