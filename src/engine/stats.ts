/**
 * Timings and counters of one review, for `--stats`. Phases measured on the main thread are wall
 * time; parse, scope and rule times come from the threads that did the work and are summed over
 * them (CPU-like time), so with several jobs they may add up to more than the wall time.
 */

/** What one file's analysis spent, measured where it ran. Plain data: it crosses threads. */
export interface FileTimings {
  parse: number;
  scope: number;
  /** Per rule id, milliseconds in `check`. */
  rules: Record<string, number>;
  /** Everything else of the analysis (prefilter, directives, dedupe). */
  other: number;
}

export function emptyTimings(): FileTimings {
  return { parse: 0, scope: 0, rules: {}, other: 0 };
}

export interface ReviewCounters {
  files: number;
  reviewed: number;
  skipped: number;
  lines: number;
  cacheHits: number;
  cacheMisses: number;
  /** Files analysed in worker threads (0 when the review ran in-process). */
  workerTasks: number;
  /** Files reviewed whole in the project-level dataflow pass (they may hold entry points). */
  passFiles: number;
  /** Worker threads used (0 in-process). */
  threads: number;
  /**
   * Modules whose trees and models the dataflow pass released to stay within its memory budget,
   * and those it parsed again after a release (see resident.ts).
   */
  passReleased: number;
  passReparsed: number;
  /** The last review's project pass was reused: no edit reaches what it read (see pass-reuse.ts). */
  passReused: boolean;
  /** Why the project pass was abandoned (its dataflow then analysed file by file); '' when it was not. */
  passAbandoned: '' | 'memory-limit' | 'timeout' | 'internal-error';
}

export class ReviewStats {
  /** Main-thread phases, wall milliseconds, in the order they first ran. */
  readonly phases = new Map<string, number>();
  /** Per-thread work summed over files. */
  readonly work = { parse: 0, scope: 0, other: 0 };
  readonly rules = new Map<string, { ms: number; files: number }>();
  /**
   * Per rule, a bit per file index: the files already counted for it. A file can be analysed twice
   * (in a worker, then again by the dataflow pass that read it): its time counts twice, the file once.
   */
  private readonly counted = new Map<string, Uint8Array>();
  /**
   * Things the review had to give up on (a project pass past its budget, a cap on what a language
   * reads), in words: the report's notes (see review.ts `ReviewResult.notes`).
   */
  readonly notes: string[] = [];
  readonly counters: ReviewCounters = {
    files: 0,
    reviewed: 0,
    skipped: 0,
    lines: 0,
    cacheHits: 0,
    cacheMisses: 0,
    workerTasks: 0,
    passFiles: 0,
    threads: 0,
    passReleased: 0,
    passReparsed: 0,
    passReused: false,
    passAbandoned: '',
  };

  addPhase(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  /** Runs `fn` and adds its wall time to the phase. */
  async time<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.addPhase(name, performance.now() - start);
    }
  }

  /** Adds the timings of one analysis of the file at index `file` of the review. */
  addFile(file: number, t: FileTimings): void {
    this.work.parse += t.parse;
    this.work.scope += t.scope;
    this.work.other += t.other;
    for (const [id, ms] of Object.entries(t.rules)) {
      let r = this.rules.get(id);
      if (!r) this.rules.set(id, (r = { ms: 0, files: 0 }));
      r.ms += ms;
      if (this.firstTime(id, file)) r.files++;
    }
  }

  /** Marks the file as counted for the rule; true the first time. */
  private firstTime(rule: string, file: number): boolean {
    let bits = this.counted.get(rule);
    const byte = file >> 3;
    if (!bits || bits.length <= byte) {
      const grown = new Uint8Array(Math.max(byte + 1, (bits?.length ?? 0) * 2, 64));
      if (bits) grown.set(bits);
      this.counted.set(rule, (bits = grown));
    }
    const mask = 1 << (file & 7);
    if (bits[byte]! & mask) return false;
    bits[byte]! |= mask;
    return true;
  }
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** The `--stats` table: counters, phases, per-thread work and the rules by time spent. */
export function formatStats(stats: ReviewStats): string {
  const c = stats.counters;
  const out: string[] = [];
  out.push(
    `files: ${c.files} (${c.reviewed} reviewed, ${c.skipped} skipped), lines: ${c.lines}`,
    `cache: ${c.cacheHits} hits, ${c.cacheMisses} misses`,
    `workers: ${c.threads} threads, ${c.workerTasks} files analysed in workers, ${c.passFiles} in the dataflow pass`,
    `dataflow pass memory: ${c.passReleased} modules released, ${c.passReparsed} parsed again`,
  );
  if (c.passReused) out.push('dataflow pass: reused from the cache (no edit reaches what it read)');
  if (c.passAbandoned) out.push(`dataflow pass: abandoned (${c.passAbandoned})`);
  for (const note of stats.notes) out.push(`note: ${note}`);
  out.push('phases (wall time):');
  for (const [name, t] of stats.phases) out.push(`  ${name.padEnd(24)} ${ms(t)}`);
  out.push('analysis (summed over threads):');
  out.push(`  ${'parse'.padEnd(24)} ${ms(stats.work.parse)}`);
  out.push(`  ${'scopes'.padEnd(24)} ${ms(stats.work.scope)}`);
  let rulesTotal = 0;
  for (const r of stats.rules.values()) rulesTotal += r.ms;
  out.push(`  ${'rules'.padEnd(24)} ${ms(rulesTotal)}`);
  out.push(`  ${'other'.padEnd(24)} ${ms(stats.work.other)}`);
  out.push('rules (summed over threads, files where the rule ran):');
  const sorted = [...stats.rules].sort((a, b) => b[1].ms - a[1].ms || a[0].localeCompare(b[0]));
  for (const [id, r] of sorted)
    out.push(`  ${id.padEnd(44)} ${ms(r.ms).padStart(12)} ${String(r.files).padStart(6)} files`);
  return out.join('\n') + '\n';
}
