import { NO_DEFECTS_SENTENCE, severityRank, type Finding, type Severity } from '../core/index.js';
import {
  activeDefects,
  activeSuggestions,
  cweHeading,
  lineRange,
  NO_FILES_REVIEWED,
  plural,
  SKIP_REASONS,
  summaryLine,
  type ReportInput,
  stepPlace,
} from './context.js';
import { markdownCode, markdownMessage, markdownText } from '../core/escape.js';

/** Settings shared by the review-system outputs; the CLI fills them from flags and config. */
export interface ReviewOutputSettings {
  /** Most inline comments; the rest are listed in the summary. */
  maxComments: number;
  /** Defects below this severity are listed in the summary instead of commented inline. */
  commentSeverity: Severity;
  /** Defects at or above this severity make the review negative (GitHub event, Gerrit vote). */
  failOn: Severity | 'never';
  github: { eventOnDefects: 'COMMENT' | 'REQUEST_CHANGES'; eventOnClean: 'COMMENT' | 'APPROVE' };
  gerrit: {
    /** Label to vote on, or null for no vote. */
    label: string | null;
    voteOnDefects: number;
    voteOnClean: number;
    notify?: 'NONE' | 'OWNER' | 'OWNER_REVIEWERS' | 'ALL';
  };
}

export const DEFAULT_REVIEW_OUTPUT: ReviewOutputSettings = {
  maxComments: 25,
  commentSeverity: 'low',
  failOn: 'low',
  github: { eventOnDefects: 'COMMENT', eventOnClean: 'COMMENT' },
  gerrit: { label: 'Code-Review', voteOnDefects: -1, voteOnClean: 0 },
};

export function settingsOf(input: ReportInput): ReviewOutputSettings {
  return input.reviewOutput ?? DEFAULT_REVIEW_OUTPUT;
}

export interface PlacedComment {
  finding: Finding;
  /** Line the comment goes on (start line, or the first commentable line of the finding). */
  line: number;
}

export interface CommentPlan {
  comments: PlacedComment[];
  /** Defects listed in the summary, with why they are not inline. */
  folded: { finding: Finding; why: 'limit' | 'severity' | 'outside-diff' }[];
  defects: Finding[];
  /** Whether a defect reaches the fail-on threshold. */
  failing: boolean;
}

/**
 * Chooses which defects become inline comments. `commentable(file)` gives the lines of a file a
 * review system accepts comments on (undefined: none), so a comment never makes the call fail.
 */
export function planComments(
  input: ReportInput,
  commentable: (file: string, line: number) => boolean,
): CommentPlan {
  const s = settingsOf(input);
  const defects = activeDefects(input.findings);
  const min = severityRank(s.commentSeverity);
  const comments: PlacedComment[] = [];
  const folded: CommentPlan['folded'] = [];
  // Most severe first, so a cap drops the least important comments.
  const ordered = [...defects].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  for (const f of ordered) {
    let line: number | undefined;
    for (let l = f.location.start.line; l <= f.location.end.line && line === undefined; l++) {
      if (commentable(f.location.file, l)) line = l;
    }
    if (severityRank(f.severity) < min) folded.push({ finding: f, why: 'severity' });
    else if (line === undefined) folded.push({ finding: f, why: 'outside-diff' });
    else if (comments.length >= s.maxComments) folded.push({ finding: f, why: 'limit' });
    else comments.push({ finding: f, line });
  }
  const byPlace = (a: Finding, b: Finding): number =>
    a.location.file.localeCompare(b.location.file) || a.location.start.line - b.location.start.line;
  comments.sort((a, b) => byPlace(a.finding, b.finding));
  folded.sort((a, b) => byPlace(a.finding, b.finding));
  const threshold = s.failOn === 'never' ? Infinity : severityRank(s.failOn);
  return {
    comments,
    folded,
    defects,
    failing: defects.some((d) => severityRank(d.severity) >= threshold),
  };
}

/** The text of one inline comment (Markdown, which GitHub renders and Gerrit shows as text). */
export function commentBody(f: Finding): string {
  const out = [
    `**${cweHeading(f.cwe)}**`,
    '',
    markdownMessage(f.message, f.snippet),
    '',
    `**Fix:** ${markdownMessage(f.fix)}`,
  ];
  if (f.flow?.length) {
    out.push('', 'Data flow:', ...f.flow.map((s) => `- ${stepPlace(s, f)}: ${markdownMessage(s.note)}`));
  }
  out.push(
    '',
    `Severity ${f.severity}, confidence ${f.confidence}, ${markdownMessage(f.confidenceReason)} (\`${f.ruleId}\`)`,
  );
  return out.join('\n');
}

const WHY: Record<CommentPlan['folded'][number]['why'], string> = {
  limit: 'over the inline comment limit',
  severity: 'below the severity for inline comments',
  'outside-diff': 'not on a line of the diff',
};

/** The review's summary: the verdict, defects not commented inline, suggestions, notes. */
export function summaryBody(input: ReportInput, plan: CommentPlan): string {
  const out = ['## secreview security review', ''];
  if (input.change)
    out.push(
      `Changes from ${markdownMessage(input.change.base)} to ${markdownMessage(input.change.head)}.`,
      '',
    );
  if (!input.files.some((f) => f.status === 'reviewed')) out.push(NO_FILES_REVIEWED);
  else if (plan.defects.length === 0) out.push(NO_DEFECTS_SENTENCE);
  else {
    const bySeverity = (['critical', 'high', 'medium', 'low'] as const)
      .map((s) => [s, plan.defects.filter((d) => d.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    out.push(
      `${plural(plan.defects.length, 'security defect')} found (${bySeverity}); ${plural(plan.comments.length, 'inline comment')}.`,
    );
  }
  if (plan.folded.length) {
    out.push('', 'Not commented inline:', '');
    for (const { finding: f, why } of plan.folded) {
      out.push(
        `- ${markdownCode(f.location.file)} ${lineRange(f)}: **${cweHeading(f.cwe)}**, ${f.severity}: ${markdownMessage(f.message, f.snippet)} _(${WHY[why]})_`,
      );
    }
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    out.push('', 'Suggestions for improvement (not security defects):', '');
    for (const f of suggestions)
      out.push(
        `- ${markdownCode(f.location.file)} ${lineRange(f)}: ${markdownMessage(f.message, f.snippet)}`,
      );
  }
  const notes = [
    ...input.files
      .filter((f) => f.status === 'skipped')
      .map(
        (f) =>
          `${markdownCode(f.file)} skipped: ${SKIP_REASONS[f.reason ?? 'internal-error']}${f.detail ? ` (${markdownText(f.detail)})` : ''}`,
      ),
    ...(input.notices ?? []).map((n) => markdownMessage(n)),
  ];
  if (notes.length) out.push('', ...notes.map((n) => `> ${n}`));
  out.push('', `_${summaryLine(input)}_`);
  return out.join('\n');
}

/** Added and context lines of the change's files: where GitHub accepts review comments. */
export function onDiffLines(input: ReportInput): (file: string, line: number) => boolean {
  const map = new Map(
    (input.change?.files ?? [])
      .filter((f) => f.status !== 'deleted')
      .map((f) => [f.file, new Set([...f.added, ...f.context])]),
  );
  return (file, line) => map.get(file)?.has(line) ?? false;
}

/** Any line of a file in the change: where Gerrit accepts comments. */
export function inChangedFiles(input: ReportInput): (file: string, line: number) => boolean {
  const files = new Set((input.change?.files ?? []).filter((f) => f.status !== 'deleted').map((f) => f.file));
  return (file) => files.has(file);
}
