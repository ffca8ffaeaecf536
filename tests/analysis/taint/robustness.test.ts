import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { defineRule } from '../../../src/rules/rule.js';
import { findRule } from '../../../src/rules/registry.js';
import { sinkKinds } from './helpers.js';

const FLASK = 'from flask import request\n';

describe('taint engine robustness', () => {
  it('analyses a 5000-term string concatenation without exhausting the stack', async () => {
    const terms = Array.from({ length: 5000 }, (_, i) => `"p${i}"`).join(' + ');
    const kinds = await sinkKinds(`${FLASK}
def view():
    safe = ${terms}
    sink(safe)
    bad = ${terms} + request.args["x"]
    sink(bad)
    parts = [${terms}]
    sink(parts)
`);
    expect(kinds).toEqual(['5: constant', '7: tainted', '9: clean']);
  });

  it('analyses a 5000-deep nested list without exhausting the stack', async () => {
    const nested = '['.repeat(5000) + '1' + ']'.repeat(5000);
    const kinds = await sinkKinds(`${FLASK}
def view():
    x = ${nested}
    sink(x)
    sink(request.args["y"])
`);
    expect(kinds).toEqual(['5: clean', '6: tainted']);
  });

  it('compares a list that holds itself without endless recursion', async () => {
    const kinds = await sinkKinds(`${FLASK}
def view():
    a = [1]
    a[0] = a
    x = request.args["x"]
    if a == [1]:
        x = "fixed"
    sink(x)
`);
    expect(kinds).toEqual(['9: tainted']);
  });

  it('keeps the other rules running when one crashes on a file', async () => {
    const crashing = defineRule({
      ...findRule('python/ssrf')!,
      id: 'test/crashing',
      taint: undefined,
      requires: undefined,
      check() {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    const result = await analyzeSource(
      'app.py',
      `import os\nfrom flask import request\n\ndef view():\n    os.system(request.args["c"])\n`,
      'python',
      [crashing, findRule('python/os-command-injection')!],
    );
    expect(result.ruleErrors).toEqual([
      { ruleId: 'test/crashing', message: 'Maximum call stack size exceeded' },
    ]);
    expect(result.findings.map((f) => [f.ruleId, f.location.start.line])).toEqual([
      ['python/os-command-injection', 5],
    ]);
  });
});
