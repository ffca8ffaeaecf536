import { lstat, open, realpath, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { globby } from 'globby';
import { isGitignored, readGitignores } from './gitignore.js';
import picomatch from 'picomatch';
import type { Language } from '../lang/language.js';
import { languageForPath, languages } from '../lang/registry.js';

/**
 * Directories never worth reviewing for any language: VCS data, secreview's cache, and each
 * registered language's installed code and caches (see lang/language.ts `DiscoverySyntax`). Build
 * output is left out per language (`isBuildOutput`).
 */
export function defaultExcludes(): string[] {
  return [
    '**/.git/**',
    '**/.hg/**',
    '**/.svn/**',
    ...languages().flatMap((l) => l.discovery?.excludes ?? []),
    '**/.secreview-cache/**',
  ];
}

const outputMatchers = new WeakMap<Language, (path: string) => boolean>();

/**
 * Whether a path (relative, `/`-separated) lies in the build output of its own language
 * (`DiscoverySyntax.outputs`): `dist/app.js` does, `build/__init__.py` does not, since only the
 * JavaScript pack calls `build/` output.
 */
export function isBuildOutput(path: string): boolean {
  const language = languageForPath(path);
  const outputs = language?.discovery?.outputs;
  if (!language || !outputs?.length) return false;
  let matcher = outputMatchers.get(language);
  if (!matcher) outputMatchers.set(language, (matcher = picomatch([...outputs], { dot: true })));
  return matcher(path);
}

/** What a directory walk looks for: the extensions of every registered language. */
export function sourcePatterns(): string[] {
  return languages().flatMap((l) => l.extensions.map((e) => `**/*${e}`));
}

const GITIGNORE = '.gitignore';

/** Files whose name has no extension (`bin/deploy`): scripts when their shebang names a language. */
const EXTENSIONLESS = '**/!(*.*)';

/** Files opened at once to read their shebangs. */
const SHEBANG_BATCH = 64;

/** How much of a file's start is read for its shebang. */
const SHEBANG_BYTES = 256;

/** Whether the file's first line is the shebang of a registered language (`#!/usr/bin/env python3`). */
async function hasLanguageShebang(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buf = Buffer.alloc(SHEBANG_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SHEBANG_BYTES, 0);
    if (bytesRead < 2 || buf[0] !== 0x23 || buf[1] !== 0x21) return false;
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n/);
    const firstLine = end < 0 ? text : text.slice(0, end);
    return languageForPath(path, firstLine) !== undefined;
  } catch {
    // Unreadable: not listed here; a file named on the command line is still read and reported.
    return false;
  } finally {
    await handle?.close();
  }
}

export interface DiscoverOptions {
  /** Extra glob patterns to exclude (relative to each reviewed directory). */
  exclude?: readonly string[];
  /** When given, directory walks keep only files matching one of these globs. */
  include?: readonly string[];
  /**
   * When given, directory walks look for files with these extensions instead of those of every
   * registered language (bench/speed-js.ts lists the files a peer tool lints with the same walk).
   */
  extensions?: readonly string[];
}

export interface Discovered {
  /** Absolute paths, deduplicated, in a stable order. */
  files: string[];
  /** Paths given explicitly: reviewed whatever their extension (the language is checked later). */
  explicit: Set<string>;
  /** Arguments that do not exist. */
  missing: string[];
  /** Files found by walking a directory, with their path relative to it (`/`-separated). */
  inTree: Map<string, string>;
}

/** A native path with `/` separators (as reported, and as module names are derived). */
export function toPosix(p: string): string {
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
 * environments are recognised by their language's marker file; symbolic links are not followed inside
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
  const inTree = new Map<string, string>();
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
    const ignore = [...defaultExcludes(), ...(options.exclude ?? [])];
    // One walk finds the sources, the environments (a folder with a language's marker, such as a
    // virtualenv's: everything below it is left out) and the .gitignore files.
    const sources = options.extensions ? options.extensions.map((e) => `**/*${e}`) : sourcePatterns();
    const markers = new Set(languages().flatMap((l) => l.discovery?.environmentMarker ?? []));
    // Scripts without an extension are found by their shebang, unless the walk is for given extensions.
    const scripts = options.extensions ? [] : [EXTENSIONLESS];
    const walked = await globby(
      [...sources, ...scripts, ...[...markers].map((m) => `**/${m}`), `**/${GITIGNORE}`],
      {
        cwd: root,
        ignore,
        followSymbolicLinks: false,
        suppressErrors: true,
        absolute: false,
        // Hidden folders hold real code too (.github/scripts); VCS data and caches are excluded above.
        dot: true,
      },
    );
    const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
    const venvs = walked.filter((f) => markers.has(base(f))).map((f) => `${toPosix(dirname(f))}/`);
    const outsideVenvs = (f: string): boolean => !venvs.some((v) => v === './' || f.startsWith(v));
    const kept = walked.filter(outsideVenvs);
    const gitignores = await readGitignores(
      root,
      kept.filter((f) => base(f) === GITIGNORE),
    );
    const isSource = picomatch(sources, { dot: true });
    const found = kept.filter((f) => isSource(f) && !isBuildOutput(f) && !isGitignored(f, gitignores));
    const candidates = scripts.length
      ? kept.filter((f) => !base(f).includes('.') && !markers.has(base(f)) && !isGitignored(f, gitignores))
      : [];
    for (let i = 0; i < candidates.length; i += SHEBANG_BATCH) {
      const batch = candidates.slice(i, i + SHEBANG_BATCH);
      const scriptsHere = await Promise.all(batch.map((f) => hasLanguageShebang(resolve(root, f))));
      found.push(...batch.filter((_, j) => scriptsHere[j]));
    }
    const included = options.include?.length ? picomatch([...options.include], { dot: true }) : undefined;
    for (const f of found.sort()) {
      if (included && !included(f)) continue;
      const file = resolve(abs, f);
      files.add(file);
      if (!inTree.has(file)) inTree.set(file, toPosix(f));
    }
  }
  return { files: [...files], explicit, missing, inTree };
}
