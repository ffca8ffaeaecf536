import { resolve } from 'node:path';
import type { FileReport, Finding } from '../core/index.js';
import { userConfigPath, type Config } from '../config/load.js';
import { DEFAULT_MAX_FILE_SIZE, readSource } from '../engine/read.js';
import { llmCacheDir, type CacheFlags } from './cache-dir.js';
import {
  dryRunRequests,
  LlmSettingsError,
  runLlmReview,
  type LlmOptions,
  type SourceText,
} from '../llm/run.js';
import type { LlmReport } from '../llm/types.js';
import { UsageError, type CliIO } from './io.js';

/** Flags of `secreview review` that concern the LLM layer. */
export interface LlmFlags extends CacheFlags {
  llm?: boolean;
  llmDryRun?: boolean;
}

export const LLM_ENV = {
  baseUrl: 'SECREVIEW_LLM_BASE_URL',
  model: 'SECREVIEW_LLM_MODEL',
  apiKey: 'SECREVIEW_LLM_API_KEY',
} as const;

/**
 * Settings from the environment (which wins) and the user config's llm section (a repository's
 * config cannot hold one: see config/trust.ts), with defaults.
 */
export function llmOptions(config: Config, io: CliIO, flags: LlmFlags): LlmOptions {
  const env = io.env;
  const c = config.llm ?? {};
  const baseUrl = env[LLM_ENV.baseUrl] || c['base-url'];
  const model = env[LLM_ENV.model] || c.model;
  if (!baseUrl || !model) {
    throw new UsageError(
      `the LLM review needs an endpoint and a model: set ${LLM_ENV.baseUrl} (e.g. http://127.0.0.1:11434/v1) ` +
        `and ${LLM_ENV.model}, or llm.base-url and llm.model in the user config (${userConfigPath(env)})`,
    );
  }
  return {
    endpoint: {
      baseUrl,
      model,
      apiKey: env[LLM_ENV.apiKey] || undefined,
      responseFormat: c['response-format'] ?? 'json_object',
      temperature: c.temperature ?? 0,
      timeoutMs: (c.timeout ?? 120) * 1000,
      retries: c.retries ?? 3,
      retryDelayMs: (c['retry-delay'] ?? 1) * 1000,
      maxRetryDelayMs: 60_000,
    },
    contextBudget: c['context-budget'] ?? 6000,
    maxParts: c['max-requests'] ?? 50,
    concurrency: c.concurrency ?? 2,
    repairAttempts: c['repair-attempts'] ?? 1,
    moveWindow: c['move-window'] ?? 3,
    cacheDir: c.cache === false ? undefined : llmCacheDir(flags, io),
  };
}

/** `--llm` (or `--llm-dry-run`, which sends nothing) is the only switch: no config turns it on. */
export function llmEnabled(flags: LlmFlags): boolean {
  return Boolean(flags.llm || flags.llmDryRun);
}

async function readReviewed(
  files: readonly FileReport[],
  cwd: string,
  maxSize: number,
): Promise<SourceText[]> {
  const out: SourceText[] = [];
  for (const f of files) {
    if (f.status !== 'reviewed') continue;
    const read = await readSource(resolve(cwd, f.file), maxSize);
    if (read.ok) out.push({ file: f.file, text: read.text });
  }
  return out;
}

export interface LlmStage {
  findings: Finding[];
  llm?: LlmReport;
  notices: string[];
  /** The endpoint failed: the report is printed, the exit code is 2. */
  failed: boolean;
  /** With --llm-dry-run: the requests, printed instead of the report. */
  dryRun?: string;
}

/**
 * The optional LLM layer of `secreview review`. Off unless asked for: without it nothing leaves
 * the machine.
 */
export async function applyLlm(
  review: { findings: Finding[]; files: FileReport[] },
  flags: LlmFlags,
  config: Config,
  io: CliIO,
  maxFileSize = DEFAULT_MAX_FILE_SIZE,
): Promise<LlmStage> {
  if (!llmEnabled(flags)) return { findings: review.findings, notices: [], failed: false };
  const opts = llmOptions(config, io, flags);
  const sources = await readReviewed(review.files, io.cwd, maxFileSize);
  try {
    return await runLayer(review, flags, opts, sources);
  } catch (e) {
    if (e instanceof LlmSettingsError) throw new UsageError(e.message);
    throw e;
  }
}

async function runLayer(
  review: { findings: Finding[] },
  flags: LlmFlags,
  opts: LlmOptions,
  sources: SourceText[],
): Promise<LlmStage> {
  if (flags.llmDryRun) {
    const { requests, unseen } = dryRunRequests(sources, review.findings, opts);
    const out = requests.map(
      (r, i) =>
        `# Request ${i + 1} of ${requests.length}\nPOST ${r.url}\n` +
        Object.entries(r.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n') +
        `\n\n${JSON.stringify(r.body, null, 2)}\n`,
    );
    for (const u of unseen)
      out.push(`# Not sent: ${u.file} lines ${u.startLine}-${u.endLine}, ${u.reason}\n`);
    if (!requests.length) out.push('# Nothing to send: no file was reviewed.\n');
    return { findings: review.findings, notices: [], failed: false, dryRun: out.join('\n') };
  }
  const run = await runLlmReview(sources, review.findings, opts);
  const notices = run.failures.map(
    (f) =>
      `The LLM review failed: ${f}. The deterministic review is complete; the LLM layer is not (exit code 2).`,
  );
  return { findings: run.findings, llm: run.report, notices, failed: run.failures.length > 0 };
}
