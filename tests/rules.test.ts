import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUsableWeakness } from '../src/cwe/catalog.js';
import { analyzeSource } from '../src/engine/analyze.js';
import { allRules } from '../src/rules/registry.js';
import { ruleFolder } from '../src/rules/rule.js';
import { fixtureFiles, readAnnotations } from './helpers/fixtures.js';

const root = join(import.meta.dirname, '..');

describe('every rule', () => {
  for (const rule of allRules()) {
    const folder = join(root, ruleFolder(rule.id));
    describe(rule.id, () => {
      it('lives in the folder named by its id, with a README and fixtures', () => {
        expect(existsSync(join(folder, 'rule.ts'))).toBe(true);
        expect(existsSync(join(folder, 'README.md'))).toBe(true);
        expect(fixtureFiles(join(folder, 'fixtures')).length).toBeGreaterThan(0);
      });

      it('names a CWE that is a weakness in the catalog', () => {
        expect(isUsableWeakness(rule.cwe), `CWE-${rule.cwe}`).toBe(true);
      });

      it('has at least three vulnerable and three safe fixture cases', () => {
        let expected = 0;
        let ok = 0;
        for (const f of fixtureFiles(join(folder, 'fixtures'))) {
          const a = readAnnotations(readFileSync(f, 'utf8'), rule.id);
          expected += a.expected.size;
          ok += a.ok.size;
        }
        expect(expected).toBeGreaterThanOrEqual(3);
        expect(ok).toBeGreaterThanOrEqual(3);
      });

      for (const fixture of fixtureFiles(join(folder, 'fixtures'))) {
        it(`reports exactly the annotated lines of ${relative(folder, fixture)}`, async () => {
          const text = readFileSync(fixture, 'utf8');
          const { expected } = readAnnotations(text, rule.id);
          const result = await analyzeSource(relative(root, fixture), text, 'python', [rule]);
          expect(result.ruleErrors).toEqual([]);
          // An aggregated suggestion reports every line it lists.
          const reported = [
            ...new Set(result.findings.flatMap((f) => f.lines ?? [f.location.start.line])),
          ].sort((a, b) => a - b);
          expect(reported).toEqual([...expected].sort((a, b) => a - b));
          for (const f of result.findings) {
            expect(f.ruleId).toBe(rule.id);
            expect(f.kind).toBe(rule.kind ?? 'defect');
            if (f.lines) expect(f.lines[0]).toBe(f.location.start.line);
            expect(f.message.length).toBeGreaterThan(20);
            expect(isUsableWeakness(f.cwe), `CWE-${f.cwe}`).toBe(true);
          }
          // Suggestions are aggregated: one per check and file.
          if (rule.kind === 'suggestion') expect(result.findings.length).toBeLessThanOrEqual(1);
        });
      }
    });
  }
});

describe('rule registry', () => {
  it('has unique ids of the form <language>/<name>', () => {
    const ids = allRules().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^python\/[a-z0-9-]+$/);
  });
});
