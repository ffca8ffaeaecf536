import type { SkipReason } from '../core/index.js';
import type { LanguageId } from '../parsing/parser.js';
import type { Rule } from '../rules/rule.js';
import type { FileAnalysis } from './analyze.js';
import {
  contentHash,
  hashOf,
  projectKey,
  ResultCache,
  ruleSetVersion,
  usesProjectSummaries,
} from './cache.js';
import { analyzeFiles, type PoolOptions } from './pool.js';
import { ReviewStats } from './stats.js';
import type { FileTask } from './task.js';
import { projectTaint, usesTaint } from './taint.js';
import type { TaintOptions } from '../analysis/taint/specs.js';

/** A file that was read and is in a supported language. */
export interface SourceToAnalyze {
  file: string;
  text: string;
  language: LanguageId;
}

export type BatchOutcome =
  { ok: true; analysis: FileAnalysis } | { ok: false; reason: SkipReason; detail: string };

export interface BatchOptions extends Omit<PoolOptions, 'onFileDone'> {
  rules: readonly Rule[];
  /** Directory of the result cache; undefined: no cache. */
  cacheDir?: string;
  /** What of the configuration changes results (hashed into the cache key). */
  configKey?: unknown;
  stats: ReviewStats;
  /** Called after each file (cache hits included), with the number done. */
  onFileDone?: (done: number) => void;
  /** Config additions to the dataflow analysis (user sources, sanitizers, lower-trust sources). */
  taintOptions?: TaintOptions;
}

/**
 * Analyses files: answers from the cache what it can, sends the rest to the worker pool, stores
 * the new results. Outcomes are in the order of the sources.
 */
export async function analyzeBatch(
  sources: readonly SourceToAnalyze[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  const { stats } = options;
  const outcomes: (BatchOutcome | undefined)[] = new Array(sources.length);
  let done = 0;
  let cache: ResultCache | undefined;
  let hashes: string[] = [];
  let deps = '';
  if (options.cacheDir) {
    const dir = options.cacheDir;
    cache = await stats.time('cache lookup', async () => {
      hashes = sources.map((s) => contentHash(s.text));
      if (usesProjectSummaries(options.rules)) {
        deps = projectKey(new Map(sources.map((s, i) => [s.file, hashes[i]])));
      }
      const key = hashOf({ rules: ruleSetVersion(options.rules), config: options.configKey });
      const opened = await ResultCache.open(dir, key);
      sources.forEach((s, i) => {
        const analysis = opened.get(s.file, hashes[i], deps);
        if (analysis) {
          outcomes[i] = { ok: true, analysis };
          options.onFileDone?.(++done);
        }
      });
      return opened;
    });
    stats.counters.cacheHits += cache.hits;
    stats.counters.cacheMisses += cache.misses;
  }
  const todo: number[] = [];
  sources.forEach((_, i) => {
    if (!outcomes[i]) todo.push(i);
  });
  // The project-level dataflow pass runs once, here, over every source (cross-file calls), and
  // only when some file still needs analysing; each task then carries its file's results.
  const taint =
    todo.length && usesTaint(options.rules)
      ? await stats.time('taint', () => projectTaint(sources, options.taintOptions))
      : undefined;
  const tasks: FileTask[] = todo.map((i) => ({
    path: sources[i].file,
    text: sources[i].text,
    language: sources[i].language,
    rules: [],
    ...(taint ? { taint: { data: taint.get(sources[i].file), options: options.taintOptions } } : {}),
  }));
  const run = await stats.time('analysis', () =>
    analyzeFiles(tasks, options.rules, {
      jobs: options.jobs,
      fileTimeoutMs: options.fileTimeoutMs,
      fileMemoryMb: options.fileMemoryMb,
      onFileDone: () => options.onFileDone?.(++done),
    }),
  );
  stats.counters.threads = run.threads;
  if (run.threads > 0) stats.counters.workerTasks += tasks.length;
  run.outcomes.forEach((o, k) => {
    const i = todo[k];
    if (o.ok) {
      stats.addFile(o.result.timings);
      outcomes[i] = { ok: true, analysis: o.result.analysis };
      cache?.set(sources[i].file, hashes[i], o.result.analysis, deps);
    } else {
      outcomes[i] = o;
    }
  });
  if (cache) await stats.time('cache save', () => cache.save());
  return outcomes.map((o) => o ?? { ok: false, reason: 'internal-error', detail: 'not analysed' });
}
