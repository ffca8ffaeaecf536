import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse } from '../../helpers/constants.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { codeOf } from '../../helpers/messages.js';
import { destinationNames, namesRead } from '../../helpers/names.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { digestEvidence, SLOW_KDF_CALL } from '../../../../rules/password-hash.js';
import { defineRule } from '../../../../rules/rule.js';
import { inSignedRequest } from '../../helpers/signed-request.js';
import { declaredSecret } from './declared-secret.js';
import { onlyInMemoryKey } from './memo-key.js';

/** Fast general-purpose digests: fine for checksums, far too cheap for password storage. */
const FAST = [
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha3_224',
  'sha3_256',
  'sha3_384',
  'sha3_512',
  'blake2b',
  'blake2s',
];
/** Digests with practical collision attacks. */
const BROKEN = new Set(['md5', 'sha1', 'md4', 'md2', 'ripemd160']);

/** Hash constructors by qualified name, mapped to the algorithm. */
const CONSTRUCTORS = new Map<string, string>([
  ...FAST.map((a) => [`hashlib.${a}`, a] as [string, string]),
  ...['MD5', 'SHA1', 'SHA256', 'SHA512', 'MD4', 'MD2'].flatMap((a) =>
    ['Crypto', 'Cryptodome'].map((ns) => [`${ns}.Hash.${a}.new`, a.toLowerCase()] as [string, string]),
  ),
]);

/** The algorithm a hashing call or `h.update(...)` uses, and the node holding the data. */
function hashedData(
  call: CallSite,
  module: PythonModule,
): { algorithm: string; data: Node | undefined } | undefined {
  const callee = call.callee;
  if (!callee) return undefined;
  if (callee === 'hashlib.new') {
    const name = call.argument(0, 'name');
    const v = name ? constantValue(name, module) : undefined;
    if (!v || typeof v.value !== 'string') return undefined;
    return {
      algorithm: v.value.toLowerCase().replace('-', ''),
      data: call.argument(1, 'data'),
    };
  }
  const direct = CONSTRUCTORS.get(callee);
  if (direct) return { algorithm: direct, data: call.argument(0, 'data', 'string') };
  const m = /^(.*)\(\)\.update$/.exec(callee);
  const base = m
    ? (CONSTRUCTORS.get(m[1]) ?? (m[1] === HASH_OBJECT ? hashObjectAlgorithm(call, module) : undefined))
    : undefined;
  if (base) return { algorithm: base, data: call.args[0] };
  return undefined;
}

/** The `cryptography` package's hash object, given its algorithm: `hashes.Hash(hashes.SHA1())`. */
const HASH_OBJECT = 'cryptography.hazmat.primitives.hashes.Hash';
const HASH_ALGORITHM = /^cryptography\.hazmat\.primitives\.hashes\.(\w+)\(\)$/;

/** The algorithm of the `cryptography` hash object whose `update` a call is (`h = hashes.Hash(hashes.MD5())`). */
function hashObjectAlgorithm(call: CallSite, module: PythonModule): string | undefined {
  const receiver = call.receiver;
  const made = receiver?.type === 'identifier' ? module.singleValue(receiver) : receiver;
  if (made?.type !== 'call') return undefined;
  const algorithm = made.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment');
  const name = algorithm ? HASH_ALGORITHM.exec(module.qualifiedName(algorithm) ?? '')?.[1] : undefined;
  return name?.toLowerCase();
}

/**
 * A fast pre-hash in a function that then derives the stored value with a slow KDF (a hasher
 * for passwords migrated from another system: their old digest, then PBKDF2): the KDF is what
 * an offline attack has to run.
 */
function feedsSlowKdf(call: CallSite): boolean {
  const def = enclosingFunction(call.node);
  return !!def && SLOW_KDF_CALL.test(def.text.slice(call.node.endIndex - def.startIndex));
}

/** `hashlib.md5(x).hexdigest()`: the whole chain, whose value the digest is. */
function chainTop(call: CallSite): Node {
  let top: Node = call.node;
  while (top.parent && (top.parent.type === 'attribute' || top.parent.type === 'call')) top = top.parent;
  return top;
}

/**
 * The names a hash input reads, an attribute whose class declares it to hold another kind of secret
 * (`self.cfg.password` defaulting to the application's secret key) named by that secret instead.
 */
function inputNames(data: Node | undefined, module: PythonModule): string[] {
  if (!data) return [];
  const names = namesRead(data);
  const reads = [data, ...data.descendantsOfType('attribute')].filter(
    (n): n is Node => n?.type === 'attribute',
  );
  for (const read of reads) {
    const declared = declaredSecret(read, module);
    const at = declared ? names.lastIndexOf(read.childForFieldName('attribute')?.text ?? '') : -1;
    if (declared && at >= 0) names[at] = declared.name;
  }
  return names;
}

/** The secret a hash input or its destination names, and what kind it is. */
function secretEvidence(
  call: CallSite,
  data: Node | undefined,
  module: PythonModule,
): { name: string; password: boolean } | undefined {
  const names = inputNames(data, module);
  // `hashlib.md5(x).hexdigest()` assigned to `password_hash`: the destination of the whole chain.
  const top = chainTop(call);
  const fn = enclosingFunction(call.node)?.childForFieldName('name')?.text;
  return digestEvidence(names, destinationNames(top), fn);
}

export default defineRule({
  id: 'python/weak-password-hash',
  title: 'Password or secret hashed with a fast or broken digest',
  cwe: 916,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['hashlib', 'Crypto', 'hazmat'],
  description:
    'A password hashed with a fast digest (MD5, SHA-1, even SHA-256) can be brute-forced offline at ' +
    'billions of guesses per second once the hashes leak. Tokens, signatures and other secrets digested ' +
    'with MD5 or SHA-1 rely on an algorithm with practical collision attacks.',
  fix:
    'Store passwords with a slow, salted key-derivation function: argon2 (argon2-cffi), bcrypt, scrypt ' +
    '(hashlib.scrypt) or PBKDF2 (hashlib.pbkdf2_hmac with a high iteration count); use SHA-256 or HMAC ' +
    'for other secrets.',
  example: {
    bad: 'user.password_hash = hashlib.sha256(password.encode()).hexdigest()',
    good: 'user.password_hash = argon2.PasswordHasher().hash(password)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const h = hashedData(call, module);
      if (!h) continue;
      if (isConstantFalse(call.kwargs.get('usedforsecurity'), module)) continue;
      const evidence = secretEvidence(call, h.data, module);
      if (!evidence) continue; // a checksum or cache key: not a security use
      if (onlyInMemoryKey(chainTop(call), module)) continue; // a memo's key: never stored
      if (evidence.password && feedsSlowKdf(call)) continue;
      // The signature of a request sent beside its nonce: the receiving API's protocol fixes the digest.
      if (!evidence.password && inSignedRequest(chainTop(call))) continue;
      const data = h.data ? `\`${codeOf(h.data)}\`` : 'its input';
      const algorithm = h.algorithm.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
      if (evidence.password) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} hashes ${data} with fast ${algorithm}, and the name \`${evidence.name}\` says it is a password; leaked hashes can be brute-forced offline.`,
        });
      } else if (BROKEN.has(h.algorithm)) {
        report({
          node: call.node,
          cwe: 328,
          confidence: 'low',
          message: `${callLabel(call, module)} digests ${data} with ${algorithm}, a hash with practical collision attacks, and the name \`${evidence.name}\` says it is a secret.`,
          fix: 'Use SHA-256 or stronger, and HMAC (hmac.new with hashlib.sha256) to sign or authenticate data.',
        });
      }
    }
  },
});
