import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SEVERITIES, type Finding, type Severity } from '../core/index.js';
import type { Config } from '../config/load.js';
import { DEFAULT_REVIEW_OUTPUT, type ReviewOutputSettings } from '../reporters/review-common.js';
import { allRules } from '../rules/registry.js';
import { applyBaseline, BaselineError, parseBaseline } from '../suppressions/baseline.js';
import { applyInlineSuppressions, type InlineDirective } from '../suppressions/inline.js';
import { UsageError } from './io.js';
import { FileReadError, isInside, readBoundedFile } from '../core/files.js';
import { terminalSafe } from '../core/escape.js';

/** Baselines of large projects hold tens of thousands of entries; this is far above them. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/** Flags of the filter stage and of the review-system outputs, shared by review, diff and publish. */
export interface FilterFlags {
  baseline?: string;
  reportUnusedSuppressions?: boolean;
  maxComments?: number;
  commentSeverity?: Severity;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option(
      '--baseline <file>',
      'mark findings recorded in this baseline as suppressed (see `baseline create`)',
    )
    .option('--report-unused-suppressions', 'list `# secreview: ignore[...]` comments that hid nothing')
    .option(
      '--max-comments <n>',
      'most inline comments in github/gerrit output; the rest go in the summary',
      count,
    )
    .addOption(
      new Option(
        '--comment-severity <severity>',
        'comment inline only on defects at or above this severity',
      ).choices(SEVERITIES),
    );
}

export interface FilterOutcome {
  findings: Finding[];
  /** Warnings about suppressions, and unused ones when asked: shown as notes in the report. */
  notices: string[];
}

/**
 * The filter stage after analysis: inline suppressions, then the baseline. Both mark findings as
 * suppressed rather than drop them, so JSON and SARIF still carry them.
 */
export async function filterStage(
  findings: readonly Finding[],
  directives: readonly InlineDirective[],
  flags: FilterFlags,
  config: Config,
  configPath: string | undefined,
  cwd: string,
): Promise<FilterOutcome> {
  const known = new Set(allRules().map((r) => r.id));
  const inline = applyInlineSuppressions(findings, directives, known);
  let out = inline.findings;
  // A baseline the config names must lie in the config's folder (the repository): a hostile
  // config must not make secreview read, and quote in an error, a file of the user's.
  const projectRoot = configPath ? dirname(configPath) : cwd;
  const baselinePath = flags.baseline
    ? resolve(cwd, flags.baseline)
    : config.review?.baseline
      ? resolve(projectRoot, config.review.baseline)
      : undefined;
  if (baselinePath) {
    const fromConfig = !flags.baseline;
    if (fromConfig && !isInside(projectRoot, baselinePath)) {
      throw new UsageError(
        `${terminalSafe(configPath ?? 'the config')}: review.baseline ${terminalSafe(JSON.stringify(config.review?.baseline))} ` +
          `is outside the repository; a repository's config may only name a baseline inside it (or pass --baseline)`,
      );
    }
    let text: string;
    try {
      text = readBoundedFile(baselinePath, {
        what: 'baseline',
        maxBytes: MAX_BASELINE_BYTES,
        roots: fromConfig ? [projectRoot] : undefined,
      });
    } catch (e) {
      throw e instanceof FileReadError ? new UsageError(e.message) : e;
    }
    try {
      out = applyBaseline(out, parseBaseline(text, baselinePath));
    } catch (e) {
      throw e instanceof BaselineError ? new UsageError(e.message) : e;
    }
  }
  const reportUnused =
    flags.reportUnusedSuppressions ?? config.review?.['report-unused-suppressions'] ?? false;
  return { findings: out, notices: [...inline.warnings, ...(reportUnused ? inline.unused : [])] };
}

/** Review-system output settings: defaults, then the config file, then flags. */
export function reviewOutputSettings(
  config: Config,
  flags: FilterFlags,
  failOn: Severity | 'never',
): ReviewOutputSettings {
  const d = DEFAULT_REVIEW_OUTPUT;
  const gerrit = config.gerrit ?? {};
  return {
    maxComments: flags.maxComments ?? config.review?.['max-comments'] ?? d.maxComments,
    commentSeverity: flags.commentSeverity ?? config.review?.['comment-severity'] ?? d.commentSeverity,
    failOn,
    github: {
      eventOnDefects: config.github?.['event-on-defects'] ?? d.github.eventOnDefects,
      eventOnClean: config.github?.['event-on-clean'] ?? d.github.eventOnClean,
    },
    gerrit: {
      label: gerrit.label === undefined ? d.gerrit.label : gerrit.label,
      voteOnDefects: gerrit['vote-on-defects'] ?? d.gerrit.voteOnDefects,
      voteOnClean: gerrit['vote-on-clean'] ?? d.gerrit.voteOnClean,
      ...(gerrit.notify ? { notify: gerrit.notify } : {}),
    },
  };
}
