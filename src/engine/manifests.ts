import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { mergeDeclared, type DeclaredVersion, type ProjectFacts } from '../core/index.js';
import { languages } from '../lang/registry.js';

/** A manifest larger than this is not a hand-written declaration: skipped. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * Reads the dependency manifests of the reviewed project (see core/project.ts): those in each
 * reviewed directory (or a reviewed file's directory) and in the directories above it up to `cwd`,
 * as each language's pack recognises them. Unreadable or oversized files are left out.
 */
export async function readProjectFacts(paths: readonly string[], cwd: string): Promise<ProjectFacts> {
  const packs = languages().flatMap((l) => (l.manifests ? [l.manifests] : []));
  if (!packs.length) return { dependencies: {} };
  const dirs = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let dir = (await stat(abs).catch(() => undefined))?.isDirectory() ? abs : dirname(abs);
    dirs.add(dir);
    // Up to the working directory when the path lies under it.
    while (isInside(dir, cwd) && dir !== resolve(cwd)) {
      dir = dirname(dir);
      dirs.add(dir);
    }
  }
  const dependencies: Record<string, DeclaredVersion> = {};
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const pack = packs.find((m) => m.isManifest(name));
      if (!pack) continue;
      const path = join(dir, name);
      const size = (await stat(path).catch(() => undefined))?.size ?? Infinity;
      if (size > MAX_MANIFEST_BYTES) continue;
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      for (const [pkg, version] of pack.read(name, text)) {
        dependencies[pkg] = mergeDeclared(dependencies[pkg], version);
      }
    }
  }
  return { dependencies };
}

function isInside(dir: string, root: string): boolean {
  const rel = relative(resolve(root), dir);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}
