/**
 * How fast secreview reviews a directory of Python code, against parsing alone and against Bandit:
 *
 *   npm run bench:speed -- DIR [--jobs N] [--no-bandit] [--edit FILE ...]
 *
 * Each phase runs in its own process, so that its wall time includes start-up and its peak memory
 * (maximum resident set size, all threads) is its own:
 *   - parse only: read and parse every file in the worker pool, nothing else (the floor);
 *   - cold full review: every rule, dataflow included, with an empty result cache;
 *   - warm re-run: the same review again over the cache the cold run wrote;
 *   - cold review without the dataflow rules, to show what the project-level pass costs;
 *   - Bandit on the same directory, when `bandit` is on the PATH;
 *   - with `--edit FILE` (a path relative to DIR, repeatable): in a copy of DIR outside it, after a
 *     cold review, a one-line change to each file in turn (a comment line appended) and the warm
 *     re-run after it, whether it reused the project pass, and whether its findings are identical
 *     to those of a review with no cache at all of the same edited copy.
 * Numbers only: a benchmark never fails on a slow machine.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import {
  PHASE_OPTIONS,
  fmt,
  measureChild as measure,
  printReport,
  runPhase,
  type Measured,
  type Phase,
} from './phases.js';

function measureChild(phase: Phase, dir: string, jobs: number, cacheDir: string): Measured {
  const script = fileURLToPath(import.meta.url);
  return measure(script, ['--phase', phase, '--jobs', String(jobs), '--cache-dir', cacheDir, dir]);
}

function onPath(command: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(d, command);
    if (d && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Bandit over the same directory; peak memory through GNU time when it is installed. */
function measureBandit(bandit: string, dir: string): Measured & { version: string } {
  const version = (spawnSync(bandit, ['--version'], { encoding: 'utf8' }).stdout ?? '').split('\n')[0].trim();
  const args = ['-r', dir, '-f', 'json', '-o', join(tmpdir(), `bandit-${process.pid}.json`), '-q'];
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const start = performance.now();
  const child = time
    ? spawnSync(time, ['-f', 'peak-kb=%M', bandit, ...args], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      })
    : spawnSync(bandit, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  rmSync(args[4], { force: true });
  const peak = /peak-kb=(\d+)/.exec(child.stderr ?? '');
  return { wallMs, peakKb: peak ? Number(peak[1]) : undefined, version };
}

/** One-line edits in a copy of `dir`, each measured as the warm re-run after it (see the module comment). */
function measureEdits(
  dir: string,
  jobs: number,
  files: readonly string[],
): { file: string; run: Measured; same: boolean }[] {
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new Error(`--edit names no file of ${dir}: ${missing.join(', ')}`);
  const copy = mkdtempSync(join(tmpdir(), 'secreview-bench-edit-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'secreview-bench-cache-'));
  try {
    cpSync(dir, copy, { recursive: true });
    measureChild('cold', copy, jobs, cacheDir);
    return files.map((file) => {
      const comment = file.endsWith('.py') ? '#' : '//';
      appendFileSync(join(copy, file), `${comment} a one-line change made by the benchmark\n`);
      const run = measureChild('warm', copy, jobs, cacheDir);
      const fresh = measureChild('fresh', copy, jobs, cacheDir);
      return { file, run, same: run.report!.findingsHash === fresh.report!.findingsHash };
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: {
        ...PHASE_OPTIONS,
        'no-bandit': { type: 'boolean' },
        edit: { type: 'string', multiple: true },
      },
    },
    'usage: npm run bench:speed -- [DIR] [--jobs N] [--no-bandit] [--edit FILE ...]',
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  const dir = resolve(positionals[0] ?? '.');
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
  if (values.phase) {
    await runPhase(values.phase as Phase, dir, jobs, values['cache-dir'] ?? join(dir, '.secreview-cache'));
    return;
  }
  const cacheDir = mkdtempSync(join(tmpdir(), 'secreview-bench-'));
  try {
    const parse = measureChild('parse', dir, jobs, cacheDir);
    const cold = measureChild('cold', dir, jobs, cacheDir);
    const warm = measureChild('warm', dir, jobs, cacheDir);
    const plain = measureChild('plain', dir, jobs, cacheDir);
    const bandit = values['no-bandit'] ? undefined : onPath('bandit');
    const banditRun = bandit ? measureBandit(bandit, dir) : undefined;
    const edits = values.edit?.length ? measureEdits(dir, jobs, values.edit) : [];
    const r = cold.report!;
    const lines = r.lines;
    const row = (name: string, m: Measured): string => {
      const s = m.wallMs / 1000;
      const peak = m.peakKb === undefined ? 'n/a' : fmt(m.peakKb / 1024, 0);
      return `${name.padEnd(40)}${fmt(s).padStart(9)}${fmt(lines / s, 0).padStart(14)}${peak.padStart(11)}`;
    };
    const dataflow = r.phases['dataflow (project pass)'];
    printReport([
      `secreview speed benchmark: ${dir}`,
      `files: ${r.files} (${r.reviewed} reviewed), lines: ${fmt(lines)}, jobs: ${jobs} (${availableParallelism()} CPUs)`,
      '',
      `${'phase'.padEnd(40)}${'wall s'.padStart(9)}${'lines/s'.padStart(14)}${'peak MiB'.padStart(11)}`,
      row('parse only (the floor)', parse),
      row('cold full review', cold),
      row(`warm re-run (${warm.report!.cacheHits} cache hits)`, warm),
      row('cold review without dataflow rules', plain),
      banditRun ? row(`bandit (${banditRun.version})`, banditRun) : 'bandit: not on the PATH, not measured',
      '',
      `cold full review / parse only: ${fmt(cold.wallMs / parse.wallMs)}x`,
      banditRun ? `bandit / cold full review: ${fmt(banditRun.wallMs / cold.wallMs)}x` : '',
      `warm re-run: ${fmt(warm.wallMs / 1000)} s`,
      dataflow === undefined ? '' : `dataflow project pass within the cold review: ${fmt(dataflow / 1000)} s`,
      `peak memory of the cold review: ${fmt(cold.peakKb! / 1024, 0)} MiB`,
      '',
      ...(edits.length
        ? [
            'one-line edits (each followed by a warm re-run; a copy of the directory):',
            `${'file'.padEnd(56)}${'wall s'.padStart(9)}${'CPU s'.padStart(9)}  pass      same findings as no cache`,
            ...edits.map(
              (e) =>
                `${e.file.padEnd(56)}${fmt(e.run.wallMs / 1000).padStart(9)}${fmt(e.run.report!.cpuMs / 1000).padStart(9)}  ${(e.run.report!.passReused ? 'reused' : 'ran').padEnd(10)}${e.same ? 'yes' : 'NO'}`,
            ),
            '',
          ]
        : []),
    ]);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

await main();
