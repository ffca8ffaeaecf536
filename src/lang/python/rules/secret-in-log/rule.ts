import { describeSource } from '../../../../dataflow/query.js';
import { isLoggingCall, writtenCallee } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { carriedName, isSecretValueName } from '../../helpers/names.js';
import { isPushToken, isShortSlice, notTheSecret, refusedAt } from './not-the-secret.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Calls through which a value stops being the secret: len(token), mask(password), hash(...). */
const TRANSFORMS =
  /^(len|bool|type|id|hash|mask\w*|redact\w*|obfuscate\w*|sha\d*|md5|hashlib\.\w+|\w*hexdigest|\w*digest|isinstance|str\.startswith)$/;

/** Secrets a person knows and types: one that was refused is usually a near miss of the right one. */
const KNOWN_BY_A_PERSON = /(^|_)(pass(word|wd|phrase)?|pwd|pin|otp|cvv|ssn)($|_)/i;

/**
 * `checkout.token`, `transaction.token`: a field named just `token` of another object is often the
 * record's public identifier (a UUID the API hands out); `self.token`, `access_token`,
 * `api_token` name the credential.
 */
function isRecordToken(node: Node): boolean {
  if (node.type !== 'attribute') return false;
  const object = node.childForFieldName('object');
  return (
    /^tokens?$/i.test(node.childForFieldName('attribute')?.text ?? '') &&
    !!object &&
    !/^(self|cls)$/.test(object.text)
  );
}

/** The first secret-named identifier or attribute among the values logged, skipping strings and transforms. */
function secretIn(node: Node, module: PythonModule): Node | undefined {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string' && !n.namedChildren.some((c) => c?.type === 'interpolation')) continue;
    if (n.type === 'call') {
      const fnNode = n.childForFieldName('function');
      const fn = (fnNode && module.qualifiedName(fnNode)) ?? fnNode?.text ?? '';
      const last = fn.split('.').pop() ?? '';
      if (TRANSFORMS.test(fn.replace(/^builtins\./, '')) || TRANSFORMS.test(last)) continue;
      if (/remove|strip|hide|scrub|sanitiz|without/i.test(last)) continue;
      // The function's own name (get_password_policy) is not a logged value; its arguments are.
      const args = n.childForFieldName('arguments');
      if (args) stack.push(args);
      const object = fnNode?.type === 'attribute' ? fnNode.childForFieldName('object') : null;
      if (object) stack.push(object);
      continue;
    }
    if (n.type === 'comparison_operator' || n.type === 'boolean_operator' || n.type === 'not_operator')
      continue;
    if (n.type === 'subscript' && isShortSlice(n)) continue;
    if (n.type === 'identifier' || n.type === 'attribute' || n.type === 'subscript') {
      const name = carriedName(n);
      const parentIsChain =
        n.parent?.type === 'attribute' && n.parent.childForFieldName('object')?.id === n.id;
      if (
        name &&
        !parentIsChain &&
        isSecretValueName(name) &&
        !isPushToken(name, n) &&
        !(n.type === 'identifier' && notTheSecret(n, module))
      )
        return n;
      // `user.name`, `credentials["username"]`: the item logged is the one named, not its container.
      if (n.type === 'attribute' || n.childForFieldName('subscript')?.type === 'string') continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return undefined;
}

/**
 * Calls that hash, derive a key from, encrypt or check a credential (`hash(pin, seed)`,
 * `pbkdf2_sha256.hash(password)`, `hmac.compare_digest(token, expected)`): what code does with a
 * value that is a real secret, not an id or a count that happens to be named so.
 */
const PROTECTING_CALL =
  /(hash|crypt|pbkdf2|scrypt|argon2|bcrypt|hmac|compare_digest|check_password|make_password|kdf)/i;

/**
 * The call of the logging call's function that protects the logged variable as a credential: one
 * that takes it (or its bytes, `pin.encode()`) as an argument (see PROTECTING_CALL).
 */
function protectingCall(secret: Node, module: PythonModule): Node | undefined {
  if (secret.type !== 'identifier') return undefined;
  const fn = enclosingFunction(secret);
  if (!fn) return undefined;
  const name = secret.text;
  const isIt = (a: Node | null): boolean => {
    if (!a) return false;
    if (a.type === 'keyword_argument') return isIt(a.childForFieldName('value'));
    if (a.type === 'identifier') return a.text === name;
    const callee = a.type === 'call' ? a.childForFieldName('function') : null;
    return (
      callee?.type === 'attribute' &&
      callee.childForFieldName('attribute')?.text === 'encode' &&
      callee.childForFieldName('object')?.type === 'identifier' &&
      callee.childForFieldName('object')?.text === name
    );
  };
  return fn.descendantsOfType('call').find((c) => {
    const callee = c.childForFieldName('function');
    const q = (callee && module.qualifiedName(callee)) ?? callee?.text ?? '';
    const last = q.split('.').pop() ?? '';
    // Python's own `hash()` keys a dictionary; it protects nothing.
    if (q === 'builtins.hash' || !PROTECTING_CALL.test(last)) return false;
    return (c.childForFieldName('arguments')?.namedChildren ?? []).some((a) => isIt(a));
  });
}

/**
 * Methods of OAuth clients that return the tokens an authorization server issued (authlib's
 * `authorize_access_token`, `fetch_token` and `refresh_token` of authlib's and requests-oauthlib's
 * sessions, MSAL's `acquire_token_*`): the access, refresh and id tokens themselves.
 */
const TOKEN_ISSUING =
  /^(authorize_access_token|fetch_token|fetch_access_token|refresh_token|acquire_token\w*)$/;

/**
 * The call of the logging call's function whose result the logged variable holds, when it is one
 * that obtains tokens from an authorization server (`token = await client.authorize_access_token(request)`).
 */
function issuingCall(secret: Node, at: Node): Node | undefined {
  if (secret.type !== 'identifier') return undefined;
  const fn = enclosingFunction(secret);
  if (!fn) return undefined;
  for (const a of fn.descendantsOfType('assignment')) {
    if (a.startIndex > at.startIndex) continue;
    const left = a.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text !== secret.text) continue;
    let right = a.childForFieldName('right');
    if (right?.type === 'await') right = right.namedChildren[0] ?? null;
    const callee = right?.type === 'call' ? right.childForFieldName('function') : null;
    if (callee?.type === 'attribute' && TOKEN_ISSUING.test(callee.childForFieldName('attribute')?.text ?? ''))
      return right ?? undefined;
  }
  return undefined;
}

export default defineRule({
  id: 'python/secret-in-log',
  title: 'Password, token or key written to a log',
  cwe: 532,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['log'],
  description:
    'A logging call includes a value whose name says it is a password, token, API key or other secret. Logs are ' +
    'kept for a long time, copied to log services and read by people and tools that should never see ' +
    'credentials; a leaked token in a log is as good as a stolen one.',
  fix: 'Log an identifier of the subject (user id, key id, the last four characters) instead of the secret, or redact it with a logging filter.',
  example: {
    bad: 'logger.info("login %s with password %s", user, password)',
    good: 'logger.info("login %s", user)',
  },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      if (!isLoggingCall(call, { wide: true })) continue;
      const values = [...call.args, ...call.kwargs.values()];
      for (const v of values) {
        const secret = secretIn(v, module);
        if (!secret) continue;
        if (isRecordToken(secret)) {
          report({
            node: call.node,
            severity: 'low',
            confidence: 'low',
            confidenceReason: `name heuristic: \`${codeOf(secret, 40)}\` is a \`token\` field of another object, often its public id (a UUID) rather than a credential`,
            message: `\`${writtenCallee(call, 40)}\` writes \`${codeOf(secret, 40)}\` to the log; if that token is a credential rather than the record's id, it leaks to whoever reads the logs.`,
          });
          break;
        }
        const named = carriedName(secret) ?? codeOf(secret, 40);
        // A name alone is weak evidence (ids, counts, public tokens are named so too): low, unless the
        // dataflow proves the value is what a client sent, so a credential of theirs.
        const trace = taint.trace(secret);
        const client = trace.kind === 'tainted' ? trace.sources.find((s) => s.trust === 'user') : undefined;
        // A token or key the code just refused (malformed, unknown, expired) opens nothing; a refused
        // password is still one letter away from the right one.
        const refused =
          client && secret.type === 'identifier' && !KNOWN_BY_A_PERSON.test(named)
            ? refusedAt(call.node, secret)
            : undefined;
        if (refused) {
          report({
            node: call.node,
            severity: 'low',
            confidence: 'low',
            confidenceReason: `\`${named}\` holds ${describeSource(client!)}, but it is logged only where ${refused} refused it`,
            message: `\`${writtenCallee(call, 40)}\` writes \`${codeOf(secret, 40)}\` to the log where ${refused} refused it; a refused token opens nothing, unless the same value is valid elsewhere.`,
          });
          break;
        }
        // The function also hashes or checks it as a credential: it is the secret, logged in clear.
        const protectedBy = client ? undefined : protectingCall(secret, module);
        // Or it holds what an authorization server issued: live access, refresh and id tokens.
        const issuedBy = client || protectedBy ? undefined : issuingCall(secret, call.node);
        report({
          node: call.node,
          ...(client || protectedBy || issuedBy ? {} : { severity: 'low' as const }),
          confidenceReason: client
            ? `\`${named}\` names a secret and holds ${describeSource(client)}, sent by the client`
            : protectedBy
              ? `\`${named}\` names a secret and the function uses it as one: \`${codeOf(protectedBy, 40)}\` (line ${protectedBy.startPosition.row + 1})`
              : issuedBy
                ? `\`${named}\` holds the tokens an authorization server issued: \`${codeOf(issuedBy, 40)}\` (line ${issuedBy.startPosition.row + 1})`
                : `name heuristic: \`${named}\` names a password, token, secret or key`,
          message: `\`${writtenCallee(call, 40)}\` writes \`${codeOf(secret, 40)}\` to the log; its name says it holds a secret.`,
          ...(client && trace.kind === 'tainted'
            ? { flow: taint.flowTo(trace, call.node, 'written to the log') }
            : {}),
        });
        break;
      }
    }
  },
});
