import { queryFromData } from '../analysis/taint/index.js';
import type { TaintOptions } from '../analysis/taint/specs.js';
import type { Finding } from '../core/index.js';
import { runRules, type FileAnalysis } from './analyze.js';
import { hashOf } from './cache.js';
import { emptyTimings, type FileTimings } from './stats.js';
import type { Rule } from '../rules/rule.js';
import { runProject, type ProjectSource } from './taint.js';

/** What the project pass found in one file it read: the dataflow rules' results there. */
export interface ProjectFileResult {
  findings: Finding[];
  ruleErrors: FileAnalysis['ruleErrors'];
  /** Hash of the file's dataflow results (flows through other files included): the cache's dependency key. */
  deps: string;
  timings: FileTimings;
}

/**
 * The project pass and the dataflow rules of every file it read, run where the trees already are:
 * no file is parsed twice and no per-node results cross threads. Files the pass did not read get
 * their dataflow rules from their own rule run (file-local analysis). Pure: no I/O.
 */
export async function projectReview(
  sources: readonly ProjectSource[],
  rules: readonly Rule[],
  options?: TaintOptions,
): Promise<Map<string, ProjectFileResult>> {
  const { project, unitOf } = await runProject(sources, options);
  const taintRules = rules.filter((r) => r.taint !== undefined);
  const out = new Map<string, ProjectFileResult>();
  for (const path of project.loadedPaths()) {
    const unit = unitOf(path);
    if (!unit) continue;
    const data = project.fileData(path);
    const timings = emptyTimings();
    const query = queryFromData(data, unit.file, options);
    const { findings, ruleErrors } = runRules(unit.file, unit.module, taintRules, query, timings);
    out.set(path, { findings, ruleErrors, deps: hashOf(data), timings });
  }
  return out;
}
