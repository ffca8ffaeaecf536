import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heapLimitMb, MemoryGuard, OverMemoryBudget } from '../../src/engine/memory-guard.js';
import { received } from '../../src/engine/project-pass.js';
import { serialize } from 'node:v8';
import { cleanup, CLI, runCli, tempTree } from '../cli/run.js';

// The pass runs in its compiled worker, so these tests use the build (`npm test` builds first).
const dist = join(import.meta.dirname, '..', '..', 'dist', 'src');
type PassModule = typeof import('../../src/engine/project-pass.js');
type RegistryModule = typeof import('../../src/rules/registry.js');
let runProjectPass: PassModule['runProjectPass'];
let allRules: RegistryModule['allRules'];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  ({ runProjectPass } = (await import(join(dist, 'engine', 'project-pass.js'))) as PassModule);
  ({ allRules } = (await import(join(dist, 'rules', 'registry.js'))) as RegistryModule);
});
afterAll(cleanup);

const MODULES = 24;
const ENTRIES = 300;

/**
 * A web app whose one view calls a function of each of 24 modules, each holding a table of 300
 * entries that the pass evaluates and keeps: the pass needs a few tens of MiB of heap (its thread
 * starts with about 11). The view runs a request's command (a flow the pass finds in app.py, line
 * 9 + MODULES), and a file no entry point reaches builds a shell command from its parameter.
 */
function project(): Record<string, string> {
  const files: Record<string, string> = {
    'app.py': [
      'import os',
      'from flask import Flask, request',
      ...Array.from({ length: MODULES }, (_, i) => `from gen.m${i} import f${i}`),
      '',
      'app = Flask(__name__)',
      '',
      '',
      "@app.route('/run')",
      'def run():',
      "    os.system(request.args['cmd'])",
      "    v = request.args['v']",
      ...Array.from({ length: MODULES }, (_, i) => `    v = f${i}(v)`),
      '    return v',
      '',
    ].join('\n'),
    'gen/__init__.py': '',
    'tools/clean.py':
      "import subprocess\n\n\ndef ping(host):\n    subprocess.call('ping ' + host, shell=True)\n",
  };
  for (let i = 0; i < MODULES; i++) {
    const table = Array.from({ length: ENTRIES }, (_, j) => `    'k${i}_${j}': ['v${j}', ${j}, 'w${i}'],`);
    files[`gen/m${i}.py`] = [
      'TABLE = {',
      ...table,
      '}',
      '',
      '',
      `def f${i}(x):`,
      '    return TABLE.get(x, [x])[0]',
      '',
    ].join('\n');
  }
  return files;
}

const COMMAND_LINE = 9 + MODULES;

interface JsonReport {
  findings: { kind: string; ruleId: string; location: { file: string; start: { line: number } } }[];
  files: { file: string; status: string }[];
  notices: string[];
}

const defects = (r: JsonReport): string[] =>
  r.findings
    .filter((f) => f.kind === 'defect')
    .map((f) => `${f.location.file}:${f.location.start.line}:${f.ruleId}`);

describe('the project pass over its memory budget', () => {
  it('is abandoned with a memory-limit note; every file is still reviewed, the flows file by file', async () => {
    const dir = await tempTree(project());
    const run = await runCli(
      ['review', '.', '--no-cache', '--format', 'json', '--stats', '--max-memory', '16'],
      dir,
    );
    // The review completes: exit 1 for its findings (fail-on low), not a crash.
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.notices).toHaveLength(1);
    expect(report.notices[0]).toMatch(
      /^the project pass needed more than its 16 MiB memory budget \(\d+ MiB in use after a collection\); dataflow was analysed file by file$/,
    );
    expect(run.stderr).toContain('dataflow pass: abandoned (memory-limit)\n');
    expect(defects(report)).toEqual([
      `app.py:${COMMAND_LINE}:python/os-command-injection`,
      'tools/clean.py:5:python/os-command-injection',
    ]);
    expect(report.files.filter((f) => f.status !== 'reviewed')).toEqual([]);
    expect(report.files).toHaveLength(MODULES + 3);
  }, 120_000);

  it('is abandoned with memory-limit when V8 ends its thread at the heap limit first', async () => {
    const sources = Object.entries(project()).map(([file, text]) => ({
      file,
      text,
      language: 'python' as const,
    }));
    // A budget the guard never reaches, and a heap limit the pass cannot stay within.
    const pass = await runProjectPass(sources, allRules(), undefined, ['app.py'], {
      timeoutMs: 600_000,
      memoryMb: 4096,
      heapMb: 16,
      fileTimeoutMs: 60_000,
    });
    expect(pass).toEqual({
      ok: false,
      reason: 'memory-limit',
      detail: 'the project pass needed more than its 16 MiB heap limit',
    });
  }, 120_000);
});

describe('MemoryGuard', () => {
  const MIB = 1024 * 1024;

  it('stops work when the heap is still over the budget after a collection', () => {
    let used = 50 * MIB;
    let collections = 0;
    const guard = new MemoryGuard(
      64 * MIB,
      () => used,
      () => {
        collections++;
        used -= 10 * MIB;
      },
      1,
    );
    guard.check();
    expect(collections).toBe(0);
    // Over the budget, but garbage: collected, and the work goes on.
    used = 70 * MIB;
    guard.check();
    expect(collections).toBe(1);
    // Still under the next threshold (60 + 4 MiB): not collected again.
    used = 63 * MIB;
    guard.check();
    expect(collections).toBe(1);
    // Live data over the budget.
    used = 90 * MIB;
    expect(() => guard.check()).toThrow(new OverMemoryBudget(80, 64));
    expect(collections).toBe(2);
  });

  it('measures the heap every few checks only', () => {
    let measured = 0;
    const guard = new MemoryGuard(64 * MIB, () => (measured++, 0), undefined, 8);
    for (let i = 0; i < 20; i++) guard.check();
    expect(measured).toBe(2);
  });

  it('gives V8 a heap limit a margin above the budget', () => {
    expect(heapLimitMb(16)).toBe(80);
    expect(heapLimitMb(1536)).toBe(1920);
  });
});

describe("the pass's results", () => {
  const MIB = 1024 * 1024;
  const result = { files: new Map([['a.py', { whole: true }]]), memory: { released: 0, reparsed: 0 } };
  const bytes = (): ArrayBuffer => {
    const b = serialize(result);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };

  it('are taken when they fit in what is left of the heap', () => {
    expect(
      received({ kind: 'done', bytes: bytes() }, 64, () => ({ used: 10 * MIB, limit: 100 * MIB })),
    ).toEqual({
      ok: true,
      ...result,
    });
  });

  it('are refused, with a memory-limit reason, when they would not fit', () => {
    const message = { kind: 'done' as const, bytes: bytes() };
    const size = message.bytes.byteLength;
    expect(received(message, 64, () => ({ used: 100 * MIB - 4 * size, limit: 100 * MIB }))).toEqual({
      ok: false,
      reason: 'memory-limit',
      detail:
        "the project pass's results (1 MiB serialised) would not fit in the 0 MiB left of the review's heap",
    });
  });

  it('say so when the pass stopped over its budget', () => {
    expect(received({ kind: 'over-budget', usedMb: 70, budgetMb: 64 }, 64)).toEqual({
      ok: false,
      reason: 'memory-limit',
      detail: 'the project pass needed more than its 64 MiB memory budget (70 MiB in use after a collection)',
    });
  });
});
