/**
 * The taint (dataflow) engine's language-neutral core: abstract values, heap, budgets, the
 * entry-point driver, project summaries and the query rules call. Each language's front end
 * interprets its own syntax and reaches the engine through its Language's `dataflow` member
 * (lang/language.ts). A project-level pass interprets every module once and stores, per file, what
 * reaches each tracked expression (FileTaintData, plain data); rules query it through TaintQuery
 * (`context.taint.trace(node)`) or declare sinks that the engine checks (see rules/rule.ts `taint`).
 */
export {
  describeSource,
  queryOver,
  type FileTaintData,
  type SerialVal,
  type TaintQuery,
  type TaintSource,
  type TaintTrace,
  type TraceOptions,
} from './query.js';
export type { ProjectModules } from './project.js';
export type { TaintOptions, Trust } from './specs.js';
export { adminOnlyGuard, fromOperatorOnly, type TaintHit, type TracedSink } from './sinks.js';
