import { confidenceRank, type Confidence, type FileReport, type Finding } from '../core/index.js';
import { languageForPath } from '../parsing/parser.js';
import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/rule.js';
import { analyzeSource, compareFindings } from './analyze.js';
import { discover, displayPath } from './discover.js';
import { DEFAULT_MAX_FILE_SIZE, errorText, readSource } from './read.js';
import type { InlineDirective } from '../suppressions/inline.js';

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
}

export interface ReviewResult {
  findings: Finding[];
  files: FileReport[];
  /** Paths given that do not exist. */
  missing: string[];
  rules: readonly Rule[];
  /** Inline suppression comments of the reviewed files (see suppressions/inline.ts). */
  directives: InlineDirective[];
}

/** Reviews files and directories: discover → read → parse once → rules → findings. */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const rules = options.rules ?? allRules();
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const {
    files: paths,
    explicit,
    missing,
  } = await discover(options.paths, options.cwd, {
    exclude: options.exclude,
    include: options.include,
  });
  const findings: Finding[] = [];
  const files: FileReport[] = [];
  const directives: InlineDirective[] = [];
  for (const abs of paths) {
    const file = displayPath(options.cwd, abs);
    const read = await readSource(abs, maxSize);
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
        detail: explicit.has(abs) ? 'not a Python file' : 'unsupported file type',
      });
      continue;
    }
    try {
      const result = await analyzeSource(file, read.text, language, rules);
      findings.push(...result.findings);
      directives.push(...result.directives);
      files.push({
        file,
        status: 'reviewed',
        lineCount: result.lineCount,
        ...(result.syntaxErrorLines.length ? { syntaxErrorLines: result.syntaxErrorLines } : {}),
        ...(result.ruleErrors.length
          ? { detail: result.ruleErrors.map((e) => `rule ${e.ruleId} failed: ${e.message}`).join('; ') }
          : {}),
      });
    } catch (e) {
      files.push({ file, status: 'skipped', reason: 'internal-error', detail: errorText(e) });
    }
  }
  const min = options.minConfidence ? confidenceRank(options.minConfidence) : 0;
  return {
    findings: findings.filter((f) => confidenceRank(f.confidence) >= min).sort(compareFindings),
    files,
    missing,
    rules,
    directives,
  };
}
