import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleFolder } from '../../src/engine/example-code.js';
import { review } from '../../src/engine/review.js';
import { findRule } from '../../src/rules/registry.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const APP = [
  'import subprocess',
  'from flask import Flask, request',
  '',
  'app = Flask(__name__)',
  '',
  '',
  "@app.route('/run')",
  'def run():',
  "    return subprocess.check_output(request.args['cmd'], shell=True)",
  '',
].join('\n');

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'secreview-examples-'));
  dirs.push(dir);
  for (const rel of ['app.py', 'examples/demo/app.py', 'docs/app.py']) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), APP);
  }
  return dir;
}

const rules = [findRule('python/os-command-injection')!];

/** file, line, severity of each finding, and whether its message names the example folder. */
async function reviewed(
  cwd: string,
  paths: string[],
  examplesAsProduction = false,
): Promise<[string, number, string, boolean][]> {
  const result = await review({ paths, cwd, rules, jobs: 1, examplesAsProduction });
  return result.findings.map((f) => [
    f.location.file,
    f.location.start.line,
    f.severity,
    /in example code \(`(examples|docs)\/`\)/.test(f.message),
  ]);
}

describe('example code', () => {
  it('knows example and documentation folders, not names that only contain the word', () => {
    expect(exampleFolder('examples/a.py')).toBe('examples');
    expect(exampleFolder('pkg/sample/a.py')).toBe('sample');
    expect(exampleFolder('docs/conf.py')).toBe('docs');
    expect(exampleFolder('my_examples/a.py')).toBeUndefined();
    expect(exampleFolder('pkg/examples.py')).toBeUndefined();
    expect(exampleFolder('documentation/a.py')).toBeUndefined();
  });

  it('reports defects in example folders at low severity and says why', async () => {
    const dir = await project();
    expect(await reviewed(dir, ['.'])).toEqual([
      ['app.py', 9, 'high', false],
      ['docs/app.py', 9, 'low', true],
      ['examples/demo/app.py', 9, 'low', true],
    ]);
  });

  it('reviews a folder the user names as production code, and at full severity when configured', async () => {
    const dir = await project();
    expect(await reviewed(join(dir, 'examples'), ['.'])).toEqual([['demo/app.py', 9, 'high', false]]);
    expect(await reviewed(dir, ['.'], true)).toEqual([
      ['app.py', 9, 'high', false],
      ['docs/app.py', 9, 'high', false],
      ['examples/demo/app.py', 9, 'high', false],
    ]);
  });
});
