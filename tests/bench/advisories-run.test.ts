import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bench/advisories.js';

const VULNERABLE = `import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    out = subprocess.run("ping -c 1 " + host, shell=True, capture_output=True)
    return out.stdout
`;
const FIXED = VULNERABLE.replace(
  'subprocess.run("ping -c 1 " + host, shell=True, capture_output=True)',
  'subprocess.run(["ping", "-c", "1", "--", host], capture_output=True)',
);

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: ENV }).trim();
}

let base: string;
let vulnerable: string;
let fixed: string;

function manifest(entries: object[]): string {
  const file = join(base, `manifest-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

function entry(over: object = {}): object {
  return {
    id: 'GHSA-aaaa-bbbb-cccc',
    project: 'acme/pinger',
    vulnerable,
    fixed,
    folder: 'web',
    file: 'web/app.py',
    lines: [11, 11],
    cwe: 78,
    summary: 'ping host from the query string run through a shell',
    ...over,
  };
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'secreview-adv-'));
  // A normal clone under MIRRORS/<owner>+<repo>.
  const repo = join(base, 'mirrors', 'acme+pinger');
  mkdirSync(join(repo, 'web'), { recursive: true });
  git(repo, 'init', '-q');
  writeFileSync(join(repo, 'web/app.py'), VULNERABLE);
  writeFileSync(join(repo, 'README'), 'outside the folder\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'ping');
  vulnerable = git(repo, 'rev-parse', 'HEAD');
  writeFileSync(join(repo, 'web/app.py'), FIXED);
  git(repo, 'commit', '-qam', 'no shell');
  fixed = git(repo, 'rev-parse', 'HEAD');
  // The fetch layout: MIRRORS/<owner>+<repo>/repo is a bare git folder.
  mkdirSync(join(base, 'bare', 'acme+pinger'), { recursive: true });
  git(base, 'clone', '-q', '--bare', repo, join(base, 'bare', 'acme+pinger', 'repo'));
});

describe('bench:advisories end to end', () => {
  it('finds the flaw at the vulnerable commit and not at the fix, and prints the row', async () => {
    // The default configuration: a config above WORK is not the project's and does not apply.
    writeFileSync(join(base, '.secreview.yml'), 'rules:\n  disable: [python/os-command-injection]\n');
    const work = join(base, 'work');
    const { code, out } = await run(join(base, 'mirrors'), work, '--manifest', manifest([entry()]));
    expect(code).toBe(0);
    expect(out.split('\n').slice(0, 2)).toEqual([
      'id                   project      CWE  found  gone  rule                         others',
      'GHSA-aaaa-bbbb-cccc  acme/pinger  78   yes    yes   python/os-command-injection  0',
    ]);
    expect(out).toContain('found 1/1 (100.0%); gone at the fix 1/1 of found (100.0%)');
    // Only the folder is extracted, once per commit, and kept for the next run with its cache.
    const at = join(work, 'acme+pinger', vulnerable.slice(0, 12));
    expect(readFileSync(join(at, 'web/app.py'), 'utf8')).toBe(VULNERABLE);
    expect(existsSync(join(at, 'README'))).toBe(false);
    expect(readFileSync(`${at}.extracted`, 'utf8')).toBe('web\n');
    expect(readFileSync(join(work, 'acme+pinger', fixed.slice(0, 12), 'web/app.py'), 'utf8')).toBe(FIXED);
    expect(existsSync(join(work, 'cache'))).toBe(true);
  });

  it('reads the fetch layout and prints JSON; advisories of one commit and folder share a review', async () => {
    const second = entry({ id: 'GHSA-dddd-eeee-ffff', cwe: 88, lines: [10, 10] });
    const { code, out, err } = await run(
      join(base, 'bare'),
      join(base, 'work2'),
      '--no-cache',
      '--json',
      '--manifest',
      manifest([entry(), second]),
    );
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      advisories: { id: string; found: string; gone: string; line?: number }[];
    };
    expect(result.advisories.map((a) => [a.id, a.found, a.gone, a.line])).toEqual([
      ['GHSA-aaaa-bbbb-cccc', 'yes', 'yes', 11],
      ['GHSA-dddd-eeee-ffff', 'yes', 'yes', 11],
    ]);
    expect(err.match(/acme\/pinger \w+ web: \d+ defects/g)).toHaveLength(2);
    expect(existsSync(join(base, 'work2', 'cache'))).toBe(false);
  });

  it('counts a missing project, commit or folder as not run, and names it', async () => {
    const missing = '0'.repeat(40);
    const entries = [
      entry({ id: 'CVE-2020-0001', project: 'acme/absent' }),
      entry({ id: 'CVE-2020-0002', fixed: missing }),
      entry({ id: 'CVE-2020-0003', folder: 'api', file: 'api/app.py' }),
    ];
    const mirrors = join(base, 'mirrors');
    const { code, out } = await run(mirrors, join(base, 'work3'), '--manifest', manifest(entries));
    expect(code).toBe(0);
    expect(out).toContain('advisories run 0 of 3 (0 projects, 0 CWEs)');
    expect(out).toContain(
      [
        'Not run (3):',
        `  CVE-2020-0001 acme/absent: no repository ${join(mirrors, 'acme+absent')}`,
        `  CVE-2020-0002 acme/pinger: fixed commit 000000000000 not in ${join(mirrors, 'acme+pinger', '.git')}`,
        `  CVE-2020-0003 acme/pinger: folder api not at ${vulnerable.slice(0, 12)}`,
      ].join('\n'),
    );
  });

  it('runs a subset with --id, and rejects an unknown id and a bad manifest with exit code 2', async () => {
    const file = manifest([entry(), entry({ id: 'CVE-2020-0001', project: 'acme/absent' })]);
    const mirrors = join(base, 'mirrors');
    const subset = await run(mirrors, join(base, 'work'), '--manifest', file, '--id', 'CVE-2020-0001');
    expect(subset.out).toContain('advisories run 0 of 1');
    const unknown = await run(mirrors, join(base, 'work'), '--manifest', file, '--id', 'CVE-1999-0001');
    expect(unknown).toEqual({ code: 2, out: '', err: 'unknown advisory CVE-1999-0001\n' });
    const bad = manifest([entry({ lines: [3, 2] })]);
    const broken = await run(mirrors, join(base, 'work'), '--manifest', bad);
    expect(broken.code).toBe(2);
    expect(broken.err).toBe(`${bad}: entry 0 (GHSA-aaaa-bbbb-cccc): lines: first 3 is after last 2\n`);
  });
});

const JS_VULNERABLE = `const { exec } = require('node:child_process');
const express = require('express');

const app = express();

app.get('/ping', (req, res) => {
  exec('ping -c 1 ' + req.query.host, (err, out) => res.send(out));
});

app.listen(3000);
`;
const JS_FIXED = JS_VULNERABLE.replace(
  "exec('ping -c 1 ' + req.query.host, (err, out) => res.send(out));",
  "execFile('ping', ['-c', '1', '--', String(req.query.host)], (err, out) => res.send(out));",
).replace('const { exec }', 'const { execFile }');

describe('bench:advisories on JavaScript', () => {
  it("extracts the advisory's language only, by its file's extension, and scores the JavaScript rule", async () => {
    const repo = join(base, 'mirrors', 'acme+jsping');
    mkdirSync(join(repo, 'web'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'web/server.js'), JS_VULNERABLE);
    writeFileSync(join(repo, 'web/package.json'), '{"name":"jsping","dependencies":{"express":"^4.19.0"}}\n');
    writeFileSync(join(repo, 'web/tool.py'), 'print("not reviewed for a JavaScript advisory")\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'ping');
    const before = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'web/server.js'), JS_FIXED);
    git(repo, 'commit', '-qam', 'no shell');
    const after = git(repo, 'rev-parse', 'HEAD');
    const work = join(base, 'work-js');
    const adv = entry({
      project: 'acme/jsping',
      vulnerable: before,
      fixed: after,
      file: 'web/server.js',
      lines: [7, 7],
    });
    const { code, out } = await run(join(base, 'mirrors'), work, '--manifest', manifest([adv]));
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(
      /^GHSA-aaaa-bbbb-cccc {2}acme\/jsping {2}78 {3}yes {4}yes {3}javascript\//,
    );
    const at = join(work, 'acme+jsping', `${before.slice(0, 12)}-javascript`);
    expect(readFileSync(join(at, 'web/server.js'), 'utf8')).toBe(JS_VULNERABLE);
    expect(existsSync(join(at, 'web/package.json'))).toBe(true);
    expect(existsSync(join(at, 'web/tool.py'))).toBe(false);
    expect(readFileSync(`${at}.extracted`, 'utf8')).toBe('web\n');
  });

  it('counts an advisory whose file no language of the bench reads as not run', async () => {
    const { out } = await run(
      join(base, 'mirrors'),
      join(base, 'work-js2'),
      '--manifest',
      manifest([entry({ file: 'web/app.rb' })]),
    );
    expect(out).toContain(
      'GHSA-aaaa-bbbb-cccc acme/pinger: no language the bench reads has the file web/app.rb',
    );
  });
});
