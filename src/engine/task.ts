import type { ProjectFacts, Severity } from '../core/index.js';
import type { LanguageId } from '../lang/language.js';
import { languageById } from '../lang/registry.js';
import { lineCountOf } from '../parsing/parser.js';
import { findRule } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import { analyzeSource, type FileAnalysis } from './analyze.js';
import type { ProjectTexts } from './project-texts.js';
import { emptyTimings, type FileTimings } from './stats.js';
import type { FileTaintInput } from './taint.js';
import { FileClock } from './watchdog.js';

/**
 * A registry rule as the review selected it: worker threads cannot receive functions, so a rule
 * crosses threads as its id plus the settings the configuration may change.
 */
export interface RuleSpec {
  id: string;
  severity: Severity;
  limit?: number;
  /** `hygiene-as-defects` from the configuration. */
  hygieneAsDefects?: boolean;
}

/** One file to analyse. Plain data: it is cloned into a worker thread. */
export interface FileTask {
  /** Path relative to the review root, as reported. */
  path: string;
  text: string;
  language: LanguageId;
  rules: readonly RuleSpec[];
  /**
   * The buffer of a FileClock shared with the main thread's watchdog: started when the worker takes
   * the task, so the per-file time budget counts only the analysis, not the wait in the queue.
   */
  started?: SharedArrayBuffer;
  /** Benchmark floor: parse the file and nothing else. */
  parseOnly?: boolean;
  /** Config additions to the dataflow (see engine/taint.ts). */
  taint?: FileTaintInput;
  /** Module name from the file's package chain (see lang/language.ts `ModuleSystem`). */
  module?: string;
  /** Its non-relative specifiers naming modules of the project (see lang/language.ts `importResolver`). */
  imports?: Readonly<Record<string, string>>;
  /** What the project's manifests declare (see core/project.ts). */
  project?: ProjectFacts;
}

export interface TaskResult {
  analysis: FileAnalysis;
  timings: FileTimings;
}

/**
 * The specs of `rules` when every one is a registry rule changed at most in severity, limit and how
 * it reports hygiene, else
 * undefined (rules given through the API may be any objects, and must then run in-process).
 */
export function ruleSpecs(rules: readonly Rule[]): RuleSpec[] | undefined {
  const specs: RuleSpec[] = [];
  for (const rule of rules) {
    const known = findRule(rule.id);
    if (!known || known.check !== rule.check) return undefined;
    specs.push({
      id: rule.id,
      severity: rule.severity,
      ...(rule.limit !== known.limit && rule.limit !== undefined ? { limit: rule.limit } : {}),
      ...(rule.hygieneAsDefects ? { hygieneAsDefects: true } : {}),
    });
  }
  return specs;
}

const resolved = new Map<string, Rule[]>();

/** The rules of the specs, memoised per thread (a review sends the same list with every file). */
export function rulesOf(specs: readonly RuleSpec[]): Rule[] {
  const key = JSON.stringify(specs);
  let rules = resolved.get(key);
  if (!rules) {
    rules = specs.map((s) => {
      const rule = findRule(s.id);
      if (!rule) throw new Error(`unknown rule ${s.id}`);
      if (rule.severity === s.severity && s.limit === undefined && !s.hygieneAsDefects) return rule;
      return {
        ...rule,
        severity: s.severity,
        ...(s.limit !== undefined ? { limit: s.limit } : {}),
        ...(s.hygieneAsDefects ? { hygieneAsDefects: true } : {}),
      };
    });
    resolved.set(key, rules);
  }
  return rules;
}

/** Runs one task: the body of a worker thread, also used in-process. */
export async function runTask(
  task: FileTask,
  rules: readonly Rule[] = rulesOf(task.rules),
  /** The review's sources (see project-texts.ts). */
  texts?: ProjectTexts,
): Promise<TaskResult> {
  if (task.started) new FileClock(task.started).start();
  const timings = emptyTimings();
  if (task.parseOnly) return { analysis: await parseOnly(task, timings), timings };
  const analysis = await analyzeSource(
    task.path,
    task.text,
    task.language,
    rules,
    timings,
    task.taint,
    task.module,
    task.project,
    task.imports,
    texts,
  );
  return { analysis, timings };
}

/**
 * The floor of the speed benchmark: tree-sitter's parse and nothing else (not even the copy of the
 * tree that every analysis starts with, see parsing/tree.ts).
 */
async function parseOnly(task: FileTask, timings: FileTimings): Promise<FileAnalysis> {
  const start = performance.now();
  const { grammar } = languageById(task.language);
  await grammar.load();
  grammar.parseOnly(task.text);
  timings.parse += performance.now() - start;
  return {
    findings: [],
    syntaxErrorLines: [],
    lineCount: lineCountOf(task.text),
    ruleErrors: [],
    directives: [],
  };
}
