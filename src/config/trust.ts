import { terminalSafe } from '../core/escape.js';
import { ConfigError, type Config } from './load.js';

/**
 * The trust model (docs/security.md). secreview runs in CI on pull requests from strangers, so the
 * reviewed repository, its config included, is data and never authority. A repository's config
 * may shape the review of its own code (rules, severities, excludes, suggestions, taint models, a
 * baseline inside it). It may not choose where anything is sent or who is told (the GitHub and
 * Gerrit sections: endpoints, timeouts, review events, votes and notifications) nor turn on or
 * steer the LLM layer (which sends code and an API key): those come only from flags, the
 * environment and the user's own config outside the repository.
 */
export const USER_ONLY_SECTIONS = ['llm', 'github', 'gerrit'] as const satisfies readonly (keyof Config)[];

/** Patterns and model entries a config may hold; each one is matched against every file. */
export const MAX_CONFIG_PATTERNS = 5000;

export interface TrustedConfig {
  config: Config;
  /** One per ignored key of the project's config, naming the key and the file. */
  warnings: string[];
}

/**
 * The effective config: the user's config as defaults, the project's config over it for what a
 * project may set, and the user-only sections from the user's config alone. `llm.enabled` is
 * ignored wherever it is: `--llm` is the only way to call a model.
 */
export function applyTrust(
  project: Config,
  projectPath: string | undefined,
  user: Config | undefined,
): TrustedConfig {
  const warnings: string[] = [];
  const where = terminalSafe(projectPath ?? 'the config');
  const shaped: Config = { ...project };
  for (const key of USER_ONLY_SECTIONS) {
    if (shaped[key] === undefined) continue;
    const keys = Object.keys(shaped[key] ?? {});
    warnings.push(
      `${where}: '${key}'${keys.length ? ` (${keys.map((k) => terminalSafe(k)).join(', ')})` : ''} is ignored: ` +
        `a repository's config may not set it; use flags, environment variables or the user config`,
    );
    delete shaped[key];
  }
  const merged: Config = { ...(user ?? {}), ...shaped };
  for (const key of USER_ONLY_SECTIONS) {
    if (user?.[key] === undefined) delete merged[key];
    else (merged as Record<string, unknown>)[key] = user[key];
  }
  if (merged.llm?.enabled !== undefined) {
    warnings.push(`the user config's 'llm.enabled' is ignored: --llm is the only way to call a model`);
    merged.llm = { ...merged.llm };
    delete merged.llm.enabled;
  }
  return { config: merged, warnings };
}

/** Refuses a config with more patterns than MAX_CONFIG_PATTERNS (each costs time on every file). */
export function checkPatternCount(config: Config, path: string): void {
  const n =
    (config.include?.length ?? 0) +
    (config.exclude?.length ?? 0) +
    (config.rules?.enable?.length ?? 0) +
    (config.rules?.disable?.length ?? 0) +
    Object.keys(config.rules?.severity ?? {}).length +
    (config.taint?.sources?.length ?? 0) +
    (config.taint?.sinks?.length ?? 0) +
    (config.taint?.sanitizers?.length ?? 0) +
    (config.suggestions?.checks?.length ?? 0) +
    (config.suggestions?.disable?.length ?? 0);
  if (n > MAX_CONFIG_PATTERNS) {
    throw new ConfigError(
      `${terminalSafe(path)}: ${n} patterns and entries is over the limit of ${MAX_CONFIG_PATTERNS}`,
    );
  }
}
