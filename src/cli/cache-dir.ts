import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectCacheDir } from '../engine/cache.js';
import type { CliIO } from './io.js';

/** The flags that place the caches (result and LLM answers). */
export interface CacheFlags {
  /** False with --no-cache. */
  cache?: boolean;
  /** --cache-dir: a folder the user chose, in the repository or elsewhere. */
  cacheDir?: string;
}

export const CACHE_DIR_ENV = 'SECREVIEW_CACHE_DIR';

/**
 * Where the result cache of this run lives: the folder the user named (--cache-dir, else
 * SECREVIEW_CACHE_DIR), else the user's cache folder for this project's absolute path. Never a
 * folder the reviewed repository chose (see engine/cache.ts); undefined with --no-cache.
 */
export function resultCacheDir(flags: CacheFlags, io: CliIO): string | undefined {
  if (flags.cache === false) return undefined;
  const named = flags.cacheDir ?? io.env[CACHE_DIR_ENV];
  if (named) return resolve(io.cwd, named);
  let project = resolve(io.cwd);
  try {
    project = realpathSync(project);
  } catch {
    /* the path as given */
  }
  return projectCacheDir(io.env, project);
}

/** The LLM answers are kept beside the results, in a folder of their own. */
export function llmCacheDir(flags: CacheFlags, io: CliIO): string | undefined {
  const dir = resultCacheDir(flags, io);
  return dir === undefined ? undefined : join(dir, 'llm');
}
