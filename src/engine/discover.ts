import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { globby } from 'globby';
import { isGitignored, loadGitignores } from './gitignore.js';
import picomatch from 'picomatch';

/** Directories never worth reviewing: VCS data, dependencies, virtualenvs, caches, build output. */
export const DEFAULT_EXCLUDES = [
  '**/.git/**',
  '**/.hg/**',
  '**/.svn/**',
  '**/node_modules/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/.nox/**',
  '**/__pycache__/**',
  '**/site-packages/**',
  '**/.eggs/**',
  '**/*.egg-info/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/.ruff_cache/**',
  '**/build/**',
  '**/dist/**',
  '**/.secreview-cache/**',
];

export const SOURCE_PATTERNS = ['**/*.py', '**/*.pyw'];

export interface DiscoverOptions {
  /** Extra glob patterns to exclude (relative to each reviewed directory). */
  exclude?: readonly string[];
  /** When given, directory walks keep only files matching one of these globs. */
  include?: readonly string[];
}

export interface Discovered {
  /** Absolute paths, deduplicated, in a stable order. */
  files: string[];
  /** Paths given explicitly: reviewed whatever their extension (the language is checked later). */
  explicit: Set<string>;
  /** Arguments that do not exist. */
  missing: string[];
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Paths relative to the review root, with forward slashes, for reports. */
export function displayPath(root: string, abs: string): string {
  const rel = relative(root, abs);
  return toPosix(rel === '' ? '.' : rel.startsWith('..') ? abs : rel);
}

/**
 * Expands the reviewed paths into files. Directories are walked honoring .gitignore files (at
 * every level, and those of parent directories inside the git work tree) and the default excludes;
 * virtualenvs are recognised by their pyvenv.cfg; symbolic links are not followed inside
 * directories, so link loops cannot hang the walk.
 */
export async function discover(
  paths: readonly string[],
  cwd: string,
  options: DiscoverOptions = {},
): Promise<Discovered> {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      try {
        await lstat(abs); // a dangling symlink exists but cannot be read
      } catch {
        missing.push(p);
        continue;
      }
      files.add(abs);
      explicit.add(abs);
      continue;
    }
    if (!info.isDirectory()) {
      files.add(abs);
      explicit.add(abs);
      continue;
    }
    const root = await realpath(abs).catch(() => abs);
    const ignore = [...DEFAULT_EXCLUDES, ...(options.exclude ?? [])];
    const venvs = await globby('**/pyvenv.cfg', {
      cwd: root,
      ignore,
      followSymbolicLinks: false,
      suppressErrors: true,
      dot: true,
    });
    for (const cfg of venvs) ignore.push(`${toPosix(dirname(cfg))}/**`);
    const gitignores = await loadGitignores(root, ignore);
    const walked = await globby(SOURCE_PATTERNS, {
      cwd: root,
      ignore,
      followSymbolicLinks: false,
      suppressErrors: true,
      absolute: false,
      // Hidden folders hold real code too (.github/scripts); VCS data and caches are excluded above.
      dot: true,
    });
    const included = options.include?.length ? picomatch([...options.include], { dot: true }) : undefined;
    const found = walked.filter((f) => !isGitignored(f, gitignores));
    for (const f of found.sort()) if (!included || included(f)) files.add(resolve(abs, f));
  }
  return { files: [...files], explicit, missing };
}
