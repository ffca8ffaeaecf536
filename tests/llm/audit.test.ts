import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditReview } from '../../src/llm/audit.js';
import { parseReview } from '../../src/llm/parse-review.js';
import { runMain } from '../cli/run.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

const run = (args: string[]) => runMain(args, fixtures);

describe('parseReview', () => {
  it('reads numbered items naming a CWE, a line and code into claims', () => {
    const r = parseReview(read('review-claims.txt'));
    expect(r.verdict).toBe('defects');
    expect(r.verdictText).toBe('I found the following security defects:');
    expect(r.suggestions).toEqual([]);
    expect(r.claims.map((c) => [c.number, c.cwe, c.cweNameGiven, c.lines, c.identifiers])).toEqual([
      [1, 78, 'OS Command Injection', { start: 8, end: 8 }, ['os.system', 'host', 'subprocess.run']],
      [2, 89, 'SQL Injection', { start: 12, end: 12 }, ['cursor.execute']],
      [3, 284, 'Improper Access Control', { start: 4, end: 4 }, ['delete_user']],
      [4, 99999, 'Unsafe Subprocess', { start: 17, end: 17 }, ['subprocess.run']],
      [5, 862, 'Missing Authorization', { start: 12, end: 12 }, ['USERS.pop', 'user_id']],
    ]);
    // The closing paragraph is not part of the last item.
    expect(r.claims[4].text).not.toContain('Please address');
  });

  it('reads a "no security defects" verdict and keeps advice items apart as suggestions', () => {
    const r = parseReview(read('review-clean.txt'));
    expect(r.verdict).toBe('no-defects');
    expect(r.verdictText).toBe('No security defects are detected in the code.');
    expect(r.claims).toEqual([]);
    expect(r.suggestions.map((s) => [s.number, s.heading, s.identifiers])).toEqual([
      [1, 'Naming:', ['greet']],
      [2, 'Documentation:', []],
      [3, 'Globals:', ['USERS', 'session_store']],
    ]);
  });

  it('reads markdown bullets, line ranges and fenced quotes', () => {
    const r = parseReview(
      [
        '## Findings',
        '',
        '- **CWE-862: Missing Authorization**, lines 11-12: anyone can delete a user.',
        '',
        '  ```python',
        '  USERS.pop(user_id, None)',
        '  ```',
        '- Consider adding tests.',
      ].join('\n'),
    );
    expect(r.verdict).toBe('defects');
    expect(r.claims).toHaveLength(1);
    expect(r.claims[0]).toMatchObject({
      number: 1,
      cwe: 862,
      lines: { start: 11, end: 12 },
      quotes: ['  USERS.pop(user_id, None)'],
    });
    expect(r.suggestions.map((s) => s.heading)).toEqual(['Consider adding tests.']);
  });
});

describe('auditReview', () => {
  it('offers the name a review may have meant when it misspells one', () => {
    const review = parseReview(
      '1. CWE-862 (Missing Authorization): in line 11, `deleteUser` removes any user.',
    );
    const audit = auditReview(review, 'app.py', read('app.py'), []);
    expect(audit.claims[0].named).toEqual([
      { code: 'deleteUser', lines: [], similar: [{ code: 'delete_user', lines: [11] }] },
    ]);
    expect(audit.claims[0].verdict).toBe('code-not-found');
  });
});

describe('secreview audit-review', () => {
  it('gives each claim a verdict from the code and the deterministic analysis (JSON)', async () => {
    const { code, stdout, stderr } = await run([
      'audit-review',
      'review-claims.txt',
      '--code',
      'app.py',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      reviewVerdict: string;
      summary: Record<string, number>;
      claims: {
        number: number;
        verdict: string;
        cwe: { id: number; usable: boolean; pillar?: { id: number } } | null;
        namedCode: { code: string; lines: number[] }[];
        atCitedLines: string[];
        support: { ruleId: string; startLine: number }[];
      }[];
    };
    expect(report.reviewVerdict).toBe('defects');
    expect(report.claims.map((c) => [c.number, c.verdict])).toEqual([
      [1, 'supported'],
      [2, 'code-not-found'],
      [3, 'wrong-line'],
      [4, 'invalid-cwe'],
      [5, 'unsupported'],
    ]);
    expect(report.summary).toEqual({
      supported: 1,
      unsupported: 1,
      'wrong-line': 1,
      'code-not-found': 1,
      'invalid-cwe': 1,
      unverifiable: 0,
    });
    const [c1, c2, c3, c4, c5] = report.claims;
    expect(c1.support.map((f) => [f.ruleId, f.startLine])).toEqual([['python/os-command-injection', 8]]);
    expect(c1.atCitedLines).toEqual(['os.system', 'host']);
    expect(c2.namedCode).toEqual([{ code: 'cursor.execute', lines: [] }]);
    expect(c3.namedCode).toEqual([{ code: 'delete_user', lines: [11] }]);
    expect(c3.cwe).toMatchObject({ id: 284, usable: true, pillar: { id: 284 } });
    expect(c4.cwe).toEqual({ id: 99999, nameGiven: 'Unsafe Subprocess', usable: false });
    expect(c5.namedCode).toEqual([
      { code: 'USERS.pop', lines: [12] },
      { code: 'user_id', lines: [11, 12] },
    ]);
    expect(c5.support).toEqual([]);
  });

  it('prints where the named code really is and what the cited line holds (text)', async () => {
    const { code, stdout } = await run(['audit-review', 'review-claims.txt', '--code', 'app.py']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Audit of review-claims.txt against app.py (22 lines)');
    expect(stdout).toContain(
      [
        'Claim 3 (cited line 4): CWE-284 (Improper Access Control)',
        '  CWE: CWE-284 Improper Access Control exists; it is itself a CWE-1000 pillar, the most abstract level, not a specific weakness.',
        '  Named code: `delete_user` at line 11.',
        '  Cited line 4:',
        '    4 | USERS = {}',
        '    It holds none of the named code.',
        "  secreview's analysis: no defect at the cited line or where the named code is.",
        '  Verdict: WRONG LINE: the named code is not at the cited line (line 4); it is at line 11.',
      ].join('\n'),
    );
    expect(stdout).toContain(
      "  Verdict: SUPPORTED: secreview's own analysis finds a related defect there: python/os-command-injection at line 8.\n",
    );
    expect(stdout).toContain('  CWE: CWE-99999 does not exist in the CWE 4.15 catalog.\n');
    expect(stdout).toContain(
      'Summary: 5 claims: 1 supported, 1 unsupported, 1 wrong-line, 1 code-not-found, 1 invalid-cwe, 0 unverifiable.\n',
    );
  });

  it('compares a "no defects" verdict with its own analysis and locates the code suggestions name', async () => {
    const { code, stdout } = await run(['audit-review', 'review-clean.txt', '--code', 'app.py']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'The review says: "No security defects are detected in the code." (0 claims, 3 suggestions).\n',
    );
    expect(stdout).toMatch(
      /secreview's analysis of the file: \d+ security defects?:\n {2}- CWE-78 at line 8 /,
    );
    expect(stdout).toContain('The verdicts disagree: the review says there are no security defects.\n');
    expect(stdout).toContain(
      [
        'Suggestions (not claims of defects; only the code they name is located):',
        '  1. Naming: named code `greet` at line 20.',
        '  2. Documentation: names no code.',
        '  3. Globals: named code `USERS` at lines 4, 12; `session_store` is not in the file.',
      ].join('\n'),
    );
    expect(stdout).not.toContain('Summary:');
  });

  it('exits 2 with a message when the review or the code cannot be read', async () => {
    const missing = await run(['audit-review', 'nope.txt', '--code', 'app.py']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^secreview: error: cannot read the review nope\.txt: /);
    const noCode = await run(['audit-review', 'review-claims.txt', '--code', 'missing.py']);
    expect(noCode.code).toBe(2);
    expect(noCode.stderr).toMatch(/^secreview: error: cannot review missing\.py: /);
    const noFlag = await run(['audit-review', 'review-claims.txt']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain("required option '--code <file>' not specified");
  });
});
