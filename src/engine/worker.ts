/**
 * The worker thread of the pool (see pool.ts). The grammars are loaded before the thread reports
 * ready, so that no file's time budget pays for them.
 */
import { languages } from '../lang/registry.js';
import { runTask, type FileTask, type TaskResult } from './task.js';

for (const language of languages()) await language.grammar.load();

export default function analyzeInWorker(task: FileTask): Promise<TaskResult> {
  return runTask(task);
}
