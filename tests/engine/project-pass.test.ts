import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePython } from '../../src/lang/python/semantic/scope.js';
import { review } from '../../src/engine/review.js';
import { Claims } from '../../src/engine/claims.js';
import { PassProgress } from '../../src/engine/pass-progress.js';
import { projectReview } from '../../src/engine/project-review.js';
import { allRules } from '../../src/rules/registry.js';
import { ReviewStats } from '../../src/engine/stats.js';
import { projectTaint, queryFromData } from '../../src/engine/taint.js';
import { parseSource } from '../../src/lang/registry.js';

const FILES: Record<string, string> = {
  'app.py': [
    'from flask import Flask, request',
    'from pkg import run',
    'app = Flask(__name__)',
    '',
    // The first root loads pkg on demand; the second must still find what that load made.
    "@app.route('/b')",
    'def b():',
    "    return run('uptime')",
    '',
    "@app.route('/a')",
    'def a():',
    "    return run(request.args['cmd'])",
    '',
  ].join('\n'),
  'pkg/__init__.py': 'from .tools import run\n',
  'pkg/tools.py': ['import os', '', 'def run(cmd):', '    return os.system(cmd)', ''].join('\n'),
  'unrelated.py': ['import os', '', 'def tidy(path):', '    os.remove(path)', ''].join('\n'),
};

/** What reaches the first argument of `callee` in `path`, after the project pass. */
async function traceIn(data: Awaited<ReturnType<typeof projectTaint>>, path: string, callee: string) {
  const file = await parseSource(path, FILES[path], 'python');
  const module = analyzePython(file);
  const query = queryFromData(data.get(path)!, file);
  const call = module.calls.find((c) => c.node.childForFieldName('function')?.text === callee)!;
  return query.trace(call.args[0]);
}

describe('the project pass', () => {
  const sources = Object.entries(FILES).map(([file, text]) => ({ file, text, language: 'python' as const }));

  it('reads the modules that entry points reach, through a package __init__, for every root', async () => {
    const data = await projectTaint(sources);
    expect([...data.keys()].sort()).toEqual(['app.py', 'pkg/__init__.py', 'pkg/tools.py']);
    const trace = await traceIn(data, 'pkg/tools.py', 'os.system');
    expect(trace.kind).toBe('tainted');
    if (trace.kind !== 'tainted') return;
    expect(trace.sources.map((s) => `${s.location.file}:${s.location.start.line}`)).toEqual(['app.py:11']);
    expect(trace.flow.map((s) => `${s.location.file}:${s.location.start.line} ${s.note}`)).toEqual([
      "app.py:11 source: `request.args['cmd']`",
      'app.py:11 passed to `run` as `cmd`',
    ]);
  });

  it('takes no entry point from test files: their requests are built by the tests', async () => {
    const data = await projectTaint([
      ...sources,
      {
        file: 'tests/test_app.py',
        text: "from pkg import run\n\ndef test_run(request):\n    run(request.args['cmd'])\n",
        language: 'python',
      },
    ]);
    expect(data.has('tests/test_app.py')).toBe(false);
    const trace = await traceIn(data, 'pkg/tools.py', 'os.system');
    expect(trace.kind === 'tainted' && trace.sources.map((s) => s.location.file)).toEqual(['app.py']);
  });

  it('leaves files no entry point reaches to the per-file analysis', async () => {
    const data = await projectTaint(sources);
    expect(data.has('unrelated.py')).toBe(false);
  });
});

describe('a review with dataflow rules', () => {
  it('gives a file the pass reached its project results, though no source name is in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secreview-pass-'));
    try {
      for (const [path, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const stats = new ReviewStats();
      const result = await review({ paths: ['.'], cwd: dir, stats });
      // run() hands its argument to os.system as it is: the call that builds it is reported, and
      // the pass's results for pkg/tools.py (which names no source) carry the flow there.
      const defects = result.findings.filter((f) => f.kind === 'defect');
      expect(defects.map((f) => `${f.location.file}:${f.ruleId}:${f.location.start.line}`)).toEqual([
        'app.py:python/os-command-injection:11',
      ]);
      expect(defects[0].flow?.map((s) => `${s.location.file}:${s.location.start.line}`)).toEqual([
        'app.py:11',
        'app.py:11',
        'pkg/tools.py:4',
      ]);
      expect(result.files.map((f) => `${f.file}:${f.status}`).sort()).toEqual([
        'app.py:reviewed',
        'pkg/__init__.py:reviewed',
        'pkg/tools.py:reviewed',
        'unrelated.py:reviewed',
      ]);
      expect(stats.counters.reviewed).toBe(4);
      // pkg/tools.py may be analysed in a worker and again by the pass: still one file per rule.
      expect(stats.rules.get('python/os-command-injection')?.files).toBeLessThanOrEqual(4);
      expect(Math.max(...[...stats.rules.values()].map((r) => r.files))).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ReviewStats', () => {
  const timings = (ms: number) => ({ parse: 1, scope: 1, other: 1, rules: { 'python/xss': ms } });

  it('counts a file analysed twice once per rule, and its time twice', () => {
    const stats = new ReviewStats();
    stats.addFile(3, timings(2));
    stats.addFile(3, timings(5));
    expect(stats.rules.get('python/xss')).toEqual({ ms: 7, files: 1 });
    stats.addFile(4, timings(1));
    stats.addFile(100_000, timings(1));
    stats.addFile(100_000, timings(1));
    expect(stats.rules.get('python/xss')).toEqual({ ms: 10, files: 3 });
    expect(stats.work).toEqual({ parse: 5, scope: 5, other: 5 });
  });
});

describe('the progress of the project pass', () => {
  const sources = Object.entries(FILES).map(([file, text]) => ({ file, text, language: 'python' as const }));

  it('marks the files it reviews whole (entry points, files it claimed) reviewed, and no other', async () => {
    const progress = PassProgress.forFiles(sources.length);
    const claims = Claims.forFiles(sources.length);
    claims.takeForPass(0); // app.py: holds an entry point, the pass's from the start
    claims.takeForPool(2); // pkg/tools.py: the pool started it first
    await projectReview(
      sources,
      allRules(),
      undefined,
      new Set(['app.py']),
      undefined,
      claims,
      undefined,
      progress,
    );
    // app.py and pkg/__init__.py (claimed as the pass parsed it) are the pass's; tools.py the pool's.
    expect([0, 1, 2, 3].map((i) => progress.stage(i))).toEqual([
      PassProgress.REVIEWED,
      PassProgress.REVIEWED,
      0,
      0,
    ]);
    expect(progress.credit()).toBe(2);
  });

  it("hashes each file's dataflow results for the cache only when the review keeps one", async () => {
    const run = (hashDeps: boolean) =>
      projectReview(
        sources,
        allRules(),
        undefined,
        new Set(['app.py']),
        undefined,
        undefined,
        undefined,
        undefined,
        hashDeps,
      );
    const cached = (await run(true)).files;
    const uncached = (await run(false)).files;
    expect([...cached.keys()].sort()).toEqual(['app.py', 'pkg/__init__.py', 'pkg/tools.py']);
    for (const [path, result] of cached) {
      expect(result.deps).toMatch(/^[0-9a-f]{32}$/);
      expect(uncached.get(path)?.deps).toBe('');
      expect(uncached.get(path)?.analysis.findings).toEqual(result.analysis.findings);
    }
  });

  it('counts a parsed file as half done', () => {
    const progress = PassProgress.forFiles(3);
    progress.mark(0, PassProgress.PARSED);
    progress.mark(1, PassProgress.REVIEWED);
    progress.mark(7, PassProgress.REVIEWED); // out of range: ignored
    expect(progress.credit()).toBe(1.5);
    expect([0, 1, 2].map((i) => progress.stage(i))).toEqual([PassProgress.PARSED, PassProgress.REVIEWED, 0]);
  });
});
