import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { globby } from 'globby';
import ignore, { type Ignore } from 'ignore';

export interface IgnoreFile {
  /** A walked file's path as seen from this .gitignore's directory, or undefined if outside it. */
  relate: (file: string) => string | undefined;
  rules: Ignore;
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * The .gitignore files that apply to a walk of `root`: every one below it (found without following
 * symbolic links, since globby's own `gitignore` option follows them and never ends on a link
 * loop), and those of its parent directories up to the enclosing git work tree.
 */
export async function loadGitignores(root: string, exclude: readonly string[]): Promise<IgnoreFile[]> {
  const inside = await globby('**/.gitignore', {
    cwd: root,
    ignore: [...exclude],
    followSymbolicLinks: false,
    suppressErrors: true,
    dot: true,
  });
  return readGitignores(root, inside);
}

/** The rules of the given .gitignore files below `root` (paths relative to it), and of its parents. */
export async function readGitignores(root: string, inside: readonly string[]): Promise<IgnoreFile[]> {
  const files: { dir: string; relate: IgnoreFile['relate'] }[] = [];
  for (const dir of parentsInWorkTree(root)) {
    const prefix = toPosix(relative(dir, root));
    files.push({ dir, relate: (file) => `${prefix}/${file}` });
  }
  for (const f of [...inside].sort(byDepth)) {
    const base = toPosix(dirname(f));
    files.push({
      dir: join(root, base),
      relate: (file) =>
        base === '.' ? file : file.startsWith(`${base}/`) ? file.slice(base.length + 1) : undefined,
    });
  }
  const out: IgnoreFile[] = [];
  for (const f of files) {
    try {
      out.push({ relate: f.relate, rules: ignore().add(await readFile(join(f.dir, '.gitignore'), 'utf8')) });
    } catch {
      // a missing or unreadable .gitignore ignores nothing
    }
  }
  return out;
}

/** Ancestors of `root` (outermost first) up to the directory holding `.git`; none outside git. */
function parentsInWorkTree(root: string): string[] {
  const chain: string[] = [];
  let dir = root;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return chain.reverse();
    const parent = dirname(dir);
    if (parent === dir) return [];
    dir = parent;
    chain.push(dir);
  }
}

function byDepth(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || a.localeCompare(b);
}

/**
 * Whether git would ignore `file` (relative to the walk root, forward slashes). Files are checked
 * from the outermost .gitignore to the innermost, so a deeper `!pattern` can re-include a file.
 */
export function isGitignored(file: string, ignores: readonly IgnoreFile[]): boolean {
  let ignored = false;
  for (const { relate, rules } of ignores) {
    const rel = relate(file);
    if (rel === undefined) continue;
    const r = rules.test(rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}
