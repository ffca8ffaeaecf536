import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { objectLiteral, optionAt } from '../../helpers/objects.js';
import { compareVersions } from '../../../../core/project.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, propertyName, unwrap } from '../../semantic/scope.js';

/** The release of jsonwebtoken that refuses `none` and mismatched key types unless told otherwise. */
const JSONWEBTOKEN = { pkg: 'jsonwebtoken', fixed: '9.0.0' };

const VERIFY = new Set(['jsonwebtoken.verify', 'jose.jwtVerify', 'jose.compactVerify']);
/** Calls that read a token's claims without checking its signature. */
const DECODE = new Set(['jsonwebtoken.decode', 'jose.decodeJwt']);
/** A call whose name says it checks the token (`verifyToken`, `validateJwt`), here or elsewhere. */
const CHECKING_NAME = /verif|validat/i;
/**
 * Claims that say which key signed the token and who issued it, for whom and when: reading them
 * before verifying (to pick the key) is how OpenID Connect clients work. `header` and `payload` are
 * the parts of `decode(t, { complete: true })`.
 */
const ROUTING_CLAIMS = new Set('header alg kid typ iss aud azp exp iat nbf jti x5t jku length'.split(' '));
/** Where a token comes from the request that carries it: `req.headers.authorization`, `req.cookies.jwt`. */
const FROM_REQUEST =
  /\b(req|request|ctx|event)\b[\s\S]*?\b(headers?|cookies|signedCookies|query|body|params|get|authorization)\b/;

/** The function around a node, or the module's root. */
function enclosingFunction(node: Node): Node {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return node.tree.rootNode;
}

/** Whether the expression, or the value a name is bound to once, reads the request. */
function readsRequest(node: Node, module: JsModule): Node | undefined {
  const n = unwrap(node);
  const value = n.type === 'identifier' ? module.singleValue(n) : n;
  return value && FROM_REQUEST.test(value.text) ? value : undefined;
}

/** The claims read from the decoded value that name who the caller is, as written (`decoded.sub`). */
function identityUses(call: JsCall, fn: Node): Node[] {
  let at = call.node;
  while (
    at.parent &&
    ['parenthesized_expression', 'as_expression', 'await_expression', 'non_null_expression'].includes(
      at.parent.type,
    )
  )
    at = at.parent;
  const parent = at.parent;
  if (!parent) return [];
  if (parent.type === 'member_expression') {
    const property = propertyName(parent.childForFieldName('property'));
    const claim = parent.childForFieldName('property');
    return property !== undefined && claim && !ROUTING_CLAIMS.has(property) ? [claim] : [];
  }
  if (parent.type !== 'variable_declarator') return [];
  const name = parent.childForFieldName('name');
  if (name?.type === 'object_pattern') {
    const keys = name.namedChildren.filter((c) => {
      const key = c.type === 'pair_pattern' ? propertyName(c.childForFieldName('key')) : c.text;
      return key !== undefined && !ROUTING_CLAIMS.has(key);
    });
    return keys;
  }
  if (name?.type !== 'identifier') return [];
  const uses: Node[] = [];
  for (const id of fn.descendantsOfType('identifier')) {
    if (id.text !== name.text || id.startIndex <= name.startIndex) continue;
    const up = id.parent;
    if (up?.type === 'member_expression' && up.childForFieldName('object')?.equals(id)) {
      const property = propertyName(up.childForFieldName('property'));
      if (property === 'payload') {
        const outer = up.parent;
        const claim =
          outer?.type === 'member_expression' ? propertyName(outer.childForFieldName('property')) : undefined;
        if (claim !== undefined && !ROUTING_CLAIMS.has(claim)) uses.push(outer!);
      } else if (property !== undefined && !ROUTING_CLAIMS.has(property)) uses.push(up);
    } else if (up?.type === 'assignment_expression' && up.childForFieldName('right')?.equals(id)) {
      // `req.user = decoded`: the unverified claims become the identity.
      const left = up.childForFieldName('left');
      if (left && /\b(user|auth|identity|session|account|principal|claims)\b/i.test(left.text)) uses.push(up);
    }
  }
  return uses;
}

export default defineRule({
  id: 'javascript/jwt-signature-not-verified',
  title: 'JWT accepted without verifying its signature',
  cwe: 347,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['jsonwebtoken', 'jose'],
  description:
    'A JSON Web Token is only as trustworthy as its signature: anyone can write a token with another ' +
    "user's id or an admin role. `jwt.decode()` reads the claims without checking anything, and " +
    '`jwt.verify()` told to accept the `none` algorithm accepts tokens with no signature at all.',
  fix:
    "Check the token with jwt.verify(token, key, { algorithms: ['RS256'] }) (or jose's jwtVerify) " +
    'before reading who it names; use jwt.decode() only to read the header that picks the key.',
  example: {
    bad: 'const { sub } = jwt.decode(req.headers.authorization.slice(7));',
    good: "const { sub } = jwt.verify(req.headers.authorization.slice(7), publicKey, { algorithms: ['RS256'] });",
  },
  check({ module, project, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (callee === 'jsonwebtoken.verify') checkAlgorithms(call);
      else if (callee !== undefined && DECODE.has(callee)) checkDecode(call);
    }

    /** `jwt.verify(token, key, { algorithms: ['none'] })`, or no `algorithms` before jsonwebtoken 9. */
    function checkAlgorithms(call: JsCall): void {
      const options = call.argument(2);
      const property = options ? optionAt(options, ['algorithms'], module) : undefined;
      if (!property) return checkDefaultAlgorithms(call, options);
      const list = unwrap(property.value);
      if (list.type !== 'array') return;
      const none = list.namedChildren.find((e) => module.constantString(e)?.toLowerCase() === 'none');
      if (!none) return;
      report({
        node: property.node,
        message: `\`${codeOf(property.node)}\` in the options of ${callLabel(call, module)} accepts tokens signed with \`none\`, that is not signed at all: anyone can write a token with any claims.`,
      });
    }

    /**
     * `jwt.verify(token, key)` with no `algorithms` in a project that declares jsonwebtoken before 9
     * (an exact pin or a floor below it): those releases pick the algorithms from the token's
     * header and the key, so a key that is empty (an unset setting) accepts unsigned `none` tokens
     * (CVE-2022-23540) and a key-retrieval function lets an RSA public key verify HMAC tokens
     * (CVE-2022-23541). Release 9 refuses both by default; an undeclared version is not reported.
     */
    function checkDefaultAlgorithms(call: JsCall, options: Node | undefined): void {
      // Options the module does not spell out (a name bound elsewhere, a spread) may hold the list.
      if (options && !FUNCTION_TYPES.has(unwrap(options).type)) {
        const literal = objectLiteral(options, module);
        if (!literal || literal.namedChildren.some((c) => c.type === 'spread_element')) return;
      }
      // Only a key that may be empty (an environment variable read with no fallback) or a function.
      const key = call.argument(1);
      const k = key && unwrap(key);
      const bound = k?.type === 'identifier' ? module.singleValue(k) : k;
      const keyValue = bound && unwrap(bound);
      const isFunction =
        !!k &&
        (FUNCTION_TYPES.has(k.type) ||
          (keyValue !== undefined && FUNCTION_TYPES.has(keyValue.type)) ||
          (k.type === 'identifier' && module.bindingsOf(k)?.some((b) => b.kind === 'def') === true));
      const fromEnv = keyValue !== undefined && /^process\.env(\.\w+|\[[^\]]+\])$/.test(keyValue.text);
      if (!isFunction && !fromEnv) return;
      const declared = project.dependencies[JSONWEBTOKEN.pkg];
      if (!declared || declared.kind === 'any' || compareVersions(declared.version, JSONWEBTOKEN.fixed) >= 0)
        return;
      report({
        node: call.node,
        severity: 'medium',
        confidence: 'medium',
        confidenceReason:
          'the flaw needs a key that may be empty or a key-retrieval function; the project declares a release before 9',
        message: `${callLabel(call, module)} names no \`algorithms\`, and the project declares jsonwebtoken ${declared.version} (before ${JSONWEBTOKEN.fixed}): those releases take the algorithm from the token, so an empty key accepts unsigned \`none\` tokens and a key-retrieval function lets a public key verify HMAC tokens.`,
      });
    }

    /**
     * Whether the module verifies tokens somewhere else: a `jwt.verify` in another function, or a
     * verifying middleware (express-jwt, passport-jwt, koa-jwt, @fastify/jwt) that runs before the
     * handlers; a decode there is likely a read of claims already checked.
     */
    function verifiesElsewhere(): boolean {
      return (
        module.calls.some((c) => c.callee !== undefined && VERIFY.has(c.callee)) ||
        /['"](express-jwt|passport-jwt|koa-jwt|@fastify\/jwt)['"]/.test(module.file.text)
      );
    }

    /** `jwt.decode(req.headers.authorization)` whose claims name the caller, with no check in the function. */
    function checkDecode(call: JsCall): void {
      const token = call.argument(0);
      const source = token && readsRequest(token, module);
      if (!token || !source) return;
      const fn = enclosingFunction(call.node);
      const checked = module.calls.some(
        (c) =>
          c !== call &&
          c.node.startIndex >= fn.startIndex &&
          c.node.endIndex <= fn.endIndex &&
          ((c.callee !== undefined && VERIFY.has(c.callee)) ||
            CHECKING_NAME.test(c.methodName ?? c.functionNode?.text ?? '')),
      );
      if (checked || verifiesElsewhere()) return;
      const uses = identityUses(call, fn);
      if (uses.length === 0) return;
      const from = source.equals(unwrap(token)) ? '' : ` (from \`${codeOf(source, 50)}\`)`;
      report({
        node: call.node,
        confidence: 'medium',
        confidenceReason:
          'no check of the token is seen in this module; a middleware of another module that runs before the handler may verify it',
        message: `${callLabel(call, module)} reads the request's token \`${codeOf(token, 40)}\`${from} without checking its signature, and the function uses its claims (\`${codeOf(uses[0], 40)}\`${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}): anyone can forge a token naming another user.`,
      });
    }
  },
});
