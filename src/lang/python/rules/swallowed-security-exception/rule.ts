import type { CallSite } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Method or function names of authentication, authorization, signature and TLS checks. */
const SECURITY_CALL =
  /^(verify\w*|authenticate|login|check_password|check_perms?|check_permissions?|has_perms?|has_permission|authori[sz]e\w*|validate_token|validate_signature|compare_digest|check_hostname|match_hostname|load_verify_locations|load_cert_chain|do_handshake|wrap_socket|set_missing_host_key_policy|require_permission|require_login|permission_required|raise_for_signature)$/;

/** Modules whose functions are security checks whatever their name (jwt.decode verifies the signature). */
const SECURITY_MODULE =
  /^(jwt|jose|hmac|ssl|OpenSSL|cryptography|Crypto|Cryptodome|nacl|bcrypt|argon2|passlib|itsdangerous|django\.contrib\.auth|django\.core\.signing|flask_login|paramiko\.client|defusedxml)\./;

function isSecurityCall(call: CallSite): boolean {
  const name = call.methodName ?? call.callee?.split('.').pop() ?? '';
  return SECURITY_CALL.test(name) || (call.callee !== undefined && SECURITY_MODULE.test(call.callee));
}

/** A handler whose body does nothing: pass, continue, `...`. */
function isSilent(handler: Node): boolean {
  const body = handler.namedChildren.find((c) => c?.type === 'block');
  if (!body) return false;
  const stmts = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  return (
    stmts.length > 0 &&
    stmts.every(
      (s) =>
        s.type === 'pass_statement' ||
        s.type === 'continue_statement' ||
        (s.type === 'expression_statement' && s.text === '...'),
    )
  );
}

export default defineRule({
  id: 'python/swallowed-security-exception',
  title: 'Failure of a security check silently ignored',
  cwe: 390,
  severity: 'low',
  confidence: 'medium',
  languages: ['python'],
  requires: ['except'],
  description:
    'A `try` block performs a security check (signature or token verification, authentication, permission ' +
    'check, TLS handshake, decryption) and its `except` handler only passes or continues. When the check fails ' +
    'by raising, as most of these APIs do, execution carries on as if it had succeeded.',
  fix: 'Handle the failure explicitly: deny the request, return an error or re-raise; log it with logger.exception() if it must not propagate.',
  example: {
    bad: 'try:\n    hmac_verify(payload, signature)\nexcept InvalidSignature:\n    pass',
    good: 'try:\n    hmac_verify(payload, signature)\nexcept InvalidSignature:\n    return HttpResponseForbidden()',
  },
  check({ file, module, report }) {
    const calls = new Map<number, CallSite>(module.calls.map((c) => [c.node.id, c]));
    for (const tryNode of file.tree.rootNode.descendantsOfType('try_statement')) {
      const body = tryNode?.childForFieldName('body');
      if (!tryNode || !body) continue;
      let check: CallSite | undefined;
      for (const n of body.descendantsOfType('call')) {
        const c = n ? calls.get(n.id) : undefined;
        if (c && isSecurityCall(c)) {
          check = c;
          break;
        }
      }
      if (!check) continue;
      for (const handler of tryNode.namedChildren) {
        if (handler?.type !== 'except_clause' || !isSilent(handler)) continue;
        const caught = handler.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
        report({
          node: handler,
          message: `\`except${caught ? ` ${caught.text}` : ''}\` does nothing when \`${check.node.childForFieldName('function')?.text}\` (line ${check.node.startPosition.row + 1}) fails; the code continues as if the check had passed.`,
        });
      }
    }
  },
});
