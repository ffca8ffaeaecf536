/** What the TLS rules of every language share: how a setting that opts out of checks is named and reported. */
import type { Node } from '../parsing/parser.js';
import type { ReportDescriptor } from './rule.js';

/** Names of settings that switch certificate checks (`insecure`, `verify_ssl`, `DOWNLOAD_VERIFY_CERTIFICATES`). */
export const VERIFY_SETTING =
  /insecure|verif|no_?check|check_?cert|validate_?cert|ssl_?check|cert_?reqs|disable_?(ssl|tls)/i;

/**
 * Checks turned off only in the branch of a setting that asks for it (`if insecure:`, the else of
 * `if (verifyCertificates)`): whoever configures the program chose it, as with `curl -k`. Reported
 * low, saying so.
 */
export function optedOutBySetting(report: ReportDescriptor, setting: string): ReportDescriptor {
  return {
    ...report,
    severity: 'low',
    confidenceReason: `checks are off only where the setting \`${setting}\` asks for it`,
  };
}

/** How a language's conditions read, for `settingBranch`. */
export interface ConditionSyntax {
  /** Where the search stops: a definition (a setting of its caller is not known here). */
  isBoundary(node: Node): boolean;
  /** The condition of an `if` or a conditional expression, for any other node undefined. */
  conditionOf(node: Node): Node | null | undefined;
  /** The node types of the names a condition reads (`identifier`, `attribute`). */
  nameTypes: readonly string[];
}

/**
 * The setting whose branch a node is in, within its definition, when the condition of an enclosing
 * `if` or conditional expression names one (`if insecure:`, `options.insecure ? ... : ...`).
 */
export function settingBranch(node: Node, syntax: ConditionSyntax): string | undefined {
  for (let n: Node = node, p = node.parent; p; n = p, p = p.parent) {
    if (syntax.isBoundary(p)) return undefined;
    const condition = syntax.conditionOf(p);
    if (!condition || condition.equals(n)) continue;
    const name = condition.descendantsOfType(syntax.nameTypes).find((d) => VERIFY_SETTING.test(d.text));
    if (name) return name.text;
  }
  return undefined;
}
