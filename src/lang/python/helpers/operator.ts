import type { Severity } from '../../../core/index.js';
import { fromOperatorOnly, type TaintHit } from '../../../dataflow/index.js';
import { provenFlowReason } from '../../../rules/rule.js';

/**
 * The severity and confidence reason of a taint rule whose flows may start at the program's own
 * command line or prompt: whoever types that runs the program with their own privileges, so such
 * a flow is reported low, and says why.
 */
export const operatorInputIsLow = {
  severity: (hit: TaintHit): Severity | undefined => (fromOperatorOnly(hit) ? 'low' : undefined),
  confidenceReason: (hit: TaintHit): string =>
    fromOperatorOnly(hit)
      ? `${provenFlowReason(hit.flow)}, typed by whoever runs the program (not a remote user)`
      : provenFlowReason(hit.flow),
};
