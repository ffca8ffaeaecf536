/**
 * Which sinks a rule's dataflow traces: the models' sinks of the concepts it picks, and the config
 * file's sinks, which are entries of the same type (by concept, or by the CWE of the rule).
 */
import { SINK_CONCEPTS, type DeclaredSink, type SinkConcept } from '../../../dataflow/concepts.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import type { SinkOf, TaintSinkSpec } from './concepts.js';
import { sinksByCallee, sinksOf } from './index.js';

/** How a rule picks sinks (its `taint` declaration, see rules/rule.ts). */
export interface SinkPicking {
  /** The sink concepts the rule reports. */
  concepts?: readonly SinkConcept[];
  /**
   * Who traces the models' sinks of these concepts: the engine (default), or the rule's check,
   * when a finding needs structure the engine does not know (then the engine traces only the
   * config's sinks). `check` without concepts: the check only queries the dataflow.
   */
  tracedBy?: 'engine' | 'check';
  /** The rule's word for the dangerous argument in messages and flows ("HTML content"). */
  what?: string;
  /** The rule's own exclusions: true leaves a sink the models name alone (a URL with a fixed host). */
  skip?: (call: CallSite, module: PythonModule, sink: TaintSinkSpec) => boolean;
  /**
   * `skip` reads only the sink's dangerous argument (a URL's host), so it also judges the value the
   * caller of a project wrapper hands on to the sink; otherwise such calls are not traced.
   */
  skipReadsArgument?: boolean;
}

function settle(picking: SinkPicking, entry: Omit<TaintSinkSpec, 'what'> & { what?: string }): TaintSinkSpec {
  const spec: TaintSinkSpec = {
    ...entry,
    what: picking.what ?? entry.what ?? (entry.concept ? SINK_CONCEPTS[entry.concept] : 'value'),
  };
  const skip = picking.skip;
  if (skip) spec.unless = (call, module) => skip(call, module, spec);
  if (skip && picking.skipReadsArgument) spec.unlessOnArgument = true;
  return spec;
}

const modelSinks = new WeakMap<SinkPicking, readonly TaintSinkSpec[]>();

/** The models' sinks of the picked concepts, in the order the rule picks them. */
function fromModels(picking: SinkPicking): readonly TaintSinkSpec[] {
  let found = modelSinks.get(picking);
  if (!found) {
    found =
      picking.tracedBy === 'check'
        ? []
        : (picking.concepts ?? []).flatMap((c) =>
            sinksOf(c)
              .filter((s) => !s.untraced)
              .map((s) => settle(picking, s)),
          );
    modelSinks.set(picking, found);
  }
  return found;
}

/** A config sink as a model entry: the argument given, else the keyword alone, else the first. */
function fromConfig(picking: SinkPicking, s: DeclaredSink): TaintSinkSpec {
  const entry = {
    calls: [s.call],
    args: s.arg !== undefined ? [s.arg] : s.keyword ? [] : [0],
    keywords: s.keyword ? [s.keyword] : [],
  };
  // Declared by CWE (the older form): its flow says "value", whatever rule checks it.
  return s.concept ? settle(picking, { ...entry, concept: s.concept }) : { ...entry, what: 'value' };
}

/** The sinks a rule of this CWE traces, the config's (`taint.sinks`) included. */
export function sinksToTrace(
  picking: SinkPicking,
  cwe: number,
  config: readonly DeclaredSink[] = [],
): TaintSinkSpec[] {
  const declared = config
    .filter((s) => (s.concept ? picking.concepts?.includes(s.concept) : s.cwe === cwe))
    .map((s) => fromConfig(picking, s));
  return [...fromModels(picking), ...declared];
}

/**
 * The models' sinks of a concept by qualified callee, for a rule whose check looks at them itself
 * (`tracedBy: 'check'`). Entries marked `untraced` are left out, as the engine leaves them out of
 * the sinks it traces, unless the check asks for them (`all`): a structural check that reports
 * what the dataflow rule of the concept does not trace (mark_safe's aliases, urllib's openers).
 */
export function checkedSinks<C extends SinkConcept>(
  concept: C,
  which: 'traced' | 'all' = 'traced',
): ReadonlyMap<string, SinkOf<C>> {
  const all = sinksByCallee(concept);
  return which === 'all' ? all : new Map([...all].filter(([, sink]) => !sink.untraced));
}
