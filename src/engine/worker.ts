/**
 * The worker thread of the pool (see pool.ts). The grammar is loaded before the thread reports
 * ready, so that no file's time budget pays for it.
 */
import { getParser } from '../parsing/parser.js';
import { runTask, type FileTask, type TaskResult } from './task.js';

await getParser('python');

export default function analyzeInWorker(task: FileTask): Promise<TaskResult> {
  return runTask(task);
}
