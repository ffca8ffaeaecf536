import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { digestEvidence, SLOW_KDF_CALL } from '../../../../rules/password-hash.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { destinationOf, enclosingFunctionName } from '../../helpers/names.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, propertyName, unwrap } from '../../semantic/scope.js';

/** Fast general-purpose digests by OpenSSL name: fine for checksums, far too cheap for passwords. */
const FAST =
  /^(md5|md4|sha1|sha-1|sha224|sha256|sha384|sha512|sha512-256|sha3-(224|256|384|512)|blake2b512|blake2s256|ripemd160|rmd160)$/;
/** Digests with practical collision attacks. */
const BROKEN = /^(md5|md4|sha1|sha-1|ripemd160|rmd160)$/;
/** Functions of packages that digest their first argument, by canonical name, with the algorithm. */
const DIGEST_FUNCTIONS = new Map<string, string>([
  ['md5', 'md5'],
  ['sha1', 'sha1'],
  ['crypto-js.MD5', 'md5'],
  ['crypto-js.SHA1', 'sha1'],
  ['crypto-js.SHA256', 'sha256'],
  ['crypto-js.SHA512', 'sha512'],
  ['crypto-js/md5', 'md5'],
  ['crypto-js/sha1', 'sha1'],
  ['crypto-js/sha256', 'sha256'],
  ['crypto-js/sha512', 'sha512'],
]);

/** The function around a node, or the module's root. */
function enclosingFunction(node: Node): Node {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return node.tree.rootNode;
}

/** The names an expression reads: variables, properties and constant keys (`req.body['password']`). */
function namesRead(data: Node): string[] {
  const n = unwrap(data);
  const names = [n, ...n.descendantsOfType(['identifier', 'property_identifier', 'string_fragment'])]
    .filter(
      (d) =>
        ['identifier', 'property_identifier'].includes(d.type) ||
        d.parent?.parent?.type === 'subscript_expression',
    )
    .map((d) => d.text);
  return [...new Set(names)];
}

interface Digest {
  algorithm: string;
  /** What is hashed (the arguments of every `update`). */
  data: Node[];
  /** The expressions whose value is the digest (the chain's top, `h.digest()`). */
  results: Node[];
}

/** `crypto.createHash('md5').update(x).digest('hex')`, or the hash kept in a `const` and updated there. */
function createHashDigest(call: JsCall, module: JsModule): Digest | undefined {
  const algorithmNode = call.argument(0);
  const algorithm = algorithmNode && module.constantString(algorithmNode)?.toLowerCase();
  if (!algorithm || !FAST.test(algorithm)) return undefined;
  const data: Node[] = [];
  const results: Node[] = [];
  // The chain: `.update(a).update(b).digest()`.
  let top = call.node;
  for (;;) {
    const member = top.parent;
    const next = member?.parent;
    if (member?.type !== 'member_expression' || next?.type !== 'call_expression') break;
    const method = propertyName(member.childForFieldName('property'));
    const first = next.childForFieldName('arguments')?.namedChildren[0];
    if (method === 'update' && first) data.push(first);
    top = next;
  }
  results.push(top);
  // `const h = crypto.createHash('sha256'); h.update(password); return h.digest('hex');`
  const declarator = top.parent;
  const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : undefined;
  if (top.equals(call.node) && name?.type === 'identifier') {
    const fn = enclosingFunction(call.node);
    for (const c of module.calls) {
      if (c.node.startIndex < fn.startIndex || c.node.endIndex > fn.endIndex) continue;
      if (c.receiver?.type !== 'identifier' || c.receiver.text !== name.text) continue;
      if (c.methodName === 'update' && c.argument(0)) data.push(c.argument(0)!);
      else if (c.methodName === 'digest') results.push(c.node);
    }
  }
  return { algorithm, data, results };
}

function digestOf(call: JsCall, module: JsModule): Digest | undefined {
  if (call.callee === 'crypto.createHash') return createHashDigest(call, module);
  const algorithm = call.callee === undefined ? undefined : DIGEST_FUNCTIONS.get(call.callee);
  const first = call.argument(0);
  if (!algorithm || !first) return undefined;
  let top = call.node;
  // `CryptoJS.MD5(x).toString()`
  while (top.parent?.type === 'member_expression' && top.parent.parent?.type === 'call_expression')
    top = top.parent.parent;
  return { algorithm, data: [first], results: [top] };
}

/**
 * `password = sha512(password)`, then `password` used again: a pre-hash that the function goes on to
 * treat as the password, for the real hashing done after it (a worker's bcrypt, a KDF elsewhere).
 */
function rehashedInPlace(digest: Digest, inputs: readonly string[], fn: Node): boolean {
  return digest.results.some((r) => {
    const up = r.parent;
    const left = up?.type === 'assignment_expression' ? up.childForFieldName('left') : undefined;
    if (!up || left?.type !== 'identifier' || !inputs.includes(left.text)) return false;
    return fn
      .descendantsOfType('identifier')
      .some((id) => id.text === left.text && id.startIndex >= up.endIndex);
  });
}

/** `MD5`, `SHA-256`, as the algorithm is usually written. */
function display(algorithm: string): string {
  return algorithm.toUpperCase().replace(/^SHA-?(\d)/, 'SHA-$1');
}

export default defineRule({
  id: 'javascript/weak-password-hash',
  title: 'Password or secret hashed with a fast or broken digest',
  cwe: 916,
  severity: 'medium',
  confidence: 'medium',
  languages: ['javascript'],
  requires: ['createHash', 'crypto-js', 'md5', 'sha1'],
  description:
    'A password hashed with a fast digest (MD5, SHA-1, even SHA-256) can be brute-forced offline at ' +
    'billions of guesses per second once the hashes leak. Signatures made with MD5 or SHA-1 rely on an ' +
    'algorithm with practical collision attacks.',
  fix:
    'Store passwords with a slow, salted key-derivation function: crypto.scrypt, argon2 or bcrypt; sign ' +
    "data with an HMAC: crypto.createHmac('sha256', key).",
  example: {
    bad: "user.passwordHash = crypto.createHash('sha256').update(password).digest('hex');",
    good: 'user.passwordHash = await argon2.hash(password);',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const digest = digestOf(call, module);
      if (!digest) continue;
      const inputs = digest.data.flatMap(namesRead);
      const destinations = digest.results.flatMap((r) => destinationOf(r).names);
      const evidence = digestEvidence(inputs, destinations, enclosingFunctionName(call.node));
      if (!evidence) continue; // a checksum, cache key or ETag: not a security use
      const fn = enclosingFunction(call.node);
      const after = fn.text.slice(call.node.endIndex - fn.startIndex);
      if (evidence.password && SLOW_KDF_CALL.test(after)) continue; // a pre-hash before a slow KDF
      if (evidence.password && rehashedInPlace(digest, inputs, fn)) continue;
      const data = digest.data[0] ? `\`${codeOf(digest.data[0], 40)}\`` : 'its input';
      const algorithm = display(digest.algorithm);
      if (evidence.password) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} hashes ${data} with fast ${algorithm}, and the name \`${evidence.name}\` says it is a password; leaked hashes can be brute-forced offline. Reported with medium confidence: the password is judged by its name.`,
        });
      } else if (BROKEN.test(digest.algorithm)) {
        report({
          node: call.node,
          cwe: 328,
          confidence: 'low',
          message: `${callLabel(call, module)} digests ${data} with ${algorithm}, a hash with practical collision attacks, and the name \`${evidence.name}\` says the digest signs data.`,
          fix: "Sign data with an HMAC: crypto.createHmac('sha256', key).update(data).digest('hex').",
        });
      }
    }
  },
});
