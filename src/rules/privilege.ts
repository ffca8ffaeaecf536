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
