import type { ProjectFacts, SkipReason } from '../core/index.js';
import type { TaintOptions } from '../dataflow/index.js';
import type { LanguageId } from '../lang/language.js';
import type { Rule } from '../rules/rule.js';
import { compareFindings, type FileAnalysis } from './analyze.js';
import { contentHash, hashOf, projectKey, ResultCache, ruleSetVersion } from './cache.js';
import { Claims } from './claims.js';
import { reachedByImports } from './import-order.js';
import { languageById } from '../lang/registry.js';
import {
  analyzeFiles,
  DEFAULT_FILE_TIMEOUT_MS,
  defaultJobs,
  type PoolOptions,
  type PoolRun,
} from './pool.js';
import { PassProgress } from './pass-progress.js';
import { runProjectPass } from './project-pass.js';
import { EVERY_MODULE, ReviewSources } from './project-texts.js';
import type { ProjectFileResult } from './project-review.js';
import type { ReviewStats } from './stats.js';
import type { FileTask } from './task.js';
import { passRecord, whyNotReusable, type PassRecord } from './pass-reuse.js';
import { mayHoldEntryPoint, usesTaint, type PassReads } from './taint.js';

/** The longest the project-level dataflow pass may run before the review falls back to per-file dataflow. */
const PROJECT_PASS_MAX_MS = 20 * 60_000;

/** The project pass's heap limit (MiB) unless `--max-memory` sets another. */
export const DEFAULT_MAX_MEMORY_MB = 1536;

/** How often the progress bar learns how far the project pass is. */
const PROGRESS_TICK_MS = 100;

/** A file that was read and is in a supported language. */
export interface SourceToAnalyze {
  file: string;
  text: string;
  language: LanguageId;
  /** Module name from the file's package chain (see lang/language.ts `ModuleSystem`); default: from the path. */
  module?: string;
  /** Its non-relative specifiers naming modules of the project (see lang/language.ts `importResolver`). */
  imports?: Readonly<Record<string, string>>;
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
  /**
   * The project pass's memory budget (MiB, default DEFAULT_MAX_MEMORY_MB): its heap limit; over half
   * of it, the pass releases the trees and models of the modules it read least recently.
   */
  maxMemoryMb?: number;
  /** Heap size (MiB) over which the pass releases trees and models (default: half the budget). */
  evictAboveMb?: number;
  /** Budget of the project pass (default: the files' budgets summed, within bounds). */
  projectPassTimeoutMs?: number;
  /** What the project's manifests declare (see core/project.ts). */
  project?: ProjectFacts;
}

/**
 * Analyses files, in four steps: look up the cache, schedule the rest (the project-level dataflow
 * pass and the worker pool at the same time, sharing the files through claims), merge the pass's
 * dataflow results into the pool's, store the new results. Outcomes are in the order of the sources.
 */
export async function analyzeBatch(
  sources: readonly SourceToAnalyze[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  const batch = new Batch(sources, options);
  const cached = await lookUpCache(batch);
  const todo = batch.unanswered();
  await schedule(batch, todo);
  mergeDataflow(batch, todo);
  if (cached) await store(batch, todo, cached);
  return batch.outcomes.map((o) => o ?? { ok: false, reason: 'internal-error', detail: 'not analysed' });
}

/** What the steps share: the sources, their outcomes so far, the claims and the pass. */
class Batch {
  readonly outcomes: (BatchOutcome | undefined)[];
  readonly stats: ReviewStats;
  readonly withTaint: boolean;
  /**
   * Files whose text names a source, so they may hold an entry point: the project pass always reads
   * them, so it reviews them whole (every rule) and the pool never parses them.
   */
  readonly hinted: boolean[];
  /** Who reviews each file whole; the hinted files are the pass's from the start. */
  readonly claims: Claims;
  readonly pass: DataflowPass;
  /** How far the pass is with the files it reviews whole (see pass-progress.ts). */
  readonly passProgress: PassProgress;
  /** The sources as the threads read them (see project-texts.ts), packed once for all of them. */
  readonly reviewSources: ReviewSources;
  private done = 0;
  /** The last value given to `onFileDone`: the bar never moves back. */
  private reported = 0;
  /** The pass's credit (see pass-progress.ts) as last read, while it runs; 0 once it has ended. */
  private passCredit = 0;

  constructor(
    readonly sources: readonly SourceToAnalyze[],
    readonly options: BatchOptions,
  ) {
    this.outcomes = new Array(sources.length);
    this.stats = options.stats;
    this.withTaint = !options.parseOnly && usesTaint(options.rules);
    const mayStart = this.withTaint ? mayHoldEntryPoint(options.taintOptions) : (): boolean => false;
    this.hinted = sources.map((s) => mayStart(s));
    this.claims = Claims.forFiles(sources.length);
    this.hinted.forEach((h, i) => {
      if (h) this.claims.takeForPass(i);
    });
    this.passProgress = PassProgress.forFiles(sources.length);
    this.reviewSources = new ReviewSources(sources);
    this.pass = new DataflowPass(this);
  }

  fileDone(): void {
    this.done++;
    this.report();
  }

  /**
   * Reads how far the running pass is, then reports. Once the pass has ended (`running` false) its
   * files count as they take their results; the bar waits until then, never moving back.
   */
  readPass(running: boolean): void {
    this.passCredit = running && this.options.onFileDone ? this.passProgress.credit() : 0;
    this.report();
  }

  /**
   * Tells `onFileDone` the files done, plus the part of the pass's files it has worked through
   * (half a file once parsed), so that the bar moves while the pass runs.
   */
  report(): void {
    if (!this.options.onFileDone) return;
    const value = this.done + this.passCredit;
    if (value <= this.reported) return;
    this.reported = value;
    this.options.onFileDone(value);
  }

  /** Indices of the files the cache did not answer. */
  unanswered(): number[] {
    return this.sources.flatMap((_, i) => (this.outcomes[i] ? [] : [i]));
  }

  task(i: number): FileTask {
    const source = this.sources[i];
    const { parseOnly, taintOptions, project } = this.options;
    return {
      path: source.file,
      text: source.text,
      language: source.language,
      ...(source.module !== undefined ? { module: source.module } : {}),
      ...(source.imports ? { imports: source.imports } : {}),
      rules: [],
      ...(parseOnly ? { parseOnly: true } : {}),
      ...(project ? { project } : {}),
      ...(this.withTaint
        ? { taint: { mayHoldEntryPoint: this.hinted[i], ...(taintOptions ? { options: taintOptions } : {}) } }
        : {}),
    };
  }

  poolOptions(): PoolOptions {
    const { jobs, fileTimeoutMs, fileMemoryMb } = this.options;
    return {
      jobs,
      fileTimeoutMs,
      fileMemoryMb,
      onFileDone: () => this.fileDone(),
      sources: this.reviewSources,
    };
  }

  /** Takes the outcomes of a pool run over the files at `indices`. */
  settle(indices: readonly number[], run: PoolRun): void {
    const { counters } = this.stats;
    counters.threads = Math.max(counters.threads, run.threads);
    run.outcomes.forEach((o, k) => {
      if (!o) return;
      if (run.threads > 0) counters.workerTasks++;
      if (o.ok) this.stats.addFile(indices[k]!, o.result.timings);
      this.outcomes[indices[k]] = o.ok ? { ok: true, analysis: o.result.analysis } : o;
    });
  }
}

/**
 * The project-level dataflow pass, run at most once: by the cache lookup when it must tell which
 * entries still hold, else by the scheduling alongside the pool.
 */
class DataflowPass {
  /** Undefined until the pass has ended, and when it was abandoned. */
  private results?: Map<string, ProjectFileResult>;
  private running?: Promise<void>;
  /** What the pass read (with a cache), once it has ended; see pass-reuse.ts. */
  reads?: PassReads;
  /**
   * The record of an earlier pass that this review's edits cannot change (see pass-reuse.ts): the
   * pass is not run, the cached results of the files it read hold, and the edited files (none of
   * which it read) are analysed alone, as it left them.
   */
  reused?: PassRecord;
  /** The files the pass reviews whole. */
  readonly whole: string[];

  constructor(private readonly batch: Batch) {
    this.whole = batch.sources.filter((_, i) => batch.hinted[i]).map((s) => s.file);
  }

  run(): Promise<void> {
    return (this.running ??= this.reused ? Promise.resolve(void (this.results = new Map())) : this.execute());
  }

  /** What the pass found in the file at index i, if it read it. */
  resultOf(i: number): ProjectFileResult | undefined {
    return this.results?.get(this.batch.sources[i].file);
  }

  /** The cache's dependency key of the file at index i ('' when the pass did not run). */
  depsOf(i: number): string {
    return this.results ? (this.resultOf(i)?.deps ?? hashOf(null)) : '';
  }

  private async execute(): Promise<void> {
    // No file can hold an entry point: the pass would run nothing and find no flow.
    if (!this.whole.length) {
      this.results = new Map();
      return;
    }
    const { sources, options, stats, claims } = this.batch;
    const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
    const memoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
    const limits = {
      // The sum of the files' budgets, within bounds: a guard against a hang, not a deadline.
      timeoutMs:
        options.projectPassTimeoutMs ??
        Math.min(timeoutMs * Math.max(10, sources.length), PROJECT_PASS_MAX_MS),
      memoryMb,
      fileTimeoutMs: timeoutMs,
      evictAboveMb: options.evictAboveMb ?? memoryMb / 2,
    };
    const ticker = setInterval(() => this.batch.readPass(true), PROGRESS_TICK_MS);
    const pass = await stats
      .time('dataflow (project pass)', () =>
        runProjectPass(
          sources,
          options.rules,
          options.taintOptions,
          this.whole,
          limits,
          claims,
          options.project,
          this.batch.passProgress,
          options.cacheDir !== undefined && !options.parseOnly,
          this.batch.reviewSources,
        ),
      )
      .finally(() => {
        clearInterval(ticker);
        this.batch.readPass(false);
      });
    if (pass.ok) {
      this.results = pass.files;
      this.reads = pass.reads;
      stats.counters.passReleased += pass.memory.released;
      stats.counters.passReparsed += pass.memory.reparsed;
    } else {
      stats.counters.passAbandoned = pass.reason;
      stats.notes.push(`${pass.detail}; dataflow was analysed file by file`);
    }
  }
}

interface CacheLookup {
  cache: ResultCache;
  /** Per source: its content hash, with its module name when it has one. */
  hashes: string[];
  /** The key of the modules a source's analysis read, as they are now (see project-texts.ts). */
  neighbours: (i: number, names: readonly string[] | undefined) => string;
}

/**
 * The key of the modules an analysis read (see `FileAnalysis.neighbours`): each with the hash of
 * the source holding it now ('' when none does), `*` with the hash of every source.
 */
function neighboursKeys(
  sources: readonly SourceToAnalyze[],
  hashes: readonly string[],
): CacheLookup['neighbours'] {
  let byName: Map<string, string> | undefined;
  let every: string | undefined;
  return (i, names) => {
    if (!names?.length) return '';
    byName ??= new Map(
      sources.map((s, k) => [
        `${s.language}\0${s.module ?? languageById(s.language).modules.nameForPath(s.file)}`,
        hashes[k],
      ]),
    );
    const language = sources[i].language;
    return hashOf(
      names.map((n) =>
        n === EVERY_MODULE
          ? [n, (every ??= projectKey(new Map(sources.map((s, k) => [s.file, hashes[k]]))))]
          : [n, byName!.get(`${language}\0${n}`) ?? ''],
      ),
    );
  };
}

/**
 * Step 1: answers from the cache what it can. With dataflow rules, when every reviewed path and
 * content hash is what the cache was written for, entries are reused without running the pass.
 * Otherwise the pass runs first, and each file's entry is valid only if the dataflow results the
 * file's rules read (which hold the flows through other files) hash the same as when stored.
 */
async function lookUpCache(batch: Batch): Promise<CacheLookup | undefined> {
  const { sources, options, stats } = batch;
  if (!options.cacheDir || options.parseOnly) return undefined;
  const dir = options.cacheDir;
  // A file's module name is part of what its results depend on (an `__init__.py` added or removed
  // elsewhere renames it, and its imports resolve differently).
  const hashes = await stats.time('cache lookup', () =>
    sources.map((s) =>
      s.module === undefined
        ? contentHash(s.text)
        : hashOf(s.imports ? [s.module, contentHash(s.text), s.imports] : [s.module, contentHash(s.text)]),
    ),
  );
  const key = hashOf({
    rules: ruleSetVersion(options.rules),
    config: options.configKey,
    project: options.project ?? null,
  });
  const cache = await stats.time('cache lookup', () => ResultCache.open(dir, key));
  const project = batch.withTaint ? projectKey(new Map(sources.map((s, i) => [s.file, hashes[i]]))) : '';
  // File-local rules, or the same project as last time: the content hash decides alone.
  const sameProject = !batch.withTaint || cache.project === project;
  // Edits the last pass cannot see: it would run the same, so its files' entries hold as they are.
  const reusable =
    !sameProject &&
    cache.pass !== undefined &&
    (await stats.time(
      'cache lookup',
      () => whyNotReusable(cache.pass!, sources, hashes, batch.hinted) === undefined,
    ));
  if (reusable) batch.pass.reused = cache.pass;
  // When no file's content has an entry (a cold cache), nothing waits for the pass.
  else if (!sameProject && sources.some((s, i) => cache.holds(s.file, hashes[i]))) await batch.pass.run();
  const byContent = sameProject || reusable;
  const neighbours = neighboursKeys(sources, hashes);
  await stats.time('cache lookup', () => {
    sources.forEach((s, i) => {
      const analysis = cache.get(s.file, hashes[i], byContent ? undefined : batch.pass.depsOf(i), (names) =>
        neighbours(i, names),
      );
      if (analysis) {
        batch.outcomes[i] = { ok: true, analysis };
        batch.fileDone();
      }
    });
  });
  // A file the reused pass read (or one that may hold an entry point) has no entry: the pass runs
  // after all, and gives the same results for the files whose entries were taken.
  const record = batch.pass.reused;
  if (record) {
    const read = new Set(record.whole);
    if (batch.unanswered().some((i) => batch.hinted[i] || read.has(sources[i].file)))
      batch.pass.reused = undefined;
    else stats.counters.passReused = true;
  }
  cache.project = project;
  stats.counters.cacheHits += cache.hits;
  stats.counters.cacheMisses += cache.misses;
  return { cache, hashes, neighbours };
}

/**
 * Step 2: the pass and the pool at the same time. The pass is a thread of its own: until it ends,
 * the pool leaves it a CPU. The pool reviews the files the pass has not claimed, with every rule
 * (their dataflow analysed in the file alone), and takes last the files the imports of entry-point
 * files lead to, so that the pass finds most of those still unclaimed and no file is parsed twice.
 * Then the pool reviews what an abandoned pass left, their dataflow file by file.
 */
async function schedule(batch: Batch, todo: readonly number[]): Promise<void> {
  const { sources, options, stats, hinted, claims, pass } = batch;
  const pooled = todo.filter((i) => !hinted[i]);
  const reached =
    batch.withTaint && pass.whole.length && pooled.length ? reachedByImports(sources, hinted) : [];
  const inPool = [...pooled.filter((i) => !reached[i]), ...pooled.filter((i) => reached[i])];
  const [, first] = await stats.time('analysis', () => {
    const passing = batch.withTaint && todo.length ? pass.run() : undefined;
    const jobs = options.jobs ?? defaultJobs();
    const sharing: PoolOptions =
      passing && pass.whole.length
        ? { startWith: jobs - 1, growWhen: passing, claim: (k) => claims.takeForPool(inPool[k]) }
        : {};
    const tasks = inPool.map((i) => batch.task(i));
    return Promise.all([passing, analyzeFiles(tasks, options.rules, { ...batch.poolOptions(), ...sharing })]);
  });
  batch.settle(inPool, first);
  // Files of a pass that was abandoned: those that may hold an entry point and those it claimed.
  const left = todo.filter((i) => !pass.resultOf(i)?.whole && (hinted[i] || !batch.outcomes[i]));
  if (!left.length) return;
  const run = await stats.time('analysis (dataflow file by file)', () =>
    analyzeFiles(
      left.map((i) => batch.task(i)),
      options.rules,
      batch.poolOptions(),
    ),
  );
  batch.settle(left, run);
}

/**
 * Step 3: the pass's results. A file the pass reviewed whole takes them as they are; a file the pool
 * reviewed and the pass also read gets its dataflow rules' findings from the pass, which saw the
 * flows through other files.
 */
function mergeDataflow(batch: Batch, todo: readonly number[]): void {
  const { stats, outcomes } = batch;
  const taintIds = new Set(batch.options.rules.filter((r) => r.taint !== undefined).map((r) => r.id));
  for (const i of todo) {
    const r = batch.pass.resultOf(i);
    if (!r) continue;
    if (r.whole) {
      stats.addFile(i, r.timings);
      stats.counters.passFiles++;
      outcomes[i] = { ok: true, analysis: r.analysis };
      batch.fileDone();
      continue;
    }
    const o = outcomes[i];
    if (!o?.ok) continue;
    stats.addFile(i, r.timings);
    const kept = o.analysis.findings.filter((f) => !taintIds.has(f.ruleId));
    o.analysis.findings = [...kept, ...r.analysis.findings].sort(compareFindings);
    o.analysis.ruleErrors = [
      ...o.analysis.ruleErrors.filter((e) => !taintIds.has(e.ruleId)),
      ...r.analysis.ruleErrors,
    ];
    if (r.analysis.notes) o.analysis.notes = r.analysis.notes;
    const read = [...new Set([...(o.analysis.neighbours ?? []), ...(r.analysis.neighbours ?? [])])].sort();
    if (read.length) o.analysis.neighbours = read;
  }
}

/** Step 4: stores the new results (skipped files are not stored: they are retried). */
async function store(
  batch: Batch,
  todo: readonly number[],
  { cache, hashes, neighbours }: CacheLookup,
): Promise<void> {
  for (const i of todo) {
    const o = batch.outcomes[i];
    if (o?.ok)
      cache.set(
        batch.sources[i].file,
        hashes[i],
        o.analysis,
        batch.pass.depsOf(i),
        neighbours(i, o.analysis.neighbours),
      );
  }
  // What the pass read, for the next review; a reused record now stands for the sources as they are.
  const { pass } = batch;
  if (pass.reused) cache.pass = passRecord(batch.sources, hashes, pass.reused);
  else if (pass.reads) cache.pass = passRecord(batch.sources, hashes, pass.reads);
  else if (batch.withTaint && todo.length) cache.pass = undefined;
  await batch.stats.time('cache save', () => cache.save());
}
