import type { Finding } from '../core/index.js';
import type { Rule } from '../rules/rule.js';

/**
 * Improvement suggestions beside the security verdict: which suggestion checks run, and the
 * per-file limit that keeps the section short. Security rules pass through untouched.
 */

export const DEFAULT_MAX_SUGGESTIONS_PER_FILE = 5;

/** Which checks are kept first when a file has more suggestions than the limit allows. */
const PRIORITY = [
  'exception-handling',
  'logging',
  'env-vars',
  'config-paths',
  'nesting-depth',
  'function-size',
  'naming-convention',
  'type-hints',
  'type-annotations',
  'docstrings',
];

export interface SuggestionSettings {
  /** False turns every suggestion check off (`--no-suggestions`, `suggestions.enabled: false`). */
  enabled?: boolean;
  /** Only these checks run: short names (`logging`) or rule ids (`<language>/suggest-logging`). */
  checks?: readonly string[];
  /** These checks do not run. */
  disable?: readonly string[];
}

/** `<language>/suggest-logging` → `logging`. */
export function checkName(rule: Pick<Rule, 'id'>): string {
  return rule.id.replace(/^[a-z]+\/suggest-/, '');
}

const names = (rule: Rule): string[] => [rule.id, checkName(rule)];

/**
 * The rules to run after the suggestion settings. Names in `checks`/`disable` that match no
 * suggestion rule are returned in `unknown` for the caller to report.
 */
export function selectSuggestionRules(
  rules: readonly Rule[],
  settings: SuggestionSettings,
): { rules: Rule[]; unknown: string[] } {
  const suggestions = rules.filter((r) => r.kind === 'suggestion');
  const known = new Set(suggestions.flatMap(names));
  const unknown = [...(settings.checks ?? []), ...(settings.disable ?? [])].filter((n) => !known.has(n));
  const only = settings.checks ? new Set(settings.checks) : undefined;
  const disabled = new Set(settings.disable ?? []);
  const keep = (r: Rule): boolean => {
    if (r.kind !== 'suggestion') return true;
    if (settings.enabled === false) return false;
    if (only && !names(r).some((n) => only.has(n))) return false;
    return !names(r).some((n) => disabled.has(n));
  };
  return { rules: rules.filter(keep), unknown };
}

function rank(f: Finding): number {
  const i = PRIORITY.indexOf(checkName({ id: f.ruleId }));
  return i < 0 ? PRIORITY.length : i;
}

/**
 * Keeps at most `maxPerFile` active suggestions per file, the most important checks first, in
 * their original order. Each file that lost some gets a notice naming the checks left out.
 */
export function limitSuggestions(
  findings: readonly Finding[],
  maxPerFile: number,
): { findings: Finding[]; notices: string[] } {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    // Hygiene findings of security checks are suggestions too, but each is its own site: never cut.
    if (f.kind !== 'suggestion' || f.suppressed || checkName({ id: f.ruleId }) === f.ruleId) continue;
    const list = byFile.get(f.location.file);
    if (list) list.push(f);
    else byFile.set(f.location.file, [f]);
  }
  const dropped = new Set<Finding>();
  const notices: string[] = [];
  for (const [file, list] of byFile) {
    if (list.length <= maxPerFile) continue;
    const left = [...list].sort((a, b) => rank(a) - rank(b)).slice(maxPerFile);
    for (const f of left) dropped.add(f);
    const checks = left.map((f) => checkName({ id: f.ruleId })).join(', ');
    notices.push(
      `${file}: ${left.length} more ${left.length === 1 ? 'suggestion' : 'suggestions'} not shown (${checks}); ` +
        `raise suggestions.max-per-file (now ${maxPerFile}) to list them`,
    );
  }
  return { findings: findings.filter((f) => !dropped.has(f)), notices };
}
