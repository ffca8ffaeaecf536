import { readFile } from 'node:fs/promises';
import { GITHUB_MAX_BODY, truncate, type GithubReviewPayload } from '../reporters/github.js';
import { DEFAULT_TIMEOUT_MS, postJson, PublishError } from './http.js';
import { markdownCode } from '../core/escape.js';

export interface GithubTarget {
  apiUrl: string;
  /** "owner/name" */
  repository: string;
  pullNumber: number;
  token: string;
  /** Head commit of the pull request when known (from the event), for `commit_id`. */
  headSha?: string;
  timeoutMs: number;
}

export interface GithubTargetArgs {
  repo?: string;
  pr?: number;
  apiUrl?: string;
  timeoutMs?: number;
}

/**
 * The pull request to review: arguments first, then the GitHub Actions environment
 * (GITHUB_REPOSITORY, the pull_request of GITHUB_EVENT_PATH, GITHUB_API_URL). The token only ever
 * comes from GITHUB_TOKEN, never from the command line where other users could see it.
 */
export async function resolveGithubTarget(
  args: GithubTargetArgs,
  env: Record<string, string | undefined>,
): Promise<GithubTarget> {
  const token = env.GITHUB_TOKEN;
  if (!token)
    throw new PublishError('GITHUB_TOKEN is not set; it must hold a token allowed to review pull requests');
  let event: { pull_request?: { number?: number; head?: { sha?: string } }; number?: number } = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as typeof event;
    } catch (e) {
      throw new PublishError(`cannot read the GitHub event file GITHUB_EVENT_PATH: ${(e as Error).message}`);
    }
  }
  const repository = args.repo ?? env.GITHUB_REPOSITORY;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new PublishError(
      repository
        ? `'${repository}' is not a repository name of the form owner/name`
        : 'no repository: pass --repo owner/name or run in GitHub Actions (GITHUB_REPOSITORY)',
    );
  }
  const pullNumber = args.pr ?? event.pull_request?.number ?? event.number;
  if (!pullNumber) {
    throw new PublishError(
      'no pull request number: pass --pr N or run on a pull_request event (GITHUB_EVENT_PATH)',
    );
  }
  return {
    apiUrl: (args.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    repository,
    pullNumber,
    token,
    ...(event.pull_request?.head?.sha ? { headSha: event.pull_request.head.sha } : {}),
    timeoutMs: args.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/**
 * POST /repos/{owner}/{repo}/pulls/{n}/reviews; returns the review's web address. GitHub refuses a
 * whole review (HTTP 422) when one inline comment is on a line it cannot place in its diff of the
 * pull request (which can differ from the diff reviewed, e.g. after a force-push or against another
 * base): the review is then posted again with those comments in its body, so nothing is lost.
 */
export async function publishGithubReview(
  target: GithubTarget,
  payload: GithubReviewPayload,
): Promise<string> {
  const body = target.headSha && !payload.commit_id ? { ...payload, commit_id: target.headSha } : payload;
  try {
    return await postReview(target, body);
  } catch (e) {
    if (!(e instanceof PublishError) || e.status !== 422 || body.comments.length === 0) throw e;
    const where = await postReview(target, { ...body, body: withComments(body), comments: [] });
    return `${where} (with the inline comments in its body: ${e.message})`;
  }
}

/** The review's body followed by its inline comments, each under its file and line. */
function withComments(payload: GithubReviewPayload): string {
  const comments = payload.comments.map((c) => `#### ${markdownCode(c.path)} line ${c.line}\n\n${c.body}`);
  return truncate([payload.body, '### Inline comments', ...comments].join('\n\n'), GITHUB_MAX_BODY);
}

async function postReview(target: GithubTarget, body: GithubReviewPayload): Promise<string> {
  const url = `${target.apiUrl}/repos/${target.repository}/pulls/${target.pullNumber}/reviews`;
  const result = await postJson(url, body, {
    service: 'GitHub',
    timeoutMs: target.timeoutMs,
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${target.token}`,
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'secreview',
    },
    hints: {
      auth: 'check that GITHUB_TOKEN is valid and may write pull-request reviews (permissions: pull-requests: write)',
      notFound: `check the repository '${target.repository}' and pull request #${target.pullNumber}, and that the token can see them`,
    },
    explain: githubExplanation,
  });
  try {
    const review = JSON.parse(result.body) as { html_url?: string; id?: number };
    return review.html_url ?? `review ${review.id ?? ''}`.trim();
  } catch {
    return `${target.repository}#${target.pullNumber}`;
  }
}

/** GitHub errors are JSON: {"message": "...", "errors": ["..." | {message}]}. */
function githubExplanation(body: string): string {
  try {
    const e = JSON.parse(body) as {
      message?: string;
      errors?: (string | { message?: string; code?: string })[];
    };
    const details = (e.errors ?? [])
      .map((x) => (typeof x === 'string' ? x : (x.message ?? x.code ?? '')))
      .filter(Boolean);
    return [e.message, ...details].filter(Boolean).join('; ');
  } catch {
    return body.trim().split('\n')[0]?.slice(0, 300) ?? '';
  }
}
