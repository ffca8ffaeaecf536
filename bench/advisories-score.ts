/**
 * Scoring of the real-vulnerability benchmark (bench/advisories.ts): whether a review of the
 * vulnerable commit reports the advisory's flaw, and whether the review of the fixed commit no
 * longer does. Pure: the runner gives it the findings of both reviews.
 */
import type { Advisory } from './advisories-manifest.js';

/** A defect of a JSON report, reduced to what matching needs. `file` is relative to the repository root. */
export interface Reported {
  ruleId: string;
  cwe: number;
  file: string;
  line: number;
  /** Where the finding's dataflow path goes, source to sink (files as for `file`). */
  flow?: readonly { file: string; line: number }[];
}

/**
 * CWEs that name the same flaw at different levels of detail: an advisory filed under one counts as
 * found by a finding of any CWE of its group (advisories and rules often pick neighbouring entries
 * of the CWE tree for the same bug). A CWE outside every group matches only itself.
 */
export const CWE_GROUPS: readonly { name: string; cwes: readonly number[] }[] = [
  { name: 'path traversal', cwes: [22, 23, 29, 36, 73] },
  { name: 'command injection', cwes: [77, 78, 88] },
  { name: 'code injection', cwes: [94, 95, 96, 1336] },
  { name: 'SQL injection', cwes: [89, 564] },
  { name: 'XSS', cwes: [79, 80, 83] },
  { name: 'deserialization', cwes: [502] },
  { name: 'ReDoS', cwes: [1333, 400, 730] },
  { name: 'SSRF', cwes: [918] },
  { name: 'open redirect', cwes: [601] },
  { name: 'XXE', cwes: [611, 776] },
  { name: 'information exposure', cwes: [200, 209, 215, 497, 532] },
  { name: 'weak hash', cwes: [327, 328, 759, 760, 916] },
  { name: 'weak randomness', cwes: [330, 331, 338] },
  { name: 'cookie flags', cwes: [614, 1004, 1275] },
  { name: 'TLS validation', cwes: [295, 297] },
  { name: 'hard-coded credentials', cwes: [259, 321, 798] },
];

/** The group's name, or `CWE-n` for a CWE outside every group. */
export function cweGroup(cwe: number): string {
  return CWE_GROUPS.find((g) => g.cwes.includes(cwe))?.name ?? `CWE-${cwe}`;
}

export function relatedCwe(a: number, b: number): boolean {
  return a === b || cweGroup(a) === cweGroup(b);
}

/** A finding up to this many lines before the advisory's first line or after its last still matches. */
export const LINE_SLACK = 2;

function inWindow(adv: Advisory, line: number): boolean {
  return line >= adv.lines[0] - LINE_SLACK && line <= adv.lines[1] + LINE_SLACK;
}

/** The findings at the vulnerable commit that report the advisory: its file, its lines, a related CWE. */
export function matchesAt(adv: Advisory, findings: readonly Reported[]): Reported[] {
  return findings.filter((f) => f.file === adv.file && inWindow(adv, f.line) && relatedCwe(f.cwe, adv.cwe));
}

/**
 * The findings of a related CWE reported elsewhere (at the sink the flaw leads to) whose dataflow
 * path goes through the advisory's lines: the flawed helper that builds the value, the weak check
 * it passes. Such a finding shows the reviewer the flaw as a step of its evidence.
 */
export function matchesThrough(adv: Advisory, findings: readonly Reported[]): Reported[] {
  return findings.filter(
    (f) =>
      relatedCwe(f.cwe, adv.cwe) &&
      !(f.file === adv.file && inWindow(adv, f.line)) &&
      (f.flow ?? []).some((s) => s.file === adv.file && inWindow(adv, s.line)),
  );
}

/** `yes`: a finding at the advisory's lines; `flow`: a finding elsewhere whose flow goes through them. */
export type Found = 'yes' | 'flow' | 'no' | 'not run';
export type Gone = 'yes' | 'no' | '—';

export interface Outcome {
  id: string;
  project: string;
  cwe: number;
  group: string;
  found: Found;
  gone: Gone;
  /** The rule of the matching finding at the vulnerable commit (the nearest to the first line). */
  rule?: string;
  line?: number;
  /** For a finding through the flow: the file of its sink (`line` is there). */
  at?: string;
  /** Defects in the advisory's file at the vulnerable commit besides the matching one. */
  others?: number;
  /** Why it was not run. */
  reason?: string;
}

function count(findings: readonly Reported[], file: string, rule: string): number {
  return findings.filter((f) => f.file === file && f.ruleId === rule).length;
}

/**
 * Scores one advisory. Found (`yes`): some defect at the vulnerable commit is in the advisory's file,
 * starts within LINE_SLACK lines of its range and has a related CWE. Found through its flow (`flow`),
 * when none is: a defect of a related CWE reported at another line has a step of its dataflow path in
 * that window (matchesThrough); its gone test is that no defect of the fixed commit is reported at
 * the lines or through them, and that the rule has fewer such findings there. Gone (asked only when
 * found at the lines): the fix
 * changes the file, so its lines cannot be compared one to one; the flaw counts as still there when
 * the fixed commit has (a) a defect of a related CWE in the file within the same line window, or
 * (b) at least as many findings of the matching rule in the file as the vulnerable commit had (a fix
 * that removes the flaw removes one of them, wherever the lines moved). Otherwise it is gone.
 */
export function scoreAdvisory(
  adv: Advisory,
  vulnerable: readonly Reported[],
  fixed: readonly Reported[],
): Outcome {
  const base = { id: adv.id, project: adv.project, cwe: adv.cwe, group: cweGroup(adv.cwe) };
  const inFile = vulnerable.filter((f) => f.file === adv.file);
  const matches = matchesAt(adv, vulnerable);
  if (!matches.length) return scoreThrough(adv, base, vulnerable, fixed, inFile.length);
  const best = [...matches].sort(
    (a, b) => Math.abs(a.line - adv.lines[0]) - Math.abs(b.line - adv.lines[0]) || a.line - b.line,
  )[0];
  const stillSameLines = matchesAt(adv, fixed).length > 0;
  const stillSameRule = count(fixed, adv.file, best.ruleId) >= count(vulnerable, adv.file, best.ruleId);
  return {
    ...base,
    found: 'yes',
    gone: stillSameLines || stillSameRule ? 'no' : 'yes',
    rule: best.ruleId,
    line: best.line,
    others: inFile.length - 1,
  };
}

function scoreThrough(
  adv: Advisory,
  base: Pick<Outcome, 'id' | 'project' | 'cwe' | 'group'>,
  vulnerable: readonly Reported[],
  fixed: readonly Reported[],
  others: number,
): Outcome {
  const through = matchesThrough(adv, vulnerable);
  if (!through.length) return { ...base, found: 'no', gone: '—', others };
  const best = [...through].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))[0];
  const rule = (f: Reported): boolean => f.ruleId === best.ruleId;
  const stillThere =
    matchesAt(adv, fixed).length > 0 ||
    matchesThrough(adv, fixed).filter(rule).length >= through.filter(rule).length;
  return {
    ...base,
    found: 'flow',
    gone: stillThere ? 'no' : 'yes',
    rule: best.ruleId,
    line: best.line,
    at: best.file,
    others,
  };
}

export function notRun(adv: Advisory, reason: string): Outcome {
  return {
    id: adv.id,
    project: adv.project,
    cwe: adv.cwe,
    group: cweGroup(adv.cwe),
    found: 'not run',
    gone: '—',
    reason,
  };
}

/** The defects of a secreview JSON report (any severity, not suppressed), paths as reported. */
export function defectsOf(report: unknown): Reported[] {
  const findings = (report as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) throw new Error('not a secreview JSON report: no findings array');
  const out: Reported[] = [];
  for (const f of findings as {
    kind: string;
    ruleId: string;
    cwe: { id: number } | number;
    location: { file: string; start: { line: number } };
    flow?: { location: { file: string; start: { line: number } } }[];
    suppressed?: unknown;
  }[]) {
    if (f.kind !== 'defect' || f.suppressed) continue;
    const cwe = typeof f.cwe === 'number' ? f.cwe : f.cwe.id;
    const found: Reported = { ruleId: f.ruleId, cwe, file: f.location.file, line: f.location.start.line };
    if (f.flow?.length)
      found.flow = f.flow.map((s) => ({ file: s.location.file, line: s.location.start.line }));
    out.push(found);
  }
  return out;
}

export interface Totals {
  advisories: number;
  run: number;
  /** Found at the advisory's lines or through them (see Found). */
  found: number;
  /** Of `found`, those found at the advisory's lines. */
  atLines: number;
  gone: number;
  /** Per CWE group, over the advisories run: found and total. */
  byGroup: { group: string; found: number; total: number }[];
  projects: number;
  cwes: number;
}

export function isFound(o: Outcome): boolean {
  return o.found === 'yes' || o.found === 'flow';
}

export function totals(outcomes: readonly Outcome[]): Totals {
  const run = outcomes.filter((o) => o.found !== 'not run');
  const groups = new Map<string, { found: number; total: number }>();
  for (const o of run) {
    const g = groups.get(o.group) ?? { found: 0, total: 0 };
    groups.set(o.group, g);
    g.total++;
    if (isFound(o)) g.found++;
  }
  return {
    advisories: outcomes.length,
    run: run.length,
    found: run.filter(isFound).length,
    atLines: run.filter((o) => o.found === 'yes').length,
    gone: run.filter((o) => o.gone === 'yes').length,
    byGroup: [...groups]
      .map(([group, g]) => ({ group, ...g }))
      .sort((a, b) => b.total - a.total || (a.group < b.group ? -1 : 1)),
    projects: new Set(run.map((o) => o.project)).size,
    cwes: new Set(run.map((o) => o.cwe)).size,
  };
}

function pct(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(1)}%` : '-';
}

const COLUMNS = ['id', 'project', 'CWE', 'found', 'gone', 'rule', 'others'] as const;

function cells(o: Outcome): string[] {
  return [
    o.id,
    o.project,
    String(o.cwe),
    o.found,
    o.gone,
    o.rule ? (o.at ? `${o.rule} (sink ${o.at}:${o.line})` : o.rule) : '-',
    o.others === undefined ? '-' : String(o.others),
  ];
}

/** The table (one row per advisory), the totals and why each advisory not run was not run. */
export function formatOutcomes(outcomes: readonly Outcome[]): string {
  const rows = [[...COLUMNS], ...outcomes.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const out = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const t = totals(outcomes);
  out.push(
    '',
    `advisories run ${t.run} of ${t.advisories} (${t.projects} projects, ${t.cwes} CWEs)`,
    `found ${t.found}/${t.run} (${pct(t.found, t.run)}); gone at the fix ${t.gone}/${t.found} of found (${pct(t.gone, t.found)})`,
    `  at the advisory's lines ${t.atLines}/${t.run} (${pct(t.atLines, t.run)}); through them, a step of the flow of a finding at its sink, ${t.found - t.atLines}`,
  );
  if (t.byGroup.length) {
    out.push('per CWE group (found/total):');
    const w = Math.max(...t.byGroup.map((g) => g.group.length));
    for (const g of t.byGroup) out.push(`  ${g.group.padEnd(w)}  ${g.found}/${g.total}`);
  }
  const skipped = outcomes.filter((o) => o.found === 'not run');
  if (skipped.length) {
    out.push('', `Not run (${skipped.length}):`);
    for (const o of skipped) out.push(`  ${o.id} ${o.project}: ${o.reason ?? ''}`);
  }
  return out.join('\n') + '\n';
}
