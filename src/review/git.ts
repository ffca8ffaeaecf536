import { execFile } from 'node:child_process';
import { terminalSafe } from '../core/escape.js';

/** A git command failed; the message quotes git's own explanation. */
export class GitError extends Error {}

/**
 * The reviewed repository's own `.git/config` is data too (it arrives with an archive or a shared
 * folder): every option that makes git run a program is overridden on the command line, which
 * wins over every config file. Filters (`filter.<driver>.smudge/clean`) cannot be listed ahead of
 * time; no command used here runs them (`diff` with --no-textconv and --no-ext-diff compares blobs
 * as stored, `cat-file blob` prints them as stored), and the attributes that would name them are
 * limited to the repository's own files. `safe.directory` is left to git, so a repository owned by
 * someone else is still refused.
 */
const NEUTRAL = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.pager=cat',
  '-c',
  'core.attributesFile=/dev/null',
  '-c',
  'core.sshCommand=false',
  '-c',
  'core.askPass=false',
  '-c',
  'credential.helper=',
  '-c',
  'diff.external=',
  '-c',
  'protocol.allow=never',
  '-c',
  'uploadpack.packObjectsHook=',
];

/** Settings that make git's output stable and parseable whatever the user's config says. */
const STABLE = [
  '-c',
  'core.quotePath=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'color.ui=false',
];

/**
 * `-c` overrides that empty every filter driver the configuration defines: `git diff` against the
 * working tree runs a file's `clean` filter (named by .gitattributes, which the repository holds)
 * to compare it, and drivers cannot be switched off as a whole, only one by one. Listing them
 * (`git config --get-regexp`) runs nothing. Cached per folder for the run.
 */
const filterOverrides = new Map<string, Promise<string[]>>();

function neutralFilters(cwd: string): Promise<string[]> {
  let pending = filterOverrides.get(cwd);
  if (!pending) {
    pending = run(cwd, ['config', '-z', '--get-regexp', '^filter\\.'], [])
      .then((out) => {
        const names = new Set<string>();
        for (const entry of out.toString('utf8').split('\0')) {
          const key = entry.split('\n')[0];
          const m = /^filter\.(.+)\.[^.]+$/.exec(key);
          if (m) names.add(m[1]);
        }
        return [...names].flatMap((n) =>
          ['clean', 'smudge', 'process']
            .flatMap((v) => ['-c', `filter.${n}.${v}=`])
            .concat(['-c', `filter.${n}.required=false`]),
        );
      })
      // No filter configured (git exits 1) or no repository: nothing to override.
      .catch(() => []);
    filterOverrides.set(cwd, pending);
  }
  return pending;
}

/** Runs git without a shell. Never runs hooks, filters, external diff drivers or text conversions. */
export async function git(cwd: string, args: readonly string[]): Promise<Buffer> {
  return run(cwd, args, await neutralFilters(cwd));
}

function run(cwd: string, args: readonly string[], overrides: readonly string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      ['--no-pager', ...NEUTRAL, ...overrides, ...STABLE, ...args],
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...withoutExternalDiff(process.env),
          GIT_OPTIONAL_LOCKS: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_ATTR_NOSYSTEM: '1',
          GIT_TERMINAL_PROMPT: '0',
          GIT_PAGER: 'cat',
          GIT_ASKPASS: '',
          SSH_ASKPASS: '',
          // Network access through a remote helper is never needed: everything read is local.
          GIT_PROTOCOL_FROM_USER: '0',
          GIT_NO_REPLACE_OBJECTS: '1',
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = terminalSafe(stderr.toString('utf8').trim().split('\n')[0] || error.message);
          reject(new GitError(`git ${args[0]} failed: ${detail}`));
        } else resolvePromise(stdout);
      },
    );
  });
}

/** GIT_EXTERNAL_DIFF names a program to run; an empty value would still be run by some versions. */
function withoutExternalDiff(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.GIT_EXTERNAL_DIFF;
  return out;
}

async function gitText(cwd: string, args: readonly string[]): Promise<string> {
  return (await git(cwd, args)).toString('utf8');
}

export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await gitText(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch (e) {
    throw new GitError(
      `not inside a git repository (${(e as Error).message}); use \`secreview diff --patch FILE\` for a unified diff`,
    );
  }
}

/** The full commit id a revision names, or a GitError naming the revision. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  try {
    return (
      await gitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
    ).trim();
  } catch {
    throw new GitError(`unknown revision '${rev}': not a commit, branch or tag in this repository`);
  }
}

/** Commit ids are shown abbreviated; names keep their commit beside them. */
function short(rev: string): string {
  return /^[0-9a-f]{40}$/i.test(rev) ? rev.slice(0, 12) : rev;
}

function label(rev: string, commit: string): string {
  return short(rev) === commit.slice(0, 12) ? short(rev) : `${rev} (${commit.slice(0, 12)})`;
}

export interface ResolvedRange {
  /** Full commit id of the base. */
  base: string;
  /** Full commit id of the head, or undefined for the working tree. */
  head: string | undefined;
  /** How the base was chosen, for the report. */
  baseLabel: string;
  headLabel: string;
}

/**
 * Resolves `BASE`, `A..B` or `A...B` (merge base of A and B) and `--head`. Without BASE the base is
 * the merge base of HEAD and its upstream branch when one is configured, otherwise HEAD: the
 * review then covers what is not yet upstream (unpushed commits and uncommitted work), or just the
 * uncommitted work.
 */
export async function resolveRange(
  root: string,
  spec: string | undefined,
  headOption: string | undefined,
): Promise<ResolvedRange> {
  let baseRev: string;
  let headRev = headOption;
  let mergeBase = false;
  if (spec === undefined) {
    let upstream: string | undefined;
    try {
      upstream = (
        await gitText(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'])
      ).trim();
    } catch {
      upstream = undefined;
    }
    baseRev = upstream ?? 'HEAD';
    mergeBase = upstream !== undefined;
  } else {
    const m = /^(.*?)(\.\.\.?)(.*)$/.exec(spec);
    if (m) {
      baseRev = m[1] || 'HEAD';
      if (headOption !== undefined && m[3]) {
        throw new GitError(`give the head either in the range '${spec}' or with --head, not both`);
      }
      headRev = m[3] || headOption || 'HEAD';
      mergeBase = m[2] === '...';
    } else baseRev = spec;
  }
  const head = headRev === undefined ? undefined : await resolveCommit(root, headRev);
  let base = await resolveCommit(root, baseRev);
  let baseLabel = label(baseRev, base);
  if (mergeBase) {
    try {
      base = (await gitText(root, ['merge-base', base, head ?? 'HEAD'])).trim();
    } catch {
      throw new GitError(`'${baseRev}' and '${headRev ?? 'HEAD'}' have no common ancestor`);
    }
    baseLabel = `the merge base of ${short(baseRev)} and ${short(headRev ?? 'HEAD')} (${base.slice(0, 12)})`;
  }
  return {
    base,
    head,
    baseLabel,
    headLabel: headRev === undefined || head === undefined ? 'the working tree' : label(headRev, head),
  };
}

/**
 * The unified diff from base to head, to the index (`staged`) or to the working tree, with renames
 * detected.
 */
export function diffText(
  root: string,
  base: string,
  head: string | undefined,
  staged = false,
): Promise<string> {
  const args = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--unified=3'];
  if (staged) args.push('--cached');
  args.push(base);
  if (head) args.push(head);
  return gitText(root, [...args, '--']);
}

/** Files in the working tree that git does not track and does not ignore: new work. */
export async function untrackedFiles(root: string): Promise<string[]> {
  const out = await gitText(root, ['ls-files', '--others', '--exclude-standard', '-z']);
  return out.split('\0').filter(Boolean);
}

/** The paths of the files at a commit (or in the index when `commit` is ''). */
export async function listFiles(root: string, commit: string): Promise<string[]> {
  const args = commit ? ['ls-tree', '-r', '-z', '--name-only', commit] : ['ls-files', '-z'];
  const out = await gitText(root, args).catch(() => '');
  return out.split('\0').filter(Boolean);
}

/** A file's bytes at a commit (or in the index when `commit` is ''), or undefined when absent. */
export async function showFile(root: string, commit: string, path: string): Promise<Buffer | undefined> {
  try {
    return await git(root, ['cat-file', 'blob', `${commit}:${path}`]);
  } catch {
    return undefined;
  }
}
