/**
 * Scoring of the triage corpus (see bench/triage.ts): hand verdicts on findings, matched to a
 * review's findings by file, line and rule; precision per rule and per project.
 */
import { severityRank, type Finding, type Severity } from '../src/core/index.js';

export const VERDICTS = ['TP', 'FP', 'debatable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictLine {
  file: string;
  line: number;
  rule: string;
  verdict: Verdict;
  reason: string;
}

export const VERDICT_HEADER = 'file,line,rule,verdict,reason';

/**
 * Reads a verdict file: a header, then `file,line,rule,verdict,reason` per line, where the reason is
 * the rest of the line (it may hold commas). Throws with the line number on a malformed line, and
 * on a second verdict for the same finding.
 */
export function parseVerdicts(text: string, name = 'verdicts'): VerdictLine[] {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== VERDICT_HEADER) throw new Error(`${name}:1: the first line must be "${VERDICT_HEADER}"`);
  const out: VerdictLine[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = `${name}:${i + 2}`;
    const m = /^([^,]+),(\d+),([a-z0-9]+\/[a-z0-9-]+),(TP|FP|debatable),(.+)$/.exec(raw);
    if (!m) throw new Error(`${where}: expected file,line,rule,TP|FP|debatable,reason`);
    const [, file, line, rule, verdict, reason] = m as unknown as [
      string,
      string,
      string,
      string,
      Verdict,
      string,
    ];
    const key = keyOf(file, Number(line), rule);
    if (seen.has(key)) throw new Error(`${where}: a second verdict for ${file}:${line} ${rule}`);
    seen.add(key);
    out.push({ file, line: Number(line), rule, verdict, reason: reason.trim() });
  });
  return out;
}

export function keyOf(file: string, line: number, rule: string): string {
  return `${file}\0${line}\0${rule}`;
}

/** What the precision target counts: defects of medium or higher severity outside tests. */
export function counted(
  findings: readonly Finding[],
  isTestFile: (path: string) => boolean,
  minSeverity: Severity = 'medium',
): Finding[] {
  const min = severityRank(minSeverity);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.kind !== 'defect' || f.suppressed || severityRank(f.severity) < min) continue;
    if (isTestFile(f.location.file)) continue;
    const key = keyOf(f.location.file, f.location.start.line, f.ruleId);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

export interface Tally {
  TP: number;
  FP: number;
  debatable: number;
  untriaged: number;
}

export interface ProjectScore {
  project: string;
  total: Tally;
  byRule: Map<string, Tally>;
  /** Findings without a verdict: triage them. */
  untriaged: Finding[];
  /** True positives with a verdict that the review no longer reports. */
  lostTruePositives: VerdictLine[];
  /** False positives with a verdict that the review still reports: the work left. */
  falsePositives: VerdictLine[];
  /** Added after the rules were tuned on the others: its precision is measured apart. */
  holdout?: boolean;
}

export function emptyTally(): Tally {
  return { TP: 0, FP: 0, debatable: 0, untriaged: 0 };
}

export function addTally(into: Tally, from: Tally): void {
  into.TP += from.TP;
  into.FP += from.FP;
  into.debatable += from.debatable;
  into.untriaged += from.untriaged;
}

/** TP / (TP + FP), or undefined when nothing was judged either way. */
export function precision(t: Tally): number | undefined {
  return t.TP + t.FP ? t.TP / (t.TP + t.FP) : undefined;
}

/** Scores one project's counted findings against its verdicts. */
export function scoreProject(
  project: string,
  findings: readonly Finding[],
  verdicts: readonly VerdictLine[],
  holdout = false,
): ProjectScore {
  const byKey = new Map(verdicts.map((v) => [keyOf(v.file, v.line, v.rule), v]));
  const reported = new Set<string>();
  const falsePositives: VerdictLine[] = [];
  const total = emptyTally();
  const byRule = new Map<string, Tally>();
  const untriaged: Finding[] = [];
  for (const f of findings) {
    const key = keyOf(f.location.file, f.location.start.line, f.ruleId);
    reported.add(key);
    const tally = byRule.get(f.ruleId) ?? emptyTally();
    byRule.set(f.ruleId, tally);
    const v = byKey.get(key);
    if (v) {
      tally[v.verdict]++;
      total[v.verdict]++;
      if (v.verdict === 'FP') falsePositives.push(v);
    } else {
      tally.untriaged++;
      total.untriaged++;
      untriaged.push(f);
    }
  }
  const lostTruePositives = verdicts.filter(
    (v) => v.verdict === 'TP' && !reported.has(keyOf(v.file, v.line, v.rule)),
  );
  return {
    project,
    total,
    byRule,
    untriaged,
    lostTruePositives,
    falsePositives,
    ...(holdout ? { holdout } : {}),
  };
}

function fmt(p: number | undefined): string {
  return p === undefined ? '    -' : p.toFixed(2).padStart(5);
}

function row(name: string, t: Tally, width: number): string {
  const cells = [t.TP, t.FP, t.debatable, t.untriaged].map((n) => String(n).padStart(5));
  return `${name.padEnd(width)} ${cells.join(' ')} ${fmt(precision(t))}`;
}

/**
 * The report: per project, per rule (over all projects), overall, then what needs attention, and
 * with `showFalsePositives` the false positives still reported, with their verdicts' reasons.
 */
export function formatScores(
  scores: readonly ProjectScore[],
  { showFalsePositives = false }: { showFalsePositives?: boolean } = {},
): string {
  const rules = new Map<string, Tally>();
  const overall = emptyTally();
  for (const s of scores) {
    addTally(overall, s.total);
    for (const [rule, t] of s.byRule) {
      const into = rules.get(rule) ?? emptyTally();
      rules.set(rule, into);
      addTally(into, t);
    }
  }
  const width = Math.max(28, ...[...rules.keys(), ...scores.map((s) => s.project)].map((n) => n.length));
  const header = `${''.padEnd(width)} ${['TP', 'FP', 'deb', 'new'].map((h) => h.padStart(5)).join(' ')}  prec`;
  const out = ['Per project', header, ...scores.map((s) => row(s.project, s.total, width)), ''];
  out.push('Per rule', header);
  const sorted = [...rules].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
  for (const [rule, t] of sorted) out.push(row(rule, t, width));
  out.push('', row('overall', overall, width));
  const p = precision(overall);
  out.push(
    `precision ${p === undefined ? '-' : p.toFixed(3)} (TP / (TP + FP) of medium-or-higher defects outside tests)`,
  );
  // Projects added after the rules were tuned on the others: the honest estimate on unseen code.
  if (scores.some((s) => s.holdout)) {
    for (const [name, holdout] of [
      ['tuned projects', false],
      ['held-out projects', true],
    ] as const) {
      const t = emptyTally();
      for (const s of scores) if (!!s.holdout === holdout) addTally(t, s.total);
      out.push(row(name, t, width));
    }
  }
  const untriaged = scores.flatMap((s) => s.untriaged.map((f) => ({ project: s.project, f })));
  if (untriaged.length) {
    out.push('', `Not yet triaged (${untriaged.length}):`);
    for (const { project, f } of untriaged) {
      out.push(`  ${project} ${f.location.file}:${f.location.start.line} ${f.ruleId}: ${f.message}`);
    }
  }
  const lost = scores.flatMap((s) => s.lostTruePositives.map((v) => ({ project: s.project, v })));
  if (lost.length) {
    out.push('', `True positives no longer reported (${lost.length}):`);
    for (const { project, v } of lost) out.push(`  ${project} ${v.file}:${v.line} ${v.rule}: ${v.reason}`);
  }
  const fps = showFalsePositives
    ? scores.flatMap((s) => s.falsePositives.map((v) => ({ project: s.project, v })))
    : [];
  if (fps.length) {
    out.push('', `False positives still reported (${fps.length}):`);
    for (const { project, v } of fps) out.push(`  ${project} ${v.file}:${v.line} ${v.rule}: ${v.reason}`);
  }
  return out.join('\n') + '\n';
}

function total(t: Tally): number {
  return t.TP + t.FP + t.debatable + t.untriaged;
}
