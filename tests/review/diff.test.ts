import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { CMD, ONLY_CMD, findingsOf, run, TempRepo } from './helpers.js';
import { flaskRunApp } from '../helpers/flask.js';

const BASE_APP = `import os
import subprocess


def ping(request):
    os.system("ping -c 1 " + request.GET["host"])


def status():
    return 0
`;

/** A script whose line 3 runs a client's request parameter as a shell command. */
const CLIENT_SCRIPT = 'import os\nfrom flask import request\nos.system(request.args["cmd"])\n';

/** BASE_APP with a new shell command on line 10. */
const WITH_SHELL_RUN = BASE_APP.replace(
  'def status():\n    return 0',
  'def status(request):\n    subprocess.run(request.GET["cmd"], shell=True)\n    return 0',
);

let repos: TempRepo[] = [];
function repo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  return r.write('.secreview.yml', ONLY_CMD);
}
afterEach(() => {
  for (const r of repos) r.remove();
  repos = [];
});

function notices(jsonReport: string): string[] {
  return (JSON.parse(jsonReport) as { notices: string[] }).notices;
}

describe('secreview diff against git', () => {
  it('reports the finding on an added line and leaves the unchanged one out', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write('app.py', WITH_SHELL_RUN);
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual([`app.py:10 ${CMD}`]);

    const text = await run(r.dir, ['diff']);
    expect(text.stdout).toContain(
      'app.py\n  10  high  CWE-78 OS Command Injection  python/os-command-injection\n',
    );
    expect(text.stdout).toContain('10 | subprocess.run(request.GET["cmd"], shell=True)');
    expect(text.stdout).not.toContain('os.system');
  });

  it('says the verdict sentence and exits 0 when the change adds no defect', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write('app.py', BASE_APP + '\n\ndef helper():\n    return 2\n');
    const res = await run(r.dir, ['diff']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`${NO_DEFECTS_SENTENCE}\n`);
  });

  it('hides a finding that existed at the base even when its line was edited, unless --show-existing', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    // Same code, re-spaced and commented: the fingerprint is unchanged.
    r.write(
      'app.py',
      BASE_APP.replace(
        'os.system("ping -c 1 " + request.GET["host"])',
        'os.system("ping -c 1 "  +  request.GET["host"])  # ping it',
      ),
    );
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect(res.code).toBe(0);
    expect(findingsOf(res.stdout)).toEqual([]);
    expect(notices(res.stdout)).toEqual([
      '1 finding(s) on changed lines already existed at the base and are not shown (--show-existing shows them).',
    ]);
    const shown = await run(r.dir, ['diff', '-f', 'json', '--show-existing']);
    expect(shown.code).toBe(1);
    expect(findingsOf(shown.stdout)).toEqual([`app.py:6 ${CMD}`]);
  });

  it('reports a pasted second copy of an existing pattern as new, not the original', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write(
      'app.py',
      BASE_APP.replace(
        '    os.system("ping -c 1 " + request.GET["host"])\n',
        '    os.system("ping -c 1 " + request.GET["host"])\n    os.system("ping -c 1 " + request.GET["host"])\n',
      ),
    );
    const res = await run(r.dir, ['diff', '-f', 'json', '--scope', 'file']);
    expect(findingsOf(res.stdout)).toEqual([`app.py:7 ${CMD}`]);
  });

  it('handles renames: a pure rename reports nothing, a renamed and edited file only its added lines', async () => {
    const r = repo().write('pkg/app.py', BASE_APP);
    r.commit('base');
    r.git('mv', 'pkg/app.py', 'pkg/tools.py');
    const pure = await run(r.dir, ['diff', '-f', 'json', '--scope', 'file']);
    expect(pure.code).toBe(0);
    expect(findingsOf(pure.stdout)).toEqual([]);
    expect(notices(pure.stdout)).toEqual([
      '1 finding(s) on changed lines already existed at the base and are not shown (--show-existing shows them).',
    ]);
    r.write('pkg/tools.py', BASE_APP + '\n\ndef run(c):\n    os.popen(c)\n');
    r.commit('rename and edit');
    const res = await run(r.dir, ['diff', 'HEAD~1', '--head', 'HEAD', '-f', 'json']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual([`pkg/tools.py:14 ${CMD}`]);
    const github = JSON.parse((await run(r.dir, ['diff', 'HEAD~1..HEAD', '-f', 'github'])).stdout) as {
      commit_id: string;
      comments: { path: string; line: number }[];
    };
    expect(github.commit_id).toBe(r.git('rev-parse', 'HEAD').trim());
    expect(github.comments.map((c) => `${c.path}:${c.line}`)).toEqual(['pkg/tools.py:14']);
  });

  it('handles deleted files, binary files and files in other languages', async () => {
    const r = repo().write('app.py', BASE_APP).write('old.py', CLIENT_SCRIPT);
    r.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    r.commit('base');
    r.git('rm', '-q', 'old.py');
    r.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 3, 4]));
    r.write('data.py', Buffer.from([0x69, 0x6d, 0, 0x01, 0x02]));
    r.write('run.sh', 'rm -rf "$1"\n');
    r.write('app.py', BASE_APP + '\n\ndef more(request):\n    os.system(request.GET["cmd"])\n');
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual([`app.py:14 ${CMD}`]);
    const report = JSON.parse(res.stdout) as { files: { file: string; status: string; reason?: string }[] };
    expect(report.files.map((f) => `${f.file} ${f.status}${f.reason ? ` ${f.reason}` : ''}`)).toEqual([
      'app.py reviewed',
      'data.py skipped binary',
    ]);
    expect(notices(res.stdout)).toEqual([
      '3 changed file(s) were not reviewed: deleted, excluded or outside the supported languages.',
    ]);
  });

  it('never follows a symbolic link in the change', async () => {
    const outside = new TempRepo(false);
    repos.push(outside);
    outside.write('private.py', CLIENT_SCRIPT);
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    symlinkSync(join(outside.dir, 'private.py'), join(r.dir, 'link.py'));
    r.commit('add a link');
    const res = await run(r.dir, ['diff', 'HEAD~1', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual([]);
    const report = JSON.parse(res.stdout) as { files: { file: string; status: string; detail?: string }[] };
    expect(report.files).toEqual([
      { file: 'link.py', status: 'skipped', reason: 'unreadable', detail: 'symbolic link, not followed' },
    ]);
  });

  it('reviews untracked new files as wholly added', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write('new/tool.py', 'import subprocess\n\n\ndef go(x):\n    subprocess.call(x, shell=True)\n');
    r.write('.gitignore', 'ignored.py\n').write('ignored.py', CLIENT_SCRIPT);
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual([`new/tool.py:5 ${CMD}`]);
  });

  it('--staged reviews the index: unstaged edits and untracked files are left for later', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write('app.py', BASE_APP + '\n\ndef staged(a):\n    os.popen(a)\n');
    r.git('add', 'app.py');
    r.write('app.py', BASE_APP + '\n\ndef staged(a):\n    os.popen(a)\n    os.system(a)\n');
    r.write('scratch.py', CLIENT_SCRIPT);
    const res = await run(r.dir, ['diff', '--staged', '-f', 'json']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual([`app.py:14 ${CMD}`]);
    const worktree = await run(r.dir, ['diff', '-f', 'json']);
    expect(findingsOf(worktree.stdout)).toEqual([
      `app.py:14 ${CMD}`,
      `app.py:15 ${CMD}`,
      `scratch.py:3 ${CMD}`,
    ]);
  });

  it('uses the merge base with the upstream branch by default, else HEAD', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.git('checkout', '-q', '-b', 'feature');
    r.write('app.py', BASE_APP + '\n\ndef committed(a):\n    os.popen(a)\n');
    r.commit('feature work');
    r.write(
      'app.py',
      BASE_APP + '\n\ndef committed(a):\n    os.popen(a)\n\n\ndef wip(b):\n    os.system(b)\n',
    );
    // No upstream: only the uncommitted work.
    const noUpstream = await run(r.dir, ['diff', '-f', 'json']);
    expect(findingsOf(noUpstream.stdout)).toEqual([`app.py:18 ${CMD}`]);
    r.git('branch', '-q', '--set-upstream-to', 'main');
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual([`app.py:14 ${CMD}`, `app.py:18 ${CMD}`]);
    const md = JSON.parse((await run(r.dir, ['diff', '-f', 'github'])).stdout) as { body: string };
    expect(md.body).toContain(
      `Changes from the merge base of main and HEAD (${r.git('rev-parse', 'main').trim().slice(0, 12)}) to the working tree.`,
    );
  });

  it('reviews a branch as a pull request would with A...B', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.git('checkout', '-q', '-b', 'feature');
    r.write('feat.py', 'import os\n\n\ndef f(v):\n    os.system(v)\n');
    r.commit('feature');
    r.git('checkout', '-q', 'main');
    r.write('main_only.py', 'import os\n\n\ndef g(v):\n    os.popen(v)\n');
    r.commit('main moves on');
    const res = await run(r.dir, ['diff', 'main...feature', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual([`feat.py:5 ${CMD}`]);
    const direct = await run(r.dir, ['diff', 'main', '--head', 'feature', '-f', 'json']);
    expect(findingsOf(direct.stdout)).toEqual([`feat.py:5 ${CMD}`]);
  });

  it('scopes: added lines, diff context, or new findings anywhere in the changed file', async () => {
    const src = `import os

CMD = "uptime"


def a():
    os.system(CMD)


def b():
    return 1


def c():
    return 2


def d():
    return 3
`;
    const r = repo().write('app.py', src);
    r.commit('base');
    // The sink on line 7 becomes dangerous without being edited; a new sink is added on line 20.
    const tainted = src.replace('\nCMD = "uptime"', 'from flask import request\nCMD = request.args["cmd"]');
    r.write('app.py', tainted + '\n\ndef e(x):\n    os.system(x)\n');
    expect(findingsOf((await run(r.dir, ['diff', '-f', 'json'])).stdout)).toEqual([`app.py:23 ${CMD}`]);
    expect(findingsOf((await run(r.dir, ['diff', '-f', 'json', '--scope', 'context'])).stdout)).toEqual([
      `app.py:23 ${CMD}`,
    ]);
    expect(findingsOf((await run(r.dir, ['diff', '-f', 'json', '--scope', 'file'])).stdout)).toEqual([
      `app.py:7 ${CMD}`,
      `app.py:23 ${CMD}`,
    ]);
  });

  it('fails clearly outside a repository and on an unknown revision', async () => {
    const r = new TempRepo(false);
    repos.push(r);
    const outside = await run(r.dir, ['diff']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^secreview: error: not inside a git repository/);
    r.git('init', '-q', '-b', 'main');
    r.write('a.py', 'x = 1\n');
    r.commit('one');
    const bad = await run(r.dir, ['diff', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "secreview: error: unknown revision 'no-such-branch': not a commit, branch or tag in this repository\n",
    );
  });
});

describe('secreview diff --patch', () => {
  it('reviews a unified diff against the files on disk and rebuilds the old side to hide existing findings', async () => {
    const r = repo().write('app.py', BASE_APP);
    r.commit('base');
    r.write('app.py', WITH_SHELL_RUN);
    const patch = r.git('diff');
    writeFileSync(join(r.dir, 'change.patch'), patch);
    // Run from a copy that is not a git repository: the patch is all secreview knows.
    const plain = new TempRepo(false);
    repos.push(plain);
    plain.write('.secreview.yml', ONLY_CMD);
    plain.write('app.py', readFileSync(join(r.dir, 'app.py')));
    plain.write('change.patch', patch);
    const res = await run(plain.dir, ['diff', '--patch', 'change.patch', '-f', 'json', '--scope', 'file']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual([`app.py:10 ${CMD}`]);
    // Line 6 had its finding before the patch: the rebuilt old side shows it.
    expect(notices(res.stdout)).toEqual([
      '1 finding(s) on changed lines already existed at the base and are not shown (--show-existing shows them).',
    ]);

    const stdin = await run(plain.dir, ['diff', '--patch', '-', '-f', 'json'], { stdin: async () => patch });
    expect(findingsOf(stdin.stdout)).toEqual([`app.py:10 ${CMD}`]);
  });

  it('reports all in-scope findings as new when the file does not match the patch', async () => {
    const plain = new TempRepo(false);
    repos.push(plain);
    plain.write('.secreview.yml', ONLY_CMD);
    plain.write('app.py', 'import os\n\n\ndef f(v):\n    os.system(v)\n');
    const patch = [
      'diff --git a/app.py b/app.py',
      '--- a/app.py',
      '+++ b/app.py',
      '@@ -3,3 +3,3 @@',
      ' ',
      ' def f(v):',
      '-    os.popen(v)',
      '+    os.system(v)  # not what is on disk',
      '',
    ].join('\n');
    const res = await run(plain.dir, ['diff', '--patch', '-', '-f', 'json'], { stdin: async () => patch });
    expect(findingsOf(res.stdout)).toEqual([`app.py:5 ${CMD}`]);
    expect(notices(res.stdout)).toEqual([
      'app.py: the file does not match the patch, so its old side could not be rebuilt; all its findings in scope are reported as new.',
    ]);
  });
});

describe('secreview diff and Python packages', () => {
  it('names the changed files from the packages around them, though their __init__.py is unchanged', async () => {
    // src/pkg is a package; examples/pkg is a copy outside any package whose run() is harmless.
    // Only the package names tell which pkg.helpers src/pkg/app.py imports.
    const r = repo()
      .write('src/pkg/__init__.py', '')
      .write('src/pkg/helpers.py', 'def run(cmd):\n    return cmd\n')
      .write('examples/pkg/helpers.py', 'def run(cmd):\n    return cmd\n')
      .write('src/pkg/app.py', 'from flask import Flask\n\napp = Flask(__name__)\n');
    r.commit('base');
    r.write('src/pkg/helpers.py', 'import os\n\n\ndef run(cmd):\n    return os.system(cmd)\n')
      .write('examples/pkg/helpers.py', 'def run(cmd):\n    return len(cmd)\n')
      .write('src/pkg/app.py', flaskRunApp('from pkg.helpers import run'));
    const res = await run(r.dir, ['diff', '-f', 'json']);
    const report = JSON.parse(res.stdout) as {
      findings: {
        ruleId: string;
        location: { file: string; start: { line: number } };
        flow?: { location: { file: string; start: { line: number } } }[];
      }[];
    };
    expect(
      report.findings.map(
        (f) =>
          `${f.location.file}:${f.location.start.line} ${f.ruleId} <- ${(f.flow ?? [])
            .map((s) => `${s.location.file}:${s.location.start.line}`)
            .join(' ')}`,
      ),
    ).toEqual([`src/pkg/app.py:7 ${CMD} <- src/pkg/app.py:7 src/pkg/app.py:7 src/pkg/helpers.py:5`]);
  });
});
