import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/index.js';
import { parseAnswer } from '../../src/llm/answer.js';
import { codeHolds, findQuote, namedIdentifiers, sourceLines } from '../../src/llm/code-match.js';
import type { LlmClaim } from '../../src/llm/types.js';
import { rejectionSummary, verifyClaims } from '../../src/llm/verify.js';

const text = readFileSync(join(import.meta.dirname, 'fixtures', 'app.py'), 'utf8');

/** The deterministic finding at line 8 of app.py. */
const ping: Finding = {
  kind: 'defect',
  ruleId: 'python/os-command-injection',
  cwe: 78,
  severity: 'high',
  confidence: 'medium',
  confidenceReason: 'matched in the code as written',
  location: { file: 'app.py', start: { line: 8, column: 5 }, end: { line: 8, column: 35 } },
  message: 'os.system runs a shell command built from non-constant `"ping -c 1 " + host`.',
  fix: 'Pass an argument list.',
  snippet: 'os.system("ping -c 1 " + host)',
  context: 'ping',
  fingerprint: '0'.repeat(32),
};

function claim(c: Partial<LlmClaim>): LlmClaim {
  return {
    cwe: 78,
    startLine: 8,
    endLine: 8,
    quote: 'os.system("ping -c 1 " + host)',
    explanation: '`os.system` runs a shell command built from `host`.',
    fix: 'Use subprocess.run with a list.',
    confidence: 'high',
    ...c,
  };
}

const verify = (claims: LlmClaim[], findings: Finding[] = [ping]) =>
  verifyClaims({ file: 'app.py', text, claims, findings, moveWindow: 3 });

describe('verifyClaims', () => {
  it('merges a claim that matches a deterministic finding into it and marks it confirmed', () => {
    const r = verify([claim({})]);
    expect(r.confirmed).toBe(1);
    expect(r.observations).toEqual([]);
    expect(r.rejected).toEqual([]);
    expect(r.findings[0].llmConfirmation).toEqual({
      cwe: 78,
      explanation: '`os.system` runs a shell command built from `host`.',
    });
  });

  it('merges a claim whose CWE is on the finding pillar path (CWE-77 over CWE-78), once', () => {
    const r = verify([claim({ cwe: 77 }), claim({ cwe: 707 })]);
    expect(r.confirmed).toBe(1);
    expect(r.findings[0].llmConfirmation?.cwe).toBe(77);
    expect(r.observations).toEqual([]);
  });

  it('does not merge a claim with an unrelated CWE at the same line', () => {
    const r = verify([claim({ cwe: 20 })]);
    expect(r.confirmed).toBe(0);
    expect(r.findings[0].llmConfirmation).toBeUndefined();
    expect(r.observations.map((o) => [o.cwe, o.startLine])).toEqual([[20, 8]]);
  });

  it('keeps a checked claim without deterministic support as an observation with lowered confidence', () => {
    const r = verify([
      claim({
        cwe: 862,
        startLine: 11,
        endLine: 12,
        quote: 'USERS.pop(user_id, None)',
        explanation: '`delete_user` removes the user named by `user_id` without checking the caller.',
        confidence: 'high',
      }),
    ]);
    expect(r.observations).toEqual([
      {
        file: 'app.py',
        cwe: 862,
        startLine: 11,
        endLine: 12,
        code: 'def delete_user(request, user_id):\n    USERS.pop(user_id, None)',
        explanation: '`delete_user` removes the user named by `user_id` without checking the caller.',
        fix: 'Use subprocess.run with a list.',
        confidence: 'medium',
        modelConfidence: 'high',
      },
    ]);
  });

  it('moves a claim whose quote is a few lines from the cited line, and says so', () => {
    const moved = verify([claim({ startLine: 10, endLine: 10 })]);
    expect(moved.confirmed).toBe(1);
    expect(moved.findings[0].llmConfirmation?.movedFrom).toBe(10);
    const observation = verify([
      claim({
        cwe: 862,
        startLine: 14,
        endLine: 14,
        quote: 'USERS.pop(user_id, None)',
        explanation: '`USERS.pop`',
      }),
    ]).observations;
    expect(observation.map((o) => [o.startLine, o.endLine, o.movedFrom])).toEqual([[12, 12, 14]]);
  });

  it('reads a quote copied with the line numbers of the prompt listing', () => {
    const r = verify([
      claim({
        cwe: 862,
        startLine: 11,
        endLine: 12,
        quote: '11 | def delete_user(request, user_id):\n12 |     USERS.pop(user_id, None)',
        explanation: '`USERS.pop`',
      }),
    ]);
    expect(r.rejected).toEqual([]);
    expect(r.observations.map((o) => [o.startLine, o.endLine])).toEqual([[11, 12]]);
  });

  it('tolerates whitespace and elisions in the quote', () => {
    const r = verify([
      claim({ quote: 'os.system( "ping -c 1 "+host )' }),
      claim({ cwe: 77, quote: 'os.system(...host)' }),
    ]);
    expect(r.rejected).toEqual([]);
    expect(r.confirmed).toBe(1);
  });

  it('rejects invented CWEs, absent or far-away code, unnamed identifiers and lines outside the file', () => {
    const r = verify([
      claim({ cwe: 99999 }),
      claim({
        cwe: 89,
        startLine: 21,
        endLine: 21,
        quote: 'cursor.execute("SELECT * FROM users WHERE name = " + name)',
      }),
      claim({ startLine: 21, endLine: 21 }),
      claim({
        cwe: 79,
        startLine: 21,
        endLine: 21,
        quote: 'message = "Hello, " + name',
        explanation: '`render_template` returns `message` unescaped.',
      }),
      claim({ startLine: 40, endLine: 41 }),
      claim({ quote: '  ' }),
    ]);
    expect(r.rejected.map((x) => [x.claim.cwe, x.claim.startLine, x.reason, x.detail])).toEqual([
      [99999, 8, 'unknown-cwe', 'CWE-99999'],
      [89, 21, 'quote-not-found', 'line 21; it is nowhere in the file'],
      [78, 21, 'quote-not-found', 'line 21; it is at line 8'],
      [79, 21, 'identifier-not-in-code', '`render_template`'],
      [78, 40, 'outside-file', 'line 40 of 22'],
      [78, 8, 'no-quote', ''],
    ]);
    expect(rejectionSummary(r.rejected)).toEqual([
      '1 claim rejected: the CWE is not a weakness in the CWE catalog',
      '2 claims rejected: the cited line does not contain the quoted code',
      '1 claim rejected: the explanation names code that is not at the cited lines',
      '1 claim rejected: the cited lines are outside the file',
      '1 claim rejected: the claim quotes no code',
    ]);
    expect(r.confirmed).toBe(0);
    expect(r.observations).toEqual([]);
  });
});

describe('code matching', () => {
  it('finds the identifiers a sentence names, not abbreviations or file names', () => {
    expect(
      namedIdentifiers(
        'In line 35, the `os.environ` dictionary holds OS_NOVA_CONFIG_DIR, e.g. for logging.setup() and ' +
          'service_ref; see nova.conf and camelCase i.e. nothing.',
      ),
    ).toEqual(['os.environ', 'OS_NOVA_CONFIG_DIR', 'logging.setup()', 'service_ref', 'camelCase']);
  });

  it('matches identifiers on word boundaries, ignoring whitespace', () => {
    expect(codeHolds('x = os . environ', 'os.environ')).toBe(true);
    expect(codeHolds('service_ref2 = 1', 'service_ref')).toBe(false);
    expect(codeHolds('logging.setup(CONF, "nova")', 'logging.setup()')).toBe(true);
  });

  it('finds a multi-line quote as the minimal line span', () => {
    const lines = sourceLines(text);
    expect(findQuote(lines, 'def delete_user(request, user_id):\n    USERS.pop(user_id, None)')).toEqual([
      { start: 11, end: 12 },
    ]);
    expect(findQuote(lines, 'return')).toEqual([
      { start: 13, end: 13 },
      { start: 17, end: 17 },
      { start: 22, end: 22 },
    ]);
  });
});

describe('parseAnswer', () => {
  it('reads claims from a fenced answer with prose around it', () => {
    const r = parseAnswer(
      'Here you go:\n```json\n{"claims":[{"cwe":78,"start_line":8,"end_line":8,"quote":"q","explanation":"e","fix":"f","confidence":"low"}]}\n```',
    );
    expect(r).toEqual({
      ok: true,
      claims: [
        { cwe: 78, startLine: 8, endLine: 8, quote: 'q', explanation: 'e', fix: 'f', confidence: 'low' },
      ],
    });
  });

  it('says what is wrong with malformed or off-schema answers', () => {
    expect(parseAnswer('{"claims": [')).toMatchObject({ ok: false });
    expect((parseAnswer('{"claims": [') as { error: string }).error).toMatch(/^the answer is not valid JSON/);
    expect(parseAnswer('{"claims":[{"cwe":"78"}]}')).toEqual({
      ok: false,
      error: "the JSON does not match the schema at /claims/0: must have required property 'start_line'",
    });
  });
});
