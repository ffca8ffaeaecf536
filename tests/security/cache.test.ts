import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defects, Sandbox, treeState, VULNERABLE } from './hostile.js';

/**
 * Attacks 3 and 4: a committed `.secreview-cache` that is a symbolic link (writes and deletions
 * outside the project), and committed or edited results that hide a finding.
 */

let box: Sandbox;

beforeEach(() => {
  box = new Sandbox();
  writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
  // Files a pruning run would delete if it followed a link into this folder.
  for (const n of [
    'results-0000000000000001.json',
    'results-0000000000000002.json',
    'results-0000000000000003.json',
    'results-0000000000000004.json',
  ]) {
    writeFileSync(join(box.outside, n), '{}');
    utimesSync(join(box.outside, n), new Date(2000, 1, 1), new Date(2000, 1, 1));
  }
  writeFileSync(join(box.outside, 'precious.txt'), 'the user file\n');
});

afterEach(() => box.remove());

const FOUND = ['app.py:3 python/os-command-injection'];

describe('the result cache is the user’s', () => {
  it('is kept under $XDG_CACHE_HOME/secreview, private, and nothing is written in the repository', async () => {
    const res = await box.run(['review', '-f', 'json', '-q']);
    expect(defects(res.stdout)).toEqual(FOUND);
    expect(readdirSync(box.repo)).toEqual(['app.py']);
    const projects = join(box.home, '.cache', 'secreview', 'projects');
    const [dir] = readdirSync(projects);
    expect(statSync(join(projects, dir)).mode & 0o777).toBe(0o700);
    expect(statSync(join(box.home, '.cache', 'secreview', 'key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(projects, dir)).filter((n) => n.startsWith('results-'))).toHaveLength(1);
  });

  it('a committed .secreview-cache link is neither read nor followed', async () => {
    symlinkSync(box.outside, join(box.repo, '.secreview-cache'));
    const before = treeState(box.outside);
    const res = await box.run(['review', '-f', 'json', '-q']);
    expect(defects(res.stdout)).toEqual(FOUND);
    expect(treeState(box.outside)).toEqual(before);
  });

  it('--cache-dir naming a link into another folder is not followed: nothing there is written or deleted', async () => {
    symlinkSync(box.outside, join(box.repo, '.secreview-cache'));
    const before = treeState(box.outside);
    for (let i = 0; i < 2; i++) {
      const res = await box.run(['review', '-f', 'json', '-q', '--cache-dir', '.secreview-cache']);
      expect(res.code).toBe(1);
      expect(defects(res.stdout)).toEqual(FOUND);
    }
    expect(treeState(box.outside)).toEqual(before);
  });

  it('a .gitignore link in an in-repository cache folder is replaced, not written through', async () => {
    mkdirSync(join(box.repo, '.secreview-cache'));
    symlinkSync(join(box.outside, 'precious.txt'), join(box.repo, '.secreview-cache', '.gitignore'));
    const res = await box.run(['review', '-f', 'json', '-q', '--cache-dir', '.secreview-cache']);
    expect(defects(res.stdout)).toEqual(FOUND);
    expect(readFileSync(join(box.outside, 'precious.txt'), 'utf8')).toBe('the user file\n');
  });
});

describe('cached results cannot hide findings', () => {
  it('a results file edited to hold no findings (its HMAC kept) is ignored', async () => {
    const args = ['review', '-f', 'json', '-q', '--cache-dir', '.secreview-cache'];
    expect(defects((await box.run(args)).stdout)).toEqual(FOUND);
    const dir = join(box.repo, '.secreview-cache');
    const [name] = readdirSync(dir).filter((n) => n.startsWith('results-'));
    const [mac, body] = readFileSync(join(dir, name), 'utf8').split(/\n(.*)/s);
    const data = JSON.parse(body) as { entries: Record<string, { analysis: { findings: unknown[] } }> };
    for (const e of Object.values(data.entries)) e.analysis.findings = [];
    writeFileSync(join(dir, name), `${mac}\n${JSON.stringify(data)}`);
    const res = await box.run([...args, '--stats']);
    expect(res.code).toBe(1);
    expect(defects(res.stdout)).toEqual(FOUND);
    expect(res.stderr).toContain('cache: 0 hits, 1 misses');
  });

  it('results committed by the repository (no HMAC of this user) are ignored', async () => {
    const args = ['review', '-f', 'json', '-q', '--cache-dir', '.secreview-cache'];
    await box.run(args);
    const dir = join(box.repo, '.secreview-cache');
    const [name] = readdirSync(dir).filter((n) => n.startsWith('results-'));
    const body = readFileSync(join(dir, name), 'utf8').split('\n').slice(1).join('\n');
    const data = JSON.parse(body) as { entries: Record<string, { analysis: { findings: unknown[] } }> };
    for (const e of Object.values(data.entries)) e.analysis.findings = [];
    // Another user (another key) runs the review of this "committed" cache.
    const other = new Sandbox();
    try {
      mkdirSync(join(other.repo, '.secreview-cache'));
      writeFileSync(join(other.repo, 'app.py'), VULNERABLE);
      writeFileSync(join(other.repo, '.secreview-cache', name), `${'0'.repeat(64)}\n${JSON.stringify(data)}`);
      writeFileSync(join(other.repo, '.secreview-cache', 'plain.json'), JSON.stringify(data));
      const res = await other.run(args);
      expect(res.code).toBe(1);
      expect(defects(res.stdout)).toEqual(FOUND);
      expect(res.stdout).not.toContain('No security defects');
    } finally {
      other.remove();
    }
  });

  it('--no-cache reads and writes no cache at all', async () => {
    const res = await box.run(['review', '-q', '--no-cache']);
    expect(res.code).toBe(1);
    expect(existsSync(join(box.home, '.cache', 'secreview', 'projects'))).toBe(false);
  });
});
