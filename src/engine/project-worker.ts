/**
 * The thread of the project-level dataflow pass (see project-pass.ts): it parses and interprets
 * the whole project, so a pathological file there is bounded by the pass's own time budget and
 * heap limit instead of stalling the review's main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TaintOptions } from '../analysis/taint/specs.js';
import { projectTaint, type ProjectSource } from './taint.js';

const input = workerData as { sources: ProjectSource[]; options?: TaintOptions };
parentPort?.postMessage(await projectTaint(input.sources, input.options));
