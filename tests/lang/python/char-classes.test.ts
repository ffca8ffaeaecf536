import { describe, expect, it } from 'vitest';
import { charsetSafeCwes, patternSafeCwes } from '../../../src/lang/python/dataflow/char-classes.js';

describe('text reduced to one negated character class by re.sub', () => {
  it('is safe for the injections when only letters, digits, _ and - are left, and for paths without a dot', () => {
    expect(charsetSafeCwes('[^a-z0-9_-]+', '')).toEqual([
      22, 73, 77, 78, 79, 89, 90, 94, 95, 113, 117, 601, 643, 1336,
    ]);
    expect(charsetSafeCwes('[^A-Za-z0-9]', '-')).toContain(22);
    expect(charsetSafeCwes('[^\\w\\-]', '_')).toContain(22);
  });

  it('keeps path traversal when a dot is left, in the class or in the replacement', () => {
    expect(charsetSafeCwes('[^\\w.-]+', '')).toEqual([77, 78, 79, 89, 90, 94, 95, 113, 117, 601, 643, 1336]);
    expect(charsetSafeCwes('[^a-z]', '.')).not.toContain(22);
  });

  it('is safe only for markup, templates and redirects when white space is left too, and paths without a dot', () => {
    expect(charsetSafeCwes('[^\\w\\s]', '')).toEqual([22, 73, 79, 601, 1336]);
    expect(charsetSafeCwes('[^\\w\\s.-]', '')).toEqual([79, 601, 1336]);
    expect(charsetSafeCwes('[^a-z ]+', '')).toEqual([22, 73, 79, 601, 1336]);
    expect(charsetSafeCwes('[^\\w\\s<>]', '')).toBeUndefined();
  });

  it('judges nothing when separators or markup are left, or the pattern is not one negated class', () => {
    expect(charsetSafeCwes('[^a-z/]', '')).toBeUndefined();
    expect(charsetSafeCwes('[^a-z<>]', '')).toBeUndefined();
    expect(charsetSafeCwes('[^ -~]', '')).toBeUndefined();
    expect(charsetSafeCwes('[<>]', '')).toBeUndefined();
    expect(charsetSafeCwes('[^a-z]+|x', '')).toBeUndefined();
    expect(charsetSafeCwes('[^a-z]', '\\1')).toBeUndefined();
    expect(charsetSafeCwes('[^\\W]', '')).toBeUndefined();
    expect(charsetSafeCwes(undefined, '')).toBeUndefined();
  });
});

describe("text a path converter's pattern matched whole", () => {
  it('is safe for what its characters allow: the injections, and paths without a dot', () => {
    expect(patternSafeCwes('[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}')).toContain(22);
    expect(patternSafeCwes('^\\d+$')).toContain(79);
    expect(patternSafeCwes('(?:[A-Za-z0-9]+-?)+')).toContain(22);
    expect(patternSafeCwes('v(?:1|2)_[a-z]*')).toContain(89);
    expect(patternSafeCwes('[\\w.-]+')).toEqual([77, 78, 79, 89, 90, 94, 95, 113, 117, 601, 643, 1336]);
  });

  it('judges nothing for any character, a negated class, separators, markup or unknown constructs', () => {
    for (const p of [
      '.+',
      '[^/]+',
      '[a-z/]+',
      '[a-z<>]+',
      '\\S+',
      '[a-z]+ [a-z]+',
      '(?P<x>\\d+)',
      '(\\d+',
      'a)b',
    ])
      expect(patternSafeCwes(p), p).toBeUndefined();
  });
});
