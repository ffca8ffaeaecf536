import type { ProjectFacts } from '../core/index.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaintOptions } from '../dataflow/index.js';
import type { Rule } from '../rules/rule.js';
import type { Claims } from './claims.js';
import { packSources } from './packed-sources.js';
import type { ReviewSources } from './project-texts.js';
import type { PassProgress } from './pass-progress.js';
import { projectReview, type ProjectReviewResult } from './project-review.js';
import { errorText } from './read.js';
import { ruleSpecs } from './task.js';
import type { ProjectSource } from './taint.js';
import { FileClock, Watchdog } from './watchdog.js';

export type ProjectPassResult = ({ ok: true } & ProjectReviewResult) | { ok: false; reason: string };

export interface ProjectPassLimits {
  timeoutMs: number;
  memoryMb: number;
  /** The longest the parse or the rules of one file may take (the pool's per-file budget). */
  fileTimeoutMs: number;
  /** Heap size over which the pass releases trees and models it can make again (see resident.ts). */
  evictAboveMb?: number;
}

/**
 * Runs the project-level dataflow pass (and the dataflow rules of the files it reads, see
 * project-review.ts) in a thread of its own with a time budget and heap limit.
 * When either is exceeded the pass is abandoned and the caller falls back to analysing each file's
 * dataflow alone: the review goes on, with the reason in its statistics. Without the compiled
 * worker (TypeScript sources under a test runner) the pass runs in this thread.
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
      return { ok: false, reason: errorText(e) };
    }
  }
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
      },
      // The texts are moved, not cloned (see packed-sources.ts), or shared.
      transferList: packed.bytes instanceof ArrayBuffer ? [packed.bytes] : [],
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
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
      () =>
        settle({ ok: false, reason: `the project pass took longer than its ${limits.timeoutMs} ms budget` }),
      limits.timeoutMs,
    );
    // The parse or rules of one file past the per-file budget: the pass is abandoned, and the pool
    // reviews the files left to it with per-file budgets (that file comes back as a timeout).
    const watchdog = new Watchdog(limits.fileTimeoutMs);
    watchdog.watch(clock, (i) =>
      settle({
        ok: false,
        reason: `the project pass ran past the ${limits.fileTimeoutMs} ms budget of a file on ${sources[i]?.file ?? 'a file'}`,
      }),
    );
    worker.once('message', (result: ProjectReviewResult) => settle({ ok: true, ...result }));
    worker.once('error', (e: unknown) =>
      settle({
        ok: false,
        reason:
          e && typeof e === 'object' && 'code' in e && e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `the project pass needed more than its ${limits.memoryMb} MiB heap limit`
            : `the project pass failed: ${errorText(e)}`,
      }),
    );
    worker.once('exit', (code) => settle({ ok: false, reason: `the project pass exited with code ${code}` }));
  });
}
