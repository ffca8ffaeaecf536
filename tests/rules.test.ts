import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUsableWeakness } from '../src/cwe/catalog.js';
import type { Finding } from '../src/core/index.js';
import { analyzeSource } from '../src/engine/analyze.js';
import { review } from '../src/engine/review.js';
import { languageForPath, languages } from '../src/lang/registry.js';
import { allRules } from '../src/rules/registry.js';
import { ruleFolder, type Rule } from '../src/rules/rule.js';
import { allFixtureFiles, fixtureFiles, fixtureProjects, readAnnotations } from './helpers/fixtures.js';

const root = join(import.meta.dirname, '..');

describe('every rule', () => {
  for (const rule of allRules()) {
    const folder = join(root, ruleFolder(rule.id));
    describe(rule.id, () => {
      it('lives in the folder named by its id, with a README and fixtures', () => {
        expect(existsSync(join(folder, 'rule.ts'))).toBe(true);
        expect(existsSync(join(folder, 'README.md'))).toBe(true);
        expect(allFixtureFiles(join(folder, 'fixtures')).length).toBeGreaterThan(0);
      });

      it('names a CWE that is a weakness in the catalog', () => {
        expect(isUsableWeakness(rule.cwe), `CWE-${rule.cwe}`).toBe(true);
      });

      it('has at least three vulnerable and three safe fixture cases', () => {
        let expected = 0;
        let ok = 0;
        for (const f of allFixtureFiles(join(folder, 'fixtures'))) {
          const a = readAnnotations(readFileSync(f, 'utf8'), rule.id, f);
          expected += a.expected.size;
          ok += a.ok.size;
        }
        expect(expected).toBeGreaterThanOrEqual(3);
        expect(ok).toBeGreaterThanOrEqual(3);
      });

      for (const fixture of fixtureFiles(join(folder, 'fixtures'))) {
        it(`reports exactly the annotated lines of ${relative(folder, fixture)}`, async () => {
          const text = readFileSync(fixture, 'utf8');
          const { expected, hygiene } = readAnnotations(text, rule.id, fixture);
          const language = languageForPath(fixture);
          const result = await analyzeSource(relative(root, fixture), text, language?.id ?? '', [rule]);
          expect(result.ruleErrors).toEqual([]);
          expectAnnotated(rule, result.findings, expected, hygiene);
        });
      }

      // A folder of several files is one project: a flow may cross its modules.
      for (const project of fixtureProjects(join(folder, 'fixtures'))) {
        it(`reports exactly the annotated lines of the project ${relative(folder, project.dir)}`, async () => {
          const result = await review({ paths: [relative(root, project.dir)], cwd: root, rules: [rule] });
          expect(result.files.map((f) => [f.file, f.status, f.detail])).toEqual(
            project.files.map((f) => [relative(root, f), 'reviewed', undefined]),
          );
          for (const fixture of project.files) {
            const file = relative(root, fixture);
            const { expected, hygiene } = readAnnotations(readFileSync(fixture, 'utf8'), rule.id, fixture);
            expectAnnotated(
              rule,
              result.findings.filter((f) => f.location.file === file),
              expected,
              hygiene,
            );
          }
        });
      }
    });
  }
});

/** The findings of one fixture file are exactly on its annotated lines, each well formed. */
function expectAnnotated(
  rule: Rule,
  findings: readonly Finding[],
  expected: ReadonlySet<number>,
  hygiene: ReadonlySet<number>,
): void {
  // An aggregated suggestion reports every line it lists.
  const reported = [...new Set(findings.flatMap((f) => f.lines ?? [f.location.start.line]))].sort(
    (a, b) => a - b,
  );
  expect(reported).toEqual([...expected].sort((a, b) => a - b));
  for (const f of findings) {
    expect(f.ruleId).toBe(rule.id);
    const suggestion = rule.hygiene || hygiene.has(f.location.start.line);
    expect(f.kind, `line ${f.location.start.line}`).toBe(suggestion ? 'suggestion' : (rule.kind ?? 'defect'));
    if (f.lines) expect(f.lines[0]).toBe(f.location.start.line);
    expect(f.message.length).toBeGreaterThan(20);
    expect(isUsableWeakness(f.cwe), `CWE-${f.cwe}`).toBe(true);
  }
  // Suggestions are aggregated: one per check and file.
  if (rule.kind === 'suggestion') expect(findings.length).toBeLessThanOrEqual(1);
}

describe('rule registry', () => {
  it('has unique ids of the form <language>/<name>, the language one of the registry', () => {
    const ids = allRules().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const known = languages().map((l) => l.id);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+\/[a-z0-9-]+$/);
      expect(known).toContain(id.slice(0, id.indexOf('/')));
    }
  });
});
