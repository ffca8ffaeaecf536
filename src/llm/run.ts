import type { Finding } from '../core/index.js';
import { parseAnswer } from './answer.js';
import { LlmCache } from './cache.js';
import {
  chatRequest,
  complete,
  LlmEndpointError,
  mapLimit,
  type ChatRequest,
  type EndpointSettings,
} from './client.js';
import { sourceLines, type LineSpan } from './code-match.js';
import {
  estimateTokens,
  loadTemplate,
  planParts,
  repairMessage,
  REPAIR_PROMPT,
  REVIEW_PROMPT,
  reviewMessages,
  type ChatMessage,
} from './prompt.js';
import type { LlmClaim, LlmReport, UnseenRange } from './types.js';
import { verifyClaims } from './verify.js';

export interface LlmOptions {
  endpoint: EndpointSettings;
  /** Prompt size limit per request, in (estimated) tokens. */
  contextBudget: number;
  /** At most this many requests per run; the rest of the code is reported as not seen. */
  maxParts: number;
  concurrency: number;
  /** Times a malformed answer is sent back for repair. */
  repairAttempts: number;
  moveWindow: number;
  /** Directory of the answer cache, or undefined for none. */
  cacheDir: string | undefined;
}

/** Settings that cannot work (reported as a usage error). */
export class LlmSettingsError extends Error {}

/** Fewer tokens of code than this per request would split a file into slivers. */
const MIN_CODE_TOKENS = 200;

export interface SourceText {
  file: string;
  text: string;
}

interface Part {
  file: string;
  span: LineSpan;
  messages: ChatMessage[];
}

/** Every request the LLM layer would send, in order, with the parts they cover. */
export function planRequests(
  sources: readonly SourceText[],
  findings: readonly Finding[],
  opts: Pick<LlmOptions, 'contextBudget' | 'maxParts'>,
): { parts: Part[]; unseen: UnseenRange[] } {
  const tpl = loadTemplate(REVIEW_PROMPT);
  const all: Part[] = [];
  for (const { file, text } of sources) {
    const lines = sourceLines(text);
    const own = findings.filter((f) => f.location.file === file);
    const empty = reviewMessages(tpl, {
      file,
      lines,
      span: { start: 1, end: 0 },
      part: 1,
      parts: 1,
      findings: [],
    });
    const overhead = estimateTokens(empty.map((m) => m.content).join('\n')) + 50;
    if (opts.contextBudget - overhead < MIN_CODE_TOKENS) {
      throw new LlmSettingsError(
        `the LLM context budget of ${opts.contextBudget} tokens leaves no room for code: the prompt alone ` +
          `takes about ${overhead}; raise llm.context-budget to at least ${overhead + MIN_CODE_TOKENS}`,
      );
    }
    const spans = planParts(lines, opts.contextBudget, overhead);
    spans.forEach((span, i) =>
      all.push({
        file,
        span,
        messages: reviewMessages(tpl, { file, lines, span, part: i + 1, parts: spans.length, findings: own }),
      }),
    );
  }
  const unseen = all.slice(opts.maxParts).map((p) => ({
    file: p.file,
    startLine: p.span.start,
    endLine: p.span.end,
    reason: `over the limit of ${opts.maxParts} requests per run (context budget ${opts.contextBudget} tokens)`,
  }));
  return { parts: all.slice(0, opts.maxParts), unseen };
}

export function dryRunRequests(
  sources: readonly SourceText[],
  findings: readonly Finding[],
  opts: LlmOptions,
): { requests: ChatRequest[]; unseen: UnseenRange[] } {
  const { parts, unseen } = planRequests(sources, findings, opts);
  return { requests: parts.map((p) => chatRequest(opts.endpoint, p.messages, undefined, true)), unseen };
}

export interface LlmRunResult {
  findings: Finding[];
  report: LlmReport;
  /** Endpoint failures: the review is incomplete (exit code 2). */
  failures: string[];
}

type PartOutcome =
  | { kind: 'claims'; claims: LlmClaim[] }
  | { kind: 'malformed'; error: string }
  | { kind: 'failed'; error: string };

async function askPart(part: Part, opts: LlmOptions, cache: LlmCache): Promise<PartOutcome> {
  const { model } = opts.endpoint;
  const key = LlmCache.key(model, REVIEW_PROMPT, part.messages);
  const cached = await cache.get(key);
  if (cached !== undefined) {
    const parsed = parseAnswer(cached);
    if (parsed.ok) return { kind: 'claims', claims: parsed.claims };
  }
  const repair = loadTemplate(REPAIR_PROMPT);
  const messages = [...part.messages];
  try {
    for (let attempt = 0; ; attempt++) {
      const content = await complete(opts.endpoint, messages);
      const parsed = parseAnswer(content);
      if (parsed.ok) {
        await cache.set(key, model, REVIEW_PROMPT, content);
        return { kind: 'claims', claims: parsed.claims };
      }
      if (attempt >= opts.repairAttempts) return { kind: 'malformed', error: parsed.error };
      messages.push({ role: 'assistant', content }, repairMessage(repair, parsed.error));
    }
  } catch (e) {
    if (e instanceof LlmEndpointError) return { kind: 'failed', error: e.message };
    throw e;
  }
}

/**
 * Sends each part of the code to the model, parses and repairs its answers, and verifies every
 * claim against the real file before anything reaches the report.
 */
export async function runLlmReview(
  sources: readonly SourceText[],
  findings: readonly Finding[],
  opts: LlmOptions,
): Promise<LlmRunResult> {
  const cache = new LlmCache(opts.cacheDir);
  const { parts, unseen } = planRequests(sources, findings, opts);
  const outcomes = await mapLimit(parts, opts.concurrency, (p) => askPart(p, opts, cache));
  const failures: string[] = [];
  const claimsByFile = new Map<string, LlmClaim[]>();
  outcomes.forEach((o, i) => {
    const p = parts[i];
    if (o.kind === 'claims') {
      claimsByFile.set(p.file, [...(claimsByFile.get(p.file) ?? []), ...o.claims]);
      return;
    }
    if (o.kind === 'failed') failures.push(o.error);
    unseen.push({
      file: p.file,
      startLine: p.span.start,
      endLine: p.span.end,
      reason:
        o.kind === 'failed'
          ? `the request failed: ${o.error}`
          : `the model's answer was unusable after ${opts.repairAttempts} repair attempt(s): ${o.error}`,
    });
  });
  let current = [...findings];
  const report: LlmReport = {
    model: opts.endpoint.model,
    promptVersion: REVIEW_PROMPT,
    confirmed: 0,
    observations: [],
    rejected: [],
    unseen,
  };
  for (const { file, text } of sources) {
    const claims = claimsByFile.get(file);
    if (!claims?.length) continue;
    const v = verifyClaims({ file, text, claims, findings: current, moveWindow: opts.moveWindow });
    current = v.findings;
    report.confirmed += v.confirmed;
    report.observations.push(...v.observations);
    report.rejected.push(...v.rejected);
  }
  return { findings: current, report, failures: [...new Set(failures)] };
}
