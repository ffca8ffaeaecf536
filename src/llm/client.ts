import { CLAIMS_SCHEMA, type ChatMessage } from './prompt.js';

export const RESPONSE_FORMATS = ['json_schema', 'json_object', 'none'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** How to reach an OpenAI-compatible chat-completions endpoint. */
export interface EndpointSettings {
  /** e.g. "http://127.0.0.1:11434/v1"; "/chat/completions" is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  responseFormat: ResponseFormat;
  temperature: number;
  timeoutMs: number;
  /** Retries after a 429, a 5xx, a timeout or a network error. */
  retries: number;
  /** First backoff delay; doubled on each retry unless the server sends Retry-After. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/** The endpoint could not give an answer (after retries). */
export class LlmEndpointError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ChatRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

function responseFormatField(format: ResponseFormat): Record<string, unknown> {
  if (format === 'json_schema') {
    return {
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'secreview_claims', strict: true, schema: CLAIMS_SCHEMA },
      },
    };
  }
  return format === 'json_object' ? { response_format: { type: 'json_object' } } : {};
}

/** The exact request; `redact` hides the key for printing. */
export function chatRequest(
  s: EndpointSettings,
  messages: readonly ChatMessage[],
  format: ResponseFormat = s.responseFormat,
  redact = false,
): ChatRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (s.apiKey) headers.authorization = `Bearer ${redact ? '<SECREVIEW_LLM_API_KEY>' : s.apiKey}`;
  return {
    url: completionsUrl(s.baseUrl),
    headers,
    body: {
      model: s.model,
      messages,
      temperature: s.temperature,
      ...responseFormatField(format),
    },
  };
}

/** Retry-After in seconds or as an HTTP date → milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isFormatRejection(status: number, body: string): boolean {
  return status === 400 && /response_format|json_schema|json_object/i.test(body);
}

/**
 * Sends one chat completion and returns the message content. Retries 429 and 5xx (honoring
 * Retry-After), timeouts and network errors with exponential backoff; a server that refuses the
 * structured-output mode is asked again with the next simpler one.
 */
export async function complete(s: EndpointSettings, messages: readonly ChatMessage[]): Promise<string> {
  let format = s.responseFormat;
  let attempt = 0;
  for (;;) {
    const req = chatRequest(s, messages, format);
    let delay = Math.min(s.maxRetryDelayMs, s.retryDelayMs * 2 ** attempt);
    let failure: LlmEndpointError;
    try {
      const res = await fetch(req.url, {
        method: 'POST',
        headers: req.headers,
        body: JSON.stringify(req.body),
        signal: AbortSignal.timeout(s.timeoutMs),
      });
      const text = await res.text();
      if (res.ok) return contentOf(text);
      if (isFormatRejection(res.status, text) && format !== 'none') {
        format = format === 'json_schema' ? 'json_object' : 'none';
        continue;
      }
      failure = new LlmEndpointError(
        `${req.url} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200).trim()}` : ''}`,
        res.status,
      );
      if (res.status !== 429 && res.status < 500) throw failure;
      const after = retryAfterMs(res.headers.get('retry-after'));
      if (after !== undefined) delay = Math.min(s.maxRetryDelayMs, after);
    } catch (e) {
      if (e instanceof LlmEndpointError) throw e;
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      failure = new LlmEndpointError(
        timedOut
          ? `${req.url} did not answer within ${s.timeoutMs} ms`
          : `${req.url} could not be reached: ${causeText(e)}`,
      );
    }
    if (attempt >= s.retries) {
      throw new LlmEndpointError(
        `${failure.message} (after ${plural(attempt + 1, 'attempt')})`,
        failure.status,
      );
    }
    attempt++;
    await sleep(delay);
  }
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

function causeText(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return cause ?? (e instanceof Error ? e.message : String(e));
}

function contentOf(body: string): string {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new LlmEndpointError('the endpoint answered with something that is not chat-completions JSON');
  }
  const content = (data as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string') {
    throw new LlmEndpointError('the endpoint answer has no choices[0].message.content');
  }
  return content;
}

/** Runs `fn` over items with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
