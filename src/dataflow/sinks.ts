/**
 * What a rule's taint declaration finds: a source's data reaching a sink the rule picks. Each
 * language's front end matches its own calls against its own sink models (see Language.dataflow
 * `tracedSinks`); the engine reports the hits.
 */
import type { FlowStep } from '../core/index.js';
import type { Node } from '../parsing/parser.js';
import type { TaintSource, TaintTrace } from './query.js';

/**
 * Every source of the hit was typed by whoever runs the program (command-line arguments, a prompt):
 * they act with their own privileges, so the flow crosses no trust boundary unless the program
 * runs with more privilege than its caller.
 */
export function fromOperatorOnly(hit: Pick<TaintHit, 'trace'>): boolean {
  return hit.trace.sources.length > 0 && hit.trace.sources.every((s) => s.trust === 'operator');
}

/**
 * The guard of a flow whose sources are requests to a handler only administrators reach
 * (`check_admin`), besides any the operator typed; undefined when any source is open to others. An administrator can already
 * change the application, so such a flow needs high privileges.
 */
export function adminOnlyGuard(sources: readonly Pick<TaintSource, 'trust' | 'guard'>[]): string | undefined {
  // Whoever runs the program is no remote attacker either: an administrator must still send the rest.
  const admin = sources.find((s) => s.trust === 'admin');
  if (!admin || !sources.every((s) => s.trust === 'admin' || s.trust === 'operator')) return undefined;
  return admin.guard ?? 'an administrator-only guard';
}

/** What every language's sink says of itself: the dangerous argument, in a rule's words. */
export interface TracedSink {
  /** "command", "file path": findings say "receives a <what> built from …". */
  readonly what: string;
}

export interface TaintHit<S extends TracedSink = TracedSink> {
  /** The call or assignment reported. */
  node: Node;
  /** The expression that carries the data. */
  arg: Node;
  /** "`os.path.join`" or "`session[...]`". */
  sinkLabel: string;
  spec: S;
  trace: Extract<TaintTrace, { kind: 'tainted' }>;
  /** Source, steps, and the sink as last step. */
  flow: FlowStep[];
  /** "`request.args['p']` (line 3)" */
  sourceText: string;
}
