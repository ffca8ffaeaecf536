/**
 * How the review scales with the size of a project (issue #19): renamed copies of one Python
 * package (imports rewritten, see scale-copies.ts) are reviewed cold, one size after another:
 *
 *   npm run bench:scale -- DIR [--copies 1,2,4,8] [--package NAME] [--jobs N] [--keep]
 *
 * DIR is a package, or a folder whose only top-level package is reviewed (`--package` names one).
 * The copies are written to a temporary folder outside the repository and removed afterwards
 * (`--keep` leaves them). Each size is reviewed in its own process, without a cache, so its CPU
 * time (all threads), wall time and peak memory are its own. A flow is cross-file when its steps
 * lie in more than one file; each copy has the same code, so the count must grow with the copies,
 * equal per copy. Notes of the review (a dataflow pass that ran out of its budget) are printed.
 * Numbers only: a benchmark never fails on a slow machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import { review } from '../src/engine/review.js';
import { ReviewStats } from '../src/engine/stats.js';
import { findPackage, writeCopies } from './scale-copies.js';

interface SizeReport {
  files: number;
  lines: number;
  cpuMs: number;
  maxRssKb: number;
  crossFileFlows: number;
  notes: string[];
}

/** The child side: one cold review of `dir`, reported as JSON on stdout. */
async function runSize(dir: string, jobs: number): Promise<void> {
  const stats = new ReviewStats();
  const result = await review({ paths: ['.'], cwd: dir, jobs, stats });
  const crossFileFlows = result.findings.filter(
    (f) => new Set((f.flow ?? []).map((s) => s.location.file)).size > 1,
  ).length;
  const usage = process.resourceUsage();
  const report: SizeReport = {
    files: stats.counters.files,
    lines: stats.counters.lines,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssKb: usage.maxRSS,
    crossFileFlows,
    notes: [...stats.notes],
  };
  process.stdout.write(JSON.stringify(report));
}

function measure(dir: string, jobs: number): SizeReport & { wallMs: number } {
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', '--jobs', String(jobs), dir],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const wallMs = performance.now() - start;
  if (child.status !== 0) throw new Error(`the review of ${dir} failed: ${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as SizeReport), wallMs };
}

const fmt = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const USAGE = 'usage: npm run bench:scale -- DIR [--copies 1,2,4,8] [--package NAME] [--jobs N] [--keep]';

async function main(): Promise<void> {
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: {
        copies: { type: 'string', default: '1,2,4,8' },
        package: { type: 'string' },
        jobs: { type: 'string' },
        keep: { type: 'boolean' },
        child: { type: 'boolean' },
      },
    },
    USAGE,
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
  if (values.child) {
    await runSize(resolve(positionals[0] ?? '.'), jobs);
    return;
  }
  if (!positionals[0]) throw new Error(USAGE);
  const sizes = values.copies.split(',').map((c) => {
    const n = Number(c.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`--copies: ${c} is not a positive whole number`);
    return n;
  });
  const pkgDir = findPackage(resolve(positionals[0]), values.package);
  const header = `${'copies'.padStart(6)}${'files'.padStart(8)}${'lines'.padStart(12)}${'CPU s'.padStart(9)}${'wall s'.padStart(9)}${'CPU s/M lines'.padStart(15)}${'peak MiB'.padStart(10)}${'x-file flows'.padStart(14)}${'per copy'.padStart(10)}`;
  process.stdout.write(
    `secreview scale benchmark: ${pkgDir}, copies ${sizes.join(', ')}, jobs ${jobs} (${availableParallelism()} CPUs)\n\n${header}\n`,
  );
  const notes: string[] = [];
  for (const copies of sizes) {
    const root = mkdtempSync(join(tmpdir(), `secreview-scale-${copies}-`));
    try {
      writeCopies(pkgDir, root, copies);
      const r = measure(root, jobs);
      const perMillion = r.cpuMs / 1000 / (r.lines / 1e6);
      process.stdout.write(
        `${String(copies).padStart(6)}${String(r.files).padStart(8)}${r.lines.toLocaleString('en-US').padStart(12)}` +
          `${fmt(r.cpuMs / 1000).padStart(9)}${fmt(r.wallMs / 1000).padStart(9)}${fmt(perMillion).padStart(15)}` +
          `${fmt(r.maxRssKb / 1024, 0).padStart(10)}${String(r.crossFileFlows).padStart(14)}` +
          `${fmt(r.crossFileFlows / copies).padStart(10)}\n`,
      );
      for (const note of r.notes) notes.push(`${copies} copies: ${note}`);
      if (values.keep) notes.push(`${copies} copies kept in ${root}`);
    } finally {
      if (!values.keep) rmSync(root, { recursive: true, force: true });
    }
  }
  if (notes.length) process.stdout.write(`\n${notes.map((n) => `note: ${n}`).join('\n')}\n`);
}

await main();
