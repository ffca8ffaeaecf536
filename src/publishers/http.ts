/** A review could not be posted; the message says why and what to check. */
export class PublishError extends Error {
  constructor(
    message: string,
    /** The HTTP status the service answered with, when it answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface PostOptions {
  /** "GitHub", "Gerrit": named in messages. */
  service: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** What to check for a 401/403 and a 404, in the service's terms. */
  hints: { auth: string; notFound: string };
  /** Extracts the service's explanation from an error body. */
  explain?: (body: string) => string;
}

export interface PostResult {
  status: number;
  body: string;
}

/** POSTs JSON with Node's fetch and a timeout; any failure becomes one clear PublishError. */
export async function postJson(url: string, payload: unknown, options: PostOptions): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...options.headers },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') {
      throw new PublishError(
        `${options.service} did not answer within ${options.timeoutMs / 1000} s (${redact(url)})`,
      );
    }
    const cause = err.cause?.code ?? err.cause?.message ?? err.message;
    throw new PublishError(`could not reach ${options.service} at ${redact(url)}: ${cause}`);
  }
  const body = await response.text().catch(() => '');
  if (response.ok) return { status: response.status, body };
  const said = (options.explain ?? firstLine)(body);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const detail = said ? `: ${said}` : '';
  if (response.status === 401 || response.status === 403) {
    throw new PublishError(
      `${options.service} refused the credentials (${status})${detail}; ${options.hints.auth}`,
      response.status,
    );
  }
  if (response.status === 404) {
    throw new PublishError(
      `${options.service} found no such target (${status})${detail}; ${options.hints.notFound}`,
      response.status,
    );
  }
  if (response.status >= 500) {
    throw new PublishError(
      `${options.service} failed on its side (${status})${detail}; try again later`,
      response.status,
    );
  }
  throw new PublishError(`${options.service} rejected the review (${status})${detail}`, response.status);
}

function firstLine(body: string): string {
  return body.trim().split('\n')[0]?.slice(0, 300) ?? '';
}

/** Never print credentials embedded in a URL. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;
