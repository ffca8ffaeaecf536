import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeService } from '../publishers/server.js';
import { defects, Sandbox, SECRETS, VULNERABLE } from './hostile.js';

/**
 * Attacks 1 and 2 of the hostile-repository issue: a repository's config naming where secreview
 * sends the user's credentials or code. The attacker's server must receive nothing; the user's
 * own server (from the environment) gets the review; the ignored keys are reported by name.
 */

let box: Sandbox;
let attacker: FakeService;
let legit: FakeService;
let attackerUrl: string;
let legitUrl: string;

beforeEach(async () => {
  box = new Sandbox();
  attacker = new FakeService();
  legit = new FakeService();
  attackerUrl = await attacker.start();
  legitUrl = await legit.start();
});

afterEach(async () => {
  await attacker.stop();
  await legit.stop();
  box.remove();
});

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: box.repo,
    env: box.env(),
  });
}

/** A repository whose change adds a command injection, with the given config committed. */
function changedRepo(config: string): void {
  git('init', '-q', '-b', 'main');
  writeFileSync(join(box.repo, '.secreview.yml'), config);
  writeFileSync(join(box.repo, 'app.py'), 'import os\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
}

function leaks(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s));
}

describe('a repository config cannot send credentials anywhere', () => {
  it('github.api-url in the repository is ignored with a warning; the review goes to GITHUB_API_URL', async () => {
    changedRepo(`github:\n  api-url: ${attackerUrl}\n  event-on-clean: APPROVE\n`);
    const res = await box.run(['publish', 'github', 'HEAD', '--repo', 'o/r', '--pr', '7', '-q'], {
      ...SECRETS,
      GITHUB_API_URL: legitUrl,
    });
    expect(attacker.requests).toEqual([]);
    expect(legit.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /repos/o/r/pulls/7/reviews']);
    expect(legit.requests[0].headers.authorization).toBe(`Bearer ${SECRETS.GITHUB_TOKEN}`);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `secreview: warning: ${join(box.repo, '.secreview.yml')}: 'github' (api-url, event-on-clean) is ignored: ` +
        "a repository's config may not set it; use flags, environment variables or the user config\n",
    );
    expect(leaks(res.stdout + res.stderr)).toEqual([]);
  });

  it('gerrit.url and votes in the repository are ignored; the review goes to GERRIT_URL with the default vote', async () => {
    changedRepo(`gerrit:\n  url: ${attackerUrl}\n  vote-on-defects: 2\n`);
    legit.answer = () => ({ status: 200, body: ')]}\'\n{"labels":{"Code-Review":-1}}' });
    const res = await box.run(['publish', 'gerrit', 'HEAD', '-q'], {
      ...SECRETS,
      GERRIT_URL: legitUrl,
      GERRIT_CHANGE_NUMBER: '42',
    });
    expect(attacker.requests).toEqual([]);
    expect(legit.requests).toHaveLength(1);
    expect((JSON.parse(legit.requests[0].body) as { labels: unknown }).labels).toEqual({ 'Code-Review': -1 });
    expect(res.stderr).toContain(`'gerrit' (url, vote-on-defects) is ignored`);
    expect(leaks(res.stdout + res.stderr)).toEqual([]);
  });

  it('the user config outside the repository may name the server', async () => {
    changedRepo('rules:\n  enable: [python/os-command-injection]\n');
    mkdirSync(join(box.home, '.config', 'secreview'), { recursive: true });
    writeFileSync(join(box.home, '.config', 'secreview', 'config.yml'), `github:\n  api-url: ${legitUrl}\n`);
    const res = await box.run(['publish', 'github', 'HEAD', '--repo', 'o/r', '--pr', '7', '-q'], SECRETS);
    expect(legit.requests).toHaveLength(1);
    expect(res.stderr).not.toContain('warning');
  });
});

describe('a repository config cannot turn on the LLM layer', () => {
  it('llm.enabled and llm.base-url in the repository send nothing; the deterministic review is complete', async () => {
    writeFileSync(
      join(box.repo, '.secreview.yml'),
      `llm:\n  enabled: true\n  base-url: ${attackerUrl}/v1\n  model: m\n`,
    );
    writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
    const res = await box.run(['review', '-f', 'json', '-q'], SECRETS);
    expect(attacker.requests).toEqual([]);
    expect(res.code).toBe(1);
    expect(defects(res.stdout)).toEqual(['app.py:3 python/os-command-injection']);
    expect(res.stderr).toBe(
      `secreview: warning: ${join(box.repo, '.secreview.yml')}: 'llm' (enabled, base-url, model) is ignored: ` +
        "a repository's config may not set it; use flags, environment variables or the user config\n",
    );
    // The warning is in the report too, where the workflow's owner reads it.
    expect((JSON.parse(res.stdout) as { notices: string[] }).notices[0]).toContain(
      "'llm' (enabled, base-url, model)",
    );
  });

  it('with --llm the endpoint comes from the environment, never from the repository', async () => {
    writeFileSync(join(box.repo, '.secreview.yml'), `llm:\n  base-url: ${attackerUrl}/v1\n`);
    writeFileSync(join(box.repo, 'app.py'), VULNERABLE);
    const res = await box.run(['review', '--llm', '-q'], { ...SECRETS, SECREVIEW_LLM_MODEL: 'm' });
    expect(attacker.requests).toEqual([]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('the LLM review needs an endpoint and a model: set SECREVIEW_LLM_BASE_URL');
  });
});
