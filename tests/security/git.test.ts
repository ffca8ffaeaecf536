import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, VULNERABLE } from './hostile.js';

/**
 * Attack 5: a repository handed over with its own `.git/config` (an archive, a shared folder)
 * whose options make git run programs. `secreview diff` must run none of them, and still review.
 */

let box: Sandbox;

beforeEach(() => {
  box = new Sandbox();
});
afterEach(() => box.remove());

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: box.repo,
    env: box.env(),
  });
}

/** A shell command that leaves a mark when run, then behaves like `cat` (a filter must pass data). */
function marker(name: string): string {
  return `sh -c 'touch ${join(box.outside, name)}; cat'`;
}

describe('secreview diff runs nothing the repository configures', () => {
  it('core.fsmonitor, hooks, pagers, external diff, textconv and clean/smudge filters stay unrun', async () => {
    git('init', '-q', '-b', 'main');
    writeFileSync(join(box.repo, 'app.py'), 'import os\n');
    writeFileSync(join(box.repo, '.gitattributes'), '*.py filter=evil diff=evil\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('config', 'core.fsmonitor', marker('fsmonitor'));
    git('config', 'core.pager', marker('pager'));
    git('config', 'core.hooksPath', box.outside);
    git('config', 'diff.external', marker('external'));
    git('config', 'diff.evil.textconv', marker('textconv'));
    git('config', 'diff.evil.command', marker('command'));
    git('config', 'filter.evil.clean', marker('clean'));
    git('config', 'filter.evil.smudge', marker('smudge'));
    git('config', 'filter.evil.required', 'true');
    writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
    writeFileSync(join(box.repo, 'new.py'), VULNERABLE);
    for (const args of [['diff'], ['diff', '--staged'], ['diff', 'HEAD']]) {
      const res = await box.run([...args, '-q', '--fail-on', 'never']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
    }
    const res = await box.run(['diff', '-q']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^app\.py\n {2}\d+ {2}high {2}CWE-78 /m);
    expect(res.stdout).toMatch(/^new\.py\n {2}\d+ {2}high {2}CWE-78 /m);
    for (const name of ['fsmonitor', 'pager', 'external', 'textconv', 'command', 'clean', 'smudge'])
      expect(existsSync(join(box.outside, name)), name).toBe(false);
  });
});
