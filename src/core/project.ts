/**
 * What the reviewed project declares about itself outside its source files: the versions of its
 * dependencies, read from its manifests (requirements and lock files) as data. Rules whose verdict
 * depends on a library's version (a default that changed) read it; plain data, cloned into workers.
 */

/** The versions a declaration allows: one exact version, a lower bound, or any. */
export type DeclaredVersion = { kind: 'exact' | 'at-least'; version: string } | { kind: 'any' };

export interface ProjectFacts {
  /** By package name as the language normalises it; a package not declared is absent. */
  dependencies: Readonly<Record<string, DeclaredVersion>>;
}

export const NO_PROJECT_FACTS: ProjectFacts = { dependencies: {} };

/** Compares dotted numeric versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map((n) => parseInt(n, 10) || 0);
  const y = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Merges the declarations of several manifests: a lock file's or pin's exact version wins over a
 * range, the lower bound of ranges is the lowest one, and any declaration beats none.
 */
export function mergeDeclared(a: DeclaredVersion | undefined, b: DeclaredVersion): DeclaredVersion {
  if (!a || a.kind === 'any') return b;
  if (b.kind === 'any') return a;
  if (a.kind !== b.kind) return a.kind === 'exact' ? a : b;
  return compareVersions(a.version, b.version) <= 0 ? a : b;
}
