import { describe, expect, it } from 'vitest';
import { mayHoldEntryPoint } from '../../src/lang/python/dataflow/index.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { allRules } from '../../src/rules/registry.js';
import { pythonSamples } from '../helpers/fixtures.js';

describe('a file that cannot hold an entry point, analysed alone', () => {
  it('gets the same findings when its declared sinks are not traced', async () => {
    const may = mayHoldEntryPoint();
    const rules = allRules();
    const files = pythonSamples();
    const free = files.filter((f) => !may(f.name, f.text));
    // Both kinds are among the fixtures, so the comparison covers something.
    expect(free.length).toBeGreaterThan(20);
    expect(files.length - free.length).toBeGreaterThan(20);
    for (const f of free) {
      const traced = await analyzeSource(f.name, f.text, 'python', rules, undefined, {});
      const skipped = await analyzeSource(f.name, f.text, 'python', rules, undefined, {
        mayHoldEntryPoint: false,
      });
      expect(skipped.findings, f.name).toEqual(traced.findings);
    }
  });
});
