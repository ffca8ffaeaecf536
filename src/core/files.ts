import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { terminalSafe } from './escape.js';

/**
 * A file named by the reviewed repository (its config, a baseline it names) or handed over as data
 * (a patch, a review to audit) could not be read safely. The message names the file and why, and
 * never quotes what the file holds.
 */
export class FileReadError extends Error {}

export interface BoundedReadOptions {
  /** What the file is, for messages: "config", "baseline", "patch". */
  what: string;
  /** The most bytes read; a larger file is refused. */
  maxBytes: number;
  /**
   * Folders a symbolic link may point into (compared after resolving links). Undefined: links are
   * followed anywhere (a file the user named on the command line).
   */
  roots?: readonly string[];
  /** How to name the file in messages (default: the path read), e.g. as the user typed it. */
  name?: string;
  /** Refuse a symbolic link outright, at open time too (O_NOFOLLOW): files secreview itself wrote. */
  noFollow?: boolean;
}

/** Whether `path` is `root` or below it. Both absolute. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Whether `p` is a folder (a link to one counts); false when it does not exist or cannot be read. */
export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Reads a text file with every bound a hostile repository needs: a regular file (no FIFO, which
 * would block, no device such as /dev/zero, which never ends), a symbolic link only into the allowed
 * roots, at most `maxBytes` (checked on the open descriptor and again while reading, in case it
 * grows). Errors name the file, never its content.
 */
export function readBoundedFile(path: string, opts: BoundedReadOptions): string {
  const name = terminalSafe(opts.name ?? path);
  const fail = (why: string): never => {
    throw new FileReadError(`cannot read ${opts.what} ${name}: ${why}`);
  };
  let link;
  try {
    link = lstatSync(path);
  } catch (e) {
    return fail(codeText(e));
  }
  if (link.isSymbolicLink() && opts.noFollow) fail('it is a symbolic link');
  if (link.isSymbolicLink() && opts.roots) {
    const target = realOrSelf(path);
    if (!opts.roots.some((r) => isInside(realOrSelf(r), target)))
      fail('it is a symbolic link to a file outside the project');
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    fd = openSync(
      path,
      constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0),
    );
  } catch (e) {
    return fail(codeText(e));
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) fail('not a regular file');
    if (info.size > opts.maxBytes) fail(`${info.size} bytes is over the ${opts.maxBytes}-byte limit`);
    // One byte more than the size: a full buffer means the file grew while being read.
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length === buffer.length) fail('it changed while being read');
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** "ENOENT: no such file or directory, open 'x'" → "no such file or directory": no path, no content. */
function codeText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return terminalSafe(message.replace(/^[A-Z]+: /, '').replace(/, \w+ '[^']*'$/, ''));
}

/** The user's own folders, from the environment the CLI was given (XDG base directories). */
export function userConfigDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return join(base ?? join(env.HOME || homedir(), '.config'), 'secreview');
}

export function userCacheDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  return join(base ?? join(env.HOME || homedir(), '.cache'), 'secreview');
}
