import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import picomatch from 'picomatch';
import writeFileAtomic from 'write-file-atomic';
import { terminalSafe } from '../core/escape.js';
import { isInside } from '../core/files.js';
import { sourcePatterns } from '../engine/discover.js';
import { errorText } from '../engine/read.js';
import { UsageError } from './io.js';

/** Whether a directory walk would review a file of this name (the registered languages' extensions). */
function isSource(name: string): boolean {
  return picomatch(sourcePatterns().map((p) => p.replace(/^\*\*\//, '')))(name);
}

/**
 * Checks `--output` before the review runs, so that a mistake costs nothing: the folder exists and
 * is writable, the path is not a folder, and it is not a file the review reads (a reviewed
 * source, or anything under a reviewed folder that the review would pick up), which writing the
 * report would overwrite.
 */
export function checkReportTarget(cwd: string, file: string, reviewed: readonly string[] = []): void {
  const target = resolve(cwd, file);
  const name = terminalSafe(file);
  const info = statOrUndefined(target);
  if (info?.isDirectory()) throw new UsageError(`cannot write ${name}: it is a directory`);
  const folder = statOrUndefined(dirname(target));
  if (!folder?.isDirectory()) throw new UsageError(`cannot write ${name}: no such file or directory`);
  try {
    accessSync(dirname(target), constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${name}: permission denied`);
  }
  for (const path of reviewed.map((p) => resolve(cwd, p))) {
    const isReviewedFile = statOrUndefined(path)?.isDirectory() ? false : path === target;
    const underReviewedDir = statOrUndefined(path)?.isDirectory() && isInside(path, target);
    if (isReviewedFile || (underReviewedDir && isSource(basename(target)))) {
      throw new UsageError(`refusing to write the report over ${name}: it is one of the reviewed files`);
    }
  }
}

function statOrUndefined(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Writes a report to `file` (relative to `cwd`) atomically: a temporary file renamed into place, so
 * a failed run never leaves half a report. A failure is a usage error naming the file, not a stack.
 */
export async function writeReportFile(cwd: string, file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(resolve(cwd, file), text);
  } catch (e) {
    // Drop ", open '<temporary name>'": the reader named the file, not its temporary sibling.
    throw new UsageError(
      `cannot write ${terminalSafe(file)}: ${terminalSafe(errorText(e).replace(/, \w+ '[^']*'$/, ''))}`,
    );
  }
}
