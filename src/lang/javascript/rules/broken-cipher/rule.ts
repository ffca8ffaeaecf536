import type { Node } from '../../../../parsing/parser.js';
import * as weak from '../../../../rules/ciphers.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { unwrap } from '../../semantic/scope.js';

/** OpenSSL cipher names (`des-ede3-cbc`, `bf-cbc`) by their leading family, most specific first. */
const FAMILIES: readonly [RegExp, weak.CipherWeakness][] = [
  [/^(des-ede|des3)/, weak.TRIPLE_DES],
  [/^des(-|$|x)/, weak.DES],
  [/^rc4/, weak.RC4],
  [/^rc2/, weak.RC2],
  [/^(bf|blowfish)(-|$)/, weak.block64('Blowfish')],
  [/^cast5?(-|$)/, weak.block64('CAST5')],
  [/^idea(-|$)/, weak.block64('IDEA')],
  [/^seed(-|$)/, weak.SEED],
];

/** Modes whose security rests on a fresh IV (or nonce) for every message under one key. */
const IV_MODES = /-(cbc|gcm|ctr|ofb|cfb\d*|ccm|ocb)$|^(chacha20|chacha20-poly1305)$/;

const ENCRYPT = new Set(['crypto.createCipheriv']);
const DECRYPT = new Set(['crypto.createDecipheriv']);
/** Deprecated (removed in Node 22): key and IV derived from a password with one unsalted MD5 pass. */
const PASSWORD_BASED = new Set(['crypto.createCipher', 'crypto.createDecipher']);

/**
 * Why an IV argument is the same on every call, or undefined: a string or array literal,
 * `Buffer.alloc(n)` (zeros), `Buffer.from(<constant>)`, `new Uint8Array(n)`, or a name bound once to
 * one of these.
 */
function constantIv(node: Node, module: JsModule): string | undefined {
  let n = unwrap(node);
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    if (!value) return undefined;
    n = unwrap(value);
  }
  if (module.constantString(n) !== undefined) return 'a constant string';
  if (n.type === 'array') return 'a constant array';
  if (n.type !== 'call_expression' && n.type !== 'new_expression') return undefined;
  const callee = module.qualifiedName(
    n.childForFieldName('function') ?? n.childForFieldName('constructor') ?? n,
  );
  const args = n.childForFieldName('arguments')?.namedChildren ?? [];
  const first = args[0];
  if (callee === 'Buffer.alloc' && args.length === 1) return 'zero bytes';
  // `Uint8Array` is not among the model's globals: read as written, unless the module binds it.
  const ctor = n.childForFieldName('constructor');
  if (ctor?.text === 'Uint8Array' && !module.bindingsOf(ctor) && first?.type === 'number')
    return 'zero bytes';
  if (
    callee === 'Buffer.from' &&
    first &&
    (module.constantString(first) !== undefined || first.type === 'array')
  )
    return 'a constant';
  return undefined;
}

function weaknessOf(algorithm: string): weak.CipherWeakness | undefined {
  return FAMILIES.find(([pattern]) => pattern.test(algorithm))?.[1];
}

export default defineRule({
  id: 'javascript/broken-cipher',
  title: 'Broken or risky cipher, mode or IV',
  cwe: 327,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['createCipher', 'createDecipher'],
  description:
    'DES, RC4 and RC2 can be broken outright; 64-bit block ciphers (Triple DES, Blowfish, CAST5, IDEA) ' +
    'leak plaintext after a few gigabytes under one key; ECB mode encrypts equal blocks to equal ' +
    'ciphertext. `crypto.createCipher` derives key and IV from a password with one unsalted MD5 pass, ' +
    'so every message under one password has the same IV; a constant IV does the same for CBC and ' +
    'reuses the keystream of GCM and CTR, which gives away the plaintext and, for GCM, the ' +
    'authentication key.',
  fix:
    "Use AES-256-GCM with a fresh IV for every message: crypto.createCipheriv('aes-256-gcm', key, " +
    'crypto.randomBytes(12)), sent beside the ciphertext with the auth tag; derive keys from ' +
    'passwords with crypto.scrypt.',
  example: {
    bad: "const cipher = crypto.createCipheriv('aes-256-cbc', key, Buffer.alloc(16));",
    good: "const cipher = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));",
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (callee === undefined) continue;
      const encrypts = ENCRYPT.has(callee) || callee === 'crypto.createCipher';
      if (!ENCRYPT.has(callee) && !DECRYPT.has(callee) && !PASSWORD_BASED.has(callee)) continue;
      const algorithmNode = call.argument(0);
      const algorithm = algorithmNode ? module.constantString(algorithmNode)?.toLowerCase() : undefined;
      const label = callLabel(call, module);
      const weakness = algorithm === undefined ? undefined : weaknessOf(algorithm);
      const ecb = algorithm !== undefined && /-ecb$/.test(algorithm);
      if ((weakness || ecb) && !encrypts) {
        report(decryptOnly(call, label, algorithm ?? ''));
        continue;
      }
      if (weakness) {
        report({
          node: call.node,
          severity: weakness.severity,
          message: `${label} uses ${weakness.name} (\`${algorithm}\`), which ${weakness.why}. Reported ${weakness.severity}: the call names the algorithm.`,
        });
        continue;
      }
      if (ecb) {
        report({
          node: call.node,
          severity: 'medium',
          message: `${label} with \`${algorithm}\` encrypts in ECB mode: ${weak.ECB_WEAKNESS}. Reported medium: ECB leaks the structure of the data, not the data itself.`,
        });
        continue;
      }
      if (PASSWORD_BASED.has(callee)) {
        report({
          node: call.node,
          severity: 'medium',
          cwe: 916,
          message: `${label} derives its key and IV from a password with one unsalted MD5 pass: the password is cheap to guess from the ciphertext, and every message under it has the same IV. It is deprecated and removed in Node 22. Reported medium: the cipher itself may be sound.`,
        });
        continue;
      }
      if (ENCRYPT.has(callee)) checkIv(call, algorithm);
    }

    /** `createCipheriv('aes-256-cbc', key, Buffer.alloc(16))`: the same IV for every message. */
    function checkIv(call: JsCall, algorithm: string | undefined): void {
      const iv = call.argument(2);
      if (algorithm === undefined || !IV_MODES.test(algorithm) || !iv || call.hasSpread) return;
      const what = constantIv(iv, module);
      if (!what) return;
      const cbc = /-cbc$/.test(algorithm);
      report({
        node: iv,
        cwe: cbc ? 329 : 1204,
        severity: cbc ? 'medium' : 'high',
        message: cbc
          ? `The \`${algorithm}\` IV given to ${callLabel(call, module)} is ${what} (\`${codeOf(iv)}\`): messages that begin alike encrypt alike, and a chosen-plaintext attacker can test guesses. Reported medium: CBC leaks equality of prefixes, not the data.`
          : `The \`${algorithm}\` IV given to ${callLabel(call, module)} is ${what} (\`${codeOf(iv)}\`): every message under the key reuses one keystream, so two ciphertexts give away both plaintexts${/gcm/.test(algorithm) ? ' and the authentication key, letting anyone forge messages' : ''}. Reported high: a stream mode with a repeated nonce is broken.`,
      });
    }
  },
});

/** A weak cipher or ECB only to decrypt: reported low, as the Python rule does for ECB. */
function decryptOnly(call: JsCall, label: string, algorithm: string) {
  return {
    node: call.node,
    severity: 'low' as const,
    message:
      `${label} uses \`${algorithm}\` only to decrypt: the algorithm was chosen by whoever encrypted the ` +
      'data (a device, a partner, a file format), and the weakness to fix is there. Reported low.',
  };
}
