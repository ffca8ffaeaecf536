import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CMD, ONLY_CMD, findingsOf, run, TempRepo } from './helpers.js';

const SINK = 'import os\n\n\ndef f(a):\n    os.system(a)\n';

let dirs: TempRepo[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});

function dir(init = false): TempRepo {
  const d = new TempRepo(init);
  dirs.push(d);
  return d;
}

describe('.secreview.yml for change reviews', () => {
  it('rejects an unknown key in review:, naming the file, the line and the allowed keys', async () => {
    const d = dir(true).write('.secreview.yml', `${ONLY_CMD}review:\n  scope: added\n  max-coments: 3\n`);
    d.write('a.py', 'x = 1\n').commit('one');
    const res = await run(d.dir, ['diff']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `secreview: error: ${join(d.dir, '.secreview.yml')}:5: unknown key 'max-coments' in 'review'; allowed keys: scope, show-existing, baseline, report-unused-suppressions, max-comments, comment-severity\n`,
    );
  });

  it('rejects bad values with the allowed ones', async () => {
    const d = dir().write(
      '.secreview.yml',
      'gerrit:\n  notify: EVERYONE\ngithub:\n  event-on-clean: MERGE\n',
    );
    d.write('a.py', SINK);
    const res = await run(d.dir, ['review', 'a.py']);
    expect(res.code).toBe(2);
    const path = join(d.dir, '.secreview.yml');
    expect(res.stderr).toBe(
      `secreview: error: ${path}:2: bad value for 'gerrit.notify'; allowed values: "NONE", "OWNER", "OWNER_REVIEWERS", "ALL"\n` +
        `${path}:4: bad value for 'github.event-on-clean'; allowed values: "COMMENT", "APPROVE"\n`,
    );
    d.write('.secreview.yml', 'review:\n  scope: everything\n');
    const scope = await run(d.dir, ['review', 'a.py']);
    expect(scope.stderr).toBe(
      `secreview: error: ${path}:2: bad value for 'review.scope'; allowed values: "added", "context", "file"\n`,
    );
    d.write('.secreview.yml', 'gerrit:\n  vote-on-defects: -3\n');
    const vote = await run(d.dir, ['review', 'a.py']);
    expect(vote.stderr).toBe(
      `secreview: error: ${path}:2: bad value for 'gerrit.vote-on-defects': must be >= -2\n`,
    );
  });

  it('lets command-line flags override the config', async () => {
    const d = dir(true).write(
      '.secreview.yml',
      `${ONLY_CMD}fail-on: never\nreview:\n  scope: file\n  max-comments: 0\n`,
    );
    d.write('a.py', SINK).commit('base');
    d.write('a.py', SINK + '    os.popen(a)\n');
    const fromConfig = await run(d.dir, ['diff', '-f', 'github']);
    expect(fromConfig.code).toBe(0);
    expect((JSON.parse(fromConfig.stdout) as { comments: unknown[] }).comments).toEqual([]);
    const flags = await run(d.dir, ['diff', '-f', 'github', '--fail-on', 'low', '--max-comments', '5']);
    expect(flags.code).toBe(1);
    expect(
      (JSON.parse(flags.stdout) as { comments: { line: number }[] }).comments.map((c) => c.line),
    ).toEqual([6]);
    // scope: file from the config shows existing findings of the file only with --show-existing
    const all = await run(d.dir, ['diff', '-f', 'json', '--show-existing']);
    expect(findingsOf(all.stdout)).toEqual([`a.py:5 ${CMD}`, `a.py:6 ${CMD}`]);
    const added = await run(d.dir, ['diff', '-f', 'json', '--show-existing', '--scope', 'added']);
    expect(findingsOf(added.stdout)).toEqual([`a.py:6 ${CMD}`]);
  });

  it('honors include patterns in directory reviews and in diffs', async () => {
    const d = dir(true).write('.secreview.yml', `${ONLY_CMD}include: ["src/**"]\n`);
    d.write('src/app.py', SINK).write('scripts/tool.py', SINK);
    const tree = await run(d.dir, ['review', '.', '-f', 'json']);
    expect(findingsOf(tree.stdout)).toEqual([`src/app.py:5 ${CMD}`]);
    d.write('.keep', '').commit('base');
    d.write('src/app.py', SINK + '    os.popen(a)\n').write('scripts/tool.py', SINK + '    os.popen(a)\n');
    const diff = await run(d.dir, ['diff', '-f', 'json']);
    expect(findingsOf(diff.stdout)).toEqual([`src/app.py:6 ${CMD}`]);
  });
});
