import { severityRank, type FileReport, type Finding, type Severity } from '../core/index.js';
import type { CliIO } from './io.js';
import { terminalSafe } from '../core/escape.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** What a review command's exit code is decided on. */
export interface Verdict {
  /** The findings `failOn` applies to: an unsuppressed defect at or above it fails the run. */
  findings: readonly Finding[];
  failOn: Severity | 'never';
  /** The files of the review: one skipped for an internal error is a tool error. */
  files: readonly FileReport[];
  /** Errors of an optional stage (the LLM review): printed; `stageFailed` makes them fail the run. */
  stageErrors?: readonly string[];
  stageFailed?: boolean;
  /** Another reason to exit 1 (suggestions past --fail-on-suggestions). */
  alsoFailing?: boolean;
}

/**
 * 2 on tool errors (each printed), 1 when an unsuppressed defect reaches `failOn`, else 0. Tool
 * errors come first: a run that could not review a file cannot say the code is clean.
 */
export function exitCodeOf(verdict: Verdict, io: CliIO): number {
  const toolErrors = verdict.files.filter((f) => f.reason === 'internal-error');
  for (const f of toolErrors)
    io.stderr(`secreview: error: ${terminalSafe(f.file)}: ${terminalSafe(f.detail ?? 'internal error')}\n`);
  if (toolErrors.length) return EXIT_ERROR;
  for (const e of verdict.stageErrors ?? []) io.stderr(`secreview: error: ${terminalSafe(e)}\n`);
  if (verdict.stageFailed) return EXIT_ERROR;
  const threshold = verdict.failOn === 'never' ? Infinity : severityRank(verdict.failOn);
  const failing = verdict.findings.some(
    (f) => f.kind === 'defect' && !f.suppressed && severityRank(f.severity) >= threshold,
  );
  return failing || verdict.alsoFailing ? EXIT_FINDINGS : EXIT_OK;
}

/** Prints each path given that does not exist; EXIT_ERROR when there is one. */
export function missingPathsExit(missing: readonly string[], io: CliIO): number | undefined {
  for (const m of missing) io.stderr(`secreview: error: no such file or directory: ${terminalSafe(m)}\n`);
  return missing.length ? EXIT_ERROR : undefined;
}
