import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { dictEntries, resolveValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonCall, PythonModule } from '../../semantic/scope.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { parameterList } from '../../dataflow/entry-points.js';
import { predicateClaims } from './predicate.js';

const DECODE = new Set([
  'jwt.decode',
  'jwt.api_jwt.decode',
  'jwt.PyJWT().decode',
  'jose.jwt.decode',
  'jwt.api_jws.decode',
]);

/** Decoders that always check the signature against the key they are given. */
const VERIFYING = new Set([
  'authlib.jose.jwt.decode',
  'authlib.jose.JsonWebToken().decode',
  'jose.jws.verify',
]);

/** A call whose name says it checks a token (`verify_jwt_signature`, `_validate_jwt`). */
const CHECKS = /verif|validat/i;

/** What switches the signature check of a decode call off: `options={'verify_signature': False}` or `verify=False`. */
function verificationOff(call: PythonCall, module: PythonModule): 'verify_signature' | 'verify' | undefined {
  const options = call.kwargs.get('options');
  if (options) {
    const verify = dictEntries(resolveValue(options, module), module).get('verify_signature');
    if (verify && constantValue(verify, module)?.value === false) return 'verify_signature';
  }
  const verify = call.kwargs.get('verify');
  return verify && constantValue(verify, module)?.value === false ? 'verify' : undefined;
}

/** The calls made in a function's body. */
function callsIn(def: Node, module: PythonModule): PythonCall[] {
  return module.calls.filter((c) => c.node.startIndex > def.startIndex && c.node.endIndex <= def.endIndex);
}

/**
 * Whether a function checks the token named `token` (a parameter or local) itself: a decode that
 * verifies, a call whose name says it checks, or (once more, `depth`) a function of this module
 * given the token that does.
 */
function checksToken(def: Node, token: string, module: PythonModule, depth: number): boolean {
  for (const call of callsIn(def, module)) {
    const at = call.args.findIndex((a) => a.type === 'identifier' && a.text === token);
    if (at < 0) continue;
    if (call.callee && DECODE.has(call.callee) && !verificationOff(call, module)) return true;
    if (call.callee && VERIFYING.has(call.callee)) return true;
    const name = call.node.childForFieldName('function')?.text.split('.').pop() ?? '';
    if (CHECKS.test(name)) return true;
    if (depth === 0) continue;
    const callee = moduleFunction(module, name);
    const param = callee ? parameterAt(callee, at, /^self\.|^cls\./.test(call.node.text)) : undefined;
    if (callee && param && checksToken(callee, param, module, depth - 1)) return true;
  }
  return false;
}

/** A function or method of the module by name (the first one defined). */
function moduleFunction(module: PythonModule, name: string): Node | undefined {
  return (
    module.file.tree.rootNode
      .descendantsOfType('function_definition')
      .find((d) => d?.childForFieldName('name')?.text === name) ?? undefined
  );
}

/** The name of the parameter that receives positional argument `at` (after `self` for a method call). */
function parameterAt(def: Node, at: number, bound: boolean): string | undefined {
  return parameterList(def, bound).find((p) => p.index === at)?.name;
}

/**
 * An unverified decode that only peeks (reads the issuer or key id to choose the key): the same
 * function then passes the token on to be checked, and a forged token fails there.
 */
function onlyPeeks(call: PythonCall, module: PythonModule): boolean {
  const token = call.args[0];
  const def = enclosingFunction(call.node);
  if (!token || token.type !== 'identifier' || !def) return false;
  return (
    callsIn(def, module).some(
      (c) => c.node.startIndex > call.node.endIndex && c.args.some((a) => a.text === token.text),
    ) && checksToken(def, token.text, module, 1)
  );
}

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
      const off = verificationOff(call, module);
      if (off && onlyPeeks(call, module)) continue;
      const routing = off ? predicateClaims(call, module) : undefined;
      if (routing) {
        const fn = enclosingFunction(call.node)?.childForFieldName('name')?.text ?? 'the function';
        const claims = `${routing.map((c) => `\`${c}\``).join(', ')} ${routing.length > 1 ? 'claims' : 'claim'}`;
        report({
          node: call.node,
          hygiene: true,
          severity: 'low',
          confidenceReason: `the decoded token is read only at the ${claims}, and \`${fn}\` returns only a boolean`,
          message: `${calleeLabel(call)} reads the ${claims} of a token whose signature it does not check, and \`${fn}\` returns only True or False: a sender chooses the answer, so its callers must verify the token before trusting anything it says.`,
        });
        continue;
      }
      if (off) {
        report({
          node: call.node,
          message:
            off === 'verify_signature'
              ? `${calleeLabel(call)} is called with \`verify_signature\` False; the token's claims are accepted without checking who signed them.`
              : `${calleeLabel(call)} is called with \`verify=False\`; the token's claims are accepted without checking its signature.`,
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
