/**
 * secreview against ESLint with eslint-plugin-security on a JavaScript/TypeScript project, in one run:
 *
 *   npm run bench:speed-js -- DIR [--jobs N]
 *
 * The files are those of DIR with a JavaScript or TypeScript extension, found by the review's own
 * walk (.gitignore, dependencies and build output left out; see eslint-peer.ts). Each phase runs in
 * its own process (see phases.ts), one after the other:
 *   - secreview parse only: read and parse every file the review takes, nothing else (the floor);
 *   - secreview cold review: every rule, dataflow included, with an empty result cache;
 *   - secreview warm re-run: the same review over the cache the cold run wrote;
 *   - ESLint with eslint-plugin-security's recommended rules over the same file list, with as many
 *     threads, from a flat config written to a temporary folder (TypeScript parser for TypeScript
 *     files, no type-aware linting, the project's own configuration, plugins and inline directives
 *     not loaded: nothing of the project runs).
 * Prints wall and CPU seconds, peak memory, files, lines and findings of each, and the ratios.
 * secreview reviews the files its language packs claim: without a JavaScript pack it reviews none.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import {
  countEslint,
  countLines,
  writeEslintConfig,
  JS_EXTENSIONS,
  listJsFiles,
  type EslintCounts,
} from './eslint-peer.js';
import {
  PHASE_OPTIONS,
  fmt,
  formatCounts,
  measureChild,
  printReport,
  processUsage,
  runPhase,
  type Measured,
  type Phase,
  type ProcessUsage,
} from './phases.js';

interface EslintReport extends ProcessUsage, EslintCounts {
  files: number;
  version: string;
}

const SCRIPT = fileURLToPath(import.meta.url);
const INCLUDE = JS_EXTENSIONS.map((e) => `**/*${e}`);

/** The child side of the ESLint phase: lints the listed files, reported as JSON on stdout. */
async function runEslint(dir: string, jobs: number, listFile: string, configFile: string): Promise<void> {
  const { ESLint } = await import('eslint');
  const files = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: configFile,
    concurrency: jobs > 1 ? jobs : 'off',
    errorOnUnmatchedPattern: false,
  });
  const results = files.length ? await eslint.lintFiles(files) : [];
  const report: EslintReport = {
    files: results.length,
    version: ESLint.version,
    ...countEslint(results),
    ...processUsage(),
  };
  process.stdout.write(JSON.stringify(report));
}

async function main(): Promise<void> {
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: {
        ...PHASE_OPTIONS,
        files: { type: 'string' },
        'eslint-config': { type: 'string' },
      },
    },
    'usage: npm run bench:speed-js -- [DIR] [--jobs N]',
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  const dir = resolve(positionals[0] ?? '.');
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
  const work = values['cache-dir'];
  if (values.phase === 'eslint' && values.files && values['eslint-config']) {
    await runEslint(dir, jobs, values.files, values['eslint-config']);
    return;
  }
  if (values.phase && work) {
    await runPhase(values.phase as Phase, dir, jobs, work, INCLUDE);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'secreview-speed-js-'));
  try {
    const files = await listJsFiles(dir);
    const lines = countLines(files);
    const list = join(tmp, 'files.json');
    writeFileSync(list, JSON.stringify(files));
    const config = writeEslintConfig(tmp);
    const cacheDir = join(tmp, 'cache');
    const phase = (p: Phase): Measured =>
      measureChild(SCRIPT, ['--phase', p, '--jobs', String(jobs), '--cache-dir', cacheDir, dir]);
    const parse = phase('parse');
    const cold = phase('cold');
    const warm = phase('warm');
    const lint = measureChild<EslintReport>(SCRIPT, [
      '--phase',
      'eslint',
      '--jobs',
      String(jobs),
      '--files',
      list,
      '--eslint-config',
      config,
      dir,
    ]);
    const e = lint.report!;
    const row = (
      name: string,
      m: Measured<ProcessUsage>,
      n: number,
      l: number,
      findings: number | string,
    ): string => {
      const s = m.wallMs / 1000;
      const peak = m.peakKb === undefined ? 'n/a' : fmt(m.peakKb / 1024, 0);
      return [
        name.padEnd(44),
        String(n).padStart(7),
        fmt(l, 0).padStart(11),
        fmt(s).padStart(9),
        fmt(m.report!.cpuMs / 1000).padStart(9),
        (l ? fmt(l / s, 0) : '-').padStart(11),
        peak.padStart(10),
        String(findings).padStart(10),
      ].join('');
    };
    const review = (name: string, m: Measured): string =>
      row(name, m, m.report!.reviewed, m.report!.lines, m.report!.findings);
    const ratio = (a: number, b: number): string => (b > 0 ? `${fmt(a / b)}x` : 'n/a');
    const c = cold.report!;
    printReport([
      `secreview against ESLint on ${dir}`,
      `JavaScript/TypeScript files: ${files.length}, lines: ${fmt(lines, 0)}; jobs: ${jobs} (${availableParallelism()} CPUs)`,
      '',
      [
        'phase'.padEnd(44),
        'files'.padStart(7),
        'lines'.padStart(11),
        'wall s'.padStart(9),
        'CPU s'.padStart(9),
        'lines/s'.padStart(11),
        'peak MiB'.padStart(10),
        'findings'.padStart(10),
      ].join(''),
      review('secreview parse only (the floor)', parse),
      review('secreview cold review', cold),
      review(`secreview warm re-run (${warm.report!.cacheHits} cache hits)`, warm),
      row(`ESLint ${e.version} + eslint-plugin-security`, lint, e.files, lines, e.findings),
      '',
      c.reviewed
        ? `ESLint / secreview cold review: wall ${ratio(lint.wallMs, cold.wallMs)}, CPU ${ratio(e.cpuMs, c.cpuMs)}`
        : 'ESLint / secreview cold review: n/a (secreview reviewed no file)',
      `secreview cold review / parse only: wall ${ratio(cold.wallMs, parse.wallMs)}`,
      c.reviewed === files.length
        ? ''
        : `secreview reviewed ${c.reviewed} of the ${files.length} files (the language packs of this build claim no others)`,
      e.unparsed ? `ESLint could not parse ${e.unparsed} files` : '',
      `secreview findings: ${c.byKind.defect ?? 0} security defects, ${c.byKind.suggestion ?? 0} suggestions; by rule: ${formatCounts(c.byRule)}`,
      `ESLint findings by rule: ${formatCounts(e.byRule)}`,
      '',
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
