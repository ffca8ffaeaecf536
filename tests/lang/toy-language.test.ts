import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { review } from '../../src/engine/review.js';
import { ReviewStats } from '../../src/engine/stats.js';
import { languageById, languageForPath, languageNames, registerLanguage } from '../../src/lang/registry.js';
import { formatMarkdown } from '../../src/reporters/markdown.js';
import { formatSarif } from '../../src/reporters/sarif.js';
import { applyInlineSuppressions } from '../../src/suppressions/inline.js';
import { readAnnotations } from '../helpers/fixtures.js';
import { plaintextPassword, toy } from './toy/pack.js';

const SETTINGS = [
  '; settings of the demo app',
  'name = demo',
  '; ruleid: toy/plaintext-password',
  'db.password = hunter2',
  '; ok: toy/plaintext-password',
  'api.password = ${API_PASSWORD}',
  'admin.password = letmein ; secreview: ignore[toy/plaintext-password] rotated by the deploy job',
  '; secreview: ignore[toy/plaintext-password] the docs show it',
  '',
  'demo.password = demo',
  'broken line',
  '',
].join('\n');

describe('a second language plugged into the engine', () => {
  let dir: string;
  let unregister: () => void;

  beforeAll(() => {
    unregister = registerLanguage(toy);
    dir = mkdtempSync(join(tmpdir(), 'secreview-toy-'));
    writeFileSync(join(dir, 'app.toy'), SETTINGS);
    writeFileSync(join(dir, 'notes.txt'), 'password = not a toy file\n');
    mkdirSync(join(dir, '.toy-cache'));
    writeFileSync(join(dir, '.toy-cache', 'copy.toy'), 'db.password = hunter2\n');
    writeFileSync(join(dir, 'run'), '#!/usr/bin/env toy\nroot.password = toor\n');
  });

  afterAll(() => {
    unregister();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is found by id, extension and shebang, and named in messages', () => {
    expect(languageById('toy')).toBe(toy);
    expect(languageForPath('conf/app.TOY')).toBe(toy);
    expect(languageForPath('run', '#!/usr/bin/env toy')).toBe(toy);
    expect(languageForPath('app.py')?.id).toBe('python');
    expect(languageNames()).toBe('Python, JavaScript/TypeScript or Toy');
  });

  it('is discovered by extension, reviewed by its rule, with its own comment syntax for suppressions', async () => {
    const stats = new ReviewStats();
    const cacheDir = join(dir, '.secreview-cache');
    const options = { paths: ['.', 'notes.txt'], cwd: dir, rules: [plaintextPassword], cacheDir };
    const result = await review({ ...options, stats });
    // The walk finds app.toy (not the copy in the toy's excluded cache folder, nor notes.txt) and the
    // script `run` by its shebang; a file named explicitly is skipped with the languages named.
    expect(result.files).toEqual([
      { file: 'app.toy', status: 'reviewed', lineCount: 11, syntaxErrorLines: [11] },
      { file: 'run', status: 'reviewed', lineCount: 2 },
      {
        file: 'notes.txt',
        status: 'skipped',
        reason: 'unsupported-language',
        detail: 'not a Python, JavaScript/TypeScript or Toy file',
      },
    ]);
    expect(result.findings.map((f) => [f.location.file, f.location.start.line, f.ruleId, f.snippet])).toEqual(
      [
        ['app.toy', 4, 'toy/plaintext-password', 'db.password = hunter2'],
        [
          'app.toy',
          7,
          'toy/plaintext-password',
          'admin.password = letmein ; secreview: ignore[toy/plaintext-password] rotated by the deploy job',
        ],
        ['app.toy', 10, 'toy/plaintext-password', 'demo.password = demo'],
        ['run', 2, 'toy/plaintext-password', 'root.password = toor'],
      ],
    );
    expect(result.findings[0].message).toBe(
      '`db.password` holds a password in plain text; anyone who reads the file has it.',
    );

    // `; secreview: ignore[...]` hides line 7 (trailing comment) and line 10 (the next setting).
    const filtered = applyInlineSuppressions(
      result.findings,
      result.directives,
      new Set([plaintextPassword.id]),
    );
    expect(filtered.warnings).toEqual([]);
    expect(filtered.unused).toEqual([]);
    expect(
      filtered.findings.map((f) => [
        f.location.file,
        f.location.start.line,
        f.suppressed?.justification ?? null,
      ]),
    ).toEqual([
      ['app.toy', 4, null],
      ['app.toy', 7, 'rotated by the deploy job'],
      ['app.toy', 10, 'the docs show it'],
      ['run', 2, null],
    ]);
    // The fixture harness reads the same annotations with the toy's comment syntax.
    expect(readAnnotations(SETTINGS, plaintextPassword.id, 'app.toy')).toEqual({
      expected: new Set([4]),
      ok: new Set([6]),
      hygiene: new Set(),
    });

    // Reporters label code with the language's fence and comment syntax.
    const input = {
      findings: filtered.findings,
      files: result.files,
      rules: [plaintextPassword],
      toolVersion: 't',
    };
    expect(formatMarkdown(input)).toContain('   ```ini\n   db.password = hunter2\n   ```');
    const sarif = JSON.parse(formatSarif(input)) as {
      runs: { tool: { driver: { rules: { help: { markdown: string } }[] } } }[];
    };
    expect(sarif.runs[0].tool.driver.rules[0].help.markdown).toContain(
      '```ini\n; instead of\ndb.password = hunter2\n; write\ndb.password = ${DB_PASSWORD}\n```',
    );

    // The result cache answers the second review.
    const again = new ReviewStats();
    const cached = await review({ ...options, stats: again });
    expect(again.counters.cacheHits).toBe(2);
    expect(cached.findings).toEqual(result.findings);
  });
});
