/**
 * The thread of the project-level dataflow pass (see project-pass.ts): it parses and interprets
 * the project and runs the rules of the files it read, so a pathological file there is bounded by
 * the pass's time budget, the per-file budget of its rules and the heap limit instead of stalling
 * the review's main thread.
 */
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { ProjectFacts } from '../core/index.js';
import type { TaintOptions } from '../dataflow/index.js';
import { Claims } from './claims.js';
import { fullCollector, MemoryGuard, MIB, OverMemoryBudget } from './memory-guard.js';
import { unpackSources, type PackedSources } from './packed-sources.js';
import { PassProgress } from './pass-progress.js';
import { projectReview } from './project-review.js';
import type { PassMessage } from './project-pass.js';
import { ProjectTexts } from './project-texts.js';
import { SharedValues, type SharedValueBuffers } from './shared-values.js';
import { rulesOf, type RuleSpec } from './task.js';
import { FileClock } from './watchdog.js';

const input = workerData as {
  packed?: PackedSources;
  rules: RuleSpec[];
  options?: TaintOptions;
  whole: string[];
  clock: SharedArrayBuffer;
  claims?: SharedArrayBuffer;
  facts?: ProjectFacts;
  progress?: SharedArrayBuffer;
  hashDeps: boolean;
  evictAboveMb?: number;
  values?: SharedValueBuffers;
  /** The pass's memory budget (MiB): its heap limit is set a margin above (see memory-guard.ts). */
  budgetMb?: number;
};
const sources = unpackSources(input.packed!);
// The texts are decoded: the buffer they came in is let go.
delete input.packed;
// The collector is made the first time the heap is over the budget: the flag it sets is the
// process's, so a review that stays well within its budget never sets it.
let gc: (() => void) | undefined | null = null;
const guard =
  input.budgetMb === undefined
    ? undefined
    : new MemoryGuard(input.budgetMb * MIB, undefined, () => (gc === null ? (gc = fullCollector()) : gc)?.());
let message: PassMessage;
try {
  const result = await projectReview(
    sources,
    rulesOf(input.rules),
    input.options,
    new Set(input.whole),
    new FileClock(input.clock),
    input.claims && new Claims(input.claims),
    input.facts,
    input.progress && new PassProgress(input.progress),
    input.hashDeps,
    input.evictAboveMb,
    ProjectTexts.of(sources, input.values && new SharedValues(input.values)),
    guard,
  );
  // Serialised here, outside the heap, and moved: the review's thread sees the size before it
  // takes the results into its own heap (see project-pass.ts).
  const bytes = serialize(result);
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  message = { kind: 'done', bytes: buffer as ArrayBuffer };
} catch (e) {
  if (!(e instanceof OverMemoryBudget)) throw e;
  message = { kind: 'over-budget', usedMb: e.usedMb, budgetMb: e.budgetMb };
}
parentPort?.postMessage(message, message.kind === 'done' ? [message.bytes] : []);
