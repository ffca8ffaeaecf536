/**
 * The real-vulnerability benchmark (issue #15, recall): for each published advisory of
 * bench/advisories/advisories.json, reviews the advisory's package folder at the vulnerable and at
 * the fixed commit with the built CLI, as a user would (default configuration), and scores whether
 * the flaw is reported before the fix and gone after it (see advisories-score.ts).
 *
 *   npm run bench:advisories -- MIRRORS WORK [--id ID ...] [--json] [--no-cache] [--manifest FILE]
 *
 * MIRRORS holds one git repository per project, named `<owner>+<repo>`: a bare or mirror git
 * folder, a folder whose `repo/` is one, or a normal clone. A missing repository or commit is named
 * and its advisory counted as not run, never guessed at. WORK is a scratch folder outside this
 * repository: each folder's files of the advisory's language (Python, or JavaScript and
 * TypeScript, by the extension of its file) and manifests are extracted there with `git archive`
 * (no checkout, so nothing of the project runs) into WORK/<owner>+<repo>/<short commit>/ (with a
 * `-javascript` suffix for JavaScript) and kept for the next run, and the review
 * cache lives in WORK/cache.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseManifest, type Advisory } from './advisories-manifest.js';
import {
  defectsOf,
  formatOutcomes,
  notRun,
  scoreAdvisory,
  totals,
  type Outcome,
  type Reported,
} from './advisories-score.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root, whether this runs compiled from dist/bench/ or as source from bench/. */
const ROOT = resolve(HERE, HERE.endsWith(join('dist', 'bench')) ? '../..' : '..');
const CLI = join(ROOT, 'dist/bundle/secreview.js');
const MANIFEST = join(ROOT, 'bench/advisories/advisories.json');
const USAGE =
  'usage: npm run bench:advisories -- MIRRORS WORK [--id ID ...] [--json] [--no-cache] [--manifest FILE]\n';

// The repositories are third-party data: no hooks, no fsmonitor, nothing of their config runs.
const GIT_SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

function git(gitDir: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', [...GIT_SAFE, `--git-dir=${gitDir}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ok: r.status === 0, out: ((r.stdout ?? '') + (r.stderr ?? '')).trim() };
}

/** The git folder of MIRRORS/<owner>+<repo> in any of the accepted layouts, or why there is none. */
export function gitDirOf(mirrors: string, project: string): { dir: string } | { problem: string } {
  const base = join(mirrors, project.replace('/', '+'));
  if (!existsSync(base)) return { problem: `no repository ${base}` };
  for (const c of [join(base, 'repo'), base]) {
    // Named explicitly: git's own discovery would climb out of a folder that is not a repository.
    const dir = existsSync(join(c, '.git')) ? join(c, '.git') : c;
    if (!existsSync(join(dir, 'HEAD')) && !existsSync(join(c, '.git'))) continue;
    const r = git(dir, ['rev-parse', '--git-dir']);
    if (r.ok) return { dir };
    return { problem: `not a usable git repository ${dir}: ${r.out.split('\n')[0]}` };
  }
  return { problem: `no git repository in ${base}` };
}

/**
 * The files of a folder a review reads (glob patterns below it), by the language of the advisory's
 * file: its sources and the manifests that name its dependencies.
 */
export const REVIEWED_FILES = {
  python: [
    '*.py',
    'requirements*.txt',
    'pyproject.toml',
    'setup.cfg',
    'Pipfile',
    'Pipfile.lock',
    'poetry.lock',
  ],
  javascript: ['*.js', '*.mjs', '*.cjs', '*.jsx', '*.ts', '*.mts', '*.cts', '*.tsx', 'package.json'],
} as const;

export type Language = keyof typeof REVIEWED_FILES;

/** The language of an advisory, from its file's extension; undefined for one the bench does not read. */
export function languageOf(file: string): Language | undefined {
  for (const language of Object.keys(REVIEWED_FILES) as Language[]) {
    const sources = REVIEWED_FILES[language].filter((f) => f.startsWith('*.'));
    if (sources.some((f) => file.endsWith(f.slice(1)))) return language;
  }
  return undefined;
}

function extractTo(
  gitDir: string,
  commit: string,
  folder: string,
  language: Language,
  dest: string,
): Promise<string | undefined> {
  mkdirSync(dest, { recursive: true });
  return new Promise((done) => {
    // Only what a review reads: the language's files and the manifests that pin dependency versions. The
    // mirrors may lack large blobs (images, archives), which would fail a whole-folder archive.
    const base = folder === '.' ? '' : `${folder}/`;
    // git archive refuses a pathspec that matches nothing: only the patterns the tree has.
    const listed = git(gitDir, ['ls-tree', '-r', '--name-only', commit, '--', folder]);
    const names = listed.ok ? listed.out.split('\n') : [];
    const present = REVIEWED_FILES[language].filter((f) => {
      const re = new RegExp(`(^|/)${f.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
      return names.some((n) => re.test(n));
    });
    if (present.length === 0) {
      done(`extraction failed: no ${language} files in ${folder} at ${commit.slice(0, 12)}`);
      return;
    }
    const paths = ['--', ...present.map((f) => `:(glob)${base}**/${f}`)];
    const archive = spawn(
      'git',
      [...GIT_SAFE, `--git-dir=${gitDir}`, 'archive', '--format=tar', commit, ...paths],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tar = spawn('tar', ['-x', '--no-same-owner', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let errors = '';
    archive.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    tar.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    let left = 2;
    let failed = false;
    const end = (code: number | null): void => {
      if (code !== 0) failed = true;
      if (--left === 0) done(failed ? `extraction failed: ${errors.trim().split('\n')[0]}` : undefined);
    };
    archive.on('close', end);
    tar.on('close', end);
  });
}

/**
 * Extracts `folder` at `commit` into WORK/<owner>+<repo>/<short commit>/ (for a language other
 * than Python, <short commit>-<language>/, so that a review reads one language), unless a previous
 * run did (a marker beside it lists the folders extracted whole). Returns the extraction root.
 */
async function extraction(
  work: string,
  gitDir: string,
  adv: Advisory,
  commit: string,
): Promise<{ root: string } | { problem: string }> {
  const language = languageOf(adv.file);
  if (!language) return { problem: `no language the bench reads has the file ${adv.file}` };
  const suffix = language === 'python' ? '' : `-${language}`;
  const root = join(work, adv.project.replace('/', '+'), `${commit.slice(0, 12)}${suffix}`);
  const marker = `${root}.extracted`;
  const done = existsSync(marker) ? readFileSync(marker, 'utf8').split('\n') : [];
  if (done.includes(adv.folder)) return { root };
  if (adv.folder !== '.' && !git(gitDir, ['cat-file', '-e', `${commit}:${adv.folder}`]).ok)
    return { problem: `folder ${adv.folder} not at ${commit.slice(0, 12)}` };
  const problem = await extractTo(gitDir, commit, adv.folder, language, root);
  if (problem) return { problem };
  appendFileSync(marker, `${adv.folder}\n`);
  return { root };
}

/**
 * Reviews with the default configuration wherever WORK is: an empty config file named on the
 * command line stands in for any .secreview.yml above the extraction, and the user's own config is
 * kept out, so that the numbers do not depend on the machine.
 */
function review(root: string, folder: string, work: string, cache: boolean): Reported[] {
  mkdirSync(work, { recursive: true });
  const defaults = join(work, 'default-config.yml');
  if (!existsSync(defaults)) writeFileSync(defaults, '{}\n');
  const args = [CLI, 'review', folder, '-f', 'json', '-q', '--fail-on', 'never', '--config', defaults];
  args.push(...(cache ? ['--cache-dir', join(work, 'cache')] : ['--no-cache']));
  // Run from the extraction root, so that reported paths are relative to the repository root.
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, XDG_CONFIG_HOME: join(work, 'no-user-config') },
  });
  if (r.status !== 0) throw new Error(`secreview exited ${r.status}: ${(r.stderr ?? '').slice(0, 2000)}`);
  return defectsOf(JSON.parse(r.stdout));
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs the benchmark; resolves to the exit code (2 on a usage or manifest error, else 0). */
export async function main(argv: string[], io: Io = STDIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        id: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        manifest: { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) {
    io.err(USAGE);
    return 2;
  }
  const [mirrors, work] = positionals.map((p) => resolve(p)) as [string, string];
  const manifestPath = values.manifest ? resolve(values.manifest) : MANIFEST;
  let all: Advisory[];
  try {
    all = parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  const unknown = (values.id ?? []).filter((id) => !all.some((a) => a.id === id));
  if (unknown.length) {
    io.err(`unknown advisory ${unknown.join(', ')}\n`);
    return 2;
  }
  const chosen = values.id ? all.filter((a) => values.id!.includes(a.id)) : all;
  const cache = !values['no-cache'];
  const gitDirs = new Map<string, ReturnType<typeof gitDirOf>>();
  // One review per (project, commit, folder), shared by every advisory that needs it.
  const reviews = new Map<string, Reported[] | { problem: string }>();
  const reviewAt = async (
    adv: Advisory,
    gitDir: string,
    commit: string,
  ): Promise<Reported[] | { problem: string }> => {
    const key = `${adv.project}\0${commit}\0${adv.folder}\0${languageOf(adv.file)}`;
    const known = reviews.get(key);
    if (known) return known;
    let result: Reported[] | { problem: string };
    const at = await extraction(work, gitDir, adv, commit);
    if ('problem' in at) result = at;
    else {
      const started = performance.now();
      try {
        result = review(at.root, adv.folder, work, cache);
        const s = ((performance.now() - started) / 1000).toFixed(1);
        io.err(`${adv.project} ${commit.slice(0, 12)} ${adv.folder}: ${result.length} defects in ${s} s\n`);
      } catch (e) {
        result = { problem: (e as Error).message };
      }
    }
    reviews.set(key, result);
    return result;
  };
  const outcomes: Outcome[] = [];
  for (const adv of chosen) {
    let repo = gitDirs.get(adv.project);
    if (!repo) gitDirs.set(adv.project, (repo = gitDirOf(mirrors, adv.project)));
    if ('problem' in repo) {
      outcomes.push(notRun(adv, repo.problem));
      continue;
    }
    const gitDir = repo.dir;
    const missing = (['vulnerable', 'fixed'] as const).filter(
      (k) => !git(gitDir, ['cat-file', '-e', `${adv[k]}^{commit}`]).ok,
    );
    if (missing.length) {
      const names = missing.map((k) => `${k} commit ${adv[k].slice(0, 12)}`).join(' and ');
      outcomes.push(notRun(adv, `${names} not in ${gitDir}`));
      continue;
    }
    const before = await reviewAt(adv, gitDir, adv.vulnerable);
    const after = await reviewAt(adv, gitDir, adv.fixed);
    const problem = 'problem' in before ? before.problem : 'problem' in after ? after.problem : undefined;
    if (problem) outcomes.push(notRun(adv, problem));
    else outcomes.push(scoreAdvisory(adv, before as Reported[], after as Reported[]));
  }
  if (values.json) io.out(JSON.stringify({ advisories: outcomes, totals: totals(outcomes) }, null, 2) + '\n');
  else io.out(formatOutcomes(outcomes));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
