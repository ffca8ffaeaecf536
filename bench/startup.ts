/**
 * Start-up cost of the CLI (issue #19: under 150 ms):
 *
 *   npm run bench:startup -- [--runs N]
 *
 * Runs `--version`, `--help` and a review of a folder holding one small Python file (no cache,
 * JSON output) through the bundled CLI (dist/bundle/, what `secreview` runs) and through the
 * compiled modules (dist/bin/, what tsc emits), each N times in a fresh process, and prints the
 * median wall time, CPU time of the main thread (Linux; from the thread's scheduler statistics)
 * and CPU time of the whole process (every thread), with Node starting an empty script for
 * comparison. Numbers only: a benchmark never fails on a slow machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';

interface Sample {
  wallMs: number;
  /** Undefined where the thread's statistics cannot be read (not Linux). */
  mainMs?: number;
  cpuMs: number;
}

/**
 * Loaded before the program (`--import`): at exit, writes the main thread's and the process's
 * CPU time to `file`. Worker threads inherit the flag and write nothing.
 */
function probe(file: string): string {
  const source = `
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread)
  process.on('exit', () => {
    let mainMs;
    try {
      mainMs = Number(readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]) / 1e6;
    } catch {}
    const { user, system } = process.cpuUsage();
    writeFileSync(${JSON.stringify(file)}, JSON.stringify({ mainMs, cpuMs: (user + system) / 1000 }));
  });`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

function runOnce(args: readonly string[], cwd: string, usageFile: string): Sample {
  rmSync(usageFile, { force: true });
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', probe(usageFile), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  if (child.error) throw child.error;
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`node ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { mainMs?: number; cpuMs: number };
  return { wallMs, ...usage };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const ms = (n: number | undefined): string => (n === undefined ? '-' : `${Math.round(n)} ms`);

function main(): void {
  const parsed = benchArgs(
    { options: { runs: { type: 'string', default: '9' } } },
    'usage: npm run bench:startup -- [--runs N]',
  );
  if (!parsed) return;
  const { values } = parsed;
  const runs = Math.max(1, Number(values.runs));
  const dist = fileURLToPath(new URL('..', import.meta.url));
  const work = mkdtempSync(join(tmpdir(), 'secreview-startup-'));
  const project = join(work, 'project');
  const usageFile = join(work, 'usage.json');
  try {
    writeFileSync(join(work, 'empty.js'), '');
    mkdirSync(project);
    writeFileSync(
      join(project, 'app.py'),
      'import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n' +
        '@app.route("/run")\ndef run():\n    return subprocess.check_output(request.args["cmd"], shell=True)\n',
    );
    const clis = [
      { name: 'bundle', path: join(dist, 'bundle', 'secreview.js') },
      { name: 'modules', path: join(dist, 'bin', 'secreview.js') },
    ];
    const cases = [
      { name: '--version', args: ['--version'] },
      { name: '--help', args: ['--help'] },
      { name: 'review of one file', args: ['review', project, '--no-cache', '--format', 'json'] },
    ];
    const rows: string[][] = [['command', 'CLI', 'wall', 'main thread CPU', 'process CPU']];
    const measure = (label: string, cli: string, args: readonly string[]): void => {
      const samples = Array.from({ length: runs }, () => runOnce(args, work, usageFile));
      const main = samples.flatMap((s) => (s.mainMs === undefined ? [] : [s.mainMs]));
      rows.push([
        label,
        cli,
        ms(median(samples.map((s) => s.wallMs))),
        ms(main.length ? median(main) : undefined),
        ms(median(samples.map((s) => s.cpuMs))),
      ]);
    };
    measure('node (empty script)', '-', [join(work, 'empty.js')]);
    for (const c of cases) for (const cli of clis) measure(c.name, cli.name, [cli.path, ...c.args]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log(`median of ${runs} runs each\n`);
    for (const r of rows)
      console.log(r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
