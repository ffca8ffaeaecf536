import { describe, expect, it } from 'vitest';
import { backtrackingIssues, translatePythonRegex } from '../../src/rules/regex.js';

describe('translatePythonRegex', () => {
  it('rewrites Python-only syntax into JavaScript syntax', () => {
    expect(translatePythonRegex('(?P<year>\\d{4})-(?P=year)\\A\\Z')).toEqual({
      ok: true,
      source: '(?<year>\\d{4})-\\k<year>^$',
      flags: '',
    });
    expect(translatePythonRegex('(?is)a(?#note)b{,3}[]x]/')).toEqual({
      ok: true,
      source: 'ab{0,3}[\\]x]\\/',
      flags: 'is',
    });
    expect(translatePythonRegex('(?x) a + # comment\n b')).toEqual({ ok: true, source: 'a+b', flags: '' });
    expect(translatePythonRegex('(?i:ab)c')).toEqual({ ok: true, source: '(?:ab)c', flags: '' });
  });

  it('refuses constructs that do not backtrack or have no JavaScript equivalent', () => {
    expect(translatePythonRegex('(?>a+)b').ok).toBe(false);
    expect(translatePythonRegex('a++b').ok).toBe(false);
    expect(translatePythonRegex('(a)?(?(1)b|c)').ok).toBe(false);
  });
});

describe('backtrackingIssues', () => {
  const kinds = (p: string, fullmatch = false): string[] =>
    backtrackingIssues(p, false, fullmatch).map((i) => `${i.kind} ${i.part}`);

  it('finds nested repetition, overlapping alternatives and absorbed bodies', () => {
    expect(kinds('^(a+)+$')).toEqual(['exponential a+']);
    expect(kinds('(a|a)*b')).toEqual(['exponential (a|a)*']);
    expect(kinds("'(.|\\s)*'")).toEqual(['exponential (.|\\s)*']);
    expect(kinds('(.*a){12}x')).toEqual(['polynomial (.*a){12}']);
    expect(kinds('(?P<d>\\d+)+', true)).toEqual(['exponential \\d+']);
  });

  it('accepts patterns without ambiguity or with nothing after the repetition that can fail', () => {
    expect(kinds('^\\d+\\.\\d+$')).toEqual([]);
    expect(kinds('(a+b)+c')).toEqual([]);
    expect(kinds('(a|ab)*c')).toEqual([]);
    expect(kinds('(a+)+')).toEqual([]);
    expect(kinds('^(?:\\s+[a-z]+(?:\\s*=\\s*[a-z]+)?)*\\s*>')).toEqual([]);
  });

  it('finds neighbouring unbounded repetitions that share characters', () => {
    expect(kinds('\\s*\\S*\\s*=')).toEqual(['polynomial \\s*\\s*']);
    expect(kinds('[a-z]+\\w*x')).toEqual(['polynomial [a-z]+\\w*']);
    expect(kinds('(\\d+)(\\d*)$')).toEqual(['polynomial \\d+\\d*']);
    expect(kinds('(?:\\s|x)*\\s*y')).toEqual(['polynomial (?:\\s|x)*\\s*']);
    expect(kinds('-\\*-\\s*([^\\r\\n]*?)\\s*-\\*-')).toEqual([
      'polynomial \\s*[^\\r\\n]*?',
      'polynomial \\s*\\s*',
      'polynomial [^\\r\\n]*?\\s*',
    ]);
    expect(backtrackingIssues('a\\d+\\d*:')[0].explanation).toBe(
      '`\\d+` and `\\d*` both match `0`-`9`, so a long run of those characters can be split between them in as many ways as it is long',
    );
  });

  it('accepts neighbours that are disjoint, separated, bounded or followed by nothing that can fail', () => {
    expect(kinds('\\s*(\\w+)\\s*=')).toEqual([]);
    expect(kinds('(\\d+)\\.(\\d+)$')).toEqual([]);
    expect(kinds('\\d{1,3}\\d*x')).toEqual([]);
    expect(kinds('\\w+\\d*')).toEqual([]);
    expect(kinds('\\w+\\d*.*')).toEqual([]);
  });

  it('finds a longer alternative that single-character alternatives of the repetition can also spell', () => {
    expect(kinds('\\*(?:\\\\[\\\\*]|[^*])*\\*')).toEqual(['exponential (?:\\\\[\\\\*]|[^*])*']);
    expect(kinds('"(?:[^"\\\\]|\\\\.)*"')).toEqual([]);
    expect(backtrackingIssues('"([^"]|\\\\.)*"')[0].explanation).toBe(
      'inside `([^"]|\\\\.)*` the text `\\!` matches both alternative `\\\\.` and 2 iterations of the single-character alternatives, so each occurrence doubles the ways to match',
    );
    expect(kinds('(?:ab|a|c)*d')).toEqual([]);
  });
});
