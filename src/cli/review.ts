import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { taintOptions } from '../config/taint.js';
import { review } from '../engine/review.js';
import { DEFAULT_MAX_MEMORY_MB } from '../engine/schedule.js';
import { formatStats, ReviewStats } from '../engine/stats.js';
import { REPORTERS, summaryLine } from '../reporters/index.js';
import { EXIT_OK, exitCodeOf, missingPathsExit } from './exit.js';
import { addFilterOptions, filterStage, reviewOutputSettings, type FilterFlags } from './filters.js';
import type { CliIO } from './io.js';
import { applyLlm, type LlmFlags } from './llm.js';
import {
  addReportOptions,
  configFileLabel,
  configSentence,
  displaySettings,
  loadRunConfig,
  positiveInt,
  reviewScope,
  selectRules,
  type ReportFlags,
} from './options.js';
import { checkReportTarget, writeReportFile } from './output.js';
import { CACHE_DIR_ENV, resultCacheDir, type CacheFlags } from './cache-dir.js';
import { createProgress } from './progress.js';
import {
  addSuggestionOptions,
  limitStage,
  suggestionsFail,
  withSuggestionSettings,
  type SuggestionFlags,
} from './suggestions.js';
import { toolVersion } from './version.js';

interface ReviewFlags extends ReportFlags, LlmFlags, FilterFlags, SuggestionFlags, CacheFlags {
  jobs?: number;
  stats?: boolean;
  fileTimeoutMs?: number;
  fileMemoryMb?: number;
  maxMemory?: number;
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

async function runReview(paths: string[], flags: ReviewFlags, io: CliIO): Promise<number> {
  const targets = paths.length ? paths : ['.'];
  if (flags.output) checkReportTarget(io.cwd, flags.output, targets);
  const { config, path: configPath, warnings } = loadRunConfig(flags.config, io, targets[0]);
  const failOn = flags.failOn ?? config['fail-on'] ?? 'low';
  const scope = reviewScope(config, flags);
  const stats = new ReviewStats();
  const progress = createProgress(io, !!flags.quiet);
  const result = await review({
    paths: targets,
    cwd: io.cwd,
    rules: withSuggestionSettings(selectRules(config), config, flags),
    ...scope,
    jobs: cappedJobs(flags.jobs, io),
    fileTimeoutMs: flags.fileTimeoutMs,
    fileMemoryMb: flags.fileMemoryMb,
    maxMemoryMb: flags.maxMemory,
    cacheDir: resultCacheDir(flags, io),
    configKey: config,
    stats,
    onProgress: (done, total) => progress.update(done, total),
    taint: taintOptions(config),
  }).finally(() => progress.stop());
  if (flags.stats) io.stderr(formatStats(stats));
  const missing = missingPathsExit(result.missing, io);
  if (missing !== undefined) return missing;
  // Filter stage: inline suppressions and the baseline mark findings as suppressed.
  const filtered = await filterStage(result.findings, result.directives, flags, config, configPath, io.cwd);
  result.findings = filtered.findings;
  const llm = await applyLlm(result, flags, config, io, scope.maxFileSize);
  if (llm.dryRun !== undefined) {
    io.stdout(llm.dryRun);
    return EXIT_OK;
  }
  const limited = limitStage(llm.findings, config, flags);
  const input = {
    findings: limited.findings,
    files: result.files,
    rules: result.rules,
    toolVersion: toolVersion(),
    notices: [...warnings, ...result.notes, ...filtered.notices, ...llm.notices, ...limited.notices],
    reviewOutput: reviewOutputSettings(config, flags, failOn),
    ...(llm.llm ? { llm: llm.llm } : {}),
    configFile: configFileLabel(configPath, io.cwd),
    display: displaySettings(flags, io),
  };
  const text = REPORTERS[flags.format](input);
  if (flags.output) {
    await writeReportFile(io.cwd, flags.output, text);
  } else {
    io.stdout(text);
  }
  if (!flags.quiet) io.stderr(`secreview: ${summaryLine(input)} ${configSentence(input.configFile)}\n`);
  // --fail-on is checked against the deterministic review's findings, not the LLM's.
  return exitCodeOf(
    {
      findings: result.findings,
      failOn,
      files: result.files,
      stageErrors: llm.notices,
      stageFailed: llm.failed,
      alsoFailing: suggestionsFail(limited.findings, flags),
    },
    io,
  );
}

/** `secreview review [PATHS]`, the default command. */
export function registerReview(program: Command, io: CliIO, setExit: (code: number) => void): void {
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
    .option('-j, --jobs <n>', 'worker threads (default: the number of CPUs; at most twice that)', positiveInt)
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
      new Option(
        '--max-memory <MiB>',
        `memory budget of the project-wide dataflow pass (default: ${DEFAULT_MAX_MEMORY_MB}); over half of it, the pass keeps fewer parsed files in memory`,
      ).argParser(positiveInt),
    )
    .addOption(
      new Option('--file-timeout-ms <ms>', 'per-file analysis budget').argParser(positiveInt).hideHelp(),
    )
    .addOption(new Option('--file-memory-mb <mb>', 'per-worker heap limit').argParser(positiveInt).hideHelp())
    .action(async (paths: string[], flags: ReviewFlags) => {
      setExit(await runReview(paths, flags, io));
    });
}
