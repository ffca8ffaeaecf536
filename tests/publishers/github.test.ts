import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ONLY_CMD, run, TempRepo } from '../review/helpers.js';
import { closedPort, FakeService } from './server.js';

const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';

let repo: TempRepo;
let service: FakeService;
let api: string;

beforeEach(async () => {
  repo = new TempRepo();
  repo.write('.secreview.yml', ONLY_CMD).write('app.py', 'import os\n');
  repo.commit('base');
  repo.write('app.py', 'import os\n\n\ndef f(request):\n    os.system(request.GET["cmd"])\n');
  writeFileSync(
    join(repo.dir, 'event.json'),
    JSON.stringify({ action: 'opened', number: 7, pull_request: { number: 7, head: { sha: HEAD_SHA } } }),
  );
  service = new FakeService();
  api = await service.start();
});

afterEach(async () => {
  await service.stop();
  repo.remove();
});

function actionsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_TOKEN: 'ghs_test_token',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_EVENT_PATH: join(repo.dir, 'event.json'),
    GITHUB_API_URL: api,
    ...extra,
  };
}

describe('secreview publish github', () => {
  it('posts the review payload to the pull request from the Actions environment', async () => {
    service.answer = () => ({
      status: 200,
      body: JSON.stringify({
        id: 80,
        html_url: 'https://github.example/octo/app/pull/7#pullrequestreview-80',
      }),
    });
    const res = await run(repo.dir, ['publish', 'github'], { env: actionsEnv() });
    expect(res.code).toBe(1);
    expect(service.requests).toHaveLength(1);
    const req = service.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/repos/octo/app/pulls/7/reviews');
    expect(req.headers.authorization).toBe('Bearer ghs_test_token');
    expect(req.headers.accept).toBe('application/vnd.github+json');
    expect(req.headers['x-github-api-version']).toBe('2022-11-28');
    const sent = JSON.parse(req.body) as {
      commit_id: string;
      body: string;
      event: string;
      comments: { path: string; line: number; side: string }[];
    };
    expect(sent.commit_id).toBe(HEAD_SHA);
    expect(sent.event).toBe('COMMENT');
    expect(sent.comments.map((c) => [c.path, c.line, c.side])).toEqual([['app.py', 5, 'RIGHT']]);
    // What was posted is what was printed.
    expect(JSON.parse(res.stdout)).toEqual(sent);
    expect(res.stderr).toBe(
      'secreview: Reviewed 1 file (5 lines), skipped 0: 1 security defect (1 high).\n' +
        'secreview: posted the review: https://github.example/octo/app/pull/7#pullrequestreview-80\n',
    );
  });

  it('takes the repository and pull request from arguments', async () => {
    service.answer = () => ({ status: 200, body: '{"id": 5}' });
    const res = await run(
      repo.dir,
      ['publish', 'github', '--repo', 'other/repo', '--pr', '12', '--api-url', api],
      {
        env: { GITHUB_TOKEN: 't' },
      },
    );
    expect(res.code).toBe(1);
    expect(service.requests.map((r) => r.url)).toEqual(['/repos/other/repo/pulls/12/reviews']);
    expect('commit_id' in (JSON.parse(service.requests[0].body) as object)).toBe(false);
    expect(res.stderr.split('\n')[1]).toBe('secreview: posted the review: review 5');
  });

  const failures: [number, string, string][] = [
    [
      401,
      '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}',
      'GitHub refused the credentials (HTTP 401 Unauthorized): Bad credentials; check that GITHUB_TOKEN is valid and may write pull-request reviews (permissions: pull-requests: write)',
    ],
    [
      404,
      '{"message":"Not Found"}',
      "GitHub found no such target (HTTP 404 Not Found): Not Found; check the repository 'octo/app' and pull request #7, and that the token can see them",
    ],
    [
      422,
      '{"message":"Unprocessable Entity","errors":["Line could not be resolved"]}',
      'GitHub rejected the review (HTTP 422 Unprocessable Entity): Unprocessable Entity; Line could not be resolved',
    ],
    [
      502,
      '<html>Bad Gateway</html>',
      'GitHub failed on its side (HTTP 502 Bad Gateway): <html>Bad Gateway</html>; try again later',
    ],
  ];
  for (const [status, body, message] of failures) {
    it(`exits 2 with a clear message on HTTP ${status} and still prints the review`, async () => {
      service.answer = () => ({ status, body });
      const res = await run(repo.dir, ['publish', 'github'], { env: actionsEnv() });
      expect(res.code).toBe(2);
      expect(res.stderr.split('\n')[1]).toBe(`secreview: error: the review was not posted: ${message}`);
      expect((JSON.parse(res.stdout) as { comments: unknown[] }).comments).toHaveLength(1);
    });
  }

  it('posts the inline comments in the body when GitHub cannot place them on its diff (HTTP 422)', async () => {
    service.answer = (req) =>
      (JSON.parse(req.body) as { comments: unknown[] }).comments.length
        ? { status: 422, body: '{"message":"Unprocessable Entity","errors":["Line could not be resolved"]}' }
        : { status: 200, body: '{"id": 81, "html_url": "https://github.example/octo/app/pull/7#r81"}' };
    const res = await run(repo.dir, ['publish', 'github'], { env: actionsEnv() });
    expect(res.code).toBe(1);
    expect(service.requests).toHaveLength(2);
    const [first, second] = service.requests.map(
      (r) => JSON.parse(r.body) as { body: string; event: string; comments: { body: string }[] },
    );
    expect(second.comments).toEqual([]);
    expect(second.event).toBe(first.event);
    expect(second.body).toBe(
      `${first.body}\n\n### Inline comments\n\n#### \`app.py\` line 5\n\n${first.comments[0].body}`,
    );
    expect(res.stderr.split('\n')[1]).toBe(
      'secreview: posted the review: https://github.example/octo/app/pull/7#r81 (with the inline comments in its body: ' +
        'GitHub rejected the review (HTTP 422 Unprocessable Entity): Unprocessable Entity; Line could not be resolved)',
    );
  });

  it('writes the review to --output even when posting fails', async () => {
    service.answer = () => ({ status: 500, body: '{"message":"Server Error"}' });
    const res = await run(repo.dir, ['publish', 'github', '-o', 'review.json', '-f', 'markdown'], {
      env: actionsEnv(),
    });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(readFileSync(join(repo.dir, 'review.json'), 'utf8')).toContain('## secreview security review');
  });

  it('exits 2 without a request when the token is missing, and when the server cannot be reached', async () => {
    const noToken = await run(repo.dir, ['publish', 'github'], { env: actionsEnv({ GITHUB_TOKEN: '' }) });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.split('\n')[1]).toBe(
      'secreview: error: the review was not posted: GITHUB_TOKEN is not set; it must hold a token allowed to review pull requests',
    );
    expect(noToken.stdout).not.toBe('');
    expect(service.requests).toEqual([]);

    const down = await closedPort();
    const unreachable = await run(repo.dir, ['publish', 'github'], {
      env: actionsEnv({ GITHUB_API_URL: down }),
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.split('\n')[1]).toBe(
      `secreview: error: the review was not posted: could not reach GitHub at ${down}/repos/octo/app/pulls/7/reviews: ECONNREFUSED`,
    );
  });
});
