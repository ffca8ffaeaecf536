/** What the TLS rules of every language share: how a setting that opts out of checks is named and reported. */
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
