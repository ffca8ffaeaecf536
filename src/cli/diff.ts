import { lstat, readFile } from 'node:fs/promises';
import { FileReadError, readBoundedFile } from '../core/files.js';
import { terminalSafe } from '../core/escape.js';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { exitCodeOf } from './exit.js';
import { checkReportTarget, writeReportFile } from './output.js';
import type { Severity } from '../core/index.js';
import type { LoadedConfig } from '../config/load.js';
import { REPORTERS, summaryLine, type Format, type ReportInput } from '../reporters/index.js';
import { reviewChange, type BaseSource, type HeadSource } from '../review/change.js';
import { parseUnifiedDiff, type DiffFile } from '../review/diff.js';
import {
  diffText,
  listFiles,
  repositoryRoot,
  resolveRange,
  showFile,
  untrackedFiles,
  GitError,
} from '../review/git.js';
import { SCOPES, selectChangeFindings, type Scope } from '../review/select.js';
import { addFilterOptions, filterStage, reviewOutputSettings, type FilterFlags } from './filters.js';
import { UsageError, type CliIO } from './io.js';
import {
  addReportOptions,
  configFileLabel,
  configSentence,
  displaySettings,
  loadRunConfig,
  reviewScope,
  selectRules,
  type ReportFlags,
} from './options.js';
import {
  addSuggestionOptions,
  limitStage,
  suggestionsFail,
  withSuggestionSettings,
  type SuggestionFlags,
} from './suggestions.js';
import { toolVersion } from './version.js';

export interface DiffFlags extends ReportFlags, FilterFlags, SuggestionFlags {
  head?: string;
  staged?: boolean;
  patch?: string;
  scope?: Scope;
  showExisting?: boolean;
}

/** The options of a change review, shared by `diff` and `publish`. */
export function addChangeOptions(cmd: Command, defaultFormat: Format): Command {
  cmd
    .argument(
      '[base]',
      'commit, branch or range to compare with (default: the merge base with the upstream branch, else HEAD)',
    )
    .option('--head <rev>', 'review this commit instead of the working tree')
    .option('--staged', 'review what is staged for commit (the index) instead of the working tree')
    .option(
      '--patch <file>',
      "review a unified diff ('-' for stdin) against the files in the current directory",
    )
    .addOption(
      new Option(
        '--scope <scope>',
        'report findings touching added lines (default), diff lines, or anywhere in changed files',
      )
        .choices(SCOPES)
        .default(undefined, 'added'),
    )
    .option('--show-existing', 'also report findings that already existed at the base');
  addReportOptions(cmd, defaultFormat)
    .option('-c, --config <file>', 'configuration file (default: the nearest .secreview.yml)')
    .option('--exclude <glob...>', 'glob patterns of changed files to leave out')
    .option('-q, --quiet', 'do not print the summary line on stderr');
  return addSuggestionOptions(addFilterOptions(cmd));
}

export interface ChangeRun {
  input: ReportInput;
  failOn: Severity | 'never';
  loaded: LoadedConfig;
  failOnSuggestions?: boolean;
}

/** As large as the diffs git itself is asked for (see review/git.ts). */
const MAX_PATCH_BYTES = 256 * 1024 * 1024;

async function readPatch(patch: string, io: CliIO): Promise<string> {
  if (patch === '-') return io.stdin ? io.stdin() : readStream(process.stdin);
  try {
    return readBoundedFile(resolve(io.cwd, patch), { what: 'patch', maxBytes: MAX_PATCH_BYTES, name: patch });
  } catch (e) {
    throw e instanceof FileReadError ? new UsageError(e.message) : e;
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c);
    size += chunk.length;
    if (size > MAX_PATCH_BYTES)
      throw new UsageError(`the patch on stdin is over the ${MAX_PATCH_BYTES}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether text that yielded no file is a patch at all (an empty diff is one: nothing changed). */
function notAPatch(text: string): boolean {
  return text.trim() !== '' && !/^(diff --git |--- |\+\+\+ |@@ )/m.test(text);
}

interface Sources {
  root: string;
  diff: DiffFile[];
  head: HeadSource;
  base: BaseSource;
  baseLabel: string;
  headLabel: string;
  headCommit?: string;
}

const UNTRACKED_READ_LIMIT = 16 * 1024 * 1024;

/** Untracked, unignored files are new work: reviewed as added files. */
async function untrackedAsAdded(root: string): Promise<DiffFile[]> {
  const out: DiffFile[] = [];
  for (const file of await untrackedFiles(root)) {
    const abs = resolve(root, file);
    const info = await lstat(abs).catch(() => undefined);
    if (!info) continue;
    // Files the engine refuses anyway (links, oversized) are not read here.
    const small = info.isFile() && info.size <= UNTRACKED_READ_LIMIT;
    const text = small ? ((await readFile(abs).catch(() => undefined))?.toString('utf8') ?? '') : '';
    const n = text.split('\n').length - (text === '' || text.endsWith('\n') ? 1 : 0);
    out.push({
      file,
      status: 'added',
      added: Array.from({ length: n }, (_, i) => i + 1),
      context: [],
      hunks: [],
    });
  }
  return out;
}

async function changeSources(baseSpec: string | undefined, flags: DiffFlags, io: CliIO): Promise<Sources> {
  if (flags.patch !== undefined) {
    if (baseSpec !== undefined || flags.head !== undefined) {
      throw new UsageError('--patch reviews the diff it is given; it takes no BASE and no --head');
    }
    const text = await readPatch(flags.patch, io);
    const diff = parseUnifiedDiff(text);
    if (!diff.length && notAPatch(text)) {
      throw new UsageError(
        `${flags.patch === '-' ? 'stdin' : terminalSafe(flags.patch)} is not a unified diff (no 'diff --git', '---'/'+++' or '@@' lines)`,
      );
    }
    return {
      root: io.cwd,
      diff,
      head: { kind: 'directory', root: io.cwd },
      base: { kind: 'reverse-patch' },
      baseLabel: "the patch's old side",
      headLabel: 'the files in the current directory',
    };
  }
  const root = await repositoryRoot(io.cwd);
  if (flags.staged) {
    if (flags.head !== undefined || baseSpec?.includes('..')) {
      throw new UsageError('--staged compares the index with one BASE commit; it takes no --head or range');
    }
    const range = await resolveRange(root, baseSpec ?? 'HEAD', undefined);
    return {
      root,
      diff: parseUnifiedDiff(await diffText(root, range.base, undefined, true)),
      head: { kind: 'blobs', read: (p) => showFile(root, '', p), list: () => listFiles(root, '') },
      base: {
        kind: 'blobs',
        read: (p) => showFile(root, range.base, p),
        list: () => listFiles(root, range.base),
      },
      baseLabel: range.baseLabel,
      headLabel: 'the staged changes',
    };
  }
  const range = await resolveRange(root, baseSpec, flags.head);
  const diff = parseUnifiedDiff(await diffText(root, range.base, range.head));
  if (!range.head) {
    const tracked = new Set(diff.map((f) => f.file));
    diff.push(...(await untrackedAsAdded(root)).filter((f) => !tracked.has(f.file)));
  }
  const headCommit = range.head;
  return {
    root,
    diff,
    head: headCommit
      ? { kind: 'blobs', read: (p) => showFile(root, headCommit, p), list: () => listFiles(root, headCommit) }
      : { kind: 'directory', root },
    base: {
      kind: 'blobs',
      read: (p) => showFile(root, range.base, p),
      list: () => listFiles(root, range.base),
    },
    baseLabel: range.baseLabel,
    headLabel: range.headLabel,
    ...(headCommit ? { headCommit } : {}),
  };
}

/** Reviews a change: sources → whole-file analysis → filter stage → scope and new-vs-existing. */
export async function runChangeReview(
  baseSpec: string | undefined,
  flags: DiffFlags,
  io: CliIO,
): Promise<ChangeRun> {
  let sources: Sources;
  try {
    sources = await changeSources(baseSpec, flags, io);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.output) {
    checkReportTarget(
      io.cwd,
      flags.output,
      sources.diff.map((f) => resolve(sources.root, f.file)),
    );
  }
  const loaded = loadRunConfig(flags.config, io, flags.patch !== undefined ? io.cwd : sources.root);
  const { config } = loaded;
  const failOn = flags.failOn ?? config['fail-on'] ?? 'low';
  const scope = flags.scope ?? config.review?.scope ?? 'added';
  const showExisting = flags.showExisting ?? config.review?.['show-existing'] ?? false;
  const rules = withSuggestionSettings(selectRules(config), config, flags);
  const result = await reviewChange({
    diff: sources.diff,
    head: sources.head,
    base: sources.base,
    baseLabel: sources.baseLabel,
    headLabel: sources.headLabel,
    rules,
    ...reviewScope(config, flags),
    skipBase: showExisting,
  });
  const filtered = await filterStage(result.findings, result.directives, flags, config, loaded.path, io.cwd);
  const selection = selectChangeFindings(
    filtered.findings,
    result.baseFindings,
    result.change.files,
    scope,
    showExisting,
  );
  const limited = limitStage(selection.findings, config, flags);
  const notices = [...loaded.warnings, ...result.notices, ...filtered.notices, ...limited.notices];
  if (selection.existing > 0) {
    notices.push(
      `${selection.existing} finding(s) on changed lines already existed at the base and are not shown (--show-existing shows them).`,
    );
  }
  const input: ReportInput = {
    findings: limited.findings,
    files: result.files,
    rules,
    toolVersion: toolVersion(),
    notices,
    change: { ...result.change, ...(sources.headCommit ? { headCommit: sources.headCommit } : {}) },
    reviewOutput: reviewOutputSettings(config, flags, failOn),
    configFile: configFileLabel(loaded.path, io.cwd),
    display: displaySettings(flags, io),
  };
  return { input, failOn, loaded, failOnSuggestions: !!flags.failOnSuggestions };
}

/** Writes the report where asked; the review is never lost, whatever happens afterwards. */
export async function emitReport(text: string, flags: { output?: string }, io: CliIO): Promise<void> {
  if (flags.output) await writeReportFile(io.cwd, flags.output, text);
  else io.stdout(text);
}

/** The exit code of a change review (see exit.ts): its reported findings against --fail-on. */
export function changeExitCode(run: ChangeRun, io: CliIO): number {
  return exitCodeOf(
    {
      findings: run.input.findings,
      failOn: run.failOn,
      files: run.input.files,
      alsoFailing: suggestionsFail(run.input.findings, { failOnSuggestions: run.failOnSuggestions }),
    },
    io,
  );
}

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program
    .command('diff')
    .description(
      'review a change: the findings on the lines it adds or changes. BASE is a commit, branch or range ' +
        '(A..B, A...B for the merge base); without it, the merge base of HEAD and its upstream branch, or ' +
        'HEAD when there is no upstream (uncommitted work). The new side is the working tree (with untracked ' +
        'files) unless --staged, --head or a range names another.',
    );
  addChangeOptions(cmd, 'text').action(async (base: string | undefined, flags: DiffFlags) => {
    const run = await runChangeReview(base, flags, io);
    await emitReport(REPORTERS[flags.format](run.input), flags, io);
    if (!flags.quiet)
      io.stderr(`secreview: ${summaryLine(run.input)} ${configSentence(run.input.configFile)}\n`);
    setExit(changeExitCode(run, io));
  });
}
