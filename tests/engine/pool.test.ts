import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewOptions } from '../../src/engine/review.js';
import { addFiles, cleanup, CLI, jsonReport, runCli, tempTree } from '../cli/run.js';

// The pool runs compiled workers, so these tests use the build (`npm test` builds first).
const dist = join(import.meta.dirname, '..', '..', 'dist', 'src');
type ReviewModule = typeof import('../../src/engine/review.js');
type StatsModule = typeof import('../../src/engine/stats.js');
type RegistryModule = typeof import('../../src/rules/registry.js');
type PoolModule = typeof import('../../src/engine/pool.js');
let analyzeFiles: PoolModule['analyzeFiles'];
let review: ReviewModule['review'];
let ReviewStats: StatsModule['ReviewStats'];
let allRules: RegistryModule['allRules'];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  ({ review } = (await import(join(dist, 'engine', 'review.js'))) as ReviewModule);
  ({ ReviewStats } = (await import(join(dist, 'engine', 'stats.js'))) as StatsModule);
  ({ allRules } = (await import(join(dist, 'rules', 'registry.js'))) as RegistryModule);
  ({ analyzeFiles } = (await import(join(dist, 'engine', 'pool.js'))) as PoolModule);
  // Loading the compiled engine (every rule module) is the slow part on a busy machine, not a behaviour under test.
}, 60_000);
afterAll(cleanup);

const FILES: Record<string, string> = {
  'app/shell.py': 'import os\n\ndef run(cmd):\n    os.system(cmd)\n',
  'app/proc.py': 'import subprocess\n\ndef go(host):\n    subprocess.call("ping " + host, shell=True)\n',
  'app/clean.py': 'import os\nprint(os.getcwd())\n',
  'app/broken.py': 'def f(:\n    pass\n',
  'lib/more.py': 'import os\n\ndef a(x):\n    os.popen(x)\n\ndef b(y):\n    os.system("ls " + y)\n',
};

async function run(dir: string, extra: Partial<ReviewOptions>) {
  const stats = new ReviewStats();
  const result = await review({ paths: ['.'], cwd: dir, stats, ...extra });
  return { result, stats };
}

const summary = (r: Awaited<ReturnType<ReviewModule['review']>>) => ({
  findings: r.findings.map((f) => `${f.location.file}:${f.location.start.line}:${f.ruleId}:${f.message}`),
  files: r.files,
});

describe('worker pool', () => {
  it('gives identical results with one and with two worker threads', async () => {
    const dir = await tempTree(FILES);
    const one = await run(dir, { jobs: 1 });
    const two = await run(dir, { jobs: 2 });
    expect(one.stats.counters.threads).toBe(1);
    expect(two.stats.counters.threads).toBe(2);
    expect(two.stats.counters.workerTasks).toBe(5);
    expect(summary(two.result)).toEqual(summary(one.result));
    const commands = one.result.findings.filter((f) => f.ruleId === 'python/os-command-injection');
    expect(commands.map((f) => `${f.location.file}:${f.location.start.line}`)).toEqual([
      'app/proc.py:4',
      'app/shell.py:4',
      'lib/more.py:4',
      'lib/more.py:7',
    ]);
    expect(one.result.files.find((f) => f.file === 'app/broken.py')?.syntaxErrorLines).toEqual([1]);
  });

  it('skips a file past the time budget with reason timeout and reviews the others', async () => {
    // About 9 MB of generated code: seconds of analysis against a budget of one second.
    const line = 'value_{i} = compute(alpha, beta, "{i}") + other.method(gamma)[{i}]\n';
    let big = '';
    for (let i = 0; i < 130_000; i++) big += line.replaceAll('{i}', String(i));
    const dir = await tempTree({ ...FILES, 'gen/huge.py': big });
    const { result } = await run(dir, { jobs: 2, fileTimeoutMs: 1000, maxFileSize: 64 * 1024 * 1024 });
    const huge = result.files.find((f) => f.file === 'gen/huge.py');
    expect(huge).toEqual({
      file: 'gen/huge.py',
      status: 'skipped',
      reason: 'timeout',
      detail: 'analysis took longer than the 1000 ms budget',
    });
    expect(result.files.filter((f) => f.status === 'reviewed').map((f) => f.file)).toEqual([
      'app/broken.py',
      'app/clean.py',
      'app/proc.py',
      'app/shell.py',
      'lib/more.py',
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'python/os-command-injection')).toHaveLength(4);
  });
});

describe('a pool that shares the machine with the project pass', () => {
  const tasks = Object.entries(FILES).map(([path, text]) => ({
    path,
    text,
    language: 'python' as const,
    rules: [],
  }));
  const lines = (run: Awaited<ReturnType<PoolModule['analyzeFiles']>>) =>
    run.outcomes.map((o) => (o.ok ? o.result.analysis.findings.map((f) => f.location.start.line) : o.reason));

  it('starts with fewer threads, grows when told, and answers every task in order', async () => {
    const rules = allRules().filter((r) => r.id === 'python/os-command-injection');
    let release = (): void => undefined;
    const signal = new Promise<void>((resolve) => (release = resolve));
    const grown = await analyzeFiles(tasks, rules, {
      jobs: 2,
      startWith: 1,
      growWhen: signal,
      onFileDone: (done) => {
        if (done === 1) release();
      },
    });
    expect(grown.threads).toBe(2);
    expect(lines(grown)).toEqual([[4], [4], [], [], [4, 7]]);
    // A signal that never comes: the pool finishes on the threads it started with.
    const alone = await analyzeFiles(tasks, rules, {
      jobs: 2,
      startWith: 1,
      growWhen: new Promise(() => {}),
    });
    expect(alone.threads).toBe(1);
    expect(lines(alone)).toEqual(lines(grown));
  });
});

describe('project-level dataflow pass', () => {
  it('is abandoned past its budget (forced low here) and the review goes on with per-file dataflow', async () => {
    // The pass runs only when some file may hold an entry point: this one reads `sys.argv`.
    const dir = await tempTree({ ...FILES, 'app/cli.py': 'import os, sys\nos.system(sys.argv[1])\n' });
    // A 1 ms file budget gives the project pass 10 ms: less than a thread needs to start.
    const { result, stats } = await run(dir, { jobs: 1, fileTimeoutMs: 1 });
    expect(stats.notes).toEqual([
      'the project pass took longer than its 10 ms budget; dataflow was analysed file by file',
    ]);
    // The note is the report's too, and the reason is counted.
    expect(result.notes).toEqual(stats.notes);
    expect(stats.counters.passAbandoned).toBe('timeout');
    expect(result.files.map((f) => f.file)).toEqual([
      'app/broken.py',
      'app/clean.py',
      'app/cli.py',
      'app/proc.py',
      'app/shell.py',
      'lib/more.py',
    ]);
  });
});

describe('dataflow rules of the files the project pass reads', () => {
  const WEB = {
    ...FILES,
    'app/web.py': [
      'import os',
      'from flask import Flask, request',
      'app = Flask(__name__)',
      '',
      "@app.route('/run')",
      'def run_it():',
      "    os.system(request.args['c'])",
      '',
    ].join('\n'),
  };
  const flows = (r: Awaited<ReturnType<ReviewModule['review']>>) =>
    r.findings
      .filter((f) => f.ruleId === 'python/os-command-injection')
      .map(
        (f) =>
          `${f.location.file}:${f.location.start.line} ${(f.flow ?? []).map((s) => s.location.start.line).join(',')}`,
      );

  it('run in the pass, and in a run of their own when the pass is abandoned', async () => {
    const dir = await tempTree(WEB);
    const normal = await run(dir, { jobs: 2 });
    expect(normal.stats.notes).toEqual([]);
    expect(flows(normal.result)).toEqual([
      'app/proc.py:4 ',
      'app/shell.py:4 ',
      'app/web.py:7 7,7',
      'lib/more.py:4 ',
      'lib/more.py:7 ',
    ]);
    const abandoned = await run(dir, { jobs: 1, projectPassTimeoutMs: 1 });
    expect(abandoned.stats.notes).toEqual([
      'the project pass took longer than its 1 ms budget; dataflow was analysed file by file',
    ]);
    expect(flows(abandoned.result)).toEqual(flows(normal.result));
  });

  it('are bounded by the per-file budget: a file whose parse or rules run past it is skipped, the others reviewed', async () => {
    // About 20 MB of generated code that names a source, so the pass reviews it whole: its parse
    // alone takes seconds.
    const line = 'value_{i} = compute(alpha, beta, "{i}") + other.method(gamma)[{i}]\n';
    let big = 'from flask import request\n';
    for (let i = 0; i < 260_000; i++) big += line.replaceAll('{i}', String(i));
    const dir = await tempTree({ ...WEB, 'gen/huge.py': big });
    const { result, stats } = await run(dir, {
      jobs: 2,
      fileTimeoutMs: 1000,
      maxFileSize: 64 * 1024 * 1024,
      // The whole pass may take its time (parsing 9 MB): only the per-file budget is under test.
      projectPassTimeoutMs: 120_000,
    });
    expect(stats.notes).toEqual([
      'the project pass ran past the 1000 ms budget of a file on gen/huge.py; dataflow was analysed file by file',
    ]);
    expect(result.files.find((f) => f.file === 'gen/huge.py')).toEqual({
      file: 'gen/huge.py',
      status: 'skipped',
      reason: 'timeout',
      detail: 'analysis took longer than the 1000 ms budget',
    });
    expect(flows(result)).toEqual([
      'app/proc.py:4 ',
      'app/shell.py:4 ',
      'app/web.py:7 7,7',
      'lib/more.py:4 ',
      'lib/more.py:7 ',
    ]);
  });
});

describe('result cache', () => {
  it('answers a second run from the cache and re-analyses only what changed', async () => {
    const dir = await tempTree(FILES);
    const cacheDir = join(dir, '.secreview-cache');
    const cold = await run(dir, { jobs: 2, cacheDir });
    expect(cold.stats.counters).toMatchObject({ cacheHits: 0, cacheMisses: 5, workerTasks: 5 });

    const warm = await run(dir, { jobs: 2, cacheDir });
    expect(warm.stats.counters).toMatchObject({ cacheHits: 5, cacheMisses: 0, workerTasks: 0, threads: 0 });
    expect(summary(warm.result)).toEqual(summary(cold.result));

    await addFiles(dir, {
      'app/clean.py': 'import os\nfrom flask import request\nos.system(request.args["cmd"])\n',
    });
    const edited = await run(dir, { jobs: 2, cacheDir });
    // The changed file now reads a source, so the dataflow pass reviews it (not a worker).
    expect(edited.stats.counters).toMatchObject({
      cacheHits: 4,
      cacheMisses: 1,
      workerTasks: 0,
      passFiles: 1,
    });
    expect(edited.result.findings.map((f) => `${f.location.file}:${f.location.start.line}`)).toContain(
      'app/clean.py:3',
    );
  });

  it('re-analyses a file whose dataflow results change when another file changes', async () => {
    const dir = await tempTree({
      'pkg/__init__.py': '',
      'pkg/source.py': 'from flask import request\n\n\ndef command():\n    return request.args["cmd"]\n',
      'pkg/use.py': 'import os\nfrom pkg.source import command\n\nos.system(command())\n',
      'pkg/other.py': 'import os\nprint(os.getcwd())\n',
    });
    const cacheDir = join(dir, '.secreview-cache');
    const flows = (r: Awaited<ReturnType<ReviewModule['review']>>) =>
      r.findings.filter((f) => f.flow).map((f) => `${f.location.file}:${f.location.start.line}:${f.ruleId}`);
    const cold = await run(dir, { jobs: 2, cacheDir });
    expect(flows(cold.result)).toEqual(['pkg/use.py:4:python/os-command-injection']);

    // use.py is unchanged, but what reaches its os.system() is now a constant.
    await addFiles(dir, { 'pkg/source.py': 'def command():\n    return "ls"\n' });
    const edited = await run(dir, { jobs: 2, cacheDir });
    expect(flows(edited.result)).toEqual([]);
    expect(edited.stats.counters.cacheMisses).toBeGreaterThanOrEqual(2); // source.py and use.py
    expect(edited.stats.counters.cacheHits).toBeGreaterThanOrEqual(1); // other.py: nothing flows into it

    const again = await run(dir, { jobs: 2, cacheDir });
    expect(again.stats.counters).toMatchObject({ cacheHits: 4, cacheMisses: 0 });
    expect(flows(again.result)).toEqual([]);
  });

  it('re-analyses a file when a module whose text its model read changes, and only then', async () => {
    const dir = await tempTree({
      'pkg/__init__.py': '',
      'pkg/env.py': 'from jinja2 import Environment\n\nenv = Environment()\n',
      'pkg/prompt.py':
        'from .env import env\n\n\ndef card(text):\n    return env.from_string(text).render()\n',
      'pkg/other.py': 'import os\nprint(os.getcwd())\n',
    });
    const cacheDir = join(dir, '.secreview-cache');
    const templates = (r: Awaited<ReturnType<ReviewModule['review']>>) =>
      r.findings
        .filter((f) => f.ruleId === 'python/template-injection')
        .map((f) => `${f.location.file}:${f.location.start.line}`);
    const cold = await run(dir, { jobs: 2, cacheDir });
    // prompt.py's model reads env.py's excerpt; env.py's reads prompt.py's (it imports env and compiles text).
    expect(templates(cold.result)).toEqual(['pkg/env.py:3', 'pkg/prompt.py:5']);
    expect(cold.stats.counters).toMatchObject({ cacheHits: 0, cacheMisses: 4, workerTasks: 4 });

    // Only env.py changed, yet prompt.py's callee is now a sandboxed environment's.
    await addFiles(dir, {
      'pkg/env.py': 'from jinja2.sandbox import SandboxedEnvironment\n\nenv = SandboxedEnvironment()\n',
    });
    const edited = await run(dir, { jobs: 2, cacheDir });
    expect(templates(edited.result)).toEqual([]);
    expect(edited.stats.counters).toMatchObject({ cacheHits: 2, cacheMisses: 2 });

    // other.py is read by no model but env.py's, which looked through every module for importers.
    await addFiles(dir, { 'pkg/other.py': 'import os\nprint(os.getcwd(), 1)\n' });
    const again = await run(dir, { jobs: 2, cacheDir });
    expect(again.stats.counters).toMatchObject({ cacheHits: 2, cacheMisses: 2 });
    expect(summary(again.result)).toEqual(summary((await run(dir, { jobs: 2 })).result));
  });

  it('reuses the dataflow pass for edits that reach nothing it read, and runs it again for those that do', async () => {
    const project: Record<string, string> = {
      'pkg/__init__.py': '',
      'pkg/source.py': 'from flask import request\n\n\ndef command():\n    return request.args["cmd"]\n',
      'pkg/use.py': 'import os\nfrom pkg.source import command\n\nos.system(command())\n',
      'pkg/lonely.py': 'import os\n\n\ndef tidy(name):\n    return name.strip()\n',
    };
    const dir = await tempTree(project);
    const cacheDir = join(dir, '.secreview-cache');
    const flows = (r: Awaited<ReturnType<ReviewModule['review']>>) =>
      r.findings.filter((f) => f.flow).map((f) => `${f.location.file}:${f.location.start.line}:${f.ruleId}`);
    const cold = await run(dir, { jobs: 2, cacheDir });
    expect(flows(cold.result)).toEqual(['pkg/use.py:4:python/os-command-injection']);
    expect(cold.stats.counters.passReused).toBe(false);

    // lonely.py is not reached from any entry point and calls nothing that returns request data.
    await addFiles(dir, {
      'pkg/lonely.py':
        'import os\n\n\ndef tidy(name):\n    return name.strip()\n\n\ndef shout(name):\n    os.system("echo " + name)\n',
    });
    const edited = await run(dir, { jobs: 2, cacheDir });
    expect(edited.stats.counters).toMatchObject({
      passReused: true,
      cacheHits: 3,
      cacheMisses: 1,
      passFiles: 0,
    });
    const fresh = await run(dir, { jobs: 2 });
    expect(summary(edited.result)).toEqual(summary(fresh.result));

    // Now it calls command(), whose result carries the request's data: the driver's callers of it
    // run as roots, so the pass must run again, and finds the new flow.
    await addFiles(dir, {
      'pkg/lonely.py':
        'import os\nfrom pkg.source import command\n\n\ndef shout():\n    os.system("echo " + command())\n',
    });
    const calling = await run(dir, { jobs: 2, cacheDir });
    expect(calling.stats.counters.passReused).toBe(false);
    expect(flows(calling.result)).toEqual([
      'pkg/lonely.py:6:python/os-command-injection',
      'pkg/use.py:4:python/os-command-injection',
    ]);

    // An edit to a file the pass read runs it again.
    await addFiles(dir, { 'pkg/source.py': 'def command():\n    return "ls"\n' });
    const read = await run(dir, { jobs: 2, cacheDir });
    expect(read.stats.counters.passReused).toBe(false);
    expect(flows(read.result)).toEqual([]);
    expect(summary(read.result)).toEqual(summary((await run(dir, { jobs: 2 })).result));
  });

  it('does not reuse the dataflow pass when files are added or when an edited file may hold an entry point', async () => {
    const dir = await tempTree({
      'pkg/__init__.py': '',
      'pkg/view.py':
        'import os\nfrom flask import request\n\n\ndef view():\n    os.system(request.args["c"])\n',
      'pkg/util.py': 'def twice(x):\n    return x * 2\n',
    });
    const cacheDir = join(dir, '.secreview-cache');
    await run(dir, { jobs: 2, cacheDir });
    await addFiles(dir, { 'pkg/extra.py': 'X = 1\n' });
    const added = await run(dir, { jobs: 2, cacheDir });
    expect(added.stats.counters.passReused).toBe(false);

    await addFiles(dir, {
      'pkg/util.py':
        'import os\nfrom flask import request\n\n\ndef twice(x):\n    os.system(request.args["x"])\n',
    });
    const hinted = await run(dir, { jobs: 2, cacheDir });
    expect(hinted.stats.counters.passReused).toBe(false);
    expect(
      hinted.result.findings
        .filter((f) => f.ruleId === 'python/os-command-injection')
        .map((f) => `${f.location.file}:${f.location.start.line}`),
    ).toEqual(['pkg/util.py:6', 'pkg/view.py:6']);
  });

  it('is invalidated when the rule set or the configuration changes', async () => {
    const dir = await tempTree(FILES);
    const cacheDir = join(dir, '.secreview-cache');
    const rules = allRules();
    await run(dir, { cacheDir, rules, configKey: { 'fail-on': 'low' } });
    const same = await run(dir, { cacheDir, rules, configKey: { 'fail-on': 'low' } });
    expect(same.stats.counters).toMatchObject({ cacheHits: 5, cacheMisses: 0 });

    const fewer = rules.filter((r) => r.id !== 'python/os-command-injection');
    const ruleSet = await run(dir, { cacheDir, rules: fewer, configKey: { 'fail-on': 'low' } });
    expect(ruleSet.stats.counters).toMatchObject({ cacheHits: 0, cacheMisses: 5 });
    expect(ruleSet.result.findings.filter((f) => f.ruleId === 'python/os-command-injection')).toEqual([]);

    const severity = rules.map((r) =>
      r.id === 'python/os-command-injection' ? { ...r, severity: 'low' as const } : r,
    );
    const changed = await run(dir, { cacheDir, rules: severity, configKey: { 'fail-on': 'low' } });
    expect(changed.stats.counters).toMatchObject({ cacheHits: 0, cacheMisses: 5 });

    const config = await run(dir, { cacheDir, rules, configKey: { 'fail-on': 'high' } });
    expect(config.stats.counters).toMatchObject({ cacheHits: 0, cacheMisses: 5 });
  });
});

describe('the review command', () => {
  it('reports cache hits with --stats, bypasses the cache with --no-cache, and draws no progress bar off a terminal', async () => {
    const dir = await tempTree(FILES);
    const first = await runCli(
      ['review', '.', '--stats', '--jobs', '2', '--fail-on', 'never', '-f', 'json'],
      dir,
    );
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('cache: 0 hits, 5 misses\n');
    expect(first.stderr).toContain(
      'workers: 2 threads, 5 files analysed in workers, 0 in the dataflow pass\n' +
        'dataflow pass memory: 0 modules released, 0 parsed again\n',
    );
    expect(first.stderr).toMatch(/\n {2}python\/os-command-injection +\d+\.\d ms +4 files\n/);
    const second = await runCli(
      ['review', '.', '--stats', '--jobs', '2', '--fail-on', 'never', '-f', 'json'],
      dir,
    );
    expect(second.stderr).toContain('cache: 5 hits, 0 misses\n');
    expect(jsonReport(second.stdout).findings).toEqual(jsonReport(first.stdout).findings);
    const bypass = await runCli(
      ['review', '.', '--stats', '--no-cache', '--jobs', '1', '--fail-on', 'never', '-f', 'json'],
      dir,
    );
    expect(bypass.stderr).toContain('cache: 0 hits, 0 misses\n');
    expect(bypass.stderr).toContain(
      'workers: 1 threads, 5 files analysed in workers, 0 in the dataflow pass\n',
    );
    // stderr is a pipe here: no progress bar, no cursor control sequences.
    for (const r of [first, second, bypass]) expect(r.stderr).not.toContain('\u001b[');
  });
});
