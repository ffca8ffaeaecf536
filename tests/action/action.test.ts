import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeService } from '../publishers/server.js';
import { ONLY_CMD, TempRepo } from '../review/helpers.js';

// The composite action's shell steps, run with bash as the runner would, against the built CLI.
const root = join(import.meta.dirname, '..', '..');
const CLI = join(root, 'dist', 'bundle', 'secreview.js');

interface Step {
  name?: string;
  uses?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  run?: string;
}
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};
const step = (name: string): Step => {
  const s = action.runs.steps.find((x) => x.name === name);
  if (!s?.run) throw new Error(`action.yml has no step '${name}' with a script`);
  return s;
};

/** Runs a step's script with the given values for its `env:` (which must name exactly these). */
function runStep(
  s: Step,
  cwd: string,
  env: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  expect(Object.keys(s.env ?? {}).sort()).toEqual(Object.keys(env).sort());
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', s.run!], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extra },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let repo: TempRepo;
let service: FakeService;
let api: string;
let base: string;

beforeEach(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  repo = new TempRepo();
  repo.write('.secreview.yml', ONLY_CMD).write('app.py', 'import os\n');
  base = repo.commit('base');
  repo.write('app.py', 'import os\n\n\ndef f(request):\n    os.system(request.GET["cmd"])\n');
  repo.commit('change');
  writeFileSync(join(repo.dir, 'event.json'), JSON.stringify({ number: 7, pull_request: { number: 7 } }));
  service = new FakeService();
  service.answer = () => ({ status: 200, body: '{"id": 9, "html_url": "https://github.example/r/9"}' });
  api = await service.start();
});

afterEach(async () => {
  await service.stop();
  repo.remove();
});

describe('action.yml', () => {
  it('is a composite action on Node 20 whose inputs have the defaults the README gives', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual([
      'base',
      'fail-on',
      'publish-review',
      'upload-sarif',
      'sarif-file',
      'config',
      'args',
      'github-token',
    ]);
    expect(action.inputs['fail-on'].default).toBe('low');
    expect(action.inputs['publish-review'].default).toBe('true');
    expect(action.inputs['upload-sarif'].default).toBe('false');
  });

  const reviewEnv = (over: Record<string, string> = {}): Record<string, string> => ({
    SECREVIEW: CLI,
    GITHUB_TOKEN: 'ghs_token',
    BASE: base,
    PR_NUMBER: '7',
    PUBLISH: 'true',
    FAIL_ON: 'low',
    CONFIG: '',
    EXTRA_ARGS: '',
    ...over,
  });
  const actions = (): Record<string, string> => ({
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_EVENT_PATH: join(repo.dir, 'event.json'),
    GITHUB_API_URL: api,
  });

  it('reviews the change and posts the review on the pull request, failing on the new defect', async () => {
    const res = await runStep(step('Review the change'), repo.dir, reviewEnv(), actions());
    expect(res.code).toBe(1);
    expect(service.requests.map((r) => r.url)).toEqual(['/repos/octo/app/pulls/7/reviews']);
    const sent = JSON.parse(service.requests[0].body) as { comments: { path: string; line: number }[] };
    expect(sent.comments.map((c) => `${c.path}:${c.line}`)).toEqual(['app.py:5']);
    expect(res.stderr).toContain('secreview: posted the review: https://github.example/r/9\n');
  });

  it('only prints the review when publishing is off, and passes the extra arguments on', async () => {
    const res = await runStep(
      step('Review the change'),
      repo.dir,
      reviewEnv({ PUBLISH: 'false', FAIL_ON: 'never', EXTRA_ARGS: '--format json --quiet' }),
      actions(),
    );
    expect(res.code).toBe(0);
    expect(service.requests).toEqual([]);
    const report = JSON.parse(res.stdout) as {
      findings: { ruleId: string; location: { start: { line: number } } }[];
    };
    expect(report.findings.map((f) => `${f.ruleId}:${f.location.start.line}`)).toEqual([
      'python/os-command-injection:5',
    ]);
  });

  it('stops with an error annotation when there is no base to compare with', async () => {
    const res = await runStep(step('Review the change'), repo.dir, reviewEnv({ BASE: '' }), actions());
    expect(res.code).toBe(2);
    expect(res.stdout).toBe(
      "::error::secreview: no base to compare with; run on pull_request events or set the 'base' input\n",
    );
  });

  it('writes the whole tree as SARIF for code scanning without failing the step', async () => {
    const s = step('Review the whole tree as SARIF');
    expect(s.if).toBe("inputs.upload-sarif == 'true'");
    const res = await runStep(s, repo.dir, { SECREVIEW: CLI, SARIF_FILE: 'out.sarif', CONFIG: '' });
    expect(res.code).toBe(0);
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'out.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r) => r.ruleId)).toEqual(['python/os-command-injection']);
    const upload = action.runs.steps.find((x) => x.name === 'Upload SARIF');
    expect(upload?.uses).toBe('github/codeql-action/upload-sarif@v3');
  });
});
