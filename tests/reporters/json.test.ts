import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { review } from '../../src/engine/review.js';
import { formatJson, JSON_SCHEMA_VERSION } from '../../src/reporters/json.js';
import { expectGolden } from '../helpers/golden.js';
import { reportValidator, schemaErrors } from '../helpers/schemas.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const root = join(import.meta.dirname, '..', '..');

interface JsonReport {
  schemaVersion: string;
  verdict: string;
  summary: Record<string, unknown>;
  findings: Record<string, unknown>[];
  files: Record<string, unknown>[];
  notices: string[];
}

const parse = (text: string): JsonReport => JSON.parse(text) as JsonReport;

describe('JSON reporter', () => {
  it('matches the golden file', () => {
    expectGolden(join(import.meta.dirname, 'golden', 'report.json'), formatJson(INPUT));
  });

  it.each([
    ['the fixed report', INPUT],
    ['a clean review', CLEAN_INPUT],
    ['a review where every file was skipped', NOTHING_REVIEWED_INPUT],
  ])('validates %s against schemas/report.schema.json', (_name, input) => {
    expect(schemaErrors(reportValidator(), parse(formatJson(input)))).toEqual([]);
  });

  it('validates a real review of examples/ against the schema', async () => {
    const result = await review({ paths: ['examples'], cwd: root });
    expect(result.findings.length).toBeGreaterThan(0);
    const report = parse(formatJson({ ...result, toolVersion: '0.1.0' }));
    expect(schemaErrors(reportValidator(), report)).toEqual([]);
  });

  it('rejects a report that breaks the schema (the validator is live)', () => {
    const report = parse(formatJson(INPUT));
    report.findings[0].severity = 'severe';
    delete report.files[0].status;
    delete report.files[2].reason;
    expect(schemaErrors(reportValidator(), report)).toEqual([
      '/findings/0/severity must be equal to one of the allowed values {"allowedValues":["critical","high","medium","low"]}',
      `/files/0 must have required property 'status' {"missingProperty":"status"}`,
      `/files/2 must have required property 'reason' {"missingProperty":"reason"}`,
      '/files/2 must match "then" schema {"failingKeyword":"then"}',
    ]);
  });

  it('is versioned 1.0 and counts defects, suggestions and suppressed findings apart', () => {
    const report = parse(formatJson(INPUT));
    expect(report.schemaVersion).toBe('1.0');
    expect(JSON_SCHEMA_VERSION).toBe('1.0');
    expect(report.verdict).toBe('3 security defects detected.');
    expect(report.summary).toEqual({
      filesReviewed: 2,
      filesSkipped: 2,
      linesReviewed: 52,
      defects: 3,
      suggestions: 1,
      suppressed: 1,
      bySeverity: { critical: 1, high: 1, medium: 0, low: 1 },
    });
  });

  it('says the exact verdict sentence for a clean review', () => {
    expect(parse(formatJson(CLEAN_INPUT)).verdict).toBe(NO_DEFECTS_SENTENCE);
  });

  it('says no verdict can be given when nothing was reviewed', () => {
    const report = parse(formatJson(NOTHING_REVIEWED_INPUT));
    expect(report.verdict).toBe('No files were reviewed, so no verdict can be given.');
    expect(report.files).toEqual([
      {
        file: 'big.py',
        status: 'skipped',
        reason: 'too-large',
        detail: '2000000 bytes is over the 1048576-byte limit',
      },
    ]);
  });
});
