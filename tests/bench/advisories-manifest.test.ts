import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../bench/advisories-manifest.js';
import { languageOf } from '../../bench/advisories.js';
import { SAMPLE_ADVISORY } from './sample-advisory.js';

const GOOD = { ...SAMPLE_ADVISORY, cve: 'CVE-2024-1234' };

function load(...entries: object[]): unknown {
  return parseManifest(JSON.stringify(entries), 'm.json');
}

describe('advisory manifest', () => {
  it('reads a good entry as it is, with and without the optional CVE, and folder "."', () => {
    expect(load(GOOD)).toEqual([GOOD]);
    const { cve: _cve, ...noCve } = GOOD;
    expect(load({ ...noCve, id: 'CVE-2024-1234', folder: '.' })).toEqual([
      { ...noCve, id: 'CVE-2024-1234', folder: '.' },
    ]);
  });

  it('names the entry, its id and the field of each error', () => {
    const cases: [object, string][] = [
      [{ ...GOOD, vulnerable: 'A'.repeat(40) }, 'vulnerable: "AAAA'],
      [{ ...GOOD, fixed: 'b'.repeat(39) }, 'fixed: "'],
      [{ ...GOOD, fixed: GOOD.vulnerable }, 'fixed: the same commit as vulnerable'],
      [{ ...GOOD, file: 'web/views.py' }, 'file: web/views.py is not under the folder shop'],
      [{ ...GOOD, file: 'shop/../etc/passwd' }, 'file: "shop/../etc/passwd" is not a clean relative path'],
      [{ ...GOOD, folder: '/shop' }, 'folder: "/shop" is not a clean relative path (or ".")'],
      [{ ...GOOD, lines: [24, 20] }, 'lines: first 24 is after last 20'],
      [{ ...GOOD, lines: [0, 20] }, 'lines: expected [first, last], two positive integers'],
      [{ ...GOOD, lines: [20] }, 'lines: expected [first, last], two positive integers'],
      [{ ...GOOD, cwe: 'CWE-78' }, 'cwe: expected a positive integer'],
      [{ ...GOOD, cwe: 78.5 }, 'cwe: expected a positive integer'],
      [{ ...GOOD, project: 'acme' }, 'project: "acme" is not owner/repo'],
      [{ ...GOOD, project: 'acme/..' }, 'project: "acme/.." is not owner/repo'],
      [{ ...GOOD, cve: 'GHSA-aaaa-bbbb-cccc' }, 'cve: "GHSA-aaaa-bbbb-cccc" is not a CVE id'],
      [{ ...GOOD, summary: 'two\nlines' }, 'summary: expected one line'],
      [{ ...GOOD, commit: 'x' }, 'commit: unknown field'],
    ];
    for (const [entry, message] of cases)
      expect(() => load(GOOD, { ...entry, id: 'GHSA-dddd-eeee-ffff' })).toThrow(
        `m.json: entry 1 (GHSA-dddd-eeee-ffff): ${message}`,
      );
    expect(() => load({ ...GOOD, id: 'GHSA-1' })).toThrow(
      'm.json: entry 0 (GHSA-1): id: "GHSA-1" is not a GHSA or CVE id',
    );
    expect(() => load({ ...GOOD, id: 7 })).toThrow('m.json: entry 0: id: expected a non-empty string');
  });

  it('rejects a duplicate id, naming both entries', () => {
    expect(() => load(GOOD, { ...GOOD, cwe: 88 })).toThrow(
      'm.json: entry 1 (GHSA-aaaa-bbbb-cccc): id: duplicate of entry 0',
    );
  });

  it('rejects what is not an array of objects', () => {
    expect(() => parseManifest('{}', 'm.json')).toThrow('m.json: expected an array of advisories');
    expect(() => parseManifest('[1]', 'm.json')).toThrow('m.json: entry 0: entry: expected an object');
    expect(() => parseManifest('[', 'm.json')).toThrow('m.json: not JSON');
  });

  it('accepts the committed manifest', () => {
    const file = join(import.meta.dirname, '../../bench/advisories/advisories.json');
    expect(parseManifest(readFileSync(file, 'utf8')).length).toBeGreaterThanOrEqual(3);
  });

  it('accepts the committed JavaScript manifest: 12 to 20 advisories, each of a JavaScript or TypeScript file', () => {
    const file = join(import.meta.dirname, '../../bench/advisories/advisories-js.json');
    const all = parseManifest(readFileSync(file, 'utf8'));
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all.length).toBeLessThanOrEqual(20);
    for (const a of all) expect(languageOf(a.file)).toBe('javascript');
  });
});
