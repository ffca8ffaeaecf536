/**
 * The thread of the project-level dataflow pass (see project-pass.ts): it parses and interprets
 * the project and runs the rules of the files it read, so a pathological file there is bounded by
 * the pass's time budget, the per-file budget of its rules and the heap limit instead of stalling
 * the review's main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProjectFacts } from '../core/index.js';
import type { TaintOptions } from '../dataflow/index.js';
import { Claims } from './claims.js';
import { unpackSources, type PackedSources } from './packed-sources.js';
import { PassProgress } from './pass-progress.js';
import { projectReview } from './project-review.js';
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
};
const sources = unpackSources(input.packed!);
// The texts are decoded: the buffer they came in is let go.
delete input.packed;
parentPort?.postMessage(
  await projectReview(
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
  ),
);
