import { createHash } from 'node:crypto';
import type { Severity } from '../core/index.js';
import { activeDefects, activeSuggestions, cweHeading, type ReportInput } from './context.js';

/** Code Climate severities, as GitLab's code-quality widget reads them. */
const SEVERITY: Record<Severity, string> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
};

/**
 * GitLab's code-quality report (a Code Climate issue list). Fingerprints must be unique per issue,
 * so copies of one pattern get their occurrence number mixed in; suppressed findings are left out
 * because the format has no way to mark them.
 */
export function formatGitlab(input: ReportInput): string {
  const seen = new Map<string, number>();
  const issue = (f: (typeof input.findings)[number], severity: string, category: string): object => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: f.kind === 'defect' ? `${cweHeading(f.cwe)}: ${f.message}` : f.message,
      content: { body: `Fix: ${f.fix}` },
      categories: [category],
      severity,
      fingerprint: createHash('md5').update(`${f.fingerprint}:${n}`).digest('hex'),
      location: { path: f.location.file, lines: { begin: f.location.start.line, end: f.location.end.line } },
      engine_name: 'secreview',
    };
  };
  const issues = [
    ...activeDefects(input.findings).map((f) => issue(f, SEVERITY[f.severity], 'Security')),
    ...activeSuggestions(input.findings).map((f) => issue(f, 'info', 'Clarity')),
  ];
  return JSON.stringify(issues, null, 2) + '\n';
}
