import { describe, expect, it } from 'vitest';
import { projectBudget, sameBudgetOutcome } from '../../src/dataflow/driver.js';
import { ROOT_BUDGET } from '../../src/dataflow/limits.js';
import { evaluateProbe, probeKey, probesHash, TextReads } from '../../src/dataflow/text-reads.js';
import { passRecord, whyNotReusable, type ReuseSource } from '../../src/engine/pass-reuse.js';

const texts = ['import os\nos.system(x)\n', 'def helper(a):\n    return a\n', 'print(1)\n'];
const paths = ['a.py', 'b.py', 'c.py'];

function ledger(): TextReads {
  const reads = new TextReads((i) => texts[i]);
  reads.test(1, /\bcommand\s*\(/);
  reads.matches(1, /\b(\w+)\s*\(/g);
  reads.includes(2, 'urlpatterns');
  reads.entryHint(2, (t) => t.includes('request'));
  reads.fullRead(2);
  reads.setBudget(5, 100, false);
  return reads;
}

describe('the text ledger', () => {
  it('keeps the probes of modules neither parsed nor read whole, and can run them again', () => {
    const summary = ledger().summary(
      3,
      (i) => paths[i],
      (i) => i === 0,
    );
    expect(summary.whole).toEqual(['a.py', 'c.py']);
    expect(summary.budget).toEqual({ lines: 5, used: 100, binding: false });
    const b = summary.probes['b.py'];
    expect(b.keys).toEqual(
      [probeKey('matches', '\\b(\\w+)\\s*\\(', 'g'), probeKey('test', '\\bcommand\\s*\\(')].sort(),
    );
    const again = Object.fromEntries(b.keys.map((k) => [k, evaluateProbe(k, texts[1], () => false)]));
    expect(probesHash(again)).toBe(b.hash);
    // A new call name changes the matches; a comment does not.
    const edited = 'def helper(a):\n    return run(a)\n';
    const changed = Object.fromEntries(b.keys.map((k) => [k, evaluateProbe(k, edited, () => false)]));
    expect(probesHash(changed)).not.toBe(b.hash);
    const commented = '# a note\ndef helper(a):\n    return a\n';
    const same = Object.fromEntries(b.keys.map((k) => [k, evaluateProbe(k, commented, () => false)]));
    expect(probesHash(same)).toBe(b.hash);
  });

  it('rejects a probe it does not know', () => {
    expect(() => evaluateProbe(JSON.stringify(['eval', 'x', '']), 'x', () => false)).toThrow(
      /unknown text probe/,
    );
  });
});

describe('reusing a pass', () => {
  const sources: ReuseSource[] = texts.map((text, i) => ({ file: paths[i], text, language: 'python' }));
  const hashes = ['h0', 'h1', 'h2'];
  const reads = ledger().summary(
    3,
    (i) => paths[i],
    (i) => i === 0,
  );
  const record = passRecord(sources, hashes, { ...reads, budgets: { python: reads.budget } });
  const none = [false, false, false];

  it('holds for an edit that changes no probe result, and not for one that does', () => {
    const commented = sources.map((s, i) => (i === 1 ? { ...s, text: `# note\n${s.text}` } : s));
    expect(whyNotReusable(record, commented, ['h0', 'h1b', 'h2'], none)).toBeUndefined();
    const calling = sources.map((s, i) =>
      i === 1 ? { ...s, text: 'def helper(a):\n    return command(a)\n' } : s,
    );
    expect(whyNotReusable(record, calling, ['h0', 'h1b', 'h2'], none)).toBe(
      'b.py changed in what the pass looked for',
    );
    expect(whyNotReusable(record, sources, ['h0', 'h1', 'h2b'], none)).toBe(
      'c.py changed and the pass read it',
    );
    expect(whyNotReusable(record, sources, ['h0', 'h1b', 'h2'], [false, true, false])).toBe(
      'b.py may now hold an entry point',
    );
    expect(whyNotReusable(record, sources.slice(0, 2), hashes.slice(0, 2), none)).toBe(
      'files were added or removed',
    );
    const renamed = sources.map((s, i) => (i === 1 ? { ...s, module: 'pkg.b' } : s));
    expect(whyNotReusable(record, renamed, hashes, none)).toBe('module names or imports changed');
  });

  it('holds while the budget leaves a root its own steps, and for a binding budget only at the same size', () => {
    const lines = 1000;
    const used = projectBudget(lines) - ROOT_BUDGET;
    expect(sameBudgetOutcome({ lines, used, binding: false }, lines)).toBe(true);
    expect(sameBudgetOutcome({ lines, used: used + 1, binding: false }, lines)).toBe(false);
    expect(sameBudgetOutcome({ lines, used: 10, binding: true }, lines)).toBe(true);
    expect(sameBudgetOutcome({ lines, used: 10, binding: true }, lines + 1)).toBe(false);
  });
});
