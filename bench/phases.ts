/**
 * What the speed benchmarks (speed.ts, speed-js.ts) share: a review phase run in a child process of
 * its own, so that its wall time includes start-up and its CPU time and peak memory (maximum
 * resident set size, all threads) are its own.
 */
import { spawnSync } from 'node:child_process';
import { hashOf } from '../src/engine/cache.js';
import { review } from '../src/engine/review.js';
import { ReviewStats } from '../src/engine/stats.js';
import { usesTaint } from '../src/engine/taint.js';
import { allRules } from '../src/rules/registry.js';

/**
 * Parse only (the floor), cold and warm full reviews (with the result cache), a cold review without
 * the dataflow rules, and a full review with no cache at all (`fresh`: what a warm run must equal).
 */
export type Phase = 'parse' | 'cold' | 'warm' | 'plain' | 'fresh';

/** What every child reports about itself. */
export interface ProcessUsage {
  /** User and system CPU of the whole process (all threads), milliseconds. */
  cpuMs: number;
  maxRssKb: number;
}

export interface ChildReport extends ProcessUsage {
  files: number;
  reviewed: number;
  lines: number;
  cacheHits: number;
  threads: number;
  findings: number;
  /** Findings by kind (`defect`, `suggestion`) and by rule id. */
  byKind: Record<string, number>;
  byRule: Record<string, number>;
  /** Main-thread phases of the review, milliseconds. */
  phases: Record<string, number>;
  /** The project pass was reused from the cache (see engine/pass-reuse.ts). */
  passReused: boolean;
  /** Hash of every finding (file, line, rule, message, flow), to tell two reviews' results apart. */
  findingsHash: string;
}

export interface Measured<R extends ProcessUsage = ChildReport> {
  wallMs: number;
  peakKb: number | undefined;
  report?: R;
}

/** This process's CPU time and peak memory so far. */
export function processUsage(): ProcessUsage {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** `rule n, rule n, ...`, most first (ties by name), or `none`. */
export function formatCounts(counts: Record<string, number>): string {
  return (
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none'
  );
}

/** The child side: one review in this process, reported as JSON on stdout. */
export async function runPhase(
  phase: Phase,
  dir: string,
  jobs: number,
  cacheDir: string,
  include?: readonly string[],
): Promise<void> {
  const stats = new ReviewStats();
  const rules = phase === 'plain' ? allRules().filter((r) => !usesTaint([r])) : allRules();
  const result = await review({
    paths: ['.'],
    cwd: dir,
    rules,
    jobs,
    stats,
    include,
    parseOnly: phase === 'parse',
    cacheDir: phase === 'cold' || phase === 'warm' ? cacheDir : undefined,
  });
  const c = stats.counters;
  const report: ChildReport = {
    files: c.files,
    reviewed: c.reviewed,
    lines: c.lines,
    cacheHits: c.cacheHits,
    threads: c.threads,
    findings: result.findings.length,
    byKind: countBy(result.findings.map((f) => f.kind)),
    byRule: countBy(result.findings.map((f) => f.ruleId)),
    phases: Object.fromEntries(stats.phases),
    passReused: c.passReused,
    findingsHash: hashOf(
      result.findings
        .map((f) =>
          JSON.stringify([f.location.file, f.location.start.line, f.ruleId, f.message, f.flow ?? null]),
        )
        .sort(),
    ),
    ...processUsage(),
  };
  process.stdout.write(JSON.stringify(report));
}

/**
 * The options of a speed benchmark that runs its phases as children of itself: the worker count,
 * and (set by the parent for a child) the phase to run and its cache folder.
 */
export const PHASE_OPTIONS = {
  jobs: { type: 'string' },
  phase: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

/** Runs `script ARGS` under this Node and reads the JSON report it prints. */
export function measureChild<R extends ProcessUsage = ChildReport>(
  script: string,
  args: string[],
): Measured<R> {
  const start = performance.now();
  const child = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  const report = JSON.parse(child.stdout) as R;
  return { wallMs, peakKb: report.maxRssKb, report };
}

export const fmt = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits });

/**
 * Prints a report's lines to stdout, the empty ones (a measurement left out, a section break)
 * kept only as one break after a printed line.
 */
export function printReport(lines: readonly string[]): void {
  const out = lines.filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  process.stdout.write(out.join('\n') + '\n');
}
