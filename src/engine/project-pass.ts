import type { ProjectFacts, SkipReason } from '../core/index.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deserialize, getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { TaintOptions } from '../dataflow/index.js';
import type { Rule } from '../rules/rule.js';
import type { Claims } from './claims.js';
import { packSources } from './packed-sources.js';
import type { ReviewSources } from './project-texts.js';
import type { PassProgress } from './pass-progress.js';
import { projectReview, type ProjectReviewResult } from './project-review.js';
import { heapLimitMb, MIB } from './memory-guard.js';
import { errorText } from './read.js';
import { ruleSpecs } from './task.js';
import type { ProjectSource } from './taint.js';
import { FileClock, Watchdog } from './watchdog.js';

/** Why a pass was abandoned: its memory budget, its time budget, or a failure. */
export type PassFailure = Extract<SkipReason, 'memory-limit' | 'timeout' | 'internal-error'>;

export type ProjectPassResult =
  ({ ok: true } & ProjectReviewResult) | { ok: false; reason: PassFailure; detail: string };

/** What the pass's thread posts: its results serialised (see project-worker.ts), or that it stopped over its budget. */
export type PassMessage =
  { kind: 'done'; bytes: ArrayBuffer } | { kind: 'over-budget'; usedMb: number; budgetMb: number };

/**
 * The results of a pass take about this many times their serialised size in the heap of the
 * review's thread (measured on a large project: about 2); more than is left there, and the pass is
 * abandoned instead of the whole review running out of memory.
 */
const RESULTS_HEAP_FACTOR = 5;

export interface ProjectPassLimits {
  timeoutMs: number;
  /** The pass's memory budget (MiB): it stops itself over it (see memory-guard.ts). */
  memoryMb: number;
  /** The heap limit of its thread (MiB); default: the budget and a margin (see memory-guard.ts `heapLimitMb`). */
  heapMb?: number;
  /** The longest the parse or the rules of one file may take (the pool's per-file budget). */
  fileTimeoutMs: number;
  /** Heap size over which the pass releases trees and models it can make again (see resident.ts). */
  evictAboveMb?: number;
}

/**
 * Runs the project-level dataflow pass (and the dataflow rules of the files it reads, see
 * project-review.ts) in a thread of its own with a time budget and a memory budget (the thread
 * stops itself over it; V8's heap limit sits a margin above, see memory-guard.ts). When a budget is
 * exceeded, the thread fails or exits, or its results would not fit in this thread's heap, the pass
 * is abandoned and the caller falls back to analysing each file's dataflow alone: the review goes
 * on, with the reason (`memory-limit`, `timeout`, `internal-error`) and a sentence in its notes.
 * Without the compiled worker (TypeScript sources under a test runner) the pass runs in this thread.
 */
export async function runProjectPass(
  sources: readonly ProjectSource[],
  rules: readonly Rule[],
  options: TaintOptions | undefined,
  /** Files the pass reviews whole (every rule), see project-review.ts. */
  whole: readonly string[],
  limits: ProjectPassLimits,
  /** Who reviews each file, shared with the pool. */
  claims?: Claims,
  /** What the project's manifests declare (see core/project.ts). */
  facts?: ProjectFacts,
  /** Marked as the pass parses and reviews the files it reviews whole. */
  progress?: PassProgress,
  /** The review keeps a cache, which needs each file's dataflow results hashed. */
  hashDeps = true,
  /** The sources as the review's threads read them (see project-texts.ts). */
  shared?: ReviewSources,
): Promise<ProjectPassResult> {
  const url = new URL('./project-worker.js', import.meta.url);
  const specs = ruleSpecs(rules);
  if (!existsSync(fileURLToPath(url)) || !specs) {
    try {
      return {
        ok: true,
        ...(await projectReview(
          sources,
          rules,
          options,
          new Set(whole),
          undefined,
          claims,
          facts,
          progress,
          hashDeps,
          limits.evictAboveMb,
          shared?.here,
        )),
      };
    } catch (e) {
      return { ok: false, reason: 'internal-error', detail: errorText(e) };
    }
  }
  const heapMb = limits.heapMb ?? heapLimitMb(limits.memoryMb);
  const fail = (reason: PassFailure, detail: string): ProjectPassResult => ({ ok: false, reason, detail });
  return new Promise((resolve) => {
    let settled = false;
    const clock = new FileClock();
    const inShared = shared?.shared;
    const packed = inShared?.packed ?? packSources(sources);
    const worker = new Worker(url, {
      workerData: {
        packed,
        ...(inShared ? { values: inShared.values } : {}),
        rules: specs,
        options,
        whole,
        clock: clock.buffer,
        ...(claims ? { claims: claims.buffer } : {}),
        ...(facts ? { facts } : {}),
        ...(progress ? { progress: progress.buffer } : {}),
        hashDeps,
        ...(limits.evictAboveMb !== undefined ? { evictAboveMb: limits.evictAboveMb } : {}),
        budgetMb: limits.memoryMb,
      },
      // The texts are moved, not cloned (see packed-sources.ts), or shared.
      transferList: packed.bytes instanceof ArrayBuffer ? [packed.bytes] : [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    const settle = (result: ProjectPassResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watchdog.stop();
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => settle(fail('timeout', `the project pass took longer than its ${limits.timeoutMs} ms budget`)),
      limits.timeoutMs,
    );
    // The parse or rules of one file past the per-file budget: the pass is abandoned, and the pool
    // reviews the files left to it with per-file budgets (that file comes back as a timeout).
    const watchdog = new Watchdog(limits.fileTimeoutMs);
    watchdog.watch(clock, (i) =>
      settle(
        fail(
          'timeout',
          `the project pass ran past the ${limits.fileTimeoutMs} ms budget of a file on ${sources[i]?.file ?? 'a file'}`,
        ),
      ),
    );
    const unreadable = (e: unknown): void =>
      settle(fail('internal-error', `the project pass's results could not be read: ${errorText(e)}`));
    worker.once('message', (message: PassMessage) => {
      try {
        settle(received(message, limits.memoryMb));
      } catch (e) {
        unreadable(e);
      }
    });
    worker.once('messageerror', unreadable);
    // V8 ended the thread at its heap limit (an allocation too large for the guard to see coming).
    worker.once('error', (e: unknown) =>
      settle(
        e && typeof e === 'object' && 'code' in e && e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? fail('memory-limit', `the project pass needed more than its ${heapMb} MiB heap limit`)
          : fail('internal-error', `the project pass failed: ${errorText(e)}`),
      ),
    );
    worker.once('exit', (code) =>
      settle(
        fail(
          'internal-error',
          code === 0
            ? 'the project pass ended without giving its results'
            : `the project pass exited with code ${code}`,
        ),
      ),
    );
  });
}

/**
 * The pass's message as a result: its results, unless they would not fit in what is left of this
 * thread's heap (taking them in would end the whole review), or the pass stopped over its budget.
 */
export function received(
  message: PassMessage,
  budgetMb: number,
  heap: () => { used: number; limit: number } = () => {
    const h = getHeapStatistics();
    return { used: h.used_heap_size, limit: h.heap_size_limit };
  },
): ProjectPassResult {
  if (message.kind === 'over-budget') {
    return {
      ok: false,
      reason: 'memory-limit',
      detail: `the project pass needed more than its ${budgetMb} MiB memory budget (${message.usedMb} MiB in use after a collection)`,
    };
  }
  const { used, limit } = heap();
  const size = message.bytes.byteLength;
  if (size * RESULTS_HEAP_FACTOR > limit - used) {
    return {
      ok: false,
      reason: 'memory-limit',
      detail: `the project pass's results (${Math.ceil(size / MIB)} MiB serialised) would not fit in the ${Math.floor((limit - used) / MIB)} MiB left of the review's heap`,
    };
  }
  return { ok: true, ...(deserialize(new Uint8Array(message.bytes)) as ProjectReviewResult) };
}
