import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/index.js';
import type { TaintOptions } from '../../../src/dataflow/index.js';
import { reviewFiles } from './review-files.js';
import { run, TempRepo } from '../../review/helpers.js';

/**
 * Project wrappers in JavaScript (dataflow/forwards.ts): a call that hands request data to a
 * project function which passes its parameter unchanged to a sink is reported at that call, where
 * the value is built, as Python's are.
 */
const CMD = 'javascript/os-command-injection';

const SHELL = [
  "const cp = require('child_process');",
  '',
  'function run(command) {',
  "  return cp.execSync(command, { encoding: 'utf8' });",
  '}',
  '',
  'module.exports = { run };',
  '',
].join('\n');

const ROUTES = [
  "const express = require('express');",
  "const { run } = require('../lib/shell');",
  '',
  'const app = express();',
  '',
  "app.get('/uptime', (req, res) => {",
  "  res.send(run('uptime'));",
  '});',
  '',
].join('\n');

const PING = [
  "app.get('/ping', (req, res) => {",
  '  const host = req.query.host;',
  '  res.send(run(`ping -c 1 ${host}`));',
  '});',
  '',
].join('\n');

function reviewProject(files: Record<string, string>, options?: TaintOptions): Promise<Finding[]> {
  return reviewFiles(files, [CMD], options);
}

const at = (f: Finding): string => `${f.location.file}:${f.location.start.line}`;
const flowOf = (f: Finding): string[] => (f.flow ?? []).map((s) => `${at(s)} ${s.note}`);

describe('JavaScript project wrappers', () => {
  it('report the call that passes request data, not the wrapper whose other callers pass constants', async () => {
    const findings = await reviewProject({ 'lib/shell.js': SHELL, 'routes/app.js': ROUTES + PING });
    expect(findings.map(at)).toEqual(['routes/app.js:11']);
    expect(findings[0].message).toBe(
      '`run` (through `child_process.execSync` (called as `cp.execSync`), lib/shell.js:4) receives a ' +
        'command built from `req.query` (line 10); it is used without validation.',
    );
    expect(flowOf(findings[0])).toEqual([
      'routes/app.js:10 source: `req.query`',
      'routes/app.js:11 passed to `run`',
      'lib/shell.js:4 reaches `child_process.execSync` (called as `cp.execSync`) as the command',
    ]);
  });

  it('stay the wrapper’s finding when the wrapper builds the command around its parameter', async () => {
    const built = SHELL.replace("cp.execSync(command, { encoding: 'utf8' })", "cp.execSync('ls ' + command)");
    const findings = await reviewProject({ 'lib/shell.js': built, 'routes/app.js': ROUTES + PING });
    expect(findings.map(at)).toEqual(['lib/shell.js:4']);
    expect(flowOf(findings[0])[0]).toBe('routes/app.js:10 source: `req.query`');
  });

  it('report each call that passes request data, in the wrapper’s own module too', async () => {
    const own = SHELL.replace(
      'module.exports = { run };',
      [
        "const express = require('express');",
        '',
        'const admin = express.Router();',
        "admin.post('/exec', (req, res) => res.send(run(req.body.command)));",
        '',
        'module.exports = { run, admin };',
      ].join('\n'),
    );
    const findings = await reviewProject({ 'lib/shell.js': own, 'routes/app.js': ROUTES + PING });
    expect(findings.map((f) => `${at(f)} ${f.flow?.[0]?.note}`)).toEqual([
      'lib/shell.js:10 source: `req.body`',
      'routes/app.js:11 source: `req.query`',
    ]);
  });

  it('keep the wrapper’s finding when it is also run as a callback, whose callers are not known', async () => {
    const callback = [
      "app.get('/all', (req, res) => {",
      '  res.send([req.query.a, req.query.b].map(run));',
      '});',
      '',
    ].join('\n');
    const findings = await reviewProject({
      'lib/shell.js': SHELL,
      'routes/app.js': ROUTES + PING + callback,
    });
    expect(findings.map(at)).toEqual(['lib/shell.js:4', 'routes/app.js:11']);
  });
});

describe('JavaScript project wrappers in a diff review', () => {
  let repos: TempRepo[] = [];
  afterEach(() => {
    for (const r of repos) r.remove();
    repos = [];
  });

  it('report the changed call when the wrapper changes with it', async () => {
    const r = new TempRepo();
    repos.push(r);
    r.write('.secreview.yml', `rules:\n  enable: [${CMD}]\n`)
      .write('lib/shell.js', 'function run(command) {\n  return command;\n}\n\nmodule.exports = { run };\n')
      .write('routes/app.js', ROUTES);
    r.commit('base');
    r.write('lib/shell.js', SHELL).write('routes/app.js', ROUTES + PING);
    const res = await run(r.dir, ['diff', '-f', 'json']);
    const report = JSON.parse(res.stdout) as { findings: Finding[] };
    expect(report.findings.map((f) => `${at(f)} ${f.ruleId}`)).toEqual([`routes/app.js:11 ${CMD}`]);
    expect(report.findings[0].flow?.map(at)).toEqual([
      'routes/app.js:10',
      'routes/app.js:11',
      'lib/shell.js:4',
    ]);
  });

  it('do not see the wrapper when only the caller changes, as for Python', async () => {
    // A diff review reads the changed files only: the unchanged wrapper's module is not analysed,
    // so its call is unknown code and nothing is reported (the same holds for Python wrappers).
    const r = new TempRepo();
    repos.push(r);
    r.write('.secreview.yml', `rules:\n  enable: [${CMD}]\n`)
      .write('lib/shell.js', SHELL)
      .write('routes/app.js', ROUTES);
    r.commit('base');
    r.write('routes/app.js', ROUTES + PING);
    const res = await run(r.dir, ['diff', '-f', 'json']);
    expect((JSON.parse(res.stdout) as { findings: Finding[] }).findings).toEqual([]);
  });
});
