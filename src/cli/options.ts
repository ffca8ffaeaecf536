import { InvalidArgumentError, Option, type Command } from 'commander';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../core/index.js';
import { resolveConfig, type Config, type LoadedConfig } from '../config/load.js';
import type { CliIO } from './io.js';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/read.js';
import { FORMATS, type Format } from '../reporters/index.js';
import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import { UsageError } from './io.js';
import { isAbsolute, relative } from 'node:path';
import { terminalSafe } from '../core/escape.js';
import { wantsColor } from '../reporters/style.js';

/** The flags `addReportOptions` declares, plus the config, exclude and quiet flags both commands take. */
export interface ReportFlags {
  format: Format;
  output?: string;
  config?: string;
  failOn?: Severity | 'never';
  minConfidence?: Confidence;
  maxFileSize?: number;
  exclude?: string[];
  quiet?: boolean;
  verbose?: boolean;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** Options shared by `review` and `diff`: where the report goes, in what form, and what fails the run. */
export function addReportOptions(cmd: Command, defaultFormat: Format): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default(defaultFormat))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a defect is at or above this severity (default: low)',
      ).choices([...SEVERITIES, 'never']),
    )
    .addOption(
      new Option('--min-confidence <level>', 'drop findings below this confidence').choices(CONFIDENCES),
    )
    .option(
      '--max-file-size <bytes>',
      `skip files larger than this (default ${DEFAULT_MAX_FILE_SIZE})`,
      positiveInt,
    )
    .option(
      '-v, --verbose',
      'text format: the full CWE name, pillar and fix under every finding (default: once per rule and file)',
    );
}

/**
 * How the text report looks: coloured only when it goes to a terminal (stdout, not --output),
 * as NO_COLOR and FORCE_COLOR say; every detail on every finding with --verbose.
 */
export function displaySettings(
  flags: Pick<ReportFlags, 'output' | 'verbose'>,
  io: CliIO,
): { color: boolean; verbose: boolean } {
  return {
    color: !flags.output && wantsColor(io.env, io.stdoutIsTTY),
    verbose: !!flags.verbose,
  };
}

/** The configuration file a run used, as the report names it: relative to where the user is. */
export function configFileLabel(path: string | undefined, cwd: string): string | undefined {
  if (!path) return undefined;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** "Configuration: .secreview.yml." for the stderr summary; says so when the defaults were used. */
export function configSentence(label: string | undefined): string {
  return label
    ? `Configuration: ${terminalSafe(label)}.`
    : 'Configuration: defaults (no .secreview.yml found).';
}

/** Rules after the config's enable/disable lists and severity overrides. */
export function selectRules(config: Config): Rule[] {
  const known = new Set(allRules().map((r) => r.id));
  for (const id of [
    ...(config.rules?.enable ?? []),
    ...(config.rules?.disable ?? []),
    ...Object.keys(config.rules?.severity ?? {}),
  ]) {
    if (!known.has(id)) throw new UsageError(`config names an unknown rule '${id}'; see \`secreview rules\``);
  }
  const enable = config.rules?.enable;
  const disable = new Set(config.rules?.disable ?? []);
  return allRules()
    .filter((r) => (!enable || enable.includes(r.id)) && !disable.has(r.id))
    .map((r) => {
      const severity = config.rules?.severity?.[r.id];
      const hygiene = config['hygiene-as-defects'] === true;
      return severity || hygiene
        ? { ...r, ...(severity ? { severity } : {}), ...(hygiene ? { hygieneAsDefects: true } : {}) }
        : r;
    });
}

/** What files a review reads and what it keeps: from the config, with the flags over it. */
export function reviewScope(
  config: Config,
  flags: Pick<ReportFlags, 'maxFileSize' | 'exclude' | 'minConfidence'>,
): {
  maxFileSize: number;
  include?: string[];
  exclude: string[];
  minConfidence?: Confidence;
  examplesAsProduction?: boolean;
} {
  return {
    maxFileSize: flags.maxFileSize ?? config['max-file-size'] ?? DEFAULT_MAX_FILE_SIZE,
    include: config.include,
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
    minConfidence: flags.minConfidence ?? config['min-confidence'],
    ...(config['examples-as-production'] ? { examplesAsProduction: true } : {}),
  };
}

/**
 * The config of a run (see resolveConfig): the project's settings that the trust model ignores are
 * warned about on stderr, and the warnings are also returned for the report's notes.
 */
export function loadRunConfig(explicit: string | undefined, io: CliIO, firstPath: string): LoadedConfig {
  const loaded = resolveConfig(explicit, io.cwd, firstPath, io.env);
  for (const w of loaded.warnings) io.stderr(`secreview: warning: ${w}\n`);
  return loaded;
}
