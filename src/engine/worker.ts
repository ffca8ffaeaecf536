/**
 * The worker thread of the pool (see pool.ts). The grammars are loaded before the thread reports
 * ready, so that no file's time budget pays for them.
 */
import { workerData } from 'node:worker_threads';
import { languages } from '../lang/registry.js';
import { ReviewSources, type SharedSources } from './project-texts.js';
import { runTask, type FileTask, type TaskResult } from './task.js';

for (const language of languages()) await language.grammar.load();

/** The review's sources, in memory shared with the other threads (see project-texts.ts). */
const shared = (workerData as { sources?: SharedSources } | undefined)?.sources;
const texts = shared ? ReviewSources.inThread(shared) : undefined;

export default function analyzeInWorker(task: FileTask): Promise<TaskResult> {
  return runTask(task, undefined, texts);
}
