import { availableParallelism } from 'node:os';
import { terminalSafe, terminalSafeBlock } from '../core/escape.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CONFIDENCES, SEVERITIES, severityRank, type Confidence, type Severity } from '../core/index.js';
import { review } from '../engine/review.js';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/read.js';
import { FORMATS, REPORTERS, summaryLine, type Format } from '../reporters/index.js';
import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import { ConfigError, resolveConfig, type Config, type LoadedConfig } from '../config/load.js';
import { registerAuditCommand } from './audit.js';
import { registerBaseline } from './baseline.js';
import { registerDiff } from './diff.js';
import { explainCwe } from './explain.js';
import { taintOptions } from '../config/taint.js';
import { addFilterOptions, filterStage, reviewOutputSettings, type FilterFlags } from './filters.js';
import { registerPublish } from './publish.js';
import {
  addSuggestionOptions,
  limitStage,
  suggestionsFail,
  withSuggestionSettings,
  type SuggestionFlags,
} from './suggestions.js';
import { applyLlm, type LlmFlags } from './llm.js';
import { createProgress } from './progress.js';
import { formatStats, ReviewStats } from '../engine/stats.js';
import { UsageError, type CliIO } from './io.js';
import { toolVersion } from './version.js';
import { checkReportTarget, writeReportFile } from './output.js';
import { CACHE_DIR_ENV, resultCacheDir, type CacheFlags } from './cache-dir.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

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
}

interface ReviewFlags extends ReportFlags, LlmFlags, FilterFlags, SuggestionFlags, CacheFlags {
  jobs?: number;
  stats?: boolean;
  fileTimeoutMs?: number;
  fileMemoryMb?: number;
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
      return severity ? { ...r, severity } : r;
    });
}

/**
 * More worker threads than twice the CPUs only cost memory (each holds a parser and its rules)
 * and time: `--jobs` is capped there, with a note.
 */
function cappedJobs(jobs: number | undefined, io: CliIO): number | undefined {
  const cap = availableParallelism() * 2;
  if (jobs === undefined || jobs <= cap) return jobs;
  io.stderr(`secreview: note: --jobs ${jobs} is more than twice the ${cap / 2} CPUs; using ${cap}\n`);
  return cap;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

async function runReview(paths: string[], flags: ReviewFlags, io: CliIO): Promise<number> {
  const targets = paths.length ? paths : ['.'];
  if (flags.output) checkReportTarget(io.cwd, flags.output, targets);
  const { config, path: configPath, warnings } = loadRunConfig(flags.config, io, targets[0]);
  const failOn = flags.failOn ?? config['fail-on'] ?? 'low';
  const stats = new ReviewStats();
  const progress = createProgress(io, !!flags.quiet);
  const result = await review({
    paths: targets,
    cwd: io.cwd,
    rules: withSuggestionSettings(selectRules(config), config, flags),
    maxFileSize: flags.maxFileSize ?? config['max-file-size'] ?? DEFAULT_MAX_FILE_SIZE,
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
    include: config.include,
    minConfidence: flags.minConfidence ?? config['min-confidence'],
    jobs: cappedJobs(flags.jobs, io),
    fileTimeoutMs: flags.fileTimeoutMs,
    fileMemoryMb: flags.fileMemoryMb,
    cacheDir: resultCacheDir(flags, io),
    configKey: config,
    stats,
    onProgress: (done, total) => progress.update(done, total),
    taint: taintOptions(config),
  }).finally(() => progress.stop());
  if (flags.stats) io.stderr(formatStats(stats));
  if (result.missing.length) {
    for (const m of result.missing)
      io.stderr(`secreview: error: no such file or directory: ${terminalSafe(m)}\n`);
    return EXIT_ERROR;
  }
  // Filter stage: inline suppressions and the baseline mark findings as suppressed.
  const filtered = await filterStage(result.findings, result.directives, flags, config, configPath, io.cwd);
  result.findings = filtered.findings;
  const maxFileSize = flags.maxFileSize ?? config['max-file-size'] ?? DEFAULT_MAX_FILE_SIZE;
  const llm = await applyLlm(result, flags, config, io, maxFileSize);
  if (llm.dryRun !== undefined) {
    io.stdout(llm.dryRun);
    return EXIT_OK;
  }
  const limited = limitStage(llm.findings, config);
  const input = {
    findings: limited.findings,
    files: result.files,
    rules: result.rules,
    toolVersion: toolVersion(),
    notices: [...warnings, ...filtered.notices, ...llm.notices, ...limited.notices],
    reviewOutput: reviewOutputSettings(config, flags, failOn),
    ...(llm.llm ? { llm: llm.llm } : {}),
  };
  const text = REPORTERS[flags.format](input);
  if (flags.output) {
    await writeReportFile(io.cwd, flags.output, text);
  } else {
    io.stdout(text);
  }
  if (!flags.quiet) io.stderr(`secreview: ${summaryLine(input)}\n`);
  const threshold = failOn === 'never' ? Infinity : severityRank(failOn);
  const failing = result.findings.some(
    (f) => f.kind === 'defect' && !f.suppressed && severityRank(f.severity) >= threshold,
  );
  const toolErrors = result.files.filter((f) => f.reason === 'internal-error');
  for (const f of toolErrors)
    io.stderr(`secreview: error: ${terminalSafe(f.file)}: ${terminalSafe(f.detail ?? 'internal error')}\n`);
  if (toolErrors.length) return EXIT_ERROR;
  for (const n of llm.notices) io.stderr(`secreview: error: ${terminalSafe(n)}\n`);
  if (llm.failed) return EXIT_ERROR;
  return failing || suggestionsFail(limited.findings, flags) ? EXIT_FINDINGS : EXIT_OK;
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('secreview')
    .description('A security code reviewer: CWE-grounded findings with exact lines, evidence and fixes.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  addReportOptions(
    addSuggestionOptions(addFilterOptions(program.command('review', { isDefault: true }))),
    'text',
  )
    .description('review files and directories (default: the current directory)')
    .argument('[paths...]', 'files and directories to review')
    .option(
      '-c, --config <file>',
      'configuration file (default: the nearest .secreview.yml above the first path)',
    )
    .option('--exclude <glob...>', 'glob patterns to leave out of directory walks')
    .option(
      '--llm',
      'also ask an LLM at SECREVIEW_LLM_BASE_URL (model SECREVIEW_LLM_MODEL, key SECREVIEW_LLM_API_KEY); ' +
        'every claim is checked against the code',
    )
    .option('--llm-dry-run', 'print exactly what the LLM review would send, and send nothing')
    .option('-q, --quiet', 'do not print the summary line or the progress bar on stderr')
    .option('-j, --jobs <n>', 'worker threads (default: the number of CPUs)', positiveInt)
    .option(
      '--no-cache',
      "do not read or write the result cache (kept in the user's cache folder, $XDG_CACHE_HOME/secreview)",
    )
    .option(
      '--cache-dir <dir>',
      `keep the result cache in this folder instead (default: ${CACHE_DIR_ENV}, else the user's cache folder)`,
    )
    .option('--stats', 'print time per phase and per rule, and cache hits, on stderr')
    .addOption(
      new Option('--file-timeout-ms <ms>', 'per-file analysis budget').argParser(positiveInt).hideHelp(),
    )
    .addOption(new Option('--file-memory-mb <mb>', 'per-worker heap limit').argParser(positiveInt).hideHelp())
    .action(async (paths: string[], flags: ReviewFlags) => {
      setExit(await runReview(paths, flags, io));
    });

  program
    .command('explain')
    .description('explain a CWE: name, pillar path, description, mitigations and the rules that detect it')
    .argument('<cwe>', 'a CWE id such as CWE-78')
    .action((cwe: string) => {
      io.stdout(explainCwe(cwe));
      setExit(EXIT_OK);
    });

  program
    .command('rules')
    .description(
      'list the rules (security defects, then improvement suggestions) with their CWE, severity and confidence',
    )
    .action(() => {
      // Tab-separated: id, kind (defect or suggestion), CWE, severity, confidence, title.
      const rules = allRules();
      for (const r of [
        ...rules.filter((x) => x.kind !== 'suggestion'),
        ...rules.filter((x) => x.kind === 'suggestion'),
      ]) {
        io.stdout(
          `${r.id}\t${r.kind ?? 'defect'}\tCWE-${r.cwe}\t${r.severity}\t${r.confidence}\t${r.title}\n`,
        );
      }
      setExit(EXIT_OK);
    });
  registerAuditCommand(program, io, setExit);
  registerDiff(program, io, setExit);
  registerBaseline(program, io, setExit);
  registerPublish(program, io, setExit);
  return program;
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
    );
}

/** Runs the CLI; returns the exit code. The only place that decides exit codes. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`secreview: error: ${terminalSafeBlock(e.message)}\n`);
      return EXIT_ERROR;
    }
    io.stderr(
      `secreview: internal error: ${terminalSafeBlock(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`,
    );
    return EXIT_ERROR;
  }
}
