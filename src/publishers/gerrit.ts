import type { GerritReviewInput } from '../reporters/gerrit.js';
import { DEFAULT_TIMEOUT_MS, postJson, PublishError } from './http.js';

export interface GerritTarget {
  /** Server root, e.g. https://review.example.org (a path prefix is kept). */
  url: string;
  change: string;
  revision: string;
  username: string;
  password: string;
  timeoutMs: number;
}

export interface GerritTargetArgs {
  url?: string;
  change?: string;
  revision?: string;
  timeoutMs?: number;
}

/**
 * Where to post: arguments (the CLI passes --url, GERRIT_URL, then the user config's url), then the variables Gerrit-triggered CI jobs set
 * (GERRIT_CHANGE_NUMBER, GERRIT_PATCHSET_REVISION). Credentials come from GERRIT_USERNAME and
 * GERRIT_PASSWORD (the account's HTTP password), never from the command line.
 */
export function resolveGerritTarget(
  args: GerritTargetArgs,
  env: Record<string, string | undefined>,
): GerritTarget {
  const url = args.url ?? env.GERRIT_URL;
  if (!url)
    throw new PublishError('no Gerrit server: pass --url, set GERRIT_URL or gerrit.url in the user config');
  if (!/^https?:\/\//.test(url))
    throw new PublishError(`'${url}' is not an http(s) address of a Gerrit server`);
  const change = args.change ?? env.GERRIT_CHANGE_NUMBER ?? env.GERRIT_CHANGE_ID;
  if (!change) throw new PublishError('no change: pass --change or set GERRIT_CHANGE_NUMBER');
  const username = env.GERRIT_USERNAME;
  const password = env.GERRIT_PASSWORD;
  if (!username || !password) {
    throw new PublishError(
      'GERRIT_USERNAME and GERRIT_PASSWORD (the HTTP password) must be set to post a review',
    );
  }
  return {
    url: url.replace(/\/+$/, ''),
    change,
    revision: args.revision ?? env.GERRIT_PATCHSET_REVISION ?? 'current',
    username,
    password,
    timeoutMs: args.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/** Gerrit prefixes JSON answers with this line against cross-site script inclusion. */
export const XSSI_PREFIX = ")]}'";

export function parseGerritJson(body: string): unknown {
  const text = body.startsWith(XSSI_PREFIX) ? body.slice(XSSI_PREFIX.length) : body;
  return JSON.parse(text);
}

/** POST /a/changes/{change}/revisions/{revision}/review; returns the labels Gerrit applied. */
export async function publishGerritReview(target: GerritTarget, review: GerritReviewInput): Promise<string> {
  const url = `${target.url}/a/changes/${encodeURIComponent(target.change)}/revisions/${encodeURIComponent(target.revision)}/review`;
  const auth = Buffer.from(`${target.username}:${target.password}`, 'utf8').toString('base64');
  const result = await postJson(url, review, {
    service: 'Gerrit',
    timeoutMs: target.timeoutMs,
    headers: { Authorization: `Basic ${auth}`, Accept: 'application/json', 'User-Agent': 'secreview' },
    hints: {
      auth: 'check GERRIT_USERNAME and GERRIT_PASSWORD (the HTTP password from Gerrit settings) and that the account may vote on the label',
      notFound: `check the change '${target.change}' and revision '${target.revision}'`,
    },
  });
  let answer: { labels?: Record<string, number> };
  try {
    answer = parseGerritJson(result.body) as typeof answer;
  } catch {
    throw new PublishError(`Gerrit answered HTTP ${result.status} with something that is not JSON`);
  }
  const labels = Object.entries(answer.labels ?? {})
    .map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${v}`)
    .join(', ');
  return `change ${target.change} revision ${target.revision}${labels ? ` (${labels})` : ''}`;
}
