import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayHoldEntryPoint } from '../../src/analysis/taint/interpreter.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { allRules } from '../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..');
const rulesDir = join(root, 'src', 'rules', 'python');

/** Every rule fixture and bundled example, as (display path, text). */
function pythonFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const rule of readdirSync(rulesDir)) {
    const dir = join(rulesDir, rule, 'fixtures');
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.filter((f) => f.endsWith('.py')))
      out.push({ path: `${rule}/${n}`, text: readFileSync(join(dir, n), 'utf8') });
  }
  for (const n of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py')))
    out.push({ path: `examples/${n}`, text: readFileSync(join(root, 'examples', n), 'utf8') });
  return out;
}

describe('a file that cannot hold an entry point, analysed alone', () => {
  it('gets the same findings when its declared sinks are not traced', async () => {
    const may = mayHoldEntryPoint();
    const rules = allRules();
    const files = pythonFiles();
    const free = files.filter((f) => !may(f.path, f.text));
    // Both kinds are among the fixtures, so the comparison covers something.
    expect(free.length).toBeGreaterThan(20);
    expect(files.length - free.length).toBeGreaterThan(20);
    for (const f of free) {
      const traced = await analyzeSource(f.path, f.text, 'python', rules, undefined, {});
      const skipped = await analyzeSource(f.path, f.text, 'python', rules, undefined, {
        mayHoldEntryPoint: false,
      });
      expect(skipped.findings, f.path).toEqual(traced.findings);
    }
  });
});
