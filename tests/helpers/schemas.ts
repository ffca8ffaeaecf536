import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const root = join(import.meta.dirname, '..', '..');

function readJson(rel: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, rel), 'utf8')) as Record<string, unknown>;
}

let sarif: ValidateFunction | undefined;
let report: ValidateFunction | undefined;

/** The official OASIS SARIF 2.1.0 schema (JSON Schema draft-04), with format checks. */
export function sarifValidator(): ValidateFunction {
  if (!sarif) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    sarif = ajv.compile(readJson('tests/fixtures/schemas/sarif-schema-2.1.0.json'));
  }
  return sarif;
}

/** secreview's own JSON report schema (draft-07), in strict mode so that the schema stays tidy. */
export function reportValidator(): ValidateFunction {
  if (!report) {
    // strictRequired is off: an if/then may require a property that the enclosing schema declares.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    report = ajv.compile(readJson('schemas/report.schema.json'));
  }
  return report;
}

/** Validation errors as readable lines, so a failing test says what is wrong and where. */
export function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}
