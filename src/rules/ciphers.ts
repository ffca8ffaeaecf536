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

export const DES: CipherWeakness = {
  name: 'DES',
  why: 'has a 56-bit key that is brute-forced in hours',
  severity: 'high',
};
export const TRIPLE_DES: CipherWeakness = {
  name: 'Triple DES',
  why: 'has a 64-bit block (Sweet32 collisions) and is deprecated',
  severity: 'medium',
};
export const RC4: CipherWeakness = {
  name: 'RC4',
  why: 'has biased keystream bytes that leak plaintext',
  severity: 'high',
};
export const RC2: CipherWeakness = {
  name: 'RC2',
  why: 'has a 64-bit block and known related-key attacks',
  severity: 'high',
};
export const SEED: CipherWeakness = {
  name: 'SEED',
  why: 'is deprecated and was removed from the maintained algorithm set',
  severity: 'medium',
};

/** A cipher whose only weakness is its 64-bit block (Blowfish, CAST5, IDEA). */
export function block64(name: string): CipherWeakness {
  return { name, why: 'has a 64-bit block (Sweet32 collisions)', severity: 'medium' };
}

/** What ECB mode does to the data, for messages. */
export const ECB_WEAKNESS =
  'equal plaintext blocks give equal ciphertext blocks, and nothing detects tampering';
