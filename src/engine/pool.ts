import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SkipReason } from '../core/index.js';
import type { Rule } from '../rules/rule.js';
import { errorText } from './read.js';
import type { ReviewSources } from './project-texts.js';
import { ruleSpecs, runTask, type FileTask, type TaskResult } from './task.js';
import { FileClock, Watchdog } from './watchdog.js';

export const DEFAULT_FILE_TIMEOUT_MS = 30_000;
export const DEFAULT_FILE_MEMORY_MB = 512;

export interface PoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  jobs?: number;
  /** Per-file budget in milliseconds of analysis; the worker running a file past it is replaced. */
  fileTimeoutMs?: number;
  /** Heap limit of each worker thread in MiB; a file that needs more is skipped. */
  fileMemoryMb?: number;
  /** Called after each file, with the number of files done. */
  onFileDone?: (done: number) => void;
  /**
   * Threads to start with when fewer than `jobs` (another thread of the review is busy); the pool
   * grows to `jobs` once `growWhen` settles.
   */
  startWith?: number;
  growWhen?: Promise<unknown>;
  /**
   * Asked before a task starts: false when another part of the review has taken the file (the
   * project pass, see claims.ts), and the task is skipped (its outcome left undefined).
   */
  claim?: (task: number) => boolean;
  /** The review's sources, which models read their neighbours from (see project-texts.ts). */
  sources?: ReviewSources;
}

export type TaskOutcome =
  { ok: true; result: TaskResult } | { ok: false; reason: SkipReason; detail: string };

export interface PoolRun {
  /** Undefined for a task skipped because its file was claimed elsewhere. */
  outcomes: (TaskOutcome | undefined)[];
  /** Worker threads used at most; 0 when the files were analysed in this thread. */
  threads: number;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The compiled worker next to this module. Running from TypeScript sources (vitest) there is
 * none, and files are analysed in this thread instead.
 */
export function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Analyses every task, in worker threads when the compiled worker exists and the rules can cross
 * threads (registry rules), else here. Outcomes are in the order of the tasks. Files run past
 * their time budget or heap limit come back as skips; the run goes on with a fresh worker.
 */
export async function analyzeFiles(
  tasks: readonly FileTask[],
  rules: readonly Rule[],
  options: PoolOptions = {},
): Promise<PoolRun> {
  const specs = ruleSpecs(rules);
  const script = workerScript();
  if (!specs || !script || tasks.length === 0)
    return { outcomes: await analyzeHere(tasks, rules, options), threads: 0 };
  const threads = Math.max(1, Math.min(options.jobs ?? defaultJobs(), tasks.length));
  const startWith = Math.max(1, Math.min(options.startWith ?? threads, threads));
  const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  const memoryMb = options.fileMemoryMb ?? DEFAULT_FILE_MEMORY_MB;
  // Loaded here, not at start-up: a run that analyses nothing in threads (`--version`, a warm
  // cache) does not pay for it.
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: script.href,
    minThreads: startWith,
    maxThreads: threads,
    idleTimeout: Infinity,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    // Shared memory: every worker reads the same bytes.
    ...(options.sources ? { workerData: { sources: options.sources.shared } } : {}),
  });
  // A worker that dies rejects its task; the pool also reports it here, where it is not news.
  pool.on('error', () => undefined);
  const watchdog = new Watchdog(timeoutMs);
  const outcomes: (TaskOutcome | undefined)[] = new Array(tasks.length);
  let done = 0;
  const runOne = async (i: number): Promise<TaskOutcome> => {
    const clock = new FileClock();
    const abort = new AbortController();
    watchdog.watch(clock, () => abort.abort(new FileTimeout()));
    try {
      const result = (await pool.run(
        { ...tasks[i], rules: specs, started: clock.buffer },
        { signal: abort.signal },
      )) as TaskResult;
      return { ok: true, result };
    } catch (e) {
      return failure(e, timeoutMs, memoryMb);
    } finally {
      watchdog.unwatch(clock);
      options.onFileDone?.(++done);
    }
  };
  // Each runner keeps one task in flight, so the pool never holds more tasks than it has runners:
  // a runner added later takes its share of what is left.
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      if (options.claim?.(i) === false) continue;
      outcomes[i] = await runOne(i);
    }
  };
  try {
    const runners = Array.from({ length: startWith }, runner);
    let grown: Promise<unknown> | undefined;
    let used = startWith;
    const grow = (): void => {
      if (next >= tasks.length) return;
      used = threads;
      grown = Promise.all(Array.from({ length: threads - startWith }, runner));
    };
    if (startWith < threads) options.growWhen?.then(grow, grow);
    await Promise.all(runners);
    // Runners added before the first ones ran out may still have a task in flight.
    await grown;
    return { outcomes, threads: used };
  } finally {
    watchdog.stop();
    await pool.destroy();
  }
}

class FileTimeout extends Error {
  constructor() {
    super('file time budget exceeded');
  }
}

function failure(e: unknown, timeoutMs: number, memoryMb: number): TaskOutcome {
  const cause = e instanceof Error && 'cause' in e ? e.cause : undefined;
  if (e instanceof FileTimeout || cause instanceof FileTimeout) {
    return { ok: false, reason: 'timeout', detail: `analysis took longer than the ${timeoutMs} ms budget` };
  }
  if (e && typeof e === 'object' && 'code' in e && e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      ok: false,
      reason: 'memory-limit',
      detail: `analysis needed more than the ${memoryMb} MiB heap limit`,
    };
  }
  return { ok: false, reason: 'internal-error', detail: errorText(e) };
}

async function analyzeHere(
  tasks: readonly FileTask[],
  rules: readonly Rule[],
  options: PoolOptions,
): Promise<(TaskOutcome | undefined)[]> {
  const outcomes: (TaskOutcome | undefined)[] = [];
  let done = 0;
  for (const [i, task] of tasks.entries()) {
    if (options.claim?.(i) === false) {
      outcomes.push(undefined);
      continue;
    }
    try {
      outcomes.push({ ok: true, result: await runTask(task, rules, options.sources?.here) });
    } catch (e) {
      outcomes.push({ ok: false, reason: 'internal-error', detail: errorText(e) });
    }
    options.onFileDone?.(++done);
  }
  return outcomes;
}
