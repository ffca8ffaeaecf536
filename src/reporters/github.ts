import type { ReportInput } from './context.js';
import { commentBody, onDiffLines, planComments, settingsOf, summaryBody } from './review-common.js';

/** GitHub rejects review bodies and comments longer than this many characters. */
export const GITHUB_MAX_BODY = 65_536;

export interface GithubReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

/** Body of POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews ("create a review"). */
export interface GithubReviewPayload {
  commit_id?: string;
  body: string;
  event: 'COMMENT' | 'REQUEST_CHANGES' | 'APPROVE';
  comments: GithubReviewComment[];
}

export function truncate(text: string, max: number): string {
  const note = '\n\n_(truncated)_';
  return text.length <= max ? text : text.slice(0, max - note.length) + note;
}

/**
 * A pull-request review: the summary as body and one comment per defect on a diff line (added or
 * context, right side), since GitHub refuses the whole review when a comment is elsewhere.
 */
export function githubReview(input: ReportInput): GithubReviewPayload {
  const s = settingsOf(input);
  const plan = planComments(input, onDiffLines(input));
  return {
    ...(input.change?.headCommit ? { commit_id: input.change.headCommit } : {}),
    body: truncate(summaryBody(input, plan), GITHUB_MAX_BODY),
    event: plan.failing ? s.github.eventOnDefects : plan.defects.length ? 'COMMENT' : s.github.eventOnClean,
    comments: plan.comments.map(({ finding, line }) => ({
      path: finding.location.file,
      line,
      side: 'RIGHT',
      body: truncate(commentBody(finding), GITHUB_MAX_BODY),
    })),
  };
}

export function formatGithub(input: ReportInput): string {
  return JSON.stringify(githubReview(input), null, 2) + '\n';
}
