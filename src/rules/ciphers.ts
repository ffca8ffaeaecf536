import type { Severity } from '../core/index.js';

/**
 * Weak ciphers and modes as every language's broken-cipher rule names them: what each is, why it is
 * weak and how severe that is (broken outright: high; leaking under volume or structure: medium).
 */

export interface CipherWeakness {
  name: string;
  why: string;
  severity: Severity;
}

const weakness = (name: string, why: string, severity: Severity): CipherWeakness => ({ name, why, severity });

export const DES = weakness('DES', 'has a 56-bit key that is brute-forced in hours', 'high');
export const TRIPLE_DES = weakness(
  'Triple DES',
  'has a 64-bit block (Sweet32 collisions) and is deprecated',
  'medium',
);
export const RC4 = weakness('RC4', 'has biased keystream bytes that leak plaintext', 'high');
export const RC2 = weakness('RC2', 'has a 64-bit block and known related-key attacks', 'high');
export const SEED = weakness(
  'SEED',
  'is deprecated and was removed from the maintained algorithm set',
  'medium',
);

/** A cipher whose only weakness is its 64-bit block (Blowfish, CAST5, IDEA). */
export function block64(name: string): CipherWeakness {
  return weakness(name, 'has a 64-bit block (Sweet32 collisions)', 'medium');
}

/** What ECB mode does to the data, for messages. */
export const ECB_WEAKNESS =
  'equal plaintext blocks give equal ciphertext blocks, and nothing detects tampering';
