import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { optionAt } from '../../helpers/objects.js';
import { FUNCTION_TYPES } from '../../semantic/scope.js';

/** The function around a node, or the module's root. */
function enclosingFunction(node: Node): Node {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return node.tree.rootNode;
}

export default defineRule({
  id: 'javascript/jwt-expiration-ignored',
  title: 'JWT accepted after it expired',
  cwe: 613,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['ignoreExpiration'],
  description:
    '`jwt.verify(token, key, { ignoreExpiration: true })` (jsonwebtoken) checks the signature but accepts ' +
    'a token whose `exp` has passed: a token that leaked or belonged to a session that ended keeps ' +
    'working for ever. Medium confidence in a function about refreshing tokens, where an expired access ' +
    'token is sometimes read on purpose (its subject then must be checked against the refresh token).',
  fix: 'Remove `ignoreExpiration: true` and let expired tokens fail; to renew a session, verify a separate refresh token that is itself unexpired.',
  example: {
    bad: 'jwt.verify(token, key, { ignoreExpiration: true })',
    good: "jwt.verify(token, key, { algorithms: ['RS256'] })",
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee !== 'jsonwebtoken.verify') continue;
      const options = call.argument(2);
      const property = options ? optionAt(options, ['ignoreExpiration'], module) : undefined;
      if (!property || module.constantValue(property.value) !== true) continue;
      const refresh = /refresh/i.test(enclosingFunction(call.node).text);
      report({
        node: call.node,
        ...(refresh
          ? {
              confidence: 'medium' as const,
              confidenceReason: 'the function refreshes tokens, where an expired one may be read on purpose',
            }
          : {}),
        message: `\`${codeOf(property.node)}\` in the options of ${callLabel(call, module)} accepts tokens whose expiry has passed: a leaked or old token stays valid for ever.`,
      });
    }
  },
});
