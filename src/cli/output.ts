import { resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errorText } from '../engine/read.js';
import { UsageError } from './io.js';

/**
 * Writes a report to `file` (relative to `cwd`) atomically: a temporary file renamed into place, so
 * a failed run never leaves half a report. A failure is a usage error naming the file, not a stack.
 */
export async function writeReportFile(cwd: string, file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(resolve(cwd, file), text);
  } catch (e) {
    // Drop ", open '<temporary name>'": the reader named the file, not its temporary sibling.
    throw new UsageError(`cannot write ${file}: ${errorText(e).replace(/, \w+ '[^']*'$/, '')}`);
  }
}
