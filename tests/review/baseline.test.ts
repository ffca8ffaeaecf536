import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/index.js';
import { CMD, ONLY_CMD, findingsOf, run, TempRepo } from './helpers.js';

const APP = `import os


def ping(host):
    os.system("ping " + host)
    os.system("ping " + host)


def lookup(name):
    return os.popen("host " + name).read()


def quiet(x):
    os.system(x)  # secreview: ignore[${CMD}] accepted inline
`;

let dirs: TempRepo[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});

function project(): TempRepo {
  const d = new TempRepo(false);
  dirs.push(d);
  return d.write('.secreview.yml', ONLY_CMD).write('app.py', APP);
}

describe('baselines', () => {
  it('record fingerprints independent of lines, with counts, leaving inline-suppressed findings out', async () => {
    const d = project();
    const res = await run(d.dir, ['baseline', 'create', '--output', 'baseline.json']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      'secreview: baseline of 3 finding(s) in 2 fingerprint(s) written to baseline.json\n',
    );
    const ping = fingerprint(CMD, 'app.py', 'os.system("ping " + host)', 'ping');
    const lookup = fingerprint(CMD, 'app.py', 'return os.popen("host " + name).read()', 'lookup');
    const written = JSON.parse(readFileSync(join(d.dir, 'baseline.json'), 'utf8')) as unknown;
    expect(written).toEqual({
      version: 1,
      tool: 'secreview',
      findings: [
        ...[
          {
            fingerprint: ping,
            count: 2,
            ruleId: CMD,
            file: 'app.py',
            context: 'ping',
            snippet: 'os.system("ping " + host)',
          },
          {
            fingerprint: lookup,
            count: 1,
            ruleId: CMD,
            file: 'app.py',
            context: 'lookup',
            snippet: 'return os.popen("host " + name).read()',
          },
        ].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
      ],
    });
  });

  it('hide known findings after lines move, and report a further copy of a known pattern as new', async () => {
    const d = project();
    await run(d.dir, ['baseline', 'create', '-o', 'baseline.json']);
    const same = await run(d.dir, ['review', '--baseline', 'baseline.json']);
    expect(same.code).toBe(0);

    // Lines added above and the functions swapped: nothing comes back.
    const moved = APP.replace('import os\n', 'import os\nimport sys\n\nLIMIT = 3\n')
      .replace('def lookup(name):\n    return os.popen("host " + name).read()\n\n\n', '')
      .concat('\n\ndef lookup(name):\n    return os.popen("host " + name).read()\n');
    d.write('app.py', moved);
    const after = await run(d.dir, ['review', '-f', 'json', '--baseline', 'baseline.json']);
    expect(after.code).toBe(0);
    expect(findingsOf(after.stdout)).toEqual([
      `app.py:8 ${CMD} (suppressed: baseline)`,
      `app.py:9 ${CMD} (suppressed: baseline)`,
      `app.py:13 ${CMD} (suppressed: inline)`,
      `app.py:17 ${CMD} (suppressed: baseline)`,
    ]);

    // A third copy of the ping call: the baseline accepted two, so the last one is new.
    d.write(
      'app.py',
      moved.replace('    os.system("ping " + host)\n', '    os.system("ping " + host)\n'.repeat(2)),
    );
    const third = await run(d.dir, ['review', '-f', 'json', '--baseline', 'baseline.json']);
    expect(third.code).toBe(1);
    expect(findingsOf(third.stdout)).toEqual([
      `app.py:8 ${CMD} (suppressed: baseline)`,
      `app.py:9 ${CMD} (suppressed: baseline)`,
      `app.py:10 ${CMD}`,
      `app.py:14 ${CMD} (suppressed: inline)`,
      `app.py:18 ${CMD} (suppressed: baseline)`,
    ]);
  });

  it('can be named in the config, relative to the config file', async () => {
    const d = project();
    await run(d.dir, ['baseline', 'create', '-o', 'conf/baseline.json']);
    d.write('conf/secreview.yml', `${ONLY_CMD}review:\n  baseline: baseline.json\n`);
    const res = await run(d.dir, ['review', '-c', 'conf/secreview.yml', '-f', 'json']);
    expect(res.stderr).toBe(
      'secreview: Reviewed 1 file (14 lines), skipped 0: 0 security defects, 4 suppressed. Configuration: conf/secreview.yml.\n',
    );
    expect(res.code).toBe(0);
    expect(findingsOf(res.stdout)).toEqual([
      `app.py:5 ${CMD} (suppressed: baseline)`,
      `app.py:6 ${CMD} (suppressed: baseline)`,
      `app.py:10 ${CMD} (suppressed: baseline)`,
      `app.py:14 ${CMD} (suppressed: inline)`,
    ]);
  });

  it('refuse a file that is not a baseline with exit 2', async () => {
    const d = project();
    d.write('bad.json', '{"findings": 3}');
    const res = await run(d.dir, ['review', '--baseline', 'bad.json']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `secreview: error: ${join(d.dir, 'bad.json')}: not a secreview baseline (expected {"version": 1, "tool": "secreview", "findings": [...]}; create one with \`secreview baseline create\`)\n`,
    );
  });
});
