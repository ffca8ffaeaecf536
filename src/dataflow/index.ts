/**
 * The taint (dataflow) engine for Python. A project-level pass (ProjectTaint) interprets every
 * module once and stores, per file, what reaches each tracked expression (FileTaintData, plain
 * data); rules query it through TaintQuery (`context.taint.trace(node)`) or declare sinks that the
 * engine checks (see rules/rule.ts `taint`).
 */
export {
  ProjectTaint,
  queryFromData,
  describeSource,
  type FileTaintData,
  type ParsedModule,
  type SerialVal,
  type TaintQuery,
  type TaintSource,
  type TaintTrace,
  type TraceOptions,
} from './project.js';
export type { TaintOptions, Trust } from './specs.js';
export { mayHoldEntryPoint } from './interpreter.js';
export { taintedSinks, type TaintHit, type TaintSinkSpec } from './sinks.js';
