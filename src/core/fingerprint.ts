import { createHash } from 'node:crypto';

/** Collapses whitespace and drops comments so that reformatting does not change identity. */
export function normalizeCode(code: string): string {
  return code
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A finding's identity that does not depend on line numbers: rule, file, normalized code of the
 * match and the enclosing function or class. Two identical matches in one function share a
 * fingerprint; baselines keep counts so that a second copy is still reported as new.
 */
export function fingerprint(ruleId: string, file: string, code: string, context: string): string {
  return createHash('sha256')
    .update([ruleId, file, normalizeCode(code), context].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
