import type { ProjectFacts } from '../core/index.js';
import type { TaintOptions } from '../dataflow/index.js';
import type { Rule } from '../rules/rule.js';
import { collectDirectives } from '../suppressions/inline.js';
import { runRules, type FileAnalysis } from './analyze.js';
import { hashOf } from './cache.js';
import type { Claims } from './claims.js';
import { emptyTimings, type FileTimings } from './stats.js';
import { queryFromData, runProject, type FileProgress, type PassReads, type ProjectSource } from './taint.js';
import { PassProgress } from './pass-progress.js';
import { ProjectTexts } from './project-texts.js';
import { MIB, type MemoryGuard } from './memory-guard.js';
import { ResidentModules } from './resident.js';
import type { FileClock } from './watchdog.js';

/** What the project pass found in one file it read. */
export interface ProjectFileResult {
  /** Every rule's results for a file the pass reviews whole, else the dataflow rules' results. */
  analysis: FileAnalysis;
  whole: boolean;
  /**
   * Hash of the file's dataflow results (flows through other files included): the cache's
   * dependency key; '' when the review keeps no cache.
   */
  deps: string;
  timings: FileTimings;
}

/**
 * The project pass, and the rules of the files it read, run where their trees already are: no file
 * is parsed twice and no per-node results cross threads. The files in `whole` (those that may hold
 * an entry point, which the pass always reads) get every rule here; the other files it read get
 * their dataflow rules here and the rest from the pool. Pure: no I/O.
 */
/** What the pass found per file, and what keeping within its memory budget cost. Plain data. */
export interface ProjectReviewResult {
  files: Map<string, ProjectFileResult>;
  /** Modules whose trees and models were released, and those parsed again after a release. */
  memory: { released: number; reparsed: number };
  /**
   * What the pass read of the project's texts, when the review keeps a cache: a later review may
   * reuse this pass's results when its edits change nothing the pass read (see pass-reuse.ts).
   */
  reads?: PassReads;
}

export async function projectReview(
  sources: readonly ProjectSource[],
  rules: readonly Rule[],
  options: TaintOptions | undefined,
  whole: ReadonlySet<string>,
  /**
   * Watched by the thread that runs the pass (see watchdog.ts): started, with the file's index in
   * `sources`, while a file is parsed or its rules run.
   */
  clock?: FileClock,
  /**
   * Shared with the pool, by index in `sources`: a file the pass parses before the pool has started
   * it is claimed here and reviewed whole.
   */
  claims?: Claims,
  /** What the project's manifests declare (see core/project.ts). */
  facts?: ProjectFacts,
  /** Marked, by index in `sources`, as the files reviewed whole are parsed and reviewed. */
  progress?: PassProgress,
  /** The review keeps a cache: hash each file's dataflow results for it (see `deps`). */
  hashDeps = true,
  /**
   * Heap size (MiB) over which the pass releases the trees and models of the modules it read
   * least recently, parsing them again when it reads them next (see resident.ts); with it, each
   * file's tree and model are released once its rules have run. Undefined: all are kept.
   */
  evictAboveMb?: number,
  /** The sources as models read their neighbours (see project-texts.ts); default: from `sources`. */
  texts: ProjectTexts = ProjectTexts.of(sources),
  /** Stops the pass over its memory budget (see memory-guard.ts): checked at each module and file. */
  guard?: MemoryGuard,
): Promise<ProjectReviewResult> {
  const index = new Map(sources.map((s, i) => [s.file, i]));
  const claimed = (path: string): boolean => {
    const i = index.get(path);
    return claims !== undefined && i !== undefined && claims.heldByPass(i);
  };
  let parsing = -1;
  const watch: FileProgress = {
    begin: (path) => clock?.start(index.get(path) ?? -1),
    end: () => {
      clock?.stop();
      if (parsing >= 0 && (whole.has(sources[parsing].file) || claims?.heldByPass(parsing))) {
        progress?.mark(parsing, PassProgress.PARSED);
      }
      parsing = -1;
    },
    parsing: (path) => {
      const i = index.get(path);
      if (claims && i !== undefined) claims.takeForPass(i);
      parsing = i ?? -1;
    },
  };
  const resident = evictAboveMb === undefined ? undefined : new ResidentModules(evictAboveMb * MIB);
  const { project, unitOf, done, reads } = await runProject(sources, options, watch, resident, texts, guard);
  const taintRules = rules.filter((r) => r.taint !== undefined);
  const out = new Map<string, ProjectFileResult>();
  for (const path of project.loadedPaths()) {
    const unit = unitOf(path);
    if (!unit) continue;
    guard?.check();
    watch.begin(path);
    const data = project.fileData(path);
    const timings = emptyTimings();
    const isWhole = whole.has(path) || claimed(path);
    const query = queryFromData(data, unit.file, options);
    const { findings, ruleErrors, notes } = runRules(
      unit.file,
      unit.module,
      isWhole ? rules : taintRules,
      query,
      timings,
      facts,
    );
    const analysis: FileAnalysis = {
      findings,
      syntaxErrorLines: isWhole ? unit.file.syntaxErrorLines() : [],
      lineCount: unit.file.lineCount,
      ruleErrors,
      directives: isWhole ? collectDirectives(unit.file) : [],
      ...(notes.length ? { notes } : {}),
    };
    const neighbours = texts.consultedBy(path);
    if (neighbours) analysis.neighbours = neighbours;
    out.set(path, { analysis, whole: isWhole, deps: hashDeps ? hashOf(data) : '', timings });
    watch.end();
    done(path);
    if (isWhole) progress?.mark(index.get(path) ?? -1, PassProgress.REVIEWED);
  }
  return {
    files: out,
    memory: { released: resident?.evictions ?? 0, reparsed: resident?.reloads ?? 0 },
    ...(hashDeps ? { reads: reads() } : {}),
  };
}
