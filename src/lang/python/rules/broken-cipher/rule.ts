import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { resolveValue } from '../../helpers/constants.js';
import { decryptOnlyUse, singleBlockUse, type EcbCipher } from './single-block.js';
import type { Node } from '../../../../parsing/parser.js';
import {
  block64,
  DES,
  ECB_WEAKNESS,
  RC2,
  RC4,
  SEED,
  TRIPLE_DES,
  type CipherWeakness,
} from '../../../../rules/ciphers.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';

/** Ciphers by the last component of their constructor, with why they are weak. */
const WEAK_CIPHERS: Record<string, CipherWeakness> = {
  DES,
  des: DES,
  DES3: TRIPLE_DES,
  TripleDES: TRIPLE_DES,
  triple_des: TRIPLE_DES,
  ARC4: RC4,
  ARC2: RC2,
  XOR: {
    name: 'XOR',
    why: 'offers no security at all: the key is recovered from known plaintext',
    severity: 'high',
  },
  Blowfish: block64('Blowfish'),
  CAST: block64('CAST5'),
  CAST5: block64('CAST5'),
  IDEA: block64('IDEA'),
  SEED,
};

/** `cryptography` cipher classes and PyCryptodome/PyCrypto `new` functions, as qualified-name patterns. */
const CRYPTOGRAPHY_ALGORITHM =
  /^cryptography\.hazmat\.(?:primitives|decrepit)\.ciphers\.(?:algorithms\.)?(\w+)$/;
const PYCRYPTO_NEW = /^(?:Crypto|Cryptodome)\.Cipher\.(\w+)\.new$/;
const PYDES = /^pyDes\.(des|triple_des)$/;
const CRYPTOGRAPHY_ECB = /^cryptography\.hazmat\.primitives\.ciphers\.(?:modes\.)?ECB$/;

/** PyCryptodome's MODE_ECB, written as `AES.MODE_ECB` or the number 1. */
function isEcbMode(mode: Node | undefined, module: PythonModule): boolean {
  if (!mode) return false;
  const q = module.qualifiedName(mode);
  if (q && /\.MODE_ECB$/.test(q)) return true;
  const v = constantValue(mode, module);
  return v?.value === 1;
}

/** Block sizes in bytes of the `cryptography` algorithms with 128-bit blocks; the others have 64. */
const BLOCK_BYTES: Record<string, number> = {
  AES: 16,
  AES128: 16,
  AES256: 16,
  Camellia: 16,
  SM4: 16,
  SEED: 16,
};

/**
 * The `Cipher(algorithm, modes.ECB())` call that an ECB mode object is handed to, and its
 * algorithm's block size; undefined when the mode object goes anywhere else.
 */
function cryptographyCipher(
  ecb: CallSite,
  calls: ReadonlyMap<number, CallSite>,
  module: PythonModule,
): EcbCipher | undefined {
  let holder = ecb.node.parent;
  if (holder?.type === 'keyword_argument') holder = holder.parent;
  const cipher = holder?.type === 'argument_list' && holder.parent ? calls.get(holder.parent.id) : undefined;
  if (
    !cipher?.callee ||
    !/^cryptography\.hazmat\.primitives\.ciphers(?:\.base)?\.Cipher$/.test(cipher.callee)
  )
    return undefined;
  if (cipher.argument(1, 'mode')?.id !== ecb.node.id) return undefined;
  const algorithm = cipher.argument(0, 'algorithm');
  const made = algorithm ? calls.get(resolveValue(algorithm, module).id) : undefined;
  const name = CRYPTOGRAPHY_ALGORITHM.exec(made?.callee ?? '')?.[1];
  return { node: cipher.node, blockBytes: (name && BLOCK_BYTES[name]) || 8 };
}

/** An ECB cipher that only decrypts: the mode is the data's producer's choice, reported low. */
function decryptOnly(node: Node, what: string): ReportDescriptor {
  return {
    node,
    severity: 'low',
    message:
      `${what} only to decrypt: the mode was chosen by whoever encrypted the data (a device, a partner, a ` +
      'file format), and the weakness to fix is there; ECB gives the decrypted data no integrity, so ' +
      'ciphertext blocks an attacker rearranges decrypt without error.',
  };
}

export default defineRule({
  id: 'python/broken-cipher',
  title: 'Broken or risky cipher or mode',
  cwe: 327,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['Crypto', 'cryptography', 'pyDes'],
  description:
    'DES, RC4, RC2 and XOR "ciphers" can be broken outright; 64-bit block ciphers (Triple DES, Blowfish, ' +
    'CAST5, IDEA) leak plaintext after a few gigabytes under one key; ECB mode encrypts equal blocks to ' +
    'equal ciphertext, so the structure of the plaintext shows through.',
  fix:
    'Use an authenticated cipher: AES-GCM (cryptography AESGCM, or AES.new(key, AES.MODE_GCM)), ' +
    'ChaCha20-Poly1305, or Fernet for simple symmetric encryption.',
  example: {
    bad: 'cipher = DES.new(key, DES.MODE_ECB)',
    good: 'cipher = AES.new(key, AES.MODE_GCM)',
  },
  check({ module, report }) {
    const calls = new Map<number, CallSite>(module.calls.map((c) => [c.node.id, c]));
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const m = CRYPTOGRAPHY_ALGORITHM.exec(callee) ?? PYCRYPTO_NEW.exec(callee) ?? PYDES.exec(callee);
      const weak = m ? WEAK_CIPHERS[m[1]] : undefined;
      if (weak) {
        report({
          node: call.node,
          severity: weak.severity,
          message: `${callLabel(call, module)} uses ${weak.name}, which ${weak.why}.`,
        });
        continue;
      }
      if (CRYPTOGRAPHY_ECB.test(callee)) {
        const cipher = cryptographyCipher(call, calls, module);
        if (singleBlockUse(call, cipher, calls, module)) continue;
        if (decryptOnlyUse(cipher, calls, module)) {
          report(decryptOnly(call.node, `${callLabel(call, module)} selects ECB mode`));
          continue;
        }
        report({
          node: call.node,
          severity: 'medium',
          message: `${callLabel(call, module)} selects ECB mode: ${ECB_WEAKNESS}.`,
        });
        continue;
      }
      if (m && PYCRYPTO_NEW.test(callee)) {
        const mode = call.argument(1, 'mode');
        if (isEcbMode(mode, module)) {
          const cipher = { node: call.node, blockBytes: m[1] === 'AES' ? 16 : 8 };
          if (singleBlockUse(call, cipher, calls, module)) continue;
          if (decryptOnlyUse(cipher, calls, module)) {
            report(
              decryptOnly(
                call.node,
                `${callLabel(call, module)} with \`${codeOf(mode as Node)}\` uses ECB mode`,
              ),
            );
            continue;
          }
          report({
            node: call.node,
            severity: 'medium',
            message: `${callLabel(call, module)} with \`${codeOf(mode as Node)}\` encrypts in ECB mode: ${ECB_WEAKNESS}.`,
          });
        } else if (!mode && !call.hasSplat && m[1] === 'AES') {
          report({
            node: call.node,
            severity: 'medium',
            confidence: 'low',
            message: `${callLabel(call, module)} has no mode: the legacy PyCrypto library then defaults to ECB (PyCryptodome raises an error).`,
          });
        }
      }
    }
  },
});
