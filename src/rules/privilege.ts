import type { Confidence } from '../core/index.js';
import type { TaintOptions, TaintSource } from '../dataflow/index.js';
import { adminOnlyGuard } from '../dataflow/index.js';
import { provenFlowReason, type ReportDescriptor } from './rule.js';

/**
 * A finding whose every source is a request only administrators can send (a handler behind an
 * administrator-only guard): low severity, privileges required, and it says which guard, unless
 * the config distrusts administrators (`taint.admin-input: untrusted`, whose sources are then a
 * client's from the start). The CWE and confidence stay: the flow is as real as before.
 */
export function forAdministrators(
  d: ReportDescriptor,
  sources: readonly TaintSource[],
  options: TaintOptions,
): ReportDescriptor {
  const guard = options.adminInput === 'untrusted' ? undefined : adminOnlyGuard(sources);
  if (!guard) return d;
  const only = `only administrators reach this route (\`${guard}\`)`;
  const because = d.confidenceReason ?? (d.flow?.length ? provenFlowReason(d.flow) : undefined);
  return {
    ...d,
    severity: 'low',
    message: `${d.message.replace(/\.?$/, ';')} ${only}.`,
    confidenceReason: `${because ? `${because}; ` : ''}${only}, so the flow needs administrator privileges`,
  };
}

/**
 * A finding whose every source is a value a language model chose (an agent tool's argument), or
 * one the application chose (see TaintSource.appChosen), besides any the operator typed: the flow
 * is real, but an attacker reaches it only by steering the model through text it reads (prompt
 * injection), or when the app passes on what a user sent, so the confidence drops to medium (never
 * rises) and the reason says so. The severity stays: a steered value is what the attacker wrote.
 */
export function forModelChoices(
  d: ReportDescriptor,
  sources: readonly TaintSource[],
  ruleConfidence: Confidence,
): ReportDescriptor {
  if (!sources.some((s) => s.modelChosen || s.appChosen)) return d;
  if (!sources.every((s) => s.modelChosen || s.appChosen || s.trust === 'operator')) return d;
  const because = d.confidenceReason ?? (d.flow?.length ? provenFlowReason(d.flow) : undefined);
  const steered = sources.some((s) => s.modelChosen)
    ? 'a language model chooses this tool argument, and text the model reads (a web page, a document) ' +
      'can steer that choice (prompt injection)'
    : "the application's function chooses this value, and apps often pass on what a user sent";
  return {
    ...d,
    confidence: (d.confidence ?? ruleConfidence) === 'low' ? 'low' : 'medium',
    confidenceReason: `${because ? `${because}; ` : ''}${steered}`,
  };
}
