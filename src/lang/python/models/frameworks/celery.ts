import { defineModel } from '../concepts.js';

/**
 * Celery: `AsyncResult(task_id)` looks a task's stored state up by its id; the id the request sent
 * only chooses which result, it is not in it (`res.get()`, `res.result`, `res.info`).
 */
export default defineModel({
  name: 'celery',
  summaries: {
    recordCalls: ['celery.result.AsyncResult', 'celery.Celery().AsyncResult'],
  },
});
