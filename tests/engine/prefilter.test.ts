import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RulePrefilter, WordSet } from '../../src/engine/prefilter.js';
import { allRules } from '../../src/rules/registry.js';

const naive = (words: readonly string[], text: string): number[] =>
  words.map((w) => (text.includes(w) ? 1 : 0));

describe('WordSet', () => {
  it('finds overlapping words, words inside words and words sharing prefixes', () => {
    const words = ['he', 'she', 'his', 'hers', 'e', 'x', 'sheh'];
    const set = new WordSet(words);
    expect([...set.find('ushers')]).toEqual([1, 1, 0, 1, 1, 0, 0]);
    expect([...set.find('shehis')]).toEqual([1, 1, 1, 0, 1, 0, 1]);
    expect([...set.find('')]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('treats an empty word as always present and handles non-ASCII words and text', () => {
    const words = ['', 'café', 'é', '€x', 'x'];
    const set = new WordSet(words);
    expect([...set.find('un café €y')]).toEqual([1, 1, 1, 0, 0]);
    expect([...set.find('€€x')]).toEqual([1, 0, 0, 1, 1]);
    expect([...set.find('cafe')]).toEqual([1, 0, 0, 0, 0]);
  });

  it('agrees with String.includes on random texts over a small alphabet', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = 'ab.(é';
    const word = (max: number): string =>
      Array.from({ length: 1 + rand(max) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const words = Array.from({ length: 1 + rand(12) }, () => word(4));
      const text = word(40);
      expect([...new WordSet(words).find(text)], `${JSON.stringify(words)} in ${text}`).toEqual(
        naive(words, text),
      );
    }
  });
});

describe('RulePrefilter', () => {
  it("lets a rule run exactly when one of its words is in the text, as each rule's own list says", () => {
    const rules = allRules();
    const filter = RulePrefilter.of(rules);
    const dir = join(import.meta.dirname, '..', '..', 'examples');
    const texts = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.py'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    texts.push('import os\nos.system(x)\n', 'x = 1\n', '');
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) {
      const expected = rules.map(
        (r) => r.languages.includes('python') && (!r.requires || r.requires.some((w) => text.includes(w))),
      );
      expect(filter.applicable('python', text)).toEqual(expected);
    }
  });

  it('never applies a rule to a language it does not list', () => {
    const rules = allRules();
    expect(RulePrefilter.of(rules).applicable('javascript' as never, 'import os')).toEqual(
      rules.map(() => false),
    );
  });
});
