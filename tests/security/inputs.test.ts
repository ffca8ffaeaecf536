import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defects, Sandbox, VULNERABLE } from './hostile.js';

/**
 * Attacks 6 and 8, and the bounds found with them: files the repository names are read only when
 * they are regular, inside it and small; errors name the file and never quote it; every run ends
 * with a clear message, in bounded time and memory.
 */

let box: Sandbox;
const CONFIG = () => join(box.repo, '.secreview.yml');

beforeEach(() => {
  box = new Sandbox();
  writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
});
afterEach(() => box.remove());

describe('files the repository names', () => {
  it('a baseline outside the repository is refused, and its content never printed', async () => {
    writeFileSync(join(box.outside, 'secret.txt'), 'root:SECRET-CONTENT:0:0\n');
    writeFileSync(CONFIG(), `review:\n  baseline: ${join(box.outside, 'secret.txt')}\n`);
    const res = await box.run(['review', '-q']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `secreview: error: ${CONFIG()}: review.baseline "${join(box.outside, 'secret.txt')}" is outside the repository; ` +
        "a repository's config may only name a baseline inside it (or pass --baseline)\n",
    );
    expect(res.stdout + res.stderr).not.toContain('SECRET-CONTENT');
  });

  it('a baseline inside the repository that links outside it is refused; a broken one is named, not quoted', async () => {
    writeFileSync(join(box.outside, 'secret.txt'), 'SECRET-CONTENT');
    symlinkSync(join(box.outside, 'secret.txt'), join(box.repo, 'baseline.json'));
    writeFileSync(CONFIG(), 'review:\n  baseline: baseline.json\n');
    const linked = await box.run(['review', '-q']);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toBe(
      `secreview: error: cannot read baseline ${join(box.repo, 'baseline.json')}: it is a symbolic link to a file outside the project\n`,
    );
    writeFileSync(join(box.repo, 'other.json'), 'SECRET-CONTENT that is not JSON');
    writeFileSync(CONFIG(), 'review:\n  baseline: other.json\n');
    const broken = await box.run(['review', '-q']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).not.toContain('SECRET-CONTENT');
    expect(broken.stderr).toBe(
      `secreview: error: ${join(box.repo, 'other.json')}: not a secreview baseline (invalid JSON)\n`,
    );
  });

  it('a config linked to /dev/zero, or a FIFO, is refused at once', async () => {
    symlinkSync('/dev/zero', CONFIG());
    const zero = await box.run(['review', '-q'], {}, 20_000);
    expect(zero.timedOut).toBe(false);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe(
      `secreview: error: cannot read config ${CONFIG()}: it is a symbolic link to a file outside the project\n`,
    );
    execFileSync('rm', [CONFIG()]);
    execFileSync('mkfifo', [CONFIG()]);
    const fifo = await box.run(['review', '-q'], {}, 20_000);
    expect(fifo.timedOut).toBe(false);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toBe(`secreview: error: cannot read config ${CONFIG()}: not a regular file\n`);
  });

  it('--config naming a device is refused too (a link the user named may point anywhere, but only to a file)', async () => {
    const res = await box.run(['review', '-q', '--config', '/dev/zero'], {}, 20_000);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('secreview: error: cannot read config /dev/zero: not a regular file\n');
  });
});

describe('configs that would exhaust the machine', () => {
  it('a config over 1 MiB is refused with exit 2', async () => {
    const line = '  - "**/never-matches-anything-at-all-0000000000/**"\n';
    writeFileSync(CONFIG(), `exclude:\n${line.repeat(Math.ceil((34 * 1024 * 1024) / line.length))}`);
    const res = await box.run(['review', '-q'], {}, 30_000);
    expect(res.timedOut).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      new RegExp(
        `^secreview: error: cannot read config ${CONFIG()}: \\d+ bytes is over the 1048576-byte limit\\n$`,
      ),
    );
  });

  it('a config with more than 5000 patterns is refused with exit 2', async () => {
    writeFileSync(CONFIG(), `exclude:\n${Array.from({ length: 6000 }, (_, i) => `  - p${i}\n`).join('')}`);
    const res = await box.run(['review', '-q']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `secreview: error: ${CONFIG()}: 6000 patterns and entries is over the limit of 5000\n`,
    );
  });

  it('a YAML alias bomb is a config error, not an internal error', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(CONFIG(), `${levels.join('\n')}\n`);
    const res = await box.run(['review', '-q'], {}, 30_000);
    expect(res.timedOut).toBe(false);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`^secreview: error: ${CONFIG()}: invalid YAML: .*alias`, 'i'));
    expect(res.stderr).not.toContain('internal error');
    expect(res.stderr).not.toContain('    at ');
  });
});

describe('the bounds found with the hostile repositories', () => {
  it('a dataflow budget that runs out says so, naming the file, and the structural finding stays', async () => {
    const pad = Array.from({ length: 12_000 }, (_, i) => `x${i} = ${i}\n`).join('');
    const tail =
      'def read(p):\n    return open(p).read()\n\ndef run(code):\n    return eval(code)\n\n' +
      "@app.route('/b')\ndef b():\n    return read(request.args.get('p'))\n\n" +
      "@app.route('/c')\ndef c():\n    return run(request.args.get('e'))\n";
    const head = 'from flask import Flask, request\napp = Flask(__name__)\n';
    writeFileSync(join(box.repo, 'app.py'), head + pad + tail);
    const res = await box.run(['review', 'app.py', '-f', 'json', '-q', '--fail-on', 'never']);
    const report = JSON.parse(res.stdout) as { files: { file: string; detail?: string }[] };
    expect(report.files[0].detail).toBe(
      'the data-flow analysis ran out of its budget in this file; findings that need a traced flow ' +
        '(command, code and path injection from a request) may be missing, structural checks ran on all of it',
    );
    expect(defects(res.stdout)).toContain('app.py:12007 python/code-injection');
    const text = await box.run(['review', 'app.py', '-q', '--fail-on', 'never']);
    expect(text.stdout).toContain(
      'Notes:\n- app.py: the data-flow analysis ran out of its budget in this file',
    );
  });

  it('a budget note names the entry points whose flows were not followed to the end', async () => {
    const body = Array.from({ length: 12_000 }, (_, i) => `    v${i} = v + "${i}"\n`).join('');
    const text =
      'from flask import Flask, request\napp = Flask(__name__)\n\n' +
      "@app.route('/slow')\ndef slow():\n    v = request.args.get('p')\n" +
      body +
      '    return v\n\n' +
      "@app.route('/quick')\ndef quick():\n    return eval(request.args.get('e'))\n";
    writeFileSync(join(box.repo, 'slow.py'), text);
    const res = await box.run(['review', 'slow.py', '-f', 'json', '-q', '--fail-on', 'never']);
    const report = JSON.parse(res.stdout) as { files: { file: string; detail?: string }[] };
    expect(report.files[0].detail).toBe(
      'the data-flow analysis ran out of its budget in this file; findings that need a traced flow ' +
        '(command, code and path injection from a request) may be missing, structural checks ran on all of it; ' +
        'entry points not followed to the end: slow (line 5) stopped at its own budget',
    );
    expect(defects(res.stdout)).toContain('slow.py:12011 python/code-injection');
  });

  it('--output naming a reviewed file is refused before the review; a missing folder too', async () => {
    const res = await box.run(['review', '-q', '--output', 'app.py']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'secreview: error: refusing to write the report over app.py: it is one of the reviewed files\n',
    );
    const inside = await box.run(['review', '.', '-q', '--output', 'other.py']);
    expect(inside.stderr).toBe(
      'secreview: error: refusing to write the report over other.py: it is one of the reviewed files\n',
    );
    const missing = await box.run(['review', '-q', '--stats', '--output', 'no/dir/r.txt']);
    expect(missing.stderr).toBe('secreview: error: cannot write no/dir/r.txt: no such file or directory\n');
    const ok = await box.run(['review', '-q', '--output', 'report.txt']);
    expect(ok.code).toBe(1);
  });

  it('diff --patch with a file that is not a patch exits 2', async () => {
    writeFileSync(join(box.repo, 'notes.txt'), 'just some text\nwith lines\n');
    const res = await box.run(['diff', '--patch', 'notes.txt', '-q']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      "secreview: error: notes.txt is not a unified diff (no 'diff --git', '---'/'+++' or '@@' lines)\n",
    );
    mkdirSync(join(box.repo, 'empty'));
    writeFileSync(join(box.repo, 'empty.patch'), '');
    const empty = await box.run(['diff', '--patch', 'empty.patch', '-q']);
    expect(empty.code).toBe(0);
  });

  it('--jobs is capped at twice the CPUs, with a note', async () => {
    const cap = availableParallelism() * 2;
    const res = await box.run(['review', '-q', '--jobs', '1000']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `secreview: note: --jobs 1000 is more than twice the ${cap / 2} CPUs; using ${cap}\n`,
    );
  });
});
