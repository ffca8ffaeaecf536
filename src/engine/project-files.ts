import { lstat, readFile, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { globby } from 'globby';
import picomatch from 'picomatch';
import type { ProjectFiles } from '../lang/language.js';
import { languageForPath } from '../lang/registry.js';
import { defaultExcludes, isBuildOutput, toPosix } from './discover.js';

/** A configuration file larger than this is not read (see lang/language.ts `ProjectFiles`). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** A path from the top of a tree that stays inside it. */
function isInside(path: string): boolean {
  return !!path && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split('/').includes('..');
}

/** Whether a path names a source file the review could read: not installed code nor build output. */
function isSourcePath(path: string): boolean {
  return (
    isInside(path) &&
    !path.split('/').includes('node_modules') &&
    !!languageForPath(path) &&
    !isBuildOutput(path)
  );
}

/**
 * The files of the work tree at `top` on disk (absolute, POSIX). Symbolic links are not followed:
 * a file that is one, or that a linked folder takes out of the tree, is not read.
 */
export function filesOnDisk(top: string): ProjectFiles {
  let realTop: Promise<string> | undefined;
  return {
    async read(path) {
      if (!isInside(path)) return undefined;
      const abs = posix.join(top, path);
      const info = await lstat(abs).catch(() => undefined);
      if (!info?.isFile() || info.size > MAX_CONFIG_BYTES) return undefined;
      const real = await realpath(abs).then(toPosix, () => undefined);
      const root = await (realTop ??= realpath(top).then(toPosix, () => top));
      if (!real?.startsWith(`${root}/`)) return undefined;
      return readFile(abs, 'utf8').catch(() => undefined);
    },
    async isFile(path) {
      if (!isSourcePath(path)) return false;
      return (await lstat(posix.join(top, path)).catch(() => undefined))?.isFile() ?? false;
    },
    async find(name) {
      const found = await globby(`**/${name}`, {
        cwd: top,
        ignore: defaultExcludes(),
        dot: false,
        followSymbolicLinks: false,
        onlyFiles: true,
      });
      return found.filter((p) => !isBuildOutput(posix.join(posix.dirname(p), 'index.js')));
    },
    async findByExtension(extensions, under, limit) {
      if (under && !isInside(under)) return [];
      const found = await globby(`**/*.{${[...extensions, '-'].join(',')}}`, {
        cwd: posix.join(top, under),
        ignore: defaultExcludes(),
        dot: false,
        followSymbolicLinks: false,
        onlyFiles: true,
      });
      return found
        .map((p) => (under ? `${under}/${p}` : p))
        .filter((p) => !isBuildOutput(posix.join(posix.dirname(p), 'index.js')))
        .sort()
        .slice(0, limit);
    },
  };
}

/** A revision's files: read by path, and (when the source can list them) all its paths. */
export function filesAtRevision(
  read: (path: string) => Promise<Buffer | undefined>,
  list?: () => Promise<string[]>,
): ProjectFiles {
  let listed: Promise<Set<string>> | undefined;
  const all = (): Promise<Set<string>> =>
    (listed ??= (list?.() ?? Promise.resolve([])).then((l) => new Set(l)));
  return {
    async read(path) {
      if (!isInside(path)) return undefined;
      const bytes = await read(path);
      return bytes && bytes.length <= MAX_CONFIG_BYTES ? bytes.toString('utf8') : undefined;
    },
    async isFile(path) {
      if (!isSourcePath(path)) return false;
      return list ? (await all()).has(path) : (await read(path)) !== undefined;
    },
    async find(name) {
      const excluded = picomatch(defaultExcludes(), { dot: true });
      return [...(await all())].filter(
        (p) =>
          posix.basename(p) === name &&
          !excluded(p) &&
          !isBuildOutput(posix.join(posix.dirname(p), 'index.js')),
      );
    },
    async findByExtension(extensions, under, limit) {
      if (!list) return [];
      const excluded = picomatch(defaultExcludes(), { dot: true });
      const prefix = under ? `${under}/` : '';
      return [...(await all())]
        .filter(
          (p) =>
            p.startsWith(prefix) &&
            extensions.some((e) => p.endsWith(`.${e}`)) &&
            !excluded(p) &&
            !isBuildOutput(posix.join(posix.dirname(p), 'index.js')),
        )
        .sort()
        .slice(0, limit);
    },
  };
}

/** The files of the tree at `top`: those given for the review's own folder `cwd`, else those on disk. */
export function filesAtRevisionOrDisk(
  top: string,
  cwd: string,
  given: ProjectFiles | undefined,
): ProjectFiles {
  return given && top === cwd ? given : filesOnDisk(top);
}
