import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findingsOf, run, TempRepo } from '../../review/helpers.js';

/** Only the two command-injection rules, so rules added later do not change expectations. */
const CONFIG = 'rules:\n  enable: [python/os-command-injection, javascript/os-command-injection]\n';

const PY_BASE = 'import os\n\n\ndef ping(request):\n    return "ok"\n';
const PY_CHANGED =
  'import os\n\n\ndef ping(request):\n    os.system("ping " + request.GET["host"])\n    return "ok"\n';
const TS_BASE = [
  "import express from 'express';",
  "import { execSync } from 'node:child_process';",
  '',
  'const app = express();',
  "app.get('/ping', (req, res) => {",
  "  res.send('ok');",
  '});',
  '',
].join('\n');
const TS_CHANGED = TS_BASE.replace(
  "  res.send('ok');",
  "  execSync(`ping -c 1 ${req.query.host}`);\n  res.send('ok');",
);
/** A second route added after the baseline was recorded. */
const TS_LATER = `${TS_CHANGED}app.get('/trace', (req, res) => {\n  res.send(execSync('traceroute ' + req.query.host));\n});\n`;

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.remove();
  repos = [];
});

/** A repository whose working tree changes a Python view and a TypeScript route, each adding a defect. */
function mixedChange(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  r.write('.secreview.yml', CONFIG).write('service/views.py', PY_BASE).write('web/src/server.ts', TS_BASE);
  r.commit('base');
  r.write('service/views.py', PY_CHANGED).write('web/src/server.ts', TS_CHANGED);
  return r;
}

const BOTH = [
  'service/views.py:5 python/os-command-injection',
  'web/src/server.ts:6 javascript/os-command-injection',
];

describe('a change to Python and TypeScript files', () => {
  it('is reviewed in one diff: the defects on the changed lines of both languages, with exit code 1', async () => {
    const r = mixedChange();
    const res = await run(r.dir, ['diff', 'HEAD', '-f', 'json']);
    expect(res.code).toBe(1);
    expect(findingsOf(res.stdout)).toEqual(BOTH);
    // The TypeScript route's unchanged lines are not the change: committed, the diff is empty.
    r.commit('both defects');
    const clean = await run(r.dir, ['diff', 'HEAD', '-f', 'json']);
    expect(clean.code).toBe(0);
    expect(findingsOf(clean.stdout)).toEqual([]);
  });

  it('is written for GitHub, GitLab, Gerrit and HTML with both files at their lines', async () => {
    const r = mixedChange();
    const github = JSON.parse((await run(r.dir, ['diff', 'HEAD', '-f', 'github'])).stdout) as {
      comments: { path: string; line: number; side: string }[];
    };
    expect(github.comments.map((c) => `${c.path}:${c.line} ${c.side}`)).toEqual([
      'service/views.py:5 RIGHT',
      'web/src/server.ts:6 RIGHT',
    ]);

    const gitlab = JSON.parse((await run(r.dir, ['diff', 'HEAD', '-f', 'gitlab'])).stdout) as {
      check_name: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(gitlab.map((i) => `${i.location.path}:${i.location.lines.begin} ${i.check_name}`)).toEqual(BOTH);

    const gerrit = JSON.parse((await run(r.dir, ['diff', 'HEAD', '-f', 'gerrit'])).stdout) as {
      comments: Record<string, { line: number }[]>;
    };
    expect(
      Object.entries(gerrit.comments).flatMap(([path, cs]) => cs.map((c) => `${path}:${c.line}`)),
    ).toEqual(['service/views.py:5', 'web/src/server.ts:6']);

    const html = (await run(r.dir, ['diff', 'HEAD', '-f', 'html'])).stdout;
    expect(html).toContain('service/views.py');
    expect(html).toContain('web/src/server.ts');
    expect(html).toContain('javascript/os-command-injection');
    expect(html).toContain('python/os-command-injection');
  });

  it('takes a baseline of both languages and then reports only the new TypeScript defect', async () => {
    const r = mixedChange();
    const created = await run(r.dir, ['baseline', 'create', '-o', 'baseline.json']);
    expect(created.code).toBe(0);
    const same = await run(r.dir, ['review', '--baseline', 'baseline.json', '-f', 'json']);
    expect(same.code).toBe(0);
    expect(findingsOf(same.stdout)).toEqual(BOTH.map((f) => `${f} (suppressed: baseline)`));

    r.write('web/src/server.ts', TS_LATER);
    const later = await run(r.dir, ['review', '--baseline', 'baseline.json', '-f', 'json']);
    expect(later.code).toBe(1);
    expect(findingsOf(later.stdout)).toEqual([
      ...BOTH.map((f) => `${f} (suppressed: baseline)`),
      'web/src/server.ts:10 javascript/os-command-injection',
    ]);
  });
});

const ROUTE = [
  "const express = require('express');",
  "const { run } = require('../lib/runner');",
  '',
  'const app = express();',
  "app.get('/run', (req, res) => {",
  "  res.send('ok');",
  '});',
  '',
].join('\n');
const RUNNER = [
  "const cp = require('child_process');",
  '',
  'function run(cmd) {',
  '  return cp.execSync(cmd);',
  '}',
  'module.exports = { run };',
  '',
].join('\n');

describe('a JavaScript project whose modules import across folders', () => {
  /** `web/src/routes/app.js` imports `../lib/runner`; `web/package.json` lies between. */
  function project(routeCalls: boolean): TempRepo {
    const r = new TempRepo();
    repos.push(r);
    r.write('.secreview.yml', CONFIG)
      .write('web/package.json', '{"name": "web"}\n')
      .write('web/src/lib/runner.js', RUNNER)
      .write(
        'web/src/routes/app.js',
        routeCalls ? ROUTE.replace("  res.send('ok');", '  run(req.query.cmd);') : ROUTE,
      );
    return r;
  }
  // run() hands its argument to execSync as it is: the call that passes request data is reported.
  const FLOW = ['web/src/routes/app.js:6 javascript/os-command-injection'];

  it('follows the import from the work tree, a sub-folder or the folder itself', async () => {
    const r = project(true);
    r.commit('base');
    expect(findingsOf((await run(r.dir, ['review', '-f', 'json'])).stdout)).toEqual(FLOW);
    expect(findingsOf((await run(r.dir, ['review', 'web/src', '-f', 'json'])).stdout)).toEqual(FLOW);
    // From inside the project, a path outside the folder the review runs in is reported absolute.
    const inside = await run(`${r.dir}/web/src/lib`, ['review', '..', '-f', 'json']);
    expect(findingsOf(inside.stdout)).toEqual([`${r.dir}/${FLOW[0]}`]);
  });

  it('follows it in a diff that adds the runner and its call, which reads only the changed files', async () => {
    const r = project(false);
    rmSync(`${r.dir}/web/src/lib`, { recursive: true });
    r.commit('base');
    r.write('web/src/lib/runner.js', RUNNER);
    r.write('web/src/routes/app.js', ROUTE.replace("  res.send('ok');", '  run(req.query.cmd);'));
    const res = await run(r.dir, ['diff', 'HEAD', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual(FLOW);
  });
});
