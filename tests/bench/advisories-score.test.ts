import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../bench/advisories-manifest.js';
import {
  CWE_GROUPS,
  cweGroup,
  defectsOf,
  formatOutcomes,
  notRun,
  relatedCwe,
  scoreAdvisory,
  totals,
  type Reported,
} from '../../bench/advisories-score.js';
import { SAMPLE_ADVISORY } from './sample-advisory.js';

const ADV: Advisory = SAMPLE_ADVISORY;

function at(
  line: number,
  ruleId = 'python/os-command-injection',
  cwe = 78,
  file = 'shop/views.py',
): Reported {
  return { ruleId, cwe, file, line };
}

describe('CWE relatives', () => {
  it('relates the CWEs of one group and nothing across groups', () => {
    expect(relatedCwe(22, 36)).toBe(true);
    expect(relatedCwe(78, 88)).toBe(true);
    expect(relatedCwe(1336, 94)).toBe(true);
    expect(relatedCwe(209, 532)).toBe(true);
    expect(relatedCwe(1333, 400)).toBe(true);
    expect(relatedCwe(79, 1336)).toBe(false);
    expect(relatedCwe(78, 22)).toBe(false);
    expect(relatedCwe(352, 352)).toBe(true);
    expect(relatedCwe(352, 79)).toBe(false);
  });

  it('names the group, or the CWE outside every group, and puts each CWE in one group only', () => {
    expect(cweGroup(564)).toBe('SQL injection');
    expect(cweGroup(776)).toBe('XXE');
    expect(cweGroup(352)).toBe('CWE-352');
    const all = CWE_GROUPS.flatMap((g) => g.cwes);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('scoring one advisory', () => {
  it('finds a related CWE at the window edges (two lines either side) and not one line further', () => {
    for (const line of [18, 20, 24, 26]) expect(scoreAdvisory(ADV, [at(line)], []).found).toBe('yes');
    for (const line of [17, 27]) expect(scoreAdvisory(ADV, [at(line)], []).found).toBe('no');
    expect(scoreAdvisory(ADV, [at(21, 'python/argument-injection', 88)], []).found).toBe('yes');
  });

  it('does not find an unrelated CWE, another file or a finding outside the lines', () => {
    const findings = [at(21, 'python/xss', 79), at(21, undefined, 78, 'shop/other.py'), at(40)];
    expect(scoreAdvisory(ADV, findings, [])).toEqual({
      id: ADV.id,
      project: 'acme/shop',
      cwe: 78,
      group: 'command injection',
      found: 'no',
      gone: '—',
      others: 2,
    });
  });

  it('reports the matching rule nearest the first line and the other findings in the file', () => {
    const vulnerable = [at(25, 'python/argument-injection', 88), at(21), at(90, 'python/xss', 79)];
    expect(scoreAdvisory(ADV, vulnerable, [])).toEqual({
      id: ADV.id,
      project: 'acme/shop',
      cwe: 78,
      group: 'command injection',
      found: 'yes',
      gone: 'yes',
      rule: 'python/os-command-injection',
      line: 21,
      others: 2,
    });
  });

  it('is gone when the fix drops the rule in the file, even with the same rule elsewhere in it at fewer findings', () => {
    expect(scoreAdvisory(ADV, [at(21), at(60)], [at(75)]).gone).toBe('yes');
    expect(scoreAdvisory(ADV, [at(21)], [at(21, 'python/xss', 79)]).gone).toBe('yes');
  });

  it('is still there with a related finding in the same lines at the fix', () => {
    expect(scoreAdvisory(ADV, [at(21)], [at(26, 'python/argument-injection', 88)]).gone).toBe('no');
  });

  it('is still there when the lines moved but the rule reports as often in the file', () => {
    expect(scoreAdvisory(ADV, [at(21)], [at(33)]).gone).toBe('no');
    expect(scoreAdvisory(ADV, [at(21), at(60)], [at(33), at(72)]).gone).toBe('no');
  });

  it('keeps the reason of an advisory not run, and leaves it out of the totals', () => {
    const skipped = notRun({ ...ADV, id: 'CVE-2020-12345' }, 'no repository M/acme+shop');
    expect(skipped).toEqual({
      id: 'CVE-2020-12345',
      project: 'acme/shop',
      cwe: 78,
      group: 'command injection',
      found: 'not run',
      gone: '—',
      reason: 'no repository M/acme+shop',
    });
    const found = scoreAdvisory(ADV, [at(21)], []);
    const missed = scoreAdvisory({ ...ADV, id: 'GHSA-dddd-eeee-ffff', cwe: 22, project: 'acme/b' }, [], []);
    expect(totals([found, missed, skipped])).toEqual({
      advisories: 3,
      run: 2,
      found: 1,
      atLines: 1,
      gone: 1,
      byGroup: [
        { group: 'command injection', found: 1, total: 1 },
        { group: 'path traversal', found: 0, total: 1 },
      ],
      projects: 2,
      cwes: 2,
    });
    expect(formatOutcomes([found, missed, skipped])).toBe(
      [
        'id                   project    CWE  found    gone  rule                         others',
        'GHSA-aaaa-bbbb-cccc  acme/shop  78   yes      yes   python/os-command-injection  0',
        'GHSA-dddd-eeee-ffff  acme/b     22   no       —     -                            0',
        'CVE-2020-12345       acme/shop  78   not run  —     -                            -',
        '',
        'advisories run 2 of 3 (2 projects, 2 CWEs)',
        'found 1/2 (50.0%); gone at the fix 1/1 of found (100.0%)',
        "  at the advisory's lines 1/2 (50.0%); through them, a step of the flow of a finding at its sink, 0",
        'per CWE group (found/total):',
        '  command injection  1/1',
        '  path traversal     0/1',
        '',
        'Not run (1):',
        '  CVE-2020-12345 acme/shop: no repository M/acme+shop',
        '',
      ].join('\n'),
    );
  });
});

describe('found through the flow', () => {
  /** A finding at a sink in another file whose path goes through the given lines of the advisory's file. */
  function sink(line: number, steps: number[], ruleId = 'python/os-command-injection', cwe = 78): Reported {
    return {
      ruleId,
      cwe,
      file: 'shop/tasks.py',
      line,
      flow: [{ file: 'shop/api.py', line: 3 }, ...steps.map((l) => ({ file: 'shop/views.py', line: l }))],
    };
  }

  it("counts a finding at the sink whose flow has a step in the advisory's window, and names the sink", () => {
    expect(scoreAdvisory(ADV, [sink(40, [10, 22])], [])).toEqual({
      id: ADV.id,
      project: 'acme/shop',
      cwe: 78,
      group: 'command injection',
      found: 'flow',
      gone: 'yes',
      rule: 'python/os-command-injection',
      line: 40,
      at: 'shop/tasks.py',
      others: 0,
    });
    expect(scoreAdvisory(ADV, [sink(40, [26])], []).found).toBe('flow');
  });

  it('does not count a flow outside the window, in another file or of an unrelated CWE', () => {
    expect(scoreAdvisory(ADV, [sink(40, [17, 27])], []).found).toBe('no');
    expect(scoreAdvisory(ADV, [sink(40, [21], 'python/xss', 79)], []).found).toBe('no');
    const elsewhere: Reported = { ...sink(40, []), flow: [{ file: 'shop/other.py', line: 21 }] };
    expect(scoreAdvisory(ADV, [elsewhere], []).found).toBe('no');
  });

  it('prefers a finding at the lines to one through them', () => {
    expect(scoreAdvisory(ADV, [sink(40, [21]), at(22)], []).found).toBe('yes');
  });

  it('is still there when the fix keeps as many such flows, or reports at the lines', () => {
    expect(scoreAdvisory(ADV, [sink(40, [21])], [sink(41, [23])]).gone).toBe('no');
    expect(scoreAdvisory(ADV, [sink(40, [21])], [at(21)]).gone).toBe('no');
    expect(scoreAdvisory(ADV, [sink(40, [21]), sink(50, [21])], [sink(41, [23])]).gone).toBe('yes');
    expect(scoreAdvisory(ADV, [sink(40, [21])], [sink(41, [30])]).gone).toBe('yes');
  });

  it('prints the flow finds apart in the totals and the sink in the table', () => {
    const through = scoreAdvisory(ADV, [sink(40, [21])], []);
    const t = totals([through]);
    expect([t.found, t.atLines, t.gone]).toEqual([1, 0, 1]);
    expect(formatOutcomes([through]).split('\n').slice(0, 6)).toEqual([
      'id                   project    CWE  found  gone  rule                                                 others',
      'GHSA-aaaa-bbbb-cccc  acme/shop  78   flow   yes   python/os-command-injection (sink shop/tasks.py:40)  0',
      '',
      'advisories run 1 of 1 (1 projects, 1 CWEs)',
      'found 1/1 (100.0%); gone at the fix 1/1 of found (100.0%)',
      "  at the advisory's lines 0/1 (0.0%); through them, a step of the flow of a finding at its sink, 1",
    ]);
  });
});

describe('defects of a JSON report', () => {
  it('keeps unsuppressed defects of any severity and drops suggestions and suppressed ones', () => {
    const finding = (kind: string, line: number, suppressed: unknown = null) => ({
      kind,
      ruleId: 'python/xss',
      cwe: { id: 79, name: 'XSS' },
      severity: 'low',
      location: { file: 'a/b.py', start: { line, column: 1 } },
      suppressed,
    });
    const report = {
      findings: [finding('defect', 3), finding('suggestion', 4), finding('defect', 5, { by: 'comment' })],
    };
    expect(defectsOf(report)).toEqual([{ ruleId: 'python/xss', cwe: 79, file: 'a/b.py', line: 3 }]);
    const withFlow = {
      findings: [
        {
          ...finding('defect', 9),
          flow: [
            { location: { file: 'a/c.py', start: { line: 2, column: 1 } }, note: 'source' },
            { location: { file: 'a/b.py', start: { line: 9, column: 5 } }, note: 'sink' },
          ],
        },
      ],
    };
    expect(defectsOf(withFlow)).toEqual([
      {
        ruleId: 'python/xss',
        cwe: 79,
        file: 'a/b.py',
        line: 9,
        flow: [
          { file: 'a/c.py', line: 2 },
          { file: 'a/b.py', line: 9 },
        ],
      },
    ]);
    expect(() => defectsOf({})).toThrow('not a secreview JSON report: no findings array');
  });
});
