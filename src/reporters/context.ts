import type { ChangeInfo, FileReport, Finding, FlowStep, SkipReason } from '../core/index.js';
import { getPillar, getWeakness } from '../cwe/catalog.js';
import { languageOfRule } from '../lang/registry.js';
import type { LlmReport } from '../llm/types.js';
import type { RuleMeta } from '../rules/rule.js';
import type { ReviewOutputSettings } from './review-common.js';

/** Everything a reporter needs; reporters are pure functions of it. */
export interface ReportInput {
  findings: readonly Finding[];
  files: readonly FileReport[];
  rules: readonly RuleMeta[];
  toolVersion: string;
  /** Notes for the reader that are not findings (e.g. "the LLM endpoint failed"). */
  notices?: readonly string[];
  /** What the optional LLM layer added: observations, rejections, what it did not see. */
  llm?: LlmReport;
  /** The change under review (`secreview diff`): which lines review comments may go on. */
  change?: ChangeInfo;
  /** Settings of the review-system outputs (github, gerrit, gitlab). */
  reviewOutput?: ReviewOutputSettings;
  /** The configuration file the review used, as the reader named it (relative to where they are). */
  configFile?: string;
  /** How the human-readable formats look: colour (text), detail on every finding (text). */
  display?: { color?: boolean; verbose?: boolean };
}

export interface CweLabel {
  id: number;
  name: string;
  pillar: { id: number; name: string } | undefined;
}

export function cweLabel(id: number): CweLabel {
  const w = getWeakness(id);
  const p = getPillar(id);
  return {
    id,
    name: w?.name ?? 'Unknown weakness',
    pillar: p ? { id: p.id, name: p.name } : undefined,
  };
}

/**
 * The CWE's common name when the catalog gives one in quotes ("OS Command Injection" for CWE-78),
 * else its name: what a reader scanning a list recognises.
 */
export function cweShortName(id: number): string {
  const name = cweLabel(id).name;
  return /\('([^']+)'\)$/.exec(name)?.[1] ?? name;
}

/** "CWE-78 Improper Neutralization ... [pillar CWE-707 Improper Neutralization]" */
export function cweHeading(id: number): string {
  const l = cweLabel(id);
  const pillar = l.pillar
    ? l.pillar.id === id
      ? ' [pillar]'
      : ` [pillar CWE-${l.pillar.id} ${l.pillar.name}]`
    : '';
  return `CWE-${id} ${l.name}${pillar}`;
}

/** Said instead of the verdict when nothing could be reviewed: silence is not a clean bill. */
export const NO_FILES_REVIEWED = 'No files were reviewed, so no verdict can be given.';

export const SKIP_REASONS: Record<SkipReason, string> = {
  binary: 'binary file',
  'not-utf8': 'not valid UTF-8',
  'too-large': 'file too large',
  unreadable: 'unreadable',
  'unsupported-language': 'unsupported language',
  generated: 'generated or minified code',
  timeout: 'time budget exceeded',
  'memory-limit': 'memory limit exceeded',
  'internal-error': 'internal error',
};

/** Aggregated suggestions list at most this many lines in prose; JSON and SARIF carry them all. */
export const MAX_LISTED_LINES = 10;

/**
 * For a reviewed file that was only partly reviewed: its syntax-error lines and the rules that
 * failed on it, in one phrase; undefined when the review of the file was complete.
 */
export function partialReviewNote(f: FileReport): string | undefined {
  if (f.status !== 'reviewed') return undefined;
  const lines = f.syntaxErrorLines ?? [];
  const notes = [
    ...(lines.length
      ? [
          `syntax errors at ${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')}; the rest of the file was reviewed`,
        ]
      : []),
    ...(f.detail ? [f.detail] : []),
  ];
  return notes.length ? notes.join('; ') : undefined;
}

export function lineRange(f: Finding): string {
  const { start, end } = f.location;
  if (f.lines && f.lines.length > MAX_LISTED_LINES) {
    const shown = f.lines.slice(0, MAX_LISTED_LINES).join(', ');
    return `lines ${shown} and ${f.lines.length - MAX_LISTED_LINES} more`;
  }
  if (f.lines?.length) return f.lines.length === 1 ? `line ${f.lines[0]}` : `lines ${f.lines.join(', ')}`;
  return end.line > start.line ? `lines ${start.line}-${end.line}` : `line ${start.line}`;
}

export function activeDefects(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.kind === 'defect' && !f.suppressed);
}

export function activeSuggestions(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.kind === 'suggestion' && !f.suppressed);
}

export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = m.get(f.location.file);
    if (list) list.push(f);
    else m.set(f.location.file, [f]);
  }
  return m;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function summaryLine(input: ReportInput): string {
  const reviewed = input.files.filter((f) => f.status === 'reviewed');
  const skipped = input.files.length - reviewed.length;
  const lines = reviewed.reduce((n, f) => n + (f.lineCount ?? 0), 0);
  const defects = activeDefects(input.findings);
  const bySeverity = ['critical', 'high', 'medium', 'low']
    .map((s) => [s, defects.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const suppressed = input.findings.filter((f) => f.suppressed).length;
  return (
    `Reviewed ${plural(reviewed.length, 'file')} (${plural(lines, 'line')}), skipped ${skipped}: ` +
    `${plural(defects.length, 'security defect')}${bySeverity.length ? ` (${bySeverity.join(', ')})` : ''}` +
    `${suppressed ? `, ${suppressed} suppressed` : ''}.`
  );
}

/**
 * Where a step of a finding's flow is, as the reports show it: `line 12` in the finding's file, or
 * `app/helpers.py:12` in another one (a source in a view, a sink inside a project wrapper).
 */
export function stepPlace(step: FlowStep, finding: Finding): string {
  const line = step.location.start.line;
  return step.location.file === finding.location.file ? `line ${line}` : `${step.location.file}:${line}`;
}

/**
 * A rule's example as a code block in its language, the two versions told apart by comments in its
 * syntax (`# instead of`, `// instead of`): SARIF help and docs/rules.md.
 */
export function exampleBlock(
  ruleId: string,
  example: { bad: string; good: string },
  labels: { bad: string; good: string } = { bad: 'instead of', good: 'write' },
): string[] {
  const language = languageOfRule(ruleId);
  const comment = language?.comments.line ?? '';
  return [
    `\`\`\`${language?.codeFence ?? ''}`,
    `${comment} ${labels.bad}`,
    example.bad,
    `${comment} ${labels.good}`,
    example.good,
    '```',
  ];
}
