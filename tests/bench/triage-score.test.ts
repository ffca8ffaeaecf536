import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  counted,
  formatScores,
  parseVerdicts,
  precision,
  scoreProject,
  VERDICT_HEADER,
} from '../../bench/triage-score.js';
import type { Finding } from '../../src/core/index.js';

const DATA = join(import.meta.dirname, '../../bench/triage');

function finding(file: string, line: number, ruleId: string, over: Partial<Finding> = {}): Finding {
  return {
    kind: 'defect',
    ruleId,
    cwe: 79,
    severity: 'high',
    confidence: 'high',
    confidenceReason: 'matched in the code as written',
    location: { file, start: { line, column: 1 }, end: { line, column: 5 } },
    message: `message at ${line}`,
    fix: 'fix',
    snippet: 'x',
    context: '',
    fingerprint: `${file}${line}${ruleId}`,
    ...over,
  };
}

const isTest = (p: string): boolean => p.startsWith('tests/');

describe('triage verdict files', () => {
  it('reads file, line, rule, verdict and a reason that may hold commas', () => {
    const text = `${VERDICT_HEADER}\napp/views.py,12,python/xss,FP,JSON response, not HTML\n\napp/db.py,3,python/sql-injection,TP,query built from a request parameter\n`;
    expect(parseVerdicts(text)).toEqual([
      {
        file: 'app/views.py',
        line: 12,
        rule: 'python/xss',
        verdict: 'FP',
        reason: 'JSON response, not HTML',
      },
      {
        file: 'app/db.py',
        line: 3,
        rule: 'python/sql-injection',
        verdict: 'TP',
        reason: 'query built from a request parameter',
      },
    ]);
  });

  it('names the line of a malformed verdict, a second verdict for one finding and a missing header', () => {
    expect(() => parseVerdicts(`${VERDICT_HEADER}\na.py,x,python/xss,FP,r`, 'v.csv')).toThrow(
      'v.csv:2: expected file,line,rule,TP|FP|debatable,reason',
    );
    expect(() => parseVerdicts(`${VERDICT_HEADER}\na.py,1,python/xss,maybe,r`, 'v.csv')).toThrow('v.csv:2:');
    expect(() =>
      parseVerdicts(`${VERDICT_HEADER}\na.py,1,python/xss,FP,r\na.py,1,python/xss,TP,s`, 'v.csv'),
    ).toThrow('v.csv:3: a second verdict for a.py:1 python/xss');
    expect(() => parseVerdicts('a.py,1,python/xss,FP,r', 'v.csv')).toThrow('v.csv:1: the first line must be');
  });

  it('every committed verdict file parses and belongs to a pinned project', () => {
    const projects = (
      JSON.parse(readFileSync(join(DATA, 'projects.json'), 'utf8')) as {
        projects: { name: string; commit: string }[];
      }
    ).projects;
    expect(projects.length).toBeGreaterThanOrEqual(10);
    for (const p of projects) expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
    // The JavaScript corpus's verdicts live beside the Python ones (see bench/triage/README.md).
    const jsProjects = (
      JSON.parse(readFileSync(join(DATA, 'projects-js.json'), 'utf8')) as {
        projects: { name: string; commit?: string; package?: string; integrity?: string }[];
      }
    ).projects;
    expect(jsProjects.length).toBeGreaterThanOrEqual(6);
    // Each is pinned: to a commit, or to a published package and its tarball's integrity.
    for (const p of jsProjects)
      if (p.package) {
        expect(p.commit).toBeUndefined();
        expect(p.package).toMatch(/^(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+$/);
        expect(p.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
      } else expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
    const names = new Set([...projects, ...jsProjects].map((p) => p.name));
    const files = readdirSync(join(DATA, 'verdicts'));
    for (const f of files) {
      expect(names.has(f.replace(/\.csv$/, ''))).toBe(true);
      const verdicts = parseVerdicts(readFileSync(join(DATA, 'verdicts', f), 'utf8'), f);
      expect(verdicts.length).toBeGreaterThan(0);
      for (const v of verdicts) expect(v.reason).not.toMatch(/(^|\s)\/(tmp|work|home|root)\//);
    }
  });
});

describe('triage scoring', () => {
  it('counts medium-or-higher defects outside tests, once per file, line and rule', () => {
    const kept = counted(
      [
        finding('app/a.py', 1, 'python/xss'),
        finding('app/a.py', 1, 'python/xss', {
          location: { file: 'app/a.py', start: { line: 1, column: 9 }, end: { line: 1, column: 12 } },
        }),
        finding('app/a.py', 2, 'python/xss', { severity: 'low' }),
        finding('app/a.py', 3, 'python/suggest-x', { kind: 'suggestion' }),
        finding('app/a.py', 4, 'python/xss', { suppressed: { kind: 'inline' } }),
        finding('tests/test_a.py', 5, 'python/xss'),
        finding('app/b.py', 6, 'python/sql-injection', { severity: 'medium' }),
      ],
      isTest,
    );
    expect(kept.map((f) => `${f.location.file}:${f.location.start.line}`)).toEqual([
      'app/a.py:1',
      'app/b.py:6',
    ]);
  });

  it('tallies verdicts per rule, lists untriaged findings and true positives no longer reported', () => {
    const verdicts = parseVerdicts(
      [
        VERDICT_HEADER,
        'app/a.py,1,python/xss,FP,json',
        'app/a.py,2,python/xss,TP,html from a query parameter',
        'app/b.py,6,python/sql-injection,debatable,operator input',
        'app/c.py,9,python/ssrf,TP,url from the body',
        'app/c.py,10,python/ssrf,FP,fixed host',
      ].join('\n'),
    );
    const score = scoreProject(
      'demo',
      [
        finding('app/a.py', 1, 'python/xss'),
        finding('app/a.py', 2, 'python/xss'),
        finding('app/b.py', 6, 'python/sql-injection'),
        finding('app/d.py', 4, 'python/xss'),
      ],
      verdicts,
    );
    expect(score.total).toEqual({ TP: 1, FP: 1, debatable: 1, untriaged: 1 });
    expect(score.byRule.get('python/xss')).toEqual({ TP: 1, FP: 1, debatable: 0, untriaged: 1 });
    expect(score.untriaged.map((f) => f.location.start.line)).toEqual([4]);
    expect(score.lostTruePositives.map((v) => `${v.file}:${v.line}`)).toEqual(['app/c.py:9']);
    expect(precision(score.total)).toBe(0.5);
    expect(precision({ TP: 0, FP: 0, debatable: 2, untriaged: 0 })).toBeUndefined();
    expect(formatScores([score])).toBe(
      [
        'Per project',
        '                                TP    FP   deb   new  prec',
        'demo                             1     1     1     1  0.50',
        '',
        'Per rule',
        '                                TP    FP   deb   new  prec',
        'python/xss                       1     1     0     1  0.50',
        'python/sql-injection             0     0     1     0     -',
        '',
        'overall                          1     1     1     1  0.50',
        'precision 0.500 (TP / (TP + FP) of medium-or-higher defects outside tests)',
        '',
        'Not yet triaged (1):',
        '  demo app/d.py:4 python/xss: message at 4',
        '',
        'True positives no longer reported (1):',
        '  demo app/c.py:9 python/ssrf: url from the body',
        '',
      ].join('\n'),
    );
    expect(score.falsePositives.map((v) => `${v.file}:${v.line}`)).toEqual(['app/a.py:1']);
    expect(formatScores([score], { showFalsePositives: true }).split('\n').slice(-4)).toEqual([
      '',
      'False positives still reported (1):',
      '  demo app/a.py:1 python/xss: json',
      '',
    ]);
  });

  it('measures the held-out projects apart from the tuned ones', () => {
    const verdicts = parseVerdicts(
      [VERDICT_HEADER, 'app/a.py,1,python/xss,TP,html', 'app/a.py,2,python/xss,FP,json'].join('\n'),
    );
    const tuned = scoreProject('tuned', [finding('app/a.py', 1, 'python/xss')], verdicts);
    const held = scoreProject(
      'held',
      [finding('app/a.py', 1, 'python/xss'), finding('app/a.py', 2, 'python/xss')],
      verdicts,
      true,
    );
    const lines = formatScores([tuned, held]).split('\n');
    const at = lines.findIndex((l) => l.startsWith('precision '));
    expect(lines.slice(at - 1, at + 3)).toEqual([
      'overall                          2     1     0     0  0.67',
      'precision 0.667 (TP / (TP + FP) of medium-or-higher defects outside tests)',
      'tuned projects                   1     0     0     0  1.00',
      'held-out projects                1     1     0     0  0.50',
    ]);
  });
});
