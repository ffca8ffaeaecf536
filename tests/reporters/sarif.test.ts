import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { review } from '../../src/engine/review.js';
import { formatSarif } from '../../src/reporters/sarif.js';
import { expectGolden } from '../helpers/golden.js';
import { sarifValidator, schemaErrors } from '../helpers/schemas.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const root = join(import.meta.dirname, '..', '..');
const golden = (name: string): string => join(import.meta.dirname, 'golden', name);

function parse(text: string): Sarif.Log {
  return JSON.parse(text) as Sarif.Log;
}

describe('SARIF reporter', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.sarif'), formatSarif(INPUT));
  });

  it.each([
    ['the fixed report', INPUT],
    ['a clean review', CLEAN_INPUT],
    ['a review where every file was skipped', NOTHING_REVIEWED_INPUT],
  ])('validates %s against the official SARIF 2.1.0 schema', (_name, input) => {
    expect(schemaErrors(sarifValidator(), parse(formatSarif(input)))).toEqual([]);
  });

  it('validates a real review of examples/ against the official schema', async () => {
    const result = await review({ paths: ['examples'], cwd: root });
    expect(result.findings.length).toBeGreaterThan(0);
    const log = formatSarif({ ...result, toolVersion: '0.0.0' });
    expect(schemaErrors(sarifValidator(), parse(log))).toEqual([]);
  });

  it('rejects a log that breaks the schema (the validator is live)', () => {
    const log = parse(formatSarif(INPUT));
    (log.runs[0].results![0] as { level: string }).level = 'fatal';
    expect(schemaErrors(sarifValidator(), log).join('\n')).toMatch(/level/);
  });

  const log = parse(formatSarif(INPUT));
  const run = log.runs[0];
  const results = run.results ?? [];
  const rules = run.tool.driver.rules ?? [];

  it('declares version 2.1.0, UTF-16 columns and the tool', () => {
    expect(log.version).toBe('2.1.0');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.tool.driver.name).toBe('secreview');
    expect(run.tool.driver.version).toBe('0.1.0-test');
  });

  it('gives each result its ruleId, the matching ruleIndex and a level from the severity', () => {
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['python/broad-except', 'note'],
      ['python/os-command-injection', 'error'],
      ['python/unsafe-deserialization', 'error'],
      ['python/hardcoded-secret', 'warning'],
      ['python/weak-cipher', 'note'],
    ]);
    for (const r of results) expect(rules[r.ruleIndex!].id).toBe(r.ruleId);
  });

  it('tags rules and results with CWE tags in the external/cwe/cwe-N form', () => {
    const cmd = rules.find((r) => r.id === 'python/os-command-injection')!;
    expect(cmd.properties?.tags).toEqual(['security', 'external/cwe/cwe-78']);
    expect(cmd.properties?.['security-severity']).toBe('8.0');
    expect(results[1].properties?.tags).toEqual(['external/cwe/cwe-78']);
    expect(results[1].properties?.cweName).toBe(
      "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    );
    expect(results[1].properties?.pillar).toBe('CWE-707');
  });

  it('gives each result a line-independent partial fingerprint', () => {
    for (const r of results) expect(r.partialFingerprints?.['secreview/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(results[1].partialFingerprints?.['secreview/v1']).toBe(INPUT.findings[1].fingerprint);
  });

  it('carries rule help text with the fix and the example', () => {
    const cmd = rules.find((r) => r.id === 'python/os-command-injection')!;
    expect(cmd.help?.text).toBe(
      'A shell command is built from data that is not constant.\n\n' +
        'Fix: Pass an argument list with shell=False.\n\n' +
        'Instead of:\n    subprocess.run(f"ping {host}", shell=True)\nwrite:\n    subprocess.run(["ping", host])',
    );
    expect(cmd.help?.markdown).toContain('**Fix:** Pass an argument list with shell=False.');
  });

  it('places results in regions with 1-based lines and columns', () => {
    expect(results[2].locations?.[0].physicalLocation?.region).toEqual({
      startLine: 20,
      startColumn: 12,
      endLine: 22,
      endColumn: 6,
    });
    expect(results[1].locations?.[0].physicalLocation?.artifactLocation).toEqual({
      uri: 'app/views.py',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('writes a data flow as a codeFlow with one step per location', () => {
    const steps = results[1].codeFlows?.[0].threadFlows[0].locations ?? [];
    expect(
      steps.map((s) => [s.location?.physicalLocation?.region?.startLine, s.location?.message?.text]),
    ).toEqual([
      [12, '`host` comes from `request.args["host"]`'],
      [13, '`cmd` is built from `host`'],
      [14, '`cmd` reaches `subprocess.check_output`'],
    ]);
  });

  it('marks a suppressed finding as accepted with its justification', () => {
    expect(results[3].suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'test credentials for the local mock' },
    ]);
    expect(results.filter((r) => r.suppressions).length).toBe(1);
  });

  it('reports skipped files and syntax errors as notifications, with URI-encoded paths', () => {
    const notes = run.invocations?.[0].toolExecutionNotifications ?? [];
    expect(notes.map((n) => [n.level, n.message.text])).toEqual([
      ['note', 'lib/crypto.py: syntax errors at lines 7, 9; the rest was reviewed'],
      ['warning', 'assets/logo.py skipped: binary file (contains NUL bytes)'],
      ['warning', 'legacy/old code.py skipped: not valid UTF-8 (invalid UTF-8 at byte 113)'],
      ['warning', 'The LLM endpoint did not answer; the review used the rules only.'],
    ]);
    expect(notes[2].locations?.[0].physicalLocation?.artifactLocation?.uri).toBe('legacy/old%20code.py');
  });
});

describe('SARIF artifact locations', () => {
  const withFile = (file: string): Sarif.Log =>
    parse(
      formatSarif({
        ...INPUT,
        findings: [{ ...INPUT.findings[1], location: { ...INPUT.findings[1].location, file } }],
        files: [{ file, status: 'reviewed', lineCount: 3, syntaxErrorLines: [2] }],
        notices: [],
      }),
    );

  it('percent-encodes each path segment so # ? % stay in the file name', () => {
    const log = withFile('odd dir/a#b?%.py');
    expect(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({
      uri: 'odd%20dir/a%23b%3F%25.py',
      uriBaseId: '%SRCROOT%',
    });
    expect(schemaErrors(sarifValidator(), log)).toEqual([]);
  });

  it('writes a file outside the review root as an absolute file: URI', () => {
    const log = withFile('/outside/root/x.py');
    expect(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({
      uri: 'file:///outside/root/x.py',
    });
    expect(log.runs[0].invocations?.[0].toolExecutionNotifications?.[0].message.text).toBe(
      '/outside/root/x.py: syntax errors at line 2; the rest was reviewed',
    );
    expect(schemaErrors(sarifValidator(), log)).toEqual([]);
  });
});
