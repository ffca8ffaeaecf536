import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Confidence } from '../core/index.js';
import { CLAIMS_SCHEMA } from './prompt.js';
import type { LlmClaim } from './types.js';

interface RawClaim {
  cwe: number;
  start_line: number;
  end_line: number;
  quote: string;
  explanation: string;
  fix: string;
  confidence: Confidence;
}

let compiled: ValidateFunction<{ claims: RawClaim[] }> | undefined;
/** The schema validator, compiled on the first answer: most runs of the CLI never ask a model. */
function validator(): ValidateFunction<{ claims: RawClaim[] }> {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: false, strict: false }).compile<{ claims: RawClaim[] }>(CLAIMS_SCHEMA);
  }
  return compiled;
}

export type ParsedAnswer = { ok: true; claims: LlmClaim[] } | { ok: false; error: string };

/** Models wrap JSON in code fences or prose even when told not to: take the outermost object. */
function extractJson(content: string): string {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(content);
  const body = fenced ? fenced[1] : content;
  const first = body.indexOf('{');
  const last = body.lastIndexOf('}');
  return first >= 0 && last > first ? body.slice(first, last + 1) : body.trim();
}

/** Parses and validates a model's answer; the error says what to repair. */
export function parseAnswer(content: string): ParsedAnswer {
  let data: unknown;
  try {
    data = JSON.parse(extractJson(content));
  } catch (e) {
    return { ok: false, error: `the answer is not valid JSON (${(e as Error).message})` };
  }
  const validate = validator();
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath ? ` at ${err.instancePath}` : '';
    return {
      ok: false,
      error: `the JSON does not match the schema${where}: ${err?.message ?? 'invalid'}`,
    };
  }
  return {
    ok: true,
    claims: data.claims.map((c) => ({
      cwe: c.cwe,
      startLine: c.start_line,
      endLine: c.end_line,
      quote: c.quote,
      explanation: c.explanation,
      fix: c.fix,
      confidence: c.confidence,
    })),
  };
}
