import type { SkipReason } from '../core/index.js';
import type { LanguageId } from '../lang/language.js';
import type { Rule } from '../rules/rule.js';
import { compareFindings, type FileAnalysis } from './analyze.js';
import { contentHash, hashOf, projectKey, ResultCache, ruleSetVersion } from './cache.js';
import {
  analyzeFiles,
  DEFAULT_FILE_MEMORY_MB,
  DEFAULT_FILE_TIMEOUT_MS,
  defaultJobs,
  type PoolOptions,
  type PoolRun,
} from './pool.js';
import { reachedByImports } from './import-order.js';
import { runProjectPass } from './project-pass.js';
import { ReviewStats } from './stats.js';
import type { FileTask } from './task.js';
import { usesTaint } from './taint.js';
import type { TaintOptions } from '../dataflow/specs.js';
import { CLAIMED_BY_PASS, CLAIMED_BY_POOL, UNCLAIMED, type ProjectFileResult } from './project-review.js';
import { mayHoldEntryPoint } from './taint.js';

/** The longest the project-level dataflow pass may run before the review falls back to per-file dataflow. */
const PROJECT_PASS_MAX_MS = 20 * 60_000;

/** A file that was read and is in a supported language. */
export interface SourceToAnalyze {
  file: string;
  text: string;
  language: LanguageId;
  /** Module name from the file's package chain (see lang/language.ts `ModuleSystem`); default: from the path. */
  module?: string;
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
  /** Budget of the project pass (default: the files' budgets summed, within bounds). */
  projectPassTimeoutMs?: number;
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
  const taintIds = new Set(options.rules.filter((r) => r.taint !== undefined).map((r) => r.id));
  let taint: Map<string, ProjectFileResult> | undefined;
  // Files whose text names a source may hold an entry point: the project pass always reads them,
  // so it reviews them whole (every rule) and the pool never parses them.
  const mayStart = withTaint ? mayHoldEntryPoint(options.taintOptions) : (): boolean => false;
  const hinted = sources.map((s) => mayStart(s));
  const whole = sources.filter((_, i) => hinted[i]).map((s) => s.file);
  // Who reviews each other file: the pool, or the pass when it parses the file before the pool has
  // started it (the pass then reviews it whole, so no file is parsed twice).
  const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, sources.length)));
  hinted.forEach((h, i) => {
    if (h) claims[i] = CLAIMED_BY_PASS;
  });
  let passRan = false;
  const runTaint = async (): Promise<void> => {
    if (passRan) return;
    passRan = true;
    // No file can hold an entry point: the pass would run nothing and find no flow.
    if (!whole.length) {
      taint = new Map();
      return;
    }
    const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
    const pass = await stats.time('dataflow (project pass)', () =>
      runProjectPass(
        sources,
        options.rules,
        options.taintOptions,
        whole,
        {
          // The sum of the files' budgets, within bounds: a guard against a hang, not a deadline.
          timeoutMs:
            options.projectPassTimeoutMs ??
            Math.min(timeoutMs * Math.max(10, sources.length), PROJECT_PASS_MAX_MS),
          memoryMb: 2 * (options.fileMemoryMb ?? DEFAULT_FILE_MEMORY_MB),
          fileTimeoutMs: timeoutMs,
        },
        claims,
      ),
    );
    if (pass.ok) taint = pass.data;
    else stats.notes.push(`${pass.reason}; dataflow was analysed file by file`);
  };
  const depsOf = (i: number): string => (taint ? (taint.get(sources[i].file)?.deps ?? hashOf(null)) : '');
  let cache: ResultCache | undefined;
  let hashes: string[] = [];
  if (options.cacheDir && !options.parseOnly) {
    const dir = options.cacheDir;
    // A file's module name is part of what its results depend on (an `__init__.py` added or removed
    // elsewhere renames it, and its imports resolve differently).
    hashes = await stats.time('cache lookup', () =>
      sources.map((s) =>
        s.module === undefined ? contentHash(s.text) : hashOf([s.module, contentHash(s.text)]),
      ),
    );
    const key = hashOf({ rules: ruleSetVersion(options.rules), config: options.configKey });
    cache = await stats.time('cache lookup', () => ResultCache.open(dir, key));
    const project = withTaint ? projectKey(new Map(sources.map((s, i) => [s.file, hashes[i]]))) : '';
    // File-local rules, or the same project as last time: the content hash decides alone.
    const sameProject = !withTaint || cache.project === project;
    // Entries of unchanged files are valid only if their dataflow results are too: the pass runs
    // first to tell. When no file's content has an entry (a cold cache), nothing waits for it.
    if (!sameProject && sources.some((s, i) => cache?.holds(s.file, hashes[i]))) await runTaint();
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
  const task = (i: number): FileTask => ({
    path: sources[i].file,
    text: sources[i].text,
    language: sources[i].language,
    ...(sources[i].module !== undefined ? { module: sources[i].module } : {}),
    rules: [],
    ...(options.parseOnly ? { parseOnly: true } : {}),
    ...(withTaint
      ? {
          taint: {
            mayHoldEntryPoint: hinted[i],
            ...(options.taintOptions ? { options: options.taintOptions } : {}),
          },
        }
      : {}),
  });
  const pool = {
    jobs: options.jobs,
    fileTimeoutMs: options.fileTimeoutMs,
    fileMemoryMb: options.fileMemoryMb,
    onFileDone: () => options.onFileDone?.(++done),
  };
  const settle = (indices: readonly number[], run: PoolRun): void => {
    stats.counters.threads = Math.max(stats.counters.threads, run.threads);
    run.outcomes.forEach((o, k) => {
      if (!o) return;
      const i = indices[k];
      if (run.threads > 0) stats.counters.workerTasks++;
      if (o.ok) stats.addFile(o.result.timings);
      outcomes[i] = o.ok ? { ok: true, analysis: o.result.analysis } : o;
    });
  };
  // The pool reviews the other files at the same time, with every rule (their dataflow analysed in
  // the file alone), except those the pass has claimed; when the pass reaches one of the pool's
  // files after all, the pass's dataflow findings replace those.
  // Files the imports of entry-point files lead to go last: the pass may claim them meanwhile.
  const pooled = todo.filter((i) => !hinted[i]);
  const reached = withTaint && whole.length && pooled.length ? reachedByImports(sources, hinted) : [];
  const inPool = [...pooled.filter((i) => !reached[i]), ...pooled.filter((i) => reached[i])];
  let first: PoolRun | undefined;
  await stats.time('analysis', () => {
    const passing = withTaint && todo.length ? runTaint() : undefined;
    // The pass is a thread of its own: until it ends, the pool leaves it a CPU.
    const jobs = options.jobs ?? defaultJobs();
    const sharing =
      passing && whole.length
        ? {
            startWith: jobs - 1,
            growWhen: passing,
            claim: (k: number) =>
              Atomics.compareExchange(claims, inPool[k], UNCLAIMED, CLAIMED_BY_POOL) === UNCLAIMED,
          }
        : {};
    return Promise.all([
      passing,
      analyzeFiles(inPool.map(task), options.rules, { ...pool, ...sharing }).then((r) => {
        first = r;
      }),
    ]);
  });
  settle(inPool, first!);
  const left: number[] = [];
  for (const i of todo) {
    const r = taint?.get(sources[i].file);
    if (r?.whole) {
      stats.addFile(r.timings);
      stats.counters.passFiles++;
      outcomes[i] = { ok: true, analysis: r.analysis };
      options.onFileDone?.(++done);
      continue;
    }
    const o = outcomes[i];
    // Files of a pass that was abandoned: those that may hold an entry point and those it claimed.
    if (hinted[i] || !o) {
      left.push(i);
      continue;
    }
    if (!o.ok || !r) continue;
    stats.addFile(r.timings);
    const kept = o.analysis.findings.filter((f) => !taintIds.has(f.ruleId));
    o.analysis.findings = [...kept, ...r.analysis.findings].sort(compareFindings);
    o.analysis.ruleErrors = [
      ...o.analysis.ruleErrors.filter((e) => !taintIds.has(e.ruleId)),
      ...r.analysis.ruleErrors,
    ];
    if (r.analysis.notes) o.analysis.notes = r.analysis.notes;
  }
  // Files left to a pass that was abandoned: the pool reviews them, their dataflow file by file.
  if (left.length) {
    const run = await stats.time('analysis (dataflow file by file)', () =>
      analyzeFiles(left.map(task), options.rules, pool),
    );
    settle(left, run);
  }
  for (const i of todo) {
    const o = outcomes[i];
    if (o?.ok) cache?.set(sources[i].file, hashes[i], o.analysis, depsOf(i));
  }
  if (cache) await stats.time('cache save', () => cache.save());
  return outcomes.map((o) => o ?? { ok: false, reason: 'internal-error', detail: 'not analysed' });
}
