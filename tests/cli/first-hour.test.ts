import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig } from '../../src/config/load.js';
import { CLI, cleanup, runCli, runMain, tempTree, VULNERABLE } from './run.js';
import { main } from '../../src/cli/main.js';

afterAll(cleanup);

describe('secreview init', () => {
  it('writes a commented .secreview.yml with the detected frameworks and the test folders excluded', async () => {
    const dir = await tempTree({
      'requirements.txt': 'Django==5.0\nrequests\n',
      'app/views.py': 'from flask import Flask\n',
      'tests/test_views.py': 'x = 1\n',
      'app/unit_tests/test_a.py': 'x = 1\n',
    });
    const run = await runMain(['init'], dir);
    expect(run.code).toBe(0);
    const text = readFileSync(join(dir, '.secreview.yml'), 'utf8');
    expect(text).toContain('# Frameworks detected: Django, Flask.');
    expect(text).toContain('exclude:\n  - "tests/**"\n  - "app/unit_tests/**"\n');
    expect(run.stdout.split('\n')[0]).toBe(
      'Wrote .secreview.yml (frameworks: Django, Flask); excluded 2 test folder(s).',
    );
    expect(run.stdout).toContain('Next:\n  secreview review   review the project\n');
    // What init writes is a valid configuration: a review reads it and leaves the tests out.
    const review = await runMain(['-f', 'json', '-q', '--no-cache', '--fail-on', 'never'], dir);
    expect(review.code).toBe(0);
    const files = (JSON.parse(review.stdout) as { files: { file: string }[] }).files.map((f) => f.file);
    expect(files).toEqual(['app/views.py']);
  });

  it('does not overwrite an existing file without --force', async () => {
    const dir = await tempTree({ '.secreview.yml': 'fail-on: high\n' });
    const run = await runMain(['init'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: .secreview.yml exists; --force overwrites it\n',
    });
    expect(readFileSync(join(dir, '.secreview.yml'), 'utf8')).toBe('fail-on: high\n');
    expect((await runMain(['init', '--force'], dir)).code).toBe(0);
  });
});

describe('the configuration file', () => {
  it('is looked for up to the repository root, not above it', async () => {
    const dir = await tempTree({ '.secreview.yml': 'fail-on: never\n', 'repo/src/app.py': VULNERABLE });
    mkdirSync(join(dir, 'repo', '.git'));
    expect(findConfig(join(dir, 'repo', 'src'))).toBeUndefined();
    const run = await runMain(['repo/src/app.py'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Configuration: defaults (no .secreview.yml found).');
  });

  it('is named in the summary, relative to where the user is', async () => {
    const dir = await tempTree({ 'repo/.secreview.yml': 'fail-on: never\n', 'repo/src/app.py': VULNERABLE });
    mkdirSync(join(dir, 'repo', '.git'));
    expect(findConfig(join(dir, 'repo', 'src'))).toBe(join(dir, 'repo', '.secreview.yml'));
    const run = await runMain(['repo/src/app.py'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ Configuration: repo\/\.secreview\.yml\.\n$/);
  });
});

describe('usage', () => {
  it('reports an unknown command as one, with a guess and a hint, not as a missing path', async () => {
    const run = await runMain(['rule'], await tempTree());
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "secreview: error: unknown command 'rule'; did you mean 'rules'? (to review a path, it must exist)\n" +
        "(run 'secreview --help', or 'secreview COMMAND --help', for usage)\n",
    });
  });

  it('prints one line and a hint on a usage error, not the whole help', async () => {
    const run = await runMain(['review', '--no-such-flag'], await tempTree());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "secreview: error: unknown option '--no-such-flag'\n(run 'secreview --help', or 'secreview COMMAND --help', for usage)\n",
    );
  });

  it('groups the options in --help', async () => {
    const run = await runMain(['review', '--help'], await tempTree());
    const headings = run.stdout.split('\n').filter((l) => /^[A-Z][A-Za-z]*( options)?:$/.test(l));
    expect(headings).toEqual([
      'Arguments:',
      'Output options:',
      'Selection options:',
      'CI options:',
      'Performance options:',
      'Other options:',
    ]);
    const ci = run.stdout.slice(
      run.stdout.indexOf('CI options:'),
      run.stdout.indexOf('Performance options:'),
    );
    expect(ci).toContain('--fail-on <severity>');
    expect(ci).toContain('--baseline <file>');
  });

  it('lets diff take the report options review takes', async () => {
    const review = (await runMain(['review', '--help'], await tempTree())).stdout;
    const diff = (await runMain(['diff', '--help'], await tempTree())).stdout;
    const flags = (help: string): string[] =>
      [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    const reportFlags = [
      '--format',
      '--output',
      '--verbose',
      '--quiet',
      '--no-suggestions',
      '--fail-on-suggestions',
      '--min-confidence',
      '--max-file-size',
      '--fail-on',
      '--baseline',
      '--config',
      '--exclude',
    ];
    expect(flags(review)).toEqual(expect.arrayContaining(reportFlags));
    expect(flags(diff)).toEqual(expect.arrayContaining(reportFlags));
  });
});

describe('output streams', () => {
  it('exits quietly when the reader closes the pipe early', async () => {
    // `secreview review examples -f sarif | head -c 10` in a shell, as a reader would type it: a
    // report far larger than a pipe's buffer meets the closed pipe. pipefail gives secreview's
    // own exit status.
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(
        'bash',
        [
          '-c',
          'set -o pipefail; "$0" "$1" review examples -f sarif -q --no-cache --fail-on never | head -c 10',
          process.execPath,
          CLI,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(import.meta.dirname, '..', '..') },
      );
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code, stderr, stdout }));
    });
    expect(result.stdout).toBe('{\n  "$sche');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('colours the text report only on a terminal, and honours NO_COLOR and FORCE_COLOR', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const ESC = '\u001b[';
    const runWith = async (env: Record<string, string>, stdoutIsTTY: boolean): Promise<string> => {
      let out = '';
      await main(['app.py', '-q', '--no-cache'], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        cwd: dir,
        env: { XDG_CONFIG_HOME: join(dir, 'no-user-config'), ...env },
        stdoutIsTTY,
      });
      return out;
    };
    expect(await runWith({}, true)).toContain(`${ESC}31mhigh${ESC}0m`);
    expect(await runWith({}, false)).not.toContain(ESC);
    expect(await runWith({ NO_COLOR: '1' }, true)).not.toContain(ESC);
    expect(await runWith({ FORCE_COLOR: '1' }, false)).toContain(ESC);
    expect(await runWith({ FORCE_COLOR: '0' }, true)).not.toContain(ESC);
    // A pipe from the real binary: plain.
    expect((await runCli(['app.py', '-q', '--no-cache'], dir)).stdout).not.toContain(ESC);
    expect(existsSync(CLI)).toBe(true);
  });
});
