import { afterEach, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { parseSource } from '../../src/lang/registry.js';
import { collectDirectives } from '../../src/suppressions/inline.js';
import { CMD, ONLY_CMD, findingsOf, run, TempRepo } from './helpers.js';

const SOURCE = `import os
import subprocess


def one(a):
    os.system(a)  # secreview: ignore[${CMD}] the caller passes a fixed command


def two(b):
    # secreview: ignore[${CMD}] reviewed: b is an internal constant
    result = subprocess.check_output(
        "ls " + b,
        shell=True,
    )
    return result


def three(c, d):
    x = (
        1,
        os.popen(c),
    )  # secreview: ignore[python/other-rule, ${CMD}] wrapped
    return x


def four(e):
    # secreview: ignore[${CMD}] covers only the header of the if
    if os.system(e):
        os.system(e + "again")


def five(f):
    os.system(f)
`;

let dirs: TempRepo[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});

function project(source: string): TempRepo {
  const d = new TempRepo(false);
  dirs.push(d);
  return d.write('.secreview.yml', ONLY_CMD).write('app.py', source);
}

describe('inline suppressions', () => {
  it('cover the line, the next statement (all its lines) and trailing comments on any line of a statement', async () => {
    const d = project(SOURCE);
    const res = await run(d.dir, ['review', 'app.py', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual([
      `app.py:6 ${CMD} (suppressed: inline)`,
      `app.py:11 ${CMD} (suppressed: inline)`,
      `app.py:21 ${CMD} (suppressed: inline)`,
      `app.py:28 ${CMD} (suppressed: inline)`,
      `app.py:29 ${CMD}`,
      `app.py:33 ${CMD}`,
    ]);
    const report = JSON.parse(res.stdout) as {
      findings: { suppressed: { justification?: string } | null }[];
      summary: { defects: number; suppressed: number };
      notices: string[];
    };
    expect(report.findings.map((f) => f.suppressed?.justification ?? null)).toEqual([
      'the caller passes a fixed command',
      'reviewed: b is an internal constant',
      'wrapped',
      'covers only the header of the if',
      null,
      null,
    ]);
    expect(report.summary.defects).toBe(2);
    expect(report.summary.suppressed).toBe(4);
    expect(report.notices).toEqual([
      "app.py:22: suppression names unknown rule 'python/other-rule'; see `secreview rules`",
    ]);
    expect(res.code).toBe(1);
  });

  it('keep suppressed findings in SARIF with a justification and out of the text report', async () => {
    const d = project(
      `import os\n\n\ndef f(a):\n    os.system(a)  # secreview: ignore[${CMD}] fixed input\n`,
    );
    const sarif = await run(d.dir, ['review', 'app.py', '-f', 'sarif']);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { suppressions?: unknown[] }[] }[] })
      .runs[0].results;
    expect(results.map((r) => r.suppressions)).toEqual([
      [{ kind: 'inSource', status: 'accepted', justification: 'fixed input' }],
    ]);
    const text = await run(d.dir, ['review', 'app.py']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${NO_DEFECTS_SENTENCE}\n`);
    expect(text.stderr).toBe(
      'secreview: Reviewed 1 file (5 lines), skipped 0: 0 security defects, 1 suppressed. Configuration: .secreview.yml.\n',
    );
  });

  it('lists suppressions that hid nothing with --report-unused-suppressions, and warns about missing ids', async () => {
    const d = project(
      [
        'import os',
        '',
        '',
        'def f(a):',
        `    x = 1  # secreview: ignore[${CMD}] nothing here`,
        '    # secreview: ignore',
        '    os.system(a)',
        '',
      ].join('\n'),
    );
    const quiet = await run(d.dir, ['review', 'app.py', '-f', 'json']);
    expect((JSON.parse(quiet.stdout) as { notices: string[] }).notices).toEqual([
      'app.py:6: suppression names no rule; write # secreview: ignore[rule-id] reason',
    ]);
    const res = await run(d.dir, ['review', 'app.py', '--report-unused-suppressions']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      [
        'Notes:',
        '- app.py:6: suppression names no rule; write # secreview: ignore[rule-id] reason',
        `- app.py:5: suppression of ${CMD} hid nothing`,
      ].join('\n'),
    );
  });

  it('apply in secreview diff before the changed-line filter', async () => {
    const r = new TempRepo();
    dirs.push(r);
    r.write('.secreview.yml', ONLY_CMD).write('app.py', 'import os\n');
    r.commit('base');
    r.write(
      'app.py',
      `import os\n\n\ndef f(a):\n    os.system(a)  # secreview: ignore[${CMD}] ok\n    os.popen(a)\n`,
    );
    const res = await run(r.dir, ['diff', '-f', 'json', '--report-unused-suppressions']);
    expect(findingsOf(res.stdout)).toEqual([`app.py:5 ${CMD} (suppressed: inline)`, `app.py:6 ${CMD}`]);
    expect((JSON.parse(res.stdout) as { notices: string[] }).notices).toEqual([]);
  });
});

describe('collectDirectives', () => {
  it('reads only comments, and covers a decorated definition up to the header of its def', async () => {
    const text = [
      'import os',
      'HELP = "# secreview: ignore[python/os-command-injection] in a string"',
      `# secreview: ignore[${CMD}, python/code-injection] decorated`,
      '@app.route(',
      '    "/x",',
      ')',
      'def handler(',
      '    a,',
      '):',
      '    os.system(a)',
      '',
    ].join('\n');
    const file = await parseSource('d.py', text, 'python');
    try {
      expect(collectDirectives(file)).toEqual([
        {
          file: 'd.py',
          line: 3,
          ruleIds: [CMD, 'python/code-injection'],
          reason: 'decorated',
          from: 3,
          to: 9,
        },
      ]);
    } finally {
      file.tree.delete();
    }
  });
});
