/**
 * What every language's weak-password-hash rule decides from names: whether a digest protects a
 * password (the input, the destination or the hashing function names one), signs data, or is a
 * checksum or cache key that is no security use.
 */
import { nameParts, secretKindOfName } from './names.js';

/** Verbs that make a function's name describe hashing what it names (`hash_password`, `makePassword`). */
const HASHING_VERBS = new Set([
  'hash',
  'hashed',
  'digest',
  'encode',
  'encrypt',
  'make',
  'set',
  'check',
  'verify',
  'store',
  'save',
]);

/**
 * Uses of a digest that a protocol or a cache fixes, not password storage: ETags and cache keys,
 * checksums, Git object ids, avatar URLs, the SHA-1 prefix of a k-anonymity range query to a
 * breached-password service.
 */
const NOT_STORAGE_WORDS = new Set(
  'etag etags cache checksum fingerprint gravatar avatar pwned breached breach hibp range anonymity oid git dedup dedupe'.split(
    ' ',
  ),
);

/** Names of a digest used to sign or authenticate data. */
const SIGNING_WORDS = new Set(['signature', 'sig', 'hmac', 'mac', 'sign', 'signed']);

/** A call of a slow key-derivation function (`hashlib.pbkdf2_hmac`, `bcrypt.hashpw`, `crypto.scrypt(`). */
export const SLOW_KDF_CALL = /\b\w*(pbkdf2|bcrypt|scrypt|argon2|hashpw|kdf)\w*\s*\(/i;

function notStorage(names: readonly string[]): boolean {
  return names.some((n) => nameParts(n).some((p) => NOT_STORAGE_WORDS.has(p)));
}

/**
 * The secret a digest's input or destination names, and whether it is a password: from the names
 * the input reads, the names its result is stored under, and the enclosing function's name when it
 * says it hashes (`hash_password`). Undefined for a checksum, cache key or avatar URL, and for
 * digests of other secrets that do not sign data (a digest of a random token needs only preimage
 * resistance).
 */
export function digestEvidence(
  inputNames: readonly string[],
  destinations: readonly string[],
  functionName: string | undefined,
): { name: string; password: boolean } | undefined {
  const names = [...inputNames, ...destinations];
  if (notStorage([...destinations, ...(functionName ? [functionName] : [])])) return undefined;
  if (functionName && nameParts(functionName).some((w) => HASHING_VERBS.has(w))) names.push(functionName);
  let found: { name: string; password: boolean } | undefined;
  for (const n of names) {
    // `password_hash` names the digest of a password.
    const kind = secretKindOfName(n.replace(/[_-]?(hash|hashed|digest|hex)$/i, ''));
    if (kind === 'password') return { name: n, password: true };
    // A digest that signs or authenticates data needs collision resistance; a digest of a random
    // token or key (a URL token, a fingerprint) needs only preimage resistance, which MD5 and
    // SHA-1 still have.
    if (nameParts(n).some((p) => SIGNING_WORDS.has(p))) found ??= { name: n, password: false };
  }
  return found;
}
