import { afterEach, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { CMD, ONLY_CMD, run, TempRepo } from './helpers.js';

const CWE78 =
  "CWE-78 Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection') [pillar CWE-707 Improper Neutralization]";
const FIX =
  'Pass the command as a list of arguments with shell=False (the default) and a constant program; if a shell is unavoidable, quote every variable part with shlex.quote().';

const CHANGED = `import os
import subprocess


def run(program, request):
    subprocess.run([program, "--version"])
    os.system("ping " + request.GET["host"])
`;

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.remove();
  repos = [];
});

/** A repository whose working tree adds a low (line 6: origin unknown) and a high (line 7: a client's flow) defect. */
/** A repository with a change; `userConfig` is the user's own config (review events and votes are the user's). */
function changed(userConfig = ''): { r: TempRepo; base: string } {
  const r = new TempRepo();
  repos.push(r);
  r.write('.secreview.yml', ONLY_CMD).write('app.py', 'import os\nimport subprocess\n');
  if (userConfig) r.userConfig(userConfig);
  const base = r.commit('base').slice(0, 12);
  r.write('app.py', CHANGED);
  return { r, base };
}

interface GithubPayload {
  commit_id?: string;
  body: string;
  event: string;
  comments: { path: string; line: number; side: string; body: string }[];
}

const LOW_MESSAGE =
  "`subprocess.run` executes the program named by non-constant `program`; the value's origin is unknown: `program` is a parameter of `run` with no caller in the project that the analysis could follow.";
const HIGH_MESSAGE =
  '`os.system` runs a shell command built from `request.GET["host"]` (line 7); shell metacharacters in it are executed.';

const HIGH_COMMENT = [
  `**${CWE78}**`,
  '',
  HIGH_MESSAGE,
  '',
  `**Fix:** ${FIX}`,
  '',
  'Data flow:',
  '- line 7: source: `request.GET["host"]`',
  '- line 7: reaches `os.system` as the shell command',
  '',
  `Severity high, confidence high, proven flow from \`request.GET["host"]\` (line 7) (\`${CMD}\`)`,
].join('\n');

describe('review-system outputs of secreview diff', () => {
  it('--format github: a create-review payload with the summary and inline comments on diff lines', async () => {
    const { r, base } = changed();
    const res = await run(r.dir, ['diff', '-f', 'github']);
    expect(res.code).toBe(1);
    const payload = JSON.parse(res.stdout) as GithubPayload;
    expect(Object.keys(payload)).toEqual(['body', 'event', 'comments']);
    expect(payload.body).toBe(
      [
        '## secreview security review',
        '',
        `Changes from HEAD (${base}) to the working tree.`,
        '',
        '2 security defects found (1 high, 1 low); 2 inline comments.',
        '',
        '_Reviewed 1 file (7 lines), skipped 0: 2 security defects (1 high, 1 low)._',
      ].join('\n'),
    );
    expect(payload.event).toBe('COMMENT');
    expect(payload.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['app.py', 6, 'RIGHT'],
      ['app.py', 7, 'RIGHT'],
    ]);
    expect(payload.comments[1].body).toBe(HIGH_COMMENT);
  });

  it('caps inline comments with --max-comments, keeping the most severe, and folds the rest into the summary', async () => {
    const { r } = changed();
    const payload = JSON.parse(
      (await run(r.dir, ['diff', '-f', 'github', '--max-comments', '1'])).stdout,
    ) as GithubPayload;
    expect(payload.comments.map((c) => c.line)).toEqual([7]);
    expect(payload.body).toContain(
      [
        '2 security defects found (1 high, 1 low); 1 inline comment.',
        '',
        'Not commented inline:',
        '',
        `- \`app.py\` line 6: **${CWE78}**, low: ${LOW_MESSAGE} _(over the inline comment limit)_`,
      ].join('\n'),
    );
  });

  it('comments inline only at or above --comment-severity', async () => {
    const { r } = changed();
    const payload = JSON.parse(
      (await run(r.dir, ['diff', '-f', 'github', '--comment-severity', 'high'])).stdout,
    ) as GithubPayload;
    expect(payload.comments.map((c) => c.line)).toEqual([7]);
    expect(payload.body).toContain('_(below the severity for inline comments)_');
  });

  it('says the verdict sentence for a clean change and requests changes only when configured', async () => {
    const { r } = changed('github:\n  event-on-defects: REQUEST_CHANGES\n');
    const failing = JSON.parse((await run(r.dir, ['diff', '-f', 'github'])).stdout) as GithubPayload;
    expect(failing.event).toBe('REQUEST_CHANGES');
    const belowThreshold = JSON.parse(
      (await run(r.dir, ['diff', '-f', 'github', '--fail-on', 'critical'])).stdout,
    ) as GithubPayload;
    expect(belowThreshold.event).toBe('COMMENT');
    r.write('app.py', 'import os\nimport subprocess\n\n\ndef safe():\n    return 1\n');
    const clean = await run(r.dir, ['diff', '-f', 'github']);
    expect(clean.code).toBe(0);
    const payload = JSON.parse(clean.stdout) as GithubPayload;
    expect(payload.comments).toEqual([]);
    expect(payload.body.split('\n')[4]).toBe(NO_DEFECTS_SENTENCE);
  });

  it('--format gerrit: ReviewInput with ranged comments and the configured label vote', async () => {
    const { r, base } = changed(
      'gerrit:\n  label: Security-Review\n  vote-on-defects: -2\n  notify: OWNER\n',
    );
    const res = await run(r.dir, ['diff', '-f', 'gerrit', '--max-comments', '1']);
    const review = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(review).toEqual({
      message: [
        '## secreview security review',
        '',
        `Changes from HEAD (${base}) to the working tree.`,
        '',
        '2 security defects found (1 high, 1 low); 1 inline comment.',
        '',
        'Not commented inline:',
        '',
        `- \`app.py\` line 6: **${CWE78}**, low: ${LOW_MESSAGE} _(over the inline comment limit)_`,
        '',
        '_Reviewed 1 file (7 lines), skipped 0: 2 security defects (1 high, 1 low)._',
      ].join('\n'),
      tag: 'autogenerated:secreview',
      labels: { 'Security-Review': -2 },
      comments: {
        'app.py': [
          {
            line: 7,
            range: { start_line: 7, start_character: 4, end_line: 7, end_character: 44 },
            message: HIGH_COMMENT,
            unresolved: true,
          },
        ],
      },
      notify: 'OWNER',
    });
    r.write('app.py', 'import os\nimport subprocess\n# nothing to see\n');
    const clean = JSON.parse((await run(r.dir, ['diff', '-f', 'gerrit'])).stdout) as Record<string, unknown>;
    expect(clean.labels).toEqual({ 'Security-Review': 0 });
    expect(clean.comments).toEqual({});
    expect((clean.message as string).split('\n')[4]).toBe(NO_DEFECTS_SENTENCE);
  });

  it('--format gerrit can leave the vote out', async () => {
    const { r } = changed('gerrit:\n  label: null\n');
    const review = JSON.parse((await run(r.dir, ['diff', '-f', 'gerrit'])).stdout) as Record<string, unknown>;
    expect('labels' in review).toBe(false);
  });

  it('--format gitlab: a code-quality report', async () => {
    const { r } = changed();
    const issues = JSON.parse((await run(r.dir, ['diff', '-f', 'gitlab'])).stdout) as Record<
      string,
      unknown
    >[];
    expect(issues.map((i) => ({ ...i, fingerprint: typeof i.fingerprint }))).toEqual([
      {
        type: 'issue',
        check_name: CMD,
        description: `${CWE78}: ${LOW_MESSAGE}`,
        content: { body: `Fix: ${FIX}` },
        categories: ['Security'],
        severity: 'minor',
        fingerprint: 'string',
        location: { path: 'app.py', lines: { begin: 6, end: 6 } },
        engine_name: 'secreview',
      },
      {
        type: 'issue',
        check_name: CMD,
        description: `${CWE78}: ${HIGH_MESSAGE}`,
        content: { body: `Fix: ${FIX}` },
        categories: ['Security'],
        severity: 'critical',
        fingerprint: 'string',
        location: { path: 'app.py', lines: { begin: 7, end: 7 } },
        engine_name: 'secreview',
      },
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(2);
  });

  it('secreview review --format github has no diff, so every defect goes in the summary', async () => {
    const { r } = changed();
    const payload = JSON.parse(
      (await run(r.dir, ['review', 'app.py', '-f', 'github'])).stdout,
    ) as GithubPayload;
    expect(payload.comments).toEqual([]);
    expect(payload.body.match(/_\(not on a line of the diff\)_/g)).toHaveLength(2);
  });

  it('secreview diff --output to a path that cannot be written exits 2 with one clear line', async () => {
    const { r, base } = changed();
    expect(await run(r.dir, ['diff', base, '-f', 'json', '--output', 'no/such/dir/out.json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: cannot write no/such/dir/out.json: no such file or directory\n',
    });
  });
});
