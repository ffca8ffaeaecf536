/**
 * The taint (dataflow) engine. The language-neutral core lives here (abstract values, heap,
 * budgets, the entry-point driver, project summaries, the query rules call); each language's
 * front end interprets its own syntax (Python: lang/python/dataflow). A project-level pass
 * interprets every module once and stores, per file, what reaches each tracked expression
 * (FileTaintData, plain data); rules query it through TaintQuery (`context.taint.trace(node)`) or
 * declare sinks that the engine checks (see rules/rule.ts `taint`).
 *
 * ProjectTaint, queryFromData and mayHoldEntryPoint are Python's, re-exported here for the
 * engine, the Python pack and tests until the Language interface carries what the query needs
 * (its function node types: see queryOver).
 */
export {
  describeSource,
  type FileTaintData,
  type SerialVal,
  type TaintQuery,
  type TaintSource,
  type TaintTrace,
  type TraceOptions,
} from './query.js';
export {
  mayHoldEntryPoint,
  ProjectTaint,
  queryFromData,
  type ParsedModule,
} from '../lang/python/dataflow/index.js';
export type { TaintOptions, Trust } from './specs.js';
export { taintedSinks, type TaintHit, type TaintSinkSpec } from './sinks.js';
