import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { dictEntries, resolveValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { defineRule } from '../../../../rules/rule.js';

const DECODE = new Set([
  'jwt.decode',
  'jwt.api_jwt.decode',
  'jwt.PyJWT().decode',
  'jose.jwt.decode',
  'jwt.api_jws.decode',
]);

export default defineRule({
  id: 'python/jwt-signature-not-verified',
  title: 'JWT decoded without verifying its signature',
  cwe: 347,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['jwt', 'jose'],
  description:
    "A JSON Web Token is decoded with signature verification turned off (`options={'verify_signature': False}`, " +
    "the old PyJWT `verify=False`), with the `none` algorithm allowed, or with the algorithm taken from the token's " +
    'own header. Whoever sends the token then chooses its claims (user id, roles, expiry).',
  fix: "Decode with the verification key and a fixed list of expected algorithms: jwt.decode(token, key, algorithms=['RS256']). Read unverified claims only to pick the key, never to make decisions.",
  example: {
    bad: "claims = jwt.decode(token, options={'verify_signature': False})",
    good: "claims = jwt.decode(token, public_key, algorithms=['RS256'], audience='my-api')",
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (!call.callee || !DECODE.has(call.callee)) continue;
      const options = call.kwargs.get('options');
      if (options) {
        const verify = dictEntries(resolveValue(options, module), module).get('verify_signature');
        const v = verify ? constantValue(verify, module) : undefined;
        if (v && v.value === false) {
          report({
            node: call.node,
            message: `${calleeLabel(call)} is called with \`verify_signature\` False; the token's claims are accepted without checking who signed them.`,
          });
          continue;
        }
      }
      const verify = call.kwargs.get('verify');
      if (verify && constantValue(verify, module)?.value === false) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} is called with \`verify=False\`; the token's claims are accepted without checking its signature.`,
        });
        continue;
      }
      const algorithms = call.kwargs.get('algorithms');
      if (!algorithms) continue;
      const algs = constantValue(algorithms, module);
      const list = algs === undefined ? [] : Array.isArray(algs.value) ? algs.value : [algs.value];
      if (list.some((a) => typeof a === 'string' && a.toLowerCase() === 'none')) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} accepts the \`none\` algorithm (\`algorithms=${codeOf(algorithms)}\`); an unsigned token passes verification.`,
        });
      } else if (/get_unverified_header|\[["']alg["']\]/.test(resolveValue(algorithms, module).text)) {
        report({
          node: call.node,
          confidence: 'medium',
          message: `${calleeLabel(call)} takes its algorithm list from the token itself (\`${codeOf(algorithms)}\`); the sender chooses how, or whether, the signature is checked.`,
        });
      }
    }
  },
});
