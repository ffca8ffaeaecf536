import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { CLEAN, cleanup, defectLines, jsonReport, runCli, tempTree, VULNERABLE } from './run.js';

afterAll(cleanup);

/** The head line of the finding on line 3, and the rule's full CWE heading after the file's findings. */
const CMD_LINE = '  3  high  CWE-78 OS Command Injection  python/os-command-injection';
const CMD_HEADING =
  "  python/os-command-injection: CWE-78 Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection') " +
  '[pillar CWE-707 Improper Neutralization]';
const DEFAULTS = ' Configuration: defaults (no .secreview.yml found).';

describe('secreview review: verdicts and exit codes', () => {
  it('prints exactly the verdict sentence for a clean file, and exits 0', async () => {
    const dir = await tempTree({ 'clean.py': CLEAN });
    const run = await runCli(['clean.py'], dir);
    expect(run).toEqual({
      code: 0,
      stdout: `${NO_DEFECTS_SENTENCE}\n`,
      stderr: `secreview: Reviewed 1 file (2 lines), skipped 0: 0 security defects.${DEFAULTS}\n`,
    });
  });

  it('reports a defect with its CWE, pillar and line, and exits 1', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['app.py', CMD_LINE]);
    expect(run.stdout).toContain(`\n\n${CMD_HEADING}\n    fix: `);
    expect(run.stderr).toBe(
      `secreview: Reviewed 1 file (3 lines), skipped 0: 1 security defect (1 high).${DEFAULTS}\n`,
    );
  });

  it.each([
    [['--fail-on', 'low'], 1],
    [['--fail-on', 'high'], 1],
    [['--fail-on', 'critical'], 0],
    [['--fail-on', 'never'], 0],
  ])('exits by the --fail-on threshold: %j -> %i for a high finding', async (flags, code) => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py', '-q', ...flags], dir);
    expect(run.code).toBe(code);
    expect(run.stdout).toContain(CMD_LINE);
  });

  it('takes fail-on from the config file, and the flag wins over it', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE, '.secreview.yml': 'fail-on: critical\n' });
    expect((await runCli(['app.py', '-q'], dir)).code).toBe(0);
    expect((await runCli(['app.py', '-q', '--fail-on', 'high'], dir)).code).toBe(1);
  });

  it('rejects an unknown --fail-on value with exit 2, naming the allowed values', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py', '--fail-on', 'sometimes'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      "error: option '--fail-on <severity>' argument 'sometimes' is invalid. Allowed choices are critical, high, medium, low, never.",
    );
  });

  it('exits 2 with one line naming a missing path, and prints no report', async () => {
    const dir = await tempTree({ 'clean.py': CLEAN });
    const run = await runCli(['no/such/file.py'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: no such file or directory: no/such/file.py\n',
    });
  });

  it('lets the error win over findings: a missing path next to a vulnerable file exits 2', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py', 'missing.py'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: no such file or directory: missing.py\n',
    });
  });
});

describe('secreview review: walking directories', () => {
  it('honors nested .gitignore files and skips VCS data, dependencies, virtualenvs and build output', async () => {
    const dir = await tempTree({
      '.gitignore': '*.tmp.py\n',
      'a.tmp.py': VULNERABLE,
      'app/main.py': VULNERABLE,
      'app/.gitignore': 'generated.py\nsecret/\n',
      'app/generated.py': VULNERABLE,
      'app/secret/x.py': VULNERABLE,
      'app/sub/.gitignore': '/only_here.py\n',
      'app/sub/only_here.py': VULNERABLE,
      'app/sub/keep.py': CLEAN,
      'app/sub/deeper/only_here.py': CLEAN,
      '.git/hooks/x.py': VULNERABLE,
      'node_modules/pkg/x.py': VULNERABLE,
      'lib/node_modules/pkg/x.py': VULNERABLE,
      'myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'myenv/lib/python3.12/site-packages/x.py': VULNERABLE,
      'myenv/bin/activate_this.py': VULNERABLE,
      '.venv/x.py': VULNERABLE,
      'venv/x.py': VULNERABLE,
      '.tox/py312/x.py': VULNERABLE,
      'build/lib/x.py': VULNERABLE,
      'dist/x.py': VULNERABLE,
      '__pycache__/x.py': VULNERABLE,
      'pkg.egg-info/x.py': VULNERABLE,
      '.github/scripts/ci.py': CLEAN,
      'src/nested/deep/ok.py': CLEAN,
      'README.md': '# not Python\n',
      'tool.pyw': CLEAN,
    });
    const run = await runCli(['--format', 'json', '.'], dir);
    const report = jsonReport(run.stdout);
    expect(report.files.map((f) => `${f.status} ${f.file}`)).toEqual([
      'reviewed .github/scripts/ci.py',
      'reviewed app/main.py',
      'reviewed app/sub/deeper/only_here.py',
      'reviewed app/sub/keep.py',
      'reviewed src/nested/deep/ok.py',
      'reviewed tool.pyw',
    ]);
    expect(defectLines(report)).toEqual(['app/main.py:3']);
    expect(run.code).toBe(1);
  });

  it('honors the .gitignore files of parent directories inside the git work tree', async () => {
    const dir = await tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'generated/\n/app/local_*.py\n',
      'app/.gitignore': '!keep_generated.py\n',
      'app/main.py': CLEAN,
      'app/local_settings.py': VULNERABLE,
      'app/generated/x.py': VULNERABLE,
      'app/sub/generated/y.py': VULNERABLE,
    });
    const run = await runCli(['--format', 'json', 'app'], dir);
    expect(jsonReport(run.stdout).files.map((f) => f.file)).toEqual(['app/main.py']);
    expect(run.code).toBe(0);
  });

  it('reviews the current directory when no path is given', async () => {
    const dir = await tempTree({ 'a/clean.py': CLEAN, 'b/app.py': VULNERABLE });
    const run = await runCli(['--format', 'json'], dir);
    expect(jsonReport(run.stdout).files.map((f) => f.file)).toEqual(['a/clean.py', 'b/app.py']);
  });

  it('does not hang on symbolic link loops and does not follow links inside directories', async () => {
    const dir = await tempTree({ 'src/app.py': VULNERABLE, 'elsewhere/other.py': VULNERABLE });
    await symlink('..', join(dir, 'src', 'parent'));
    await symlink('.', join(dir, 'src', 'self'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'src', 'linked-dir'));
    await symlink(join(dir, 'elsewhere', 'other.py'), join(dir, 'src', 'linked.py'));
    await symlink('loop-b.py', join(dir, 'loop-a.py'));
    await symlink('loop-a.py', join(dir, 'loop-b.py'));
    const walked = await runCli(['--format', 'json', 'src'], dir);
    expect(jsonReport(walked.stdout).files.map((f) => `${f.status} ${f.file}`)).toEqual([
      'reviewed src/app.py',
    ]);

    const explicit = await runCli(['--format', 'json', 'loop-a.py', 'src/app.py'], dir);
    const files = jsonReport(explicit.stdout).files;
    expect(files.map((f) => [f.file, f.status, f.reason])).toEqual([
      ['loop-a.py', 'skipped', 'unreadable'],
      ['src/app.py', 'reviewed', undefined],
    ]);
    expect(files[0].detail).toMatch(/ELOOP|too many (levels of )?symbolic links/i);
    expect(explicit.code).toBe(1);
  });
});

describe('secreview review: files that cannot be reviewed', () => {
  it('skips binary, undecodable and oversized files, lists each with its reason, and reviews the rest', async () => {
    const dir = await tempTree({
      'bin.py': Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x00, 0x01]),
      'latin1.py': Buffer.concat([
        Buffer.from('# comment\nname = "caf'),
        Buffer.from([0xe9]),
        Buffer.from('"\n'),
      ]),
      'big.py': `x = 1\n${'# padding\n'.repeat(30)}`,
      'good.py': VULNERABLE,
      'ok.py': CLEAN,
    });
    const run = await runCli(['--max-file-size', '200', '.'], dir);
    expect(run.code).toBe(1);
    const [, notes] = run.stdout.split('\n\nNotes:\n');
    expect(notes).toBe(
      [
        '- big.py: skipped, file too large (306 bytes is over the 200-byte limit)',
        '- bin.py: skipped, binary file (contains NUL bytes)',
        '- latin1.py: skipped, not valid UTF-8 (invalid UTF-8 at byte 21, line 2)',
        '',
      ].join('\n'),
    );
    expect(run.stdout).toContain(`good.py\n${CMD_LINE}\n`);
    expect(run.stderr).toBe(
      `secreview: Reviewed 2 files (5 lines), skipped 3: 1 security defect (1 high).${DEFAULTS}\n`,
    );
  });

  it('skips files over 1 MiB by default and takes the limit from the config file', async () => {
    const mib = 1024 * 1024;
    const dir = await tempTree({
      'at-limit.py': `x = 1${' '.repeat(mib - 6)}\n`,
      'over.py': `x = 1${' '.repeat(mib - 5)}\n`,
    });
    const run = await runCli(['--format', 'json', '.'], dir);
    expect(jsonReport(run.stdout).files).toEqual([
      { file: 'at-limit.py', status: 'reviewed', lineCount: 1 },
      {
        file: 'over.py',
        status: 'skipped',
        reason: 'too-large',
        detail: '1048577 bytes is over the 1048576-byte limit',
      },
    ]);
    await writeFile(join(dir, '.secreview.yml'), 'max-file-size: 2097152\n');
    const configured = await runCli(['--format', 'json', '.'], dir);
    expect(jsonReport(configured.stdout).summary.filesReviewed).toBe(2);
  });

  it('reports an explicitly named non-Python file as skipped, and reviews a python script without extension', async () => {
    const dir = await tempTree({
      'notes.txt': 'os.system(cmd)\n',
      'run-job': `#!/usr/bin/env python3\n${VULNERABLE}`,
    });
    const run = await runCli(['--format', 'json', 'notes.txt', 'run-job'], dir);
    const report = jsonReport(run.stdout);
    expect(report.files).toEqual([
      {
        file: 'notes.txt',
        status: 'skipped',
        reason: 'unsupported-language',
        detail: 'not a Python or JavaScript/TypeScript file',
      },
      { file: 'run-job', status: 'reviewed', lineCount: 4 },
    ]);
    expect(defectLines(report)).toEqual(['run-job:4']);

    const alone = await runCli(['notes.txt'], dir);
    expect(alone.stdout).toBe(
      'No files were reviewed, so no verdict can be given.\n\nNotes:\n- notes.txt: skipped, unsupported language (not a Python or JavaScript/TypeScript file)\n',
    );
  });

  it('skips a named FIFO without blocking on it', async () => {
    const dir = await tempTree({ 'ok.py': CLEAN });
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.py')]);
    } catch {
      return; // no mkfifo on this system: nothing to test
    }
    const run = await runCli(['--format', 'json', 'pipe.py', 'ok.py'], dir);
    expect(jsonReport(run.stdout).files).toEqual([
      { file: 'pipe.py', status: 'skipped', reason: 'unreadable', detail: 'not a regular file' },
      { file: 'ok.py', status: 'reviewed', lineCount: 2 },
    ]);
  });

  // Permissions do not stop root, so the test cannot make an unreadable file when it runs as root.
  const isRoot = process.getuid?.() === 0;
  it.skipIf(isRoot || process.platform === 'win32')(
    'skips an unreadable file (chmod 000) with the reason and reviews the others',
    async () => {
      const dir = await tempTree({ 'locked.py': VULNERABLE, 'ok.py': CLEAN });
      await chmod(join(dir, 'locked.py'), 0o000);
      const run = await runCli(['--format', 'json', '.'], dir);
      await chmod(join(dir, 'locked.py'), 0o644);
      const files = jsonReport(run.stdout).files;
      expect(files.map((f) => [f.file, f.status, f.reason])).toEqual([
        ['locked.py', 'skipped', 'unreadable'],
        ['ok.py', 'reviewed', undefined],
      ]);
      expect(files[0].detail).toMatch(/permission denied/i);
      expect(run.code).toBe(0);
    },
  );

  it('reviews a file with a syntax error below the broken line and names the error line', async () => {
    const dir = await tempTree({
      'broken.py':
        'import os\ndef broken(:\n    pass\n\ndef f(request):\n    os.system(request.GET["cmd"])\n',
    });
    const run = await runCli(['broken.py'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`broken.py\n  6  high  CWE-78 OS Command Injection  `);
    expect(run.stdout).toContain(`${CMD_HEADING}\n`);
    expect(
      run.stdout.endsWith(
        'Notes:\n- broken.py: syntax errors at line 2; the rest of the file was reviewed\n',
      ),
    ).toBe(true);
  });
});

describe('secreview review --output', () => {
  it('writes the report to the file, not to stdout, and leaves no temporary file', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py', '--format', 'sarif', '--output', 'report.sarif'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const log = JSON.parse(await readFile(join(dir, 'report.sarif'), 'utf8')) as { version: string };
    expect(log.version).toBe('2.1.0');
    expect((await readdir(dir)).filter((f) => f.startsWith('report.sarif')).sort()).toEqual(['report.sarif']);
  });

  it('does not write the file when the run fails on a bad config', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE, '.secreview.yml': 'fail-on: sometimes\n' });
    const run = await runCli(['app.py', '--output', 'out.txt'], dir);
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it('leaves an existing report untouched when the run fails', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE, 'out.txt': 'previous report\n' });
    const run = await runCli(['app.py', 'missing.py', '--output', 'out.txt'], dir);
    expect(run.code).toBe(2);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('previous report\n');
  });

  it('exits 2 with one clear line when the file cannot be written', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE });
    const run = await runCli(['app.py', '--output', 'no/such/dir/out.txt'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: cannot write no/such/dir/out.txt: no such file or directory\n',
    });
  });
});

describe('secreview review: config errors', () => {
  it('names the file, the line and the allowed keys for an unknown key', async () => {
    const dir = await tempTree({
      'app.py': CLEAN,
      '.secreview.yml': 'exclude: ["tests/**"]\nfail-on: high\nfial-on: low\n',
    });
    const run = await runCli(['app.py'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^secreview: error: ${escape(join(dir, '.secreview.yml'))}:3: unknown key 'fial-on' in the top level; allowed keys: .*\\bfail-on\\b`,
      ),
    );
  });

  it('names the file, the line and the allowed values for a bad value', async () => {
    const dir = await tempTree({
      'app.py': CLEAN,
      '.secreview.yml': 'rules:\n  severity:\n    python/os-command-injection: severe\n',
    });
    const run = await runCli(['app.py'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `secreview: error: ${join(dir, '.secreview.yml')}:3: bad value for 'rules.severity.python/os-command-injection'; allowed values: "critical", "high", "medium", "low"\n`,
    });
  });

  it('names the line of invalid YAML', async () => {
    const dir = await tempTree({ 'app.py': CLEAN, 'custom.yml': 'fail-on: high\nexclude: [a, b\n' });
    const run = await runCli(['app.py', '--config', 'custom.yml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^secreview: error: ${escape(join(dir, 'custom.yml'))}:\\d+: invalid YAML: `),
    );
  });

  it('exits 2 when --config names a missing file', async () => {
    const dir = await tempTree({ 'app.py': CLEAN });
    const run = await runCli(['app.py', '--config', 'nope.yml'], dir);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: nope.yml: config file not found\n',
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
