import type { SkipReason } from '../core/index.js';
import type { LanguageId } from '../parsing/parser.js';
import type { Rule } from '../rules/rule.js';
import type { FileAnalysis } from './analyze.js';
import { contentHash, hashOf, projectKey, ResultCache, ruleSetVersion } from './cache.js';
import {
  analyzeFiles,
  DEFAULT_FILE_MEMORY_MB,
  DEFAULT_FILE_TIMEOUT_MS,
  type PoolOptions,
  type PoolRun,
} from './pool.js';
import { runProjectPass } from './project-pass.js';
import { ReviewStats } from './stats.js';
import type { FileTask } from './task.js';
import { usesTaint } from './taint.js';
import type { TaintOptions } from '../analysis/taint/specs.js';
import type { FileTaintData } from '../analysis/taint/index.js';
import { mayHoldEntryPoint } from '../analysis/taint/interpreter.js';

/** The longest the project-level dataflow pass may run before the review falls back to per-file dataflow. */
const PROJECT_PASS_MAX_MS = 20 * 60_000;

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
  /** Benchmark floor: parse every file and run nothing else (no cache, no rules). */
  parseOnly?: boolean;
  /** Config additions to the dataflow analysis (user sources, sanitizers, lower-trust sources). */
  taintOptions?: TaintOptions;
}

/**
 * Analyses files: answers from the cache what it can, runs the project-level dataflow pass when
 * some file needs it, sends the rest to the worker pool, stores the new results. Outcomes are in
 * the order of the sources.
 *
 * Cache validity with dataflow rules (see cache.ts): when every reviewed path and content hash is
 * what the cache was written for, entries are reused without running the project pass. Otherwise
 * the pass runs and each file's entry is valid only if the dataflow results the file's rules read
 * (its FileTaintData, which holds the flows through other files) hash the same as when stored.
 */
export async function analyzeBatch(
  sources: readonly SourceToAnalyze[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  const { stats } = options;
  const outcomes: (BatchOutcome | undefined)[] = new Array(sources.length);
  let done = 0;
  const withTaint = !options.parseOnly && usesTaint(options.rules);
  let taint: Map<string, FileTaintData> | undefined;
  let passRan = false;
  const runTaint = async (): Promise<void> => {
    if (passRan) return;
    passRan = true;
    const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
    const pass = await stats.time('dataflow (project pass)', () =>
      runProjectPass(sources, options.taintOptions, {
        // The sum of the files' budgets, within bounds: a guard against a hang, not a deadline.
        timeoutMs: Math.min(timeoutMs * Math.max(10, sources.length), PROJECT_PASS_MAX_MS),
        memoryMb: 2 * (options.fileMemoryMb ?? DEFAULT_FILE_MEMORY_MB),
      }),
    );
    if (pass.ok) taint = pass.data;
    else stats.notes.push(`${pass.reason}; dataflow was analysed file by file`);
  };
  const depsOf = (i: number): string => (taint ? hashOf(taint.get(sources[i].file) ?? null) : '');
  let cache: ResultCache | undefined;
  let hashes: string[] = [];
  if (options.cacheDir && !options.parseOnly) {
    const dir = options.cacheDir;
    hashes = await stats.time('cache lookup', () => sources.map((s) => contentHash(s.text)));
    const key = hashOf({ rules: ruleSetVersion(options.rules), config: options.configKey });
    cache = await stats.time('cache lookup', () => ResultCache.open(dir, key));
    const project = withTaint ? projectKey(new Map(sources.map((s, i) => [s.file, hashes[i]]))) : '';
    // File-local rules, or the same project as last time: the content hash decides alone.
    const sameProject = !withTaint || cache.project === project;
    if (!sameProject) await runTaint();
    await stats.time('cache lookup', () => {
      sources.forEach((s, i) => {
        const analysis = cache?.get(s.file, hashes[i], sameProject ? undefined : depsOf(i));
        if (analysis) {
          outcomes[i] = { ok: true, analysis };
          options.onFileDone?.(++done);
        }
      });
    });
    cache.project = project;
    stats.counters.cacheHits += cache.hits;
    stats.counters.cacheMisses += cache.misses;
  }
  const todo: number[] = [];
  sources.forEach((_, i) => {
    if (!outcomes[i]) todo.push(i);
  });
  const task = (i: number, withData: boolean): FileTask => ({
    path: sources[i].file,
    text: sources[i].text,
    language: sources[i].language,
    rules: [],
    ...(options.parseOnly ? { parseOnly: true } : {}),
    taint: {
      ...(withData && taint ? { data: taint.get(sources[i].file) } : {}),
      ...(options.taintOptions ? { options: options.taintOptions } : {}),
    },
  });
  const pool = {
    jobs: options.jobs,
    fileTimeoutMs: options.fileTimeoutMs,
    fileMemoryMb: options.fileMemoryMb,
  };
  const settle = (indices: readonly number[], run: PoolRun, count: (i: number) => boolean): void => {
    stats.counters.threads = Math.max(stats.counters.threads, run.threads);
    if (run.threads > 0) stats.counters.workerTasks += indices.length;
    run.outcomes.forEach((o, k) => {
      const i = indices[k];
      if (o.ok) {
        stats.addFile(o.result.timings);
        outcomes[i] = { ok: true, analysis: o.result.analysis };
      } else {
        outcomes[i] = o;
      }
      if (count(i)) options.onFileDone?.(++done);
    });
  };
  if (todo.length && withTaint && !passRan) {
    // The project pass runs in its own thread while the pool analyses the files it will not start
    // from (no source names in them): those need no project results unless a call from an entry
    // point reaches them, and the few that are reached run again with their results afterwards.
    const mayStart = mayHoldEntryPoint(options.taintOptions);
    const early = todo.filter((i) => !mayStart(sources[i].text));
    const late = todo.filter((i) => mayStart(sources[i].text));
    let first: PoolRun | undefined;
    await stats.time('analysis', () =>
      Promise.all([
        runTaint(),
        analyzeFiles(
          early.map((i) => task(i, false)),
          options.rules,
          pool,
        ).then((r) => {
          first = r;
        }),
      ]),
    );
    const again = taint ? early.filter((i) => taint?.has(sources[i].file)) : [];
    const againSet = new Set(again);
    settle(early, first!, (i) => !againSet.has(i));
    const rest = [...late, ...again];
    const second = await stats.time('analysis (with project results)', () =>
      analyzeFiles(
        rest.map((i) => task(i, true)),
        options.rules,
        pool,
      ),
    );
    settle(rest, second, () => true);
  } else {
    // Either no dataflow rule, or the pass already ran for the cache check.
    const run = await stats.time('analysis', () =>
      analyzeFiles(
        todo.map((i) => task(i, true)),
        options.rules,
        pool,
      ),
    );
    settle(todo, run, () => true);
  }
  for (const i of todo) {
    const o = outcomes[i];
    if (o?.ok) cache?.set(sources[i].file, hashes[i], o.analysis, depsOf(i));
  }
  if (cache) await stats.time('cache save', () => cache.save());
  return outcomes.map((o) => o ?? { ok: false, reason: 'internal-error', detail: 'not analysed' });
}
