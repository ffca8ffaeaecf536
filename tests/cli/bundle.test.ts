import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanup, jsonReport, runCli, tempTree, VULNERABLE } from './run.js';

afterAll(cleanup);

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: { secreview: string };
};

/** A module that names no request value: the pool, not the dataflow pass, reviews it. */
const UNPICKLES =
  'import pickle\n\n\ndef load(path):\n    with open(path, "rb") as f:\n        return pickle.load(f)\n';

describe('the bundled CLI (dist/bundle/, what `secreview` runs)', () => {
  it('is the package bin and imports no module of the build but its worker threads', () => {
    expect(CLI).toBe(join(root, pkg.bin.secreview));
    const text = readFileSync(CLI, 'utf8');
    const imported = [
      ...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    expect(imported.filter((spec) => !spec.startsWith('node:') && !builtinModules.includes(spec))).toEqual([
      'piscina',
    ]);
    expect(
      [...text.matchAll(/new URL\(\s*['"](\.[^'"]+\.js)['"],\s*import\.meta\.url\)/g)]
        .map((m) => m[1])
        .sort(),
    ).toEqual(['./project-worker.js', './worker.js']);
  });

  it('prints its version', async () => {
    const dir = await tempTree();
    expect(await runCli(['--version'], dir)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('reviews a folder in its worker threads: the dataflow pass and the pool', async () => {
    const dir = await tempTree({ 'app.py': VULNERABLE, 'store.py': UNPICKLES });
    const run = await runCli(
      ['review', '.', '--no-cache', '--jobs', '2', '--stats', '--format', 'json'],
      dir,
    );
    expect(run.code).toBe(1);
    expect(
      jsonReport(run.stdout)
        .findings.filter((f) => f.kind === 'defect')
        .map((f) => `${f.ruleId} ${f.location.file}:${f.location.start.line}`),
    ).toEqual(['python/os-command-injection app.py:3', 'python/unsafe-deserialization store.py:6']);
    expect(run.stderr).toContain('workers: 1 threads, 1 files analysed in workers, 1 in the dataflow pass\n');
  });
});
