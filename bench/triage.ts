/**
 * The triage benchmark (issues #14 and #18): reviews each pinned project of a corpus with the built
 * CLI, as a user would (no cache, default configuration), and scores its medium-or-higher defects
 * outside tests against the hand verdicts in bench/triage/verdicts/<name>.csv. Prints precision per
 * project and per rule, the findings not yet triaged, and the true positives that are no longer
 * reported. The corpus is the Python one (bench/triage/projects.json) or, with `--corpus js`, the
 * JavaScript/TypeScript one (bench/triage/projects-js.json).
 *
 *   npm run bench:triage -- DIR [--corpus python|js] [--project NAME ...] [--fetch] [--show-fp]
 *
 * DIR holds each project at DIR/<name>: a git checkout, or a snapshot extracted with `git archive`
 * whose file `.pinned-commit` holds the commit it was extracted from. A project whose repository is
 * too large to fetch may instead be pinned to the package it publishes (`package`: name@version, and
 * the tarball's `integrity`): DIR/<name> then holds that package's files, and `.pinned-package` its
 * name@version. `--fetch` clones a missing repository (over the network, from GitHub) and checks out
 * the pinned commit, or downloads a missing package with `npm pack` from the configured registry,
 * checks its integrity and extracts it; without it a missing or differently pinned project is named
 * and left out, never guessed at. `--show-fp` also lists the false positives still reported, with
 * their verdicts' reasons (the work left).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { benchArgs } from './args.js';
import type { Finding } from '../src/core/index.js';
import { languageForPath } from '../src/lang/registry.js';
import { counted, formatScores, parseVerdicts, scoreProject, type ProjectScore } from './triage-score.js';

interface Project {
  name: string;
  /** The GitHub repository of the project (for a package: the one it is published from). */
  repo: string;
  /** The pinned commit; absent when the project is pinned to a published package instead. */
  commit?: string;
  /** name@version of the published package the project is reviewed from. */
  package?: string;
  /** The package tarball's Subresource Integrity string (sha512-...), checked on download. */
  integrity?: string;
  framework: string;
  /** The folder reviewed, for a large repository (default: the whole checkout). */
  folder?: string;
  /** Added after the rules were tuned on the others (see triage-score.ts). */
  holdout?: boolean;
}

const HERE = dirname(new URL(import.meta.url).pathname);
/** bench/triage/ in the repository (this file runs from dist/bench/). */
const DATA = resolve(HERE, '../../bench/triage');
const CLI = resolve(HERE, '../bundle/secreview.js');
/** The projects file of each corpus. */
const CORPORA: Record<string, string> = { python: 'projects.json', js: 'projects-js.json' };
/** In a snapshot extracted with `git archive` (no .git): the commit it was extracted from. */
const PIN_FILE = '.pinned-commit';
/** In an extracted package: its name@version. */
const PACKAGE_PIN_FILE = '.pinned-package';

function git(dir: string, args: string[]): { ok: boolean; out: string } {
  // The checkout is third-party data: no hooks, no fsmonitor, nothing of its config runs.
  const r = spawnSync(
    'git',
    ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-C', dir, ...args],
    {
      encoding: 'utf8',
    },
  );
  return { ok: r.status === 0, out: (r.stdout ?? '').trim() + (r.stderr ?? '').trim() };
}

/**
 * Downloads the pinned package into DIR (its files at DIR's top, as the package has them) with
 * `npm pack`, which fetches the tarball without running any of the package's scripts, and checks the
 * tarball's integrity against the pin before extracting it.
 */
function fetchPackage(dir: string, spec: string, integrity: string): string | undefined {
  const tmp = mkdtempSync(join(tmpdir(), 'secreview-triage-'));
  try {
    const pack = spawnSync('npm', ['pack', spec, '--json', '--ignore-scripts', '--pack-destination', tmp], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (pack.status !== 0) return `npm pack ${spec} failed: ${(pack.stderr ?? '').slice(0, 500)}`;
    const [info] = JSON.parse(pack.stdout) as { filename: string; integrity: string }[];
    if (info?.integrity !== integrity)
      return `the downloaded ${spec} has integrity ${info?.integrity}, the pin is ${integrity}`;
    mkdirSync(dir, { recursive: true });
    // Members are extracted under DIR only: GNU tar drops leading `/` and refuses `..` by default.
    const tar = spawnSync(
      'tar',
      ['-xzf', join(tmp, info.filename), '-C', dir, '--strip-components=1', '--no-same-owner'],
      {
        encoding: 'utf8',
      },
    );
    if (tar.status !== 0) return `cannot extract ${spec}: ${tar.stderr.slice(0, 500)}`;
    writeFileSync(join(dir, PACKAGE_PIN_FILE), `${spec}\n`);
    return undefined;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Checks (and with `fetch`, downloads) a project pinned to a published package. */
function checkPackage(dir: string, p: Project & { package: string }, fetch: boolean): string | undefined {
  if (!existsSync(dir)) {
    if (!fetch) return `missing: run with --fetch, or extract the package ${p.package} to ${dir}`;
    if (!p.integrity) return `the pin of ${p.package} has no integrity`;
    const problem = fetchPackage(dir, p.package, p.integrity);
    if (problem) return problem;
  }
  const pin = join(dir, PACKAGE_PIN_FILE);
  const held = existsSync(pin) ? readFileSync(pin, 'utf8').trim() : undefined;
  if (held !== p.package)
    return held
      ? `holds the package ${held}, the verdicts are for ${p.package}`
      : `not an extracted package: ${PACKAGE_PIN_FILE} is missing`;
  return undefined;
}

function checkout(dir: string, p: Project, fetch: boolean): string | undefined {
  if (p.package) return checkPackage(dir, p as Project & { package: string }, fetch);
  if (!p.commit) return 'the project names neither a commit nor a package';
  if (!existsSync(dir)) {
    if (!fetch) return `missing: run with --fetch, or clone github.com/${p.repo} to ${dir} at ${p.commit}`;
    const clone = spawnSync('git', ['clone', '--quiet', `https://github.com/${p.repo}.git`, dir], {
      stdio: 'inherit',
    });
    if (clone.status !== 0) return `git clone of ${p.repo} failed`;
    const co = git(dir, ['checkout', '--quiet', p.commit]);
    if (!co.ok) return `cannot check out ${p.commit}: ${co.out}`;
  }
  const pin = join(dir, PIN_FILE);
  const head =
    !existsSync(join(dir, '.git')) && existsSync(pin)
      ? { ok: true, out: readFileSync(pin, 'utf8').trim() }
      : git(dir, ['rev-parse', 'HEAD']);
  if (!head.ok) return `not a git checkout: ${head.out}`;
  if (head.out !== p.commit)
    return `checked out at ${head.out.slice(0, 12)}, the verdicts are for ${p.commit.slice(0, 12)}`;
  return undefined;
}

function reviewProject(dir: string, folder = '.'): Finding[] {
  const r = spawnSync(
    process.execPath,
    [CLI, 'review', folder, '--no-cache', '--format', 'json', '--quiet', '--fail-on', 'never'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`secreview exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout) as { findings: Finding[] };
  return report.findings;
}

function isTestFile(path: string): boolean {
  return languageForPath(path)?.isTestFile(path) ?? false;
}

function main(): void {
  const usage = `usage: npm run bench:triage -- DIR [--corpus ${Object.keys(CORPORA).join('|')}] [--project NAME ...] [--fetch] [--show-fp]`;
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: {
        corpus: { type: 'string', default: 'python' },
        project: { type: 'string', multiple: true },
        fetch: { type: 'boolean' },
        'show-fp': { type: 'boolean' },
      },
    },
    usage,
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  const dir = positionals[0];
  const corpus = CORPORA[values.corpus];
  if (!dir || !corpus) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
    return;
  }
  const all = (JSON.parse(readFileSync(join(DATA, corpus), 'utf8')) as { projects: Project[] }).projects;
  const wanted = values.project;
  const unknown = (wanted ?? []).filter((n) => !all.some((p) => p.name === n));
  if (unknown.length) {
    process.stderr.write(
      `unknown project ${unknown.join(', ')}; known: ${all.map((p) => p.name).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const scores: ProjectScore[] = [];
  const skipped: string[] = [];
  for (const p of all.filter((q) => !wanted || wanted.includes(q.name))) {
    const at = resolve(dir, p.name);
    const problem = checkout(at, p, values.fetch ?? false);
    if (problem) {
      skipped.push(`${p.name}: ${problem}`);
      continue;
    }
    const started = performance.now();
    const findings = counted(reviewProject(at, p.folder), isTestFile);
    const file = join(DATA, 'verdicts', `${p.name}.csv`);
    const verdicts = existsSync(file)
      ? parseVerdicts(readFileSync(file, 'utf8'), `verdicts/${p.name}.csv`)
      : [];
    scores.push(scoreProject(p.name, findings, verdicts, p.holdout ?? false));
    process.stderr.write(
      `${p.name}: ${findings.length} findings in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  process.stdout.write(formatScores(scores, { showFalsePositives: values['show-fp'] ?? false }));
  if (skipped.length)
    process.stdout.write(`\nLeft out (${skipped.length}):\n${skipped.map((s) => `  ${s}\n`).join('')}`);
}

main();
