import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { review } from '../engine/review.js';
import { languageNames } from '../lang/registry.js';
import { readSource, DEFAULT_MAX_FILE_SIZE } from '../engine/read.js';
import { FileReadError, readBoundedFile } from '../core/files.js';
import { terminalSafe } from '../core/escape.js';
import { auditReview } from '../llm/audit.js';
import { parseReview } from '../llm/parse-review.js';
import { formatAuditJson, formatAuditText } from '../reporters/audit.js';
import { UsageError, type CliIO } from './io.js';

interface AuditFlags {
  code: string;
  format: 'text' | 'json';
}

/** A review is a page or two of text; a larger file is refused rather than read. */
const MAX_REVIEW_BYTES = 4 * 1024 * 1024;

/** `secreview audit-review REVIEW --code FILE`: checks every claim of an existing review. */
export async function runAudit(reviewPath: string, flags: AuditFlags, io: CliIO): Promise<number> {
  let reviewText: string;
  try {
    reviewText = readBoundedFile(resolve(io.cwd, reviewPath), {
      what: 'the review',
      maxBytes: MAX_REVIEW_BYTES,
      name: reviewPath,
    });
  } catch (e) {
    throw e instanceof FileReadError ? new UsageError(e.message) : e;
  }
  const read = await readSource(resolve(io.cwd, flags.code), DEFAULT_MAX_FILE_SIZE);
  if (!read.ok) throw new UsageError(`cannot review ${terminalSafe(flags.code)}: ${read.detail}`);
  const result = await review({ paths: [flags.code], cwd: io.cwd });
  const file = result.files[0];
  if (!file || file.status !== 'reviewed') {
    throw new UsageError(
      `cannot review ${terminalSafe(flags.code)}: ${file?.detail ?? `not a ${languageNames()} file`}`,
    );
  }
  const audit = auditReview(parseReview(reviewText), file.file, read.text, result.findings);
  const name = basename(reviewPath);
  io.stdout(flags.format === 'json' ? formatAuditJson(audit, name) : formatAuditText(audit, name));
  return 0;
}

export function registerAuditCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('audit-review')
    .description(
      'check an existing free-text review (by a person or an LLM) claim by claim against the code it reviews',
    )
    .argument('<review>', 'the review, a text file with numbered items naming a CWE and a line')
    .requiredOption('--code <file>', 'the source file the review is about')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (reviewPath: string, flags: AuditFlags) => {
      setExit(await runAudit(reviewPath, flags, io));
    });
}
