import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { formatText } from '../../src/reporters/text.js';
import { expectGolden } from '../helpers/golden.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const golden = (name: string): string => join(import.meta.dirname, 'golden', name);

describe('text reporter', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.txt'), formatText(INPUT));
  });

  it('prints exactly the verdict sentence for a clean review', () => {
    expect(formatText(CLEAN_INPUT)).toBe(`${NO_DEFECTS_SENTENCE}\n`);
  });

  it('does not give the verdict when every file was skipped', () => {
    expectGolden(golden('nothing-reviewed.txt'), formatText(NOTHING_REVIEWED_INPUT));
    expect(formatText(NOTHING_REVIEWED_INPUT)).not.toContain(NO_DEFECTS_SENTENCE);
  });

  it('opens each defect with the CWE id and name, the pillar and the line', () => {
    expect(formatText(INPUT)).toContain(
      "1. CWE-78 Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection') " +
        '[pillar CWE-707 Improper Neutralization], line 14: ',
    );
  });

  it('leaves suppressed findings out and keeps suggestions apart from defects', () => {
    const text = formatText(INPUT);
    expect(text).not.toContain('hunter2');
    const suggestions = text.indexOf('Suggestions for improvement (not security defects):');
    expect(suggestions).toBeGreaterThan(text.indexOf('lib/crypto.py'));
    expect(text.slice(0, suggestions)).not.toContain('broad-except');
  });

  it('gives the verdict sentence, then suggestions and notes, when only suggestions are active', () => {
    const input = {
      ...INPUT,
      findings: INPUT.findings.filter((f) => f.kind === 'suggestion' || f.suppressed),
    };
    expectGolden(golden('suggestions-only.txt'), formatText(input));
    expect(formatText(input).split('\n')[0]).toBe(NO_DEFECTS_SENTENCE);
  });
});
