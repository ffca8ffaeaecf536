import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { isDirectory, isInside } from '../core/files.js';

/**
 * The top folders of the files of a language whose packages nest (see ModuleSystem `nested`): the
 * work tree around each file (the nearest folder holding `.git`), so names do not depend on where
 * the review starts; outside one, the folder the review runs in when the file is inside it, else
 * the reviewed folder that holds it. Each is a package, and the outermost, so a module is named by
 * its path from it. All paths absolute, POSIX form. Only whether `.git` exists is read.
 */
export function topFolders(
  files: readonly string[],
  cwd: string,
  /** The paths the review was given, absolute. */
  roots: readonly string[],
): Set<string> {
  const out = new Set<string>();
  const dirRoots = roots
    .map((r) => (isDirectory(r) ? r : posix.dirname(r)))
    .sort((a, b) => b.length - a.length);
  const trees = new Map<string, string | undefined>();
  for (const file of files) {
    const top =
      workTreeOf(file, trees) ?? (isInside(cwd, file) ? cwd : dirRoots.find((r) => isInside(r, file)));
    if (top !== undefined) out.add(top);
  }
  return out;
}

/** The nearest folder above `file` holding `.git`, memoised by folder in `trees`. */
function workTreeOf(file: string, trees: Map<string, string | undefined>): string | undefined {
  const walked: string[] = [];
  let found: string | undefined;
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    if (trees.has(dir)) {
      found = trees.get(dir);
      break;
    }
    walked.push(dir);
    if (existsSync(posix.join(dir, '.git'))) {
      found = dir;
      break;
    }
    if (posix.dirname(dir) === dir) break;
  }
  for (const d of walked) trees.set(d, found);
  return found;
}
