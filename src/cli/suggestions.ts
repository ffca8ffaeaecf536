import type { Command } from 'commander';
import type { Finding } from '../core/index.js';
import type { Config } from '../config/load.js';
import {
  checkName,
  DEFAULT_MAX_SUGGESTIONS_PER_FILE,
  limitSuggestions,
  selectSuggestionRules,
} from '../engine/suggestions.js';
import type { Rule } from '../rules/rule.js';
import { UsageError } from './io.js';

/** Flags of the improvement suggestions beside the security verdict. */
export interface SuggestionFlags {
  /** False with --no-suggestions. */
  suggestions?: boolean;
  failOnSuggestions?: boolean;
}

export function addSuggestionOptions(cmd: Command): Command {
  return cmd
    .option('--no-suggestions', 'leave out the improvement suggestions (they are not security defects)')
    .option('--fail-on-suggestions', 'exit 1 when there are improvement suggestions, too');
}

/** The rules after `--no-suggestions` and the config's `suggestions:` section. */
export function withSuggestionSettings(
  rules: readonly Rule[],
  config: Config,
  flags: SuggestionFlags,
): Rule[] {
  const section = config.suggestions ?? {};
  const { rules: selected, unknown } = selectSuggestionRules(rules, {
    enabled: flags.suggestions !== false && section.enabled !== false,
    checks: section.checks,
    disable: section.disable,
  });
  if (unknown.length) {
    // A check of several languages (`logging`) is named once.
    const known = [...new Set(rules.filter((r) => r.kind === 'suggestion').map(checkName))].sort();
    throw new UsageError(
      `config names an unknown suggestion check '${unknown[0]}'; known checks: ${known.join(', ')}`,
    );
  }
  const limits = section.limits ?? {};
  return selected.map((r) => {
    const limit = limits[checkName(r)];
    return limit === undefined ? r : { ...r, limit };
  });
}

/**
 * Keeps the suggestions section short: `suggestions.max-per-file` per file (default 5). With
 * suggestions off (`--no-suggestions`, `suggestions.enabled: false`) there is no section: the
 * hygiene findings of defect rules, which are suggestions too, are left out with the rest.
 */
export function limitStage(
  findings: readonly Finding[],
  config: Config,
  flags: SuggestionFlags,
): { findings: Finding[]; notices: string[] } {
  if (flags.suggestions === false || config.suggestions?.enabled === false) {
    return { findings: findings.filter((f) => f.kind !== 'suggestion'), notices: [] };
  }
  return limitSuggestions(findings, config.suggestions?.['max-per-file'] ?? DEFAULT_MAX_SUGGESTIONS_PER_FILE);
}

/** Suggestions change the exit code only with --fail-on-suggestions. */
export function suggestionsFail(findings: readonly Finding[], flags: SuggestionFlags): boolean {
  return !!flags.failOnSuggestions && findings.some((f) => f.kind === 'suggestion' && !f.suppressed);
}
