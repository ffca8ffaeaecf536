import { describe, expect, it } from 'vitest';
import { sitePathPattern } from '../../src/dataflow/url-prefix.js';

describe('sitePathPattern', () => {
  it('accepts a leading slash followed by a class or lookahead that refuses a second slash', () => {
    expect(sitePathPattern('^/[^/\\\\]', false)).toEqual({ backslash: true });
    expect(sitePathPattern('^\\/[^\\/\\\\]', false)).toEqual({ backslash: true });
    expect(sitePathPattern('^\\/(?![/\\\\])', false)).toEqual({ backslash: true });
    expect(sitePathPattern('^/(?!/)', false)).toEqual({ backslash: false });
    expect(sitePathPattern('^/[^/]', false)).toEqual({ backslash: false });
  });

  it('needs the anchor unless the match is tried at the start only', () => {
    expect(sitePathPattern('/[^/\\\\]', false)).toBeUndefined();
    expect(sitePathPattern('/[^/\\\\]', true)).toEqual({ backslash: true });
  });

  it('refuses patterns that let `//host` through', () => {
    expect(sitePathPattern('^/', false)).toBeUndefined();
    expect(sitePathPattern('^/.*', false)).toBeUndefined();
    expect(sitePathPattern('^/[^\\\\]', false)).toBeUndefined();
    expect(sitePathPattern('^/(?!\\\\)', false)).toBeUndefined();
    expect(sitePathPattern('^[/][^/]', false)).toBeUndefined();
  });
});
