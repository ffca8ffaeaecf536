import {
  CONFIDENCES,
  fingerprint,
  NO_PROJECT_FACTS,
  type Finding,
  type ProjectFacts,
} from '../core/index.js';
import type { TaintQuery } from '../dataflow/index.js';
import type { LanguageId, SemanticModel } from '../lang/language.js';
import { languageById, parseSource } from '../lang/registry.js';
import type { SourceFile } from '../parsing/parser.js';
import {
  findingKind,
  MATCHED_AS_WRITTEN,
  provenFlowReason,
  type ReportDescriptor,
  type Rule,
} from '../rules/rule.js';
import { collectDirectives, type InlineDirective } from '../suppressions/inline.js';
import { RulePrefilter } from './prefilter.js';
import type { ProjectTexts } from './project-texts.js';
import type { FileTimings } from './stats.js';
import { lazyTaintQuery, runTaintSpec, type FileTaintInput } from './taint.js';
import { forAdministrators, forModelChoices } from '../rules/privilege.js';
import { lowSeverityFor } from './example-code.js';

export interface FileAnalysis {
  findings: Finding[];
  syntaxErrorLines: number[];
  lineCount: number;
  /** Rules that threw on this file: the others still ran. */
  ruleErrors: { ruleId: string; message: string }[];
  /** `secreview: ignore[...]` comments, applied later by the filter stage. */
  directives: InlineDirective[];
  /** What the report must say about how complete the review of this file is. */
  notes?: string[];
  /**
   * The modules of the review whose texts the file's model read (see project-texts.ts; `*`: every
   * one): its results hold only while they are the same.
   */
  neighbours?: string[];
}

/**
 * Said of a file whose dataflow ran out of budget (a module padded with thousands of statements
 * can do that on purpose): findings that need a flow may be missing, so the report says so rather
 * than stay silent; the rules' structural checks still ran on the whole file.
 */
export const DATAFLOW_BUDGET_NOTE =
  'the data-flow analysis ran out of its budget in this file; findings that need a traced flow ' +
  '(command, code and path injection from a request) may be missing, structural checks ran on all of it';

/** How many entry points a budget note names before it counts the rest. */
const UNFOLLOWED_NAMED = 5;

/** The budget note, naming the entry points whose flows were not followed to the end. */
export function budgetNote(unfollowed: readonly string[] | undefined): string {
  if (!unfollowed?.length) return DATAFLOW_BUDGET_NOTE;
  const named = unfollowed.slice(0, UNFOLLOWED_NAMED).join(', ');
  const more = unfollowed.length - UNFOLLOWED_NAMED;
  return `${DATAFLOW_BUDGET_NOTE}; entry points not followed to the end: ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Parses one file once and runs every applicable rule on the same tree. Pure: no I/O. */
export async function analyzeSource(
  path: string,
  text: string,
  language: LanguageId,
  rules: readonly Rule[],
  /** Filled with the time spent per stage and rule, when given (`--stats`). */
  timings?: FileTimings,
  /** Config additions to the dataflow, which is analysed in this file alone. */
  taint?: FileTaintInput,
  /** Module name from the file's package chain (see lang/language.ts `ModuleSystem`); default: from the path. */
  moduleName?: string,
  /** What the project's manifests declare (see core/project.ts). */
  project: ProjectFacts = NO_PROJECT_FACTS,
  /** Its non-relative specifiers naming modules of the project (see lang/language.ts `importResolver`). */
  imports?: Readonly<Record<string, string>>,
  /** The review's sources, for a model that reads its neighbours (see project-texts.ts). */
  texts?: ProjectTexts,
): Promise<FileAnalysis> {
  const t0 = performance.now();
  const file = await parseSource(path, text, language);
  const t1 = performance.now();
  const module = languageById(language).bind(file, moduleName, imports, texts?.forFile(path, language));
  const t2 = performance.now();
  const { findings, ruleErrors, inRules, notes } = runRules(
    file,
    module,
    rules,
    lazyTaintQuery(file, module, taint),
    timings,
    project,
  );
  const result: FileAnalysis = {
    findings,
    syntaxErrorLines: file.syntaxErrorLines(),
    lineCount: file.lineCount,
    ruleErrors,
    directives: collectDirectives(file),
    ...(notes.length ? { notes } : {}),
  };
  const neighbours = texts?.consultedBy(path);
  if (neighbours) result.neighbours = neighbours;
  if (timings) {
    timings.parse += t1 - t0;
    timings.scope += t2 - t1;
    timings.other += performance.now() - t2 - inRules;
  }
  return result;
}

/** Runs the applicable rules on a parsed file: findings sorted, one per rule and location. */
export function runRules(
  file: SourceFile,
  module: SemanticModel,
  rules: readonly Rule[],
  taint: TaintQuery,
  timings?: FileTimings,
  project: ProjectFacts = NO_PROJECT_FACTS,
): { findings: Finding[]; ruleErrors: FileAnalysis['ruleErrors']; inRules: number; notes: string[] } {
  const { path, text, language } = file;
  let inRules = 0;
  const findings: Finding[] = [];
  const ruleErrors: FileAnalysis['ruleErrors'] = [];
  const prefilter = RulePrefilter.of(rules);
  const applies = prefilter.applicable(language, text);
  const pack = languageById(language);
  // A call of a project wrapper reaches the calls it hands values on to: their names count too.
  const forwarded = taint.forwardedCallees
    ? prefilter.applicable(language, taint.forwardedCallees)
    : undefined;
  for (const [i, rule] of rules.entries()) {
    if (!applies[i] && !(rule.taint && forwarded?.[i])) continue;
    const report = (reported: ReportDescriptor): void => {
      const severe = (reported.severity ?? rule.severity) !== 'low';
      const admin =
        reported.sources && severe ? forAdministrators(reported, reported.sources, taint.options) : reported;
      const d = reported.sources ? forModelChoices(admin, reported.sources, rule.confidence) : admin;
      const location = file.location(d.node, d.endNode);
      const snippet = file.snippet(d.node);
      const context = module.contextOf(d.node);
      const finding: Finding = {
        kind: findingKind(rule, d),
        ruleId: rule.id,
        cwe: d.cwe ?? rule.cwe,
        severity: d.severity ?? rule.severity,
        confidence: d.confidence ?? rule.confidence,
        confidenceReason:
          d.confidenceReason ??
          (d.flow?.length ? provenFlowReason(d.flow) : (rule.confidenceReason ?? MATCHED_AS_WRITTEN)),
        location,
        message: d.message,
        fix: d.fix ?? rule.fix,
        snippet,
        context,
        fingerprint: fingerprint(rule.id, path, snippet, context),
        ...(d.flow ? { flow: d.flow } : {}),
        ...(d.lines ? { lines: d.lines } : {}),
      };
      const assumed =
        finding.kind === 'defect'
          ? (module.assumedModules?.(location.start.line - 1, location.end.line - 1) ?? [])
          : [];
      const read = assumed.length ? withAssumedModules(finding, assumed) : finding;
      // A defect in code that declares itself not for production (see `Language.notForProduction`).
      const declared =
        read.kind === 'defect' && read.severity !== 'low' ? pack.notForProduction?.(d.node) : undefined;
      findings.push(
        declared ? lowSeverityFor(read, `the ${declared} declares itself not for production use`) : read,
      );
    };
    const start = performance.now();
    try {
      const context = { file, module, taint, report, limit: rule.limit, project };
      rule.check?.(context);
      runTaintSpec(rule, context);
    } catch (e) {
      ruleErrors.push({ ruleId: rule.id, message: e instanceof Error ? e.message : String(e) });
    }
    if (timings) {
      const spent = performance.now() - start;
      timings.rules[rule.id] = (timings.rules[rule.id] ?? 0) + spent;
      inRules += spent;
    }
  }
  const notes = taint.incomplete ? [budgetNote(taint.unfollowed)] : [];
  return { findings: dedupe(findings).sort(compareFindings), ruleErrors, inRules, notes };
}

/**
 * A finding that rests on names the file never imports, read as the well-known modules they name (a
 * snippet or a diff hunk): one step less confident, and the reason says which names were assumed.
 */
function withAssumedModules(finding: Finding, names: string[]): Finding {
  const list = names.map((n) => `\`${n}\``).join(', ');
  const confidence =
    CONFIDENCES[Math.min(CONFIDENCES.indexOf(finding.confidence) + 1, CONFIDENCES.length - 1)];
  return {
    ...finding,
    confidence,
    confidenceReason: `${finding.confidenceReason}; ${list} ${names.length > 1 ? 'are not imported in this file and were read as the well-known modules' : 'is not imported in this file and was read as the well-known module'} of that name`,
  };
}

/** One report per rule and location: a rule that reaches the same node twice says it once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}:${f.location.start.line}:${f.location.start.column}:${f.cwe}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.start.line - b.location.start.line ||
    a.location.start.column - b.location.start.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
