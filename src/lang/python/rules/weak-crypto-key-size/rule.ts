import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { stringValue } from '../../helpers/constants.js';
import { importsAny } from '../../helpers/module.js';
import type { CallSite } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const HAZMAT = 'cryptography.hazmat.primitives.asymmetric';

/** Key generators taking a modulus size in bits: [position, keyword, algorithm]. */
const MODULUS: Record<string, [number, string, string]> = {
  [`${HAZMAT}.rsa.generate_private_key`]: [1, 'key_size', 'RSA'],
  [`${HAZMAT}.dsa.generate_private_key`]: [0, 'key_size', 'DSA'],
  [`${HAZMAT}.dsa.generate_parameters`]: [0, 'key_size', 'DSA'],
  [`${HAZMAT}.dh.generate_parameters`]: [1, 'key_size', 'Diffie-Hellman'],
  'Crypto.PublicKey.RSA.generate': [0, 'bits', 'RSA'],
  'Crypto.PublicKey.DSA.generate': [0, 'bits', 'DSA'],
  'Cryptodome.PublicKey.RSA.generate': [0, 'bits', 'RSA'],
  'Cryptodome.PublicKey.DSA.generate': [0, 'bits', 'DSA'],
  'paramiko.RSAKey.generate': [0, 'bits', 'RSA'],
  'paramiko.rsakey.RSAKey.generate': [0, 'bits', 'RSA'],
  'paramiko.DSSKey.generate': [0, 'bits', 'DSA'],
  'paramiko.dsskey.DSSKey.generate': [0, 'bits', 'DSA'],
  'rsa.newkeys': [0, 'nbits', 'RSA'],
};

/** Elliptic curves with fewer than 224 bits (about 112-bit security or less). */
const WEAK_CURVES: Record<string, number> = {
  SECP192R1: 192,
  SECT163K1: 163,
  SECT163R2: 163,
  'P-192': 192,
  P192: 192,
  PRIME192V1: 192,
  SECP192K1: 192,
  SECP160R1: 160,
};

export default defineRule({
  id: 'python/weak-crypto-key-size',
  title: 'Asymmetric key generated with an inadequate size',
  cwe: 326,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['generate', 'newkeys', 'derive_private_key'],
  description:
    'An RSA, DSA or Diffie-Hellman key shorter than 2048 bits, or an elliptic-curve key on a curve shorter than ' +
    '224 bits, is generated. Such keys are below current minimums (NIST SP 800-57, SP 800-131A): 512-bit RSA ' +
    'is factored in hours, 1024-bit keys are within reach of well-funded attackers.',
  fix: 'Use at least 2048-bit (preferably 3072-bit) RSA/DSA/DH keys, or an elliptic curve of 256 bits or more such as SECP256R1 or Ed25519.',
  example: {
    bad: 'key = rsa.generate_private_key(public_exponent=65537, key_size=1024)',
    good: 'key = rsa.generate_private_key(public_exponent=65537, key_size=3072)',
  },
  check({ module, report }) {
    const small = (call: CallSite, size: Node | undefined, algorithm: string): void => {
      const v = size ? constantValue(size, module) : undefined;
      if (typeof v?.value !== 'number' || v.value >= 2048) return;
      report({
        node: call.node,
        severity: v.value < 1024 ? 'high' : 'medium',
        message: `${calleeLabel(call)} generates a ${v.value}-bit ${algorithm} key; at least 2048 bits are needed.`,
      });
    };
    const weakCurve = (call: CallSite, curve: Node | undefined): void => {
      if (!curve) return;
      const name = (stringValue(curve, module) ?? module.qualifiedName(curve)?.replace(/\(\)$/, '') ?? '')
        .split('.')
        .pop()!
        .toUpperCase();
      const bits = WEAK_CURVES[name];
      if (bits === undefined) return;
      report({
        node: call.node,
        severity: bits < 192 ? 'high' : 'medium',
        message: `${calleeLabel(call)} uses the ${bits}-bit curve \`${curve.text}\`; curves of at least 224 bits (preferably 256) are needed.`,
      });
    };
    const pyopenssl = importsAny(module, ['OpenSSL']);
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      const modulus = MODULUS[callee];
      if (modulus) small(call, call.argument(modulus[0], modulus[1]), modulus[2]);
      else if (callee === `${HAZMAT}.ec.generate_private_key`) weakCurve(call, call.argument(0, 'curve'));
      else if (callee === `${HAZMAT}.ec.derive_private_key`) weakCurve(call, call.argument(1, 'curve'));
      else if (callee === 'Crypto.PublicKey.ECC.generate' || callee === 'Cryptodome.PublicKey.ECC.generate')
        weakCurve(call, call.kwargs.get('curve'));
      else if (pyopenssl && call.methodName === 'generate_key')
        small(call, call.argument(1, 'bits'), 'RSA/DSA');
    }
  },
});
