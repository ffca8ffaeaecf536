import { confidenceRank, type Confidence, type FileReport, type Finding } from '../core/index.js';
import type { Language, ProjectFiles } from '../lang/language.js';
import { languageForPath, languageNames } from '../lang/registry.js';
import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import { compareFindings } from './analyze.js';
import { analyzeBatch, type SourceToAnalyze } from './schedule.js';
import { discover, displayPath, toPosix } from './discover.js';
import { readProjectFacts } from './manifests.js';
import { exampleFolder, forExampleCode } from './example-code.js';
import { DEFAULT_MAX_FILE_SIZE, readSourceSync } from './read.js';
import type { InlineDirective } from '../suppressions/inline.js';
import { topFolders } from './packages.js';
import { filesAtRevisionOrDisk } from './project-files.js';
import { ReviewStats } from './stats.js';
import type { TaintOptions } from '../dataflow/index.js';
import { isAbsolute, resolve } from 'node:path';

export interface ReviewOptions {
  paths: readonly string[];
  /** Directory that relative paths and report paths are based on. */
  cwd: string;
  rules?: readonly Rule[];
  maxFileSize?: number;
  exclude?: readonly string[];
  /** Globs a directory walk must match (config `include`). */
  include?: readonly string[];
  minConfidence?: Confidence;
  /** Report defects in example code at their full severity (see example-code.ts). */
  examplesAsProduction?: boolean;
  /** Worker threads (default: the machine's available parallelism). */
  jobs?: number;
  /** Per-file analysis budget in milliseconds; a file past it is skipped with reason `timeout`. */
  fileTimeoutMs?: number;
  /** Budget of the project-level dataflow pass in milliseconds (default: from the file budget). */
  projectPassTimeoutMs?: number;
  /** Heap limit per worker in MiB; a file needing more is skipped with reason `memory-limit`. */
  fileMemoryMb?: number;
  /** Memory budget of the project-level dataflow pass in MiB (see schedule.ts `maxMemoryMb`). */
  maxMemoryMb?: number;
  /** Result cache directory (see cache.ts); undefined: no cache. */
  cacheDir?: string;
  /** The configuration, or what of it changes results: part of the cache key. */
  configKey?: unknown;
  /** Filled with timings and counters (`--stats`). */
  stats?: ReviewStats;
  /** Benchmark floor: read and parse every file, run no rule (see bench/speed.ts). */
  parseOnly?: boolean;
  /** Called as files are done: for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /** Dataflow additions from the config's `taint:` section (see config/load.ts `taintOptions`). */
  taint?: TaintOptions;
  /**
   * Package marker files (a language's `packageMarkers`, relative to `cwd` or absolute) that are
   * not among the reviewed files: a diff review reviews the changed files only, yet their module
   * names depend on the packages around them (see lang/language.ts).
   */
  packageMarkers?: readonly string[];
  /**
   * The files of the tree at `cwd` when they are not those on disk (a diff review of a revision's
   * snapshot): a language's configuration of its imports is read from them (see lang/language.ts
   * `importResolver`).
   */
  projectFiles?: ProjectFiles;
}

export interface ReviewResult {
  findings: Finding[];
  files: FileReport[];
  /** Paths given that do not exist. */
  missing: string[];
  rules: readonly Rule[];
  /** Inline suppression comments of the reviewed files (see suppressions/inline.ts). */
  directives: InlineDirective[];
  /**
   * What the review gave up on as a whole, in words: a budget that ran out (the project pass's),
   * a cap on what a language reads. The report shows them with its notes.
   */
  notes: string[];
}

/** Reviews files and directories: discover → read → parse once → rules → findings. */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const rules = options.rules ?? allRules();
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const stats = options.stats ?? new ReviewStats();
  /** The notes of this review (a caller's statistics may hold an earlier one's). */
  const notesFrom = stats.notes.length;
  const {
    files: paths,
    explicit,
    missing,
    inTree,
  } = await stats.time('discover', () =>
    discover(options.paths, options.cwd, {
      exclude: options.exclude,
      include: options.include,
    }),
  );
  const findings: Finding[] = [];
  const files: FileReport[] = [];
  const directives: InlineDirective[] = [];
  const sources: SourceToAnalyze[] = [];
  /** Reported path → the example folder it lies in (see example-code.ts). */
  const examples = new Map<string, string>();
  /** Where each source's report goes in `files`, which keeps the discovery order. */
  const slots: number[] = [];
  // Module names from the packages among the discovered files (for a language whose packages nest,
  // from the top of the work tree; see packages.ts), by absolute path: the same whichever folder
  // the review starts from.
  const posixPaths = paths.map(toPosix);
  const cwd = toPosix(resolve(options.cwd));
  const roots = options.paths.map((p) => toPosix(resolve(options.cwd, p)));
  /** The work trees of the review's files (see packages.ts `topFolders`), found once. */
  let reviewTops: Set<string> | undefined;
  const packagesOf = new Map<Language, Set<string>>();
  const moduleName = (language: Language, abs: string): string => {
    let packages = packagesOf.get(language);
    if (!packages) {
      const markers = (options.packageMarkers ?? []).map((m) => toPosix(resolve(options.cwd, m)));
      packages = language.modules.packageDirs([...posixPaths, ...markers]);
      if (language.modules.nested) {
        // Every discovered file's: a file may be this language's by its first line only.
        for (const d of (reviewTops ??= topFolders(posixPaths, cwd, roots))) packages.add(d);
      }
      packagesOf.set(language, packages);
    }
    return language.modules.nameOf(toPosix(abs), packages);
  };
  // Non-relative imports of the project's own modules (path aliases, workspace packages), from the
  // configuration of the tree around each file: the outermost package folder holding it.
  const resolvers = new Map<string, (file: string, text: string) => Promise<Record<string, string>>>();
  const importsOf = async (
    language: Language,
    abs: string,
    text: string,
  ): Promise<Record<string, string> | undefined> => {
    const resolver = language.modules.importResolver;
    const packages = packagesOf.get(language);
    if (!resolver || !packages) return undefined;
    // A language whose packages nest reads the tree from its outermost package folder (its work
    // tree's top is one, see packages.ts); another from the top of the work tree holding the file.
    const tops = language.modules.nested ? packages : (reviewTops ??= topFolders(posixPaths, cwd, roots));
    const file = toPosix(abs);
    let top: string | undefined;
    for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1))
      if (tops.has(file.slice(0, i))) top = file.slice(0, i);
    if (top === undefined) return undefined;
    const key = `${language.id}\0${top}`;
    let resolveImports = resolvers.get(key);
    if (!resolveImports) {
      const files = filesAtRevisionOrDisk(top, toPosix(resolve(options.cwd)), options.projectFiles);
      resolvers.set(key, (resolveImports = resolver(files, (note) => stats.notes.push(note))));
    }
    const imports = await resolveImports(file.slice(top.length + 1), text);
    return Object.keys(imports).length ? imports : undefined;
  };
  const readStart = performance.now();
  const reads = paths.map((p) => readSourceSync(p, maxSize));
  for (const [i, abs] of paths.entries()) {
    const file = displayPath(options.cwd, abs);
    const read = reads[i];
    if (!read.ok) {
      files.push({ file, status: 'skipped', reason: read.reason, detail: read.detail });
      continue;
    }
    const language = languageForPath(abs, read.text.slice(0, 200).split('\n', 1)[0]);
    if (!language) {
      files.push({
        file,
        status: 'skipped',
        reason: 'unsupported-language',
        detail: explicit.has(abs) ? `not a ${languageNames()} file` : 'unsupported file type',
      });
      continue;
    }
    const generated = language.notSource?.(file, read.text);
    if (generated) {
      files.push({ file, status: 'skipped', reason: 'generated', detail: generated });
      continue;
    }
    slots.push(files.length);
    files.push({ file, status: 'skipped', reason: 'internal-error', detail: 'not analysed' });
    const example = options.examplesAsProduction
      ? undefined
      : exampleFolder(inTree.get(abs) ?? (isAbsolute(file) ? '' : file));
    if (example) examples.set(file, example);
    const module = moduleName(language, abs);
    const imports = await importsOf(language, abs, read.text);
    sources.push({ file, text: read.text, language: language.id, module, ...(imports ? { imports } : {}) });
  }
  stats.addPhase('read', performance.now() - readStart);
  const skippedEarly = files.length - sources.length;
  options.onProgress?.(skippedEarly, files.length);
  const project = await stats.time('read', () => readProjectFacts(options.paths, options.cwd));
  const outcomes = await analyzeBatch(sources, {
    rules,
    project,
    jobs: options.jobs,
    fileTimeoutMs: options.fileTimeoutMs,
    projectPassTimeoutMs: options.projectPassTimeoutMs,
    fileMemoryMb: options.fileMemoryMb,
    maxMemoryMb: options.maxMemoryMb,
    cacheDir: options.cacheDir,
    configKey: options.configKey,
    stats,
    onFileDone: (done) => options.onProgress?.(skippedEarly + done, files.length),
    taintOptions: options.taint,
    parseOnly: options.parseOnly,
  });
  outcomes.forEach((outcome, i) => {
    const file = sources[i].file;
    if (!outcome.ok) {
      files[slots[i]] = { file, status: 'skipped', reason: outcome.reason, detail: outcome.detail };
      return;
    }
    const result = outcome.analysis;
    const example = examples.get(file);
    findings.push(...(example ? result.findings.map((f) => forExampleCode(f, example)) : result.findings));
    directives.push(...result.directives);
    files[slots[i]] = {
      file,
      status: 'reviewed',
      lineCount: result.lineCount,
      ...(result.syntaxErrorLines.length ? { syntaxErrorLines: result.syntaxErrorLines } : {}),
      ...(result.ruleErrors.length || result.notes?.length
        ? {
            detail: [
              ...result.ruleErrors.map((e) => `rule ${e.ruleId} failed: ${e.message}`),
              ...(result.notes ?? []),
            ].join('; '),
          }
        : {}),
    };
  });
  const counters = stats.counters;
  counters.files += files.length;
  for (const f of files) {
    if (f.status === 'reviewed') {
      counters.reviewed++;
      counters.lines += f.lineCount ?? 0;
    } else counters.skipped++;
  }
  const min = options.minConfidence ? confidenceRank(options.minConfidence) : 0;
  return {
    findings: findings.filter((f) => confidenceRank(f.confidence) >= min).sort(compareFindings),
    files,
    missing,
    rules,
    directives,
    notes: [...new Set(stats.notes.slice(notesFrom))],
  };
}
