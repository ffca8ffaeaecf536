import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { taintOptions } from '../../../src/config/taint.js';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { allRules } from '../../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Findings of one rule on its origins fixture: line, severity, confidence, reason. */
async function origins(rule: string, operatorInput?: 'trusted' | 'untrusted') {
  const path = `src/lang/python/rules/${rule}/fixtures/origins.py`;
  const rules = allRules().filter((r) => r.id === `python/${rule}`);
  const taint = operatorInput ? { options: { operatorInput } } : undefined;
  const { findings } = await analyzeSource(
    path,
    readFileSync(join(root, path), 'utf8'),
    'python',
    rules,
    undefined,
    taint,
  );
  return findings.map((f) => [f.location.start.line, f.severity, f.confidence, f.confidenceReason]);
}

describe('injection rules decide by the origin of the value', () => {
  it('sql-injection: a client flow is high, an unknown origin low, program text and the operator nothing', async () => {
    expect(await origins('sql-injection')).toEqual([
      [103, 'high', 'high', "proven flow from `request.args['name']` (line 103)"],
      [
        109,
        'low',
        'low',
        "the value's origin is unknown: `name` is a parameter of `helper` with no caller in the project that the analysis could follow",
      ],
      [
        116,
        'low',
        'low',
        "the value's origin is unknown: `column` is a parameter of `unchecked` with no caller in the project that the analysis could follow",
      ],
      [136, 'high', 'high', 'proven flow from route parameter `name` (line 130)'],
    ]);
  });

  it('sql-injection: operator input is low when the config distrusts the operator', async () => {
    const found = await origins('sql-injection', 'untrusted');
    const operator = found.filter(
      ([, severity, confidence]) => severity === 'low' && confidence === 'medium',
    );
    expect(operator.map(([line]) => line)).toEqual([77, 78, 79, 86, 92]);
    expect(operator[1][3]).toBe(
      'built from operator input `sys.argv[1]` (line 78); reported because `taint.operator-input` is `untrusted` (the program runs with more privilege than whoever starts it)',
    );
    expect(await origins('sql-injection', 'trusted')).toEqual(await origins('sql-injection'));
  });

  it('code-injection, unsafe-deserialization: the same policy', async () => {
    expect((await origins('code-injection')).map((f) => f.slice(0, 3))).toEqual([
      [43, 'critical', 'high'],
      [48, 'low', 'low'],
    ]);
    expect((await origins('unsafe-deserialization')).map((f) => f.slice(0, 3))).toEqual([
      [24, 'high', 'high'],
      [29, 'low', 'low'],
    ]);
    const untrusted = await origins('code-injection', 'untrusted');
    expect(untrusted.filter((f) => f[1] === 'low' && f[2] === 'medium').map(([line]) => line)).toEqual([
      16, 22, 28, 32,
    ]);
  });

  it('os-command-injection: a client flow is high, an unknown origin low, program text and the operator nothing', async () => {
    const unknown = (name: string, fn: string) =>
      `the value's origin is unknown: \`${name}\` is a parameter of \`${fn}\` with no caller in the project that the analysis could follow`;
    expect(await origins('os-command-injection')).toEqual([
      [60, 'high', 'high', 'proven flow from `request.args["domain"]` (line 60)'],
      [67, 'high', 'high', 'proven flow from `request.args.get("tool", "convert")` (line 65)'],
      [81, 'low', 'low', unknown('cmd', 'unknown')],
      [86, 'low', 'low', unknown('tool', 'unknown_program')],
      // A private method's callers in its class decide: program text (line 96) is not reported.
      [104, 'low', 'low', unknown('command', 'start')],
    ]);
  });

  it('os-command-injection: operator input is low when the config distrusts the operator', async () => {
    const found = await origins('os-command-injection', 'untrusted');
    const operator = found.filter(
      ([, severity, confidence]) => severity === 'low' && confidence === 'medium',
    );
    const why = (what: string) =>
      `built from ${what}; reported because \`taint.operator-input\` is \`untrusted\` (the program runs with more privilege than whoever starts it)`;
    expect(operator.map(([line, , , reason]) => [line, reason])).toEqual([
      [45, why('operator input `argparse.ArgumentParser().parse_args()`')],
      [46, why('operator input `sys.argv[1]` (line 46)')],
      [47, why('operator input `os.environ`')],
      [48, why('operator input `settings.BACKUP_COMMAND`')],
      [54, why('command-line option `host`')],
    ]);
    // Program text and the client's quoted or argument-only data stay unreported.
    expect(found.filter((f) => !operator.includes(f))).toEqual(await origins('os-command-injection'));
    expect(await origins('os-command-injection', 'trusted')).toEqual(await origins('os-command-injection'));
  });

  it('unsafe-html-markup: filter inputs medium, unknown origins low, configuration only when distrusted', async () => {
    expect((await origins('unsafe-html-markup')).map((f) => f.slice(0, 3))).toEqual([
      [66, 'medium', 'medium'],
      [79, 'medium', 'medium'],
      [84, 'medium', 'medium'],
      [93, 'medium', 'medium'],
      [97, 'medium', 'medium'],
      [101, 'low', 'low'],
      [107, 'low', 'low'],
      [112, 'low', 'low'],
    ]);
    const untrusted = await origins('unsafe-html-markup', 'untrusted');
    const operator = untrusted.filter((f) => f[1] === 'low' && f[2] === 'medium');
    expect(operator.map(([line]) => line)).toEqual([18, 23, 29, 34, 40]);
    expect(operator[0][3]).toBe(
      'built from operator input `current_app.config.get("BANNER_HTML")`; reported because `taint.operator-input` is `untrusted` (the program runs with more privilege than whoever starts it)',
    );
  });

  it('urlopen-unrestricted-scheme: configuration (also through the callers of a helper) only when distrusted', async () => {
    expect(await origins('urlopen-unrestricted-scheme')).toEqual([
      [
        34,
        'low',
        'low',
        "the value's origin is unknown: `remote.link` is not traced to a source or a constant",
      ],
    ]);
    const untrusted = await origins('urlopen-unrestricted-scheme', 'untrusted');
    expect(untrusted.map((f) => f.slice(0, 3))).toEqual([
      [11, 'low', 'medium'],
      [22, 'low', 'medium'],
      [28, 'low', 'medium'],
      [34, 'low', 'low'],
    ]);
    expect(untrusted[0][3]).toContain('built from operator input `settings.FONTS.items()`');
  });

  it('reads the policy from the config', () => {
    const config = parseConfig('version: 1\ntaint:\n  operator-input: untrusted\n', '.secreview.yml');
    expect(taintOptions(config)).toEqual({ operatorInput: 'untrusted' });
    expect(() => parseConfig('version: 1\ntaint:\n  operator-input: sometimes\n', '.secreview.yml')).toThrow(
      /operator-input/,
    );
  });
});
