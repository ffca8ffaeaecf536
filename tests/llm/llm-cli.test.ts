import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { reportValidator, sarifValidator, schemaErrors } from '../helpers/schemas.js';
import { claimsAnswer, FakeChatServer } from './server.js';

const fixture = join(import.meta.dirname, 'fixtures', 'app.py');
const server = new FakeChatServer();
let dir: string;
/** The user's folders (config and cache), outside the reviewed project: the LLM layer is the user's. */
let home: string;

function userConfig(text: string): void {
  mkdirSync(join(home, 'secreview'), { recursive: true });
  writeFileSync(join(home, 'secreview', 'config.yml'), text);
}

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secreview-llm-'));
  home = mkdtempSync(join(tmpdir(), 'secreview-llm-user-'));
  copyFileSync(fixture, join(dir, 'app.py'));
  // Fast retries, so that no test waits: tests never depend on timing.
  userConfig('llm:\n  retries: 2\n  retry-delay: 0\n  timeout: 30\n');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: {
      SECREVIEW_LLM_BASE_URL: server.baseUrl,
      SECREVIEW_LLM_MODEL: 'test-model',
      SECREVIEW_LLM_API_KEY: 'sk-test-secret',
      XDG_CONFIG_HOME: home,
      SECREVIEW_CACHE_DIR: join(home, 'cache'),
      ...env,
    },
  });
  return { code, stdout, stderr };
}

const correct = {
  cwe: 78,
  start_line: 8,
  end_line: 8,
  quote: 'os.system("ping -c 1 " + host)',
  explanation: '`os.system` runs a shell command built from `host`.',
  fix: 'Call subprocess.run with an argument list.',
  confidence: 'high',
};
const shifted = {
  cwe: 862,
  start_line: 10,
  end_line: 10,
  quote: 'USERS.pop(user_id, None)',
  explanation: '`USERS.pop` deletes the account named by `user_id` without checking who asks.',
  fix: 'Check that the caller may delete this user.',
  confidence: 'medium',
};
const invented = { ...correct, cwe: 99999, explanation: 'A made-up weakness.' };
const absent = {
  cwe: 89,
  start_line: 21,
  end_line: 21,
  quote: 'cursor.execute("SELECT * FROM users WHERE name = \'" + name + "\'")',
  explanation: 'SQL built from `name`.',
  fix: 'Use parameters.',
  confidence: 'high',
};
const faraway = { ...correct, start_line: 21, end_line: 21 };

describe('secreview review --llm against a local chat-completions server', () => {
  it('merges, moves, keeps and rejects exactly the claims it should, and prints them', async () => {
    server.answer({ content: claimsAnswer([correct, shifted, invented, absent, faraway]) });
    const { code, stdout, stderr } = await run(['review', 'app.py', '--llm', '--format', 'json']);
    expect(stderr).not.toMatch(/error/);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      findings: { ruleId: string; cwe: { id: number }; location: { start: { line: number } } }[];
      llm: Record<string, unknown>;
    };
    const confirmed = report.findings.filter((f) => 'llmConfirmation' in f);
    expect(confirmed.map((f) => [f.cwe.id, f.location.start.line])).toEqual([[78, 8]]);
    expect((confirmed[0] as unknown as { llmConfirmation: unknown }).llmConfirmation).toEqual({
      cwe: 78,
      explanation: '`os.system` runs a shell command built from `host`.',
    });
    expect(report.llm).toEqual({
      model: 'test-model',
      promptVersion: 'review.v1',
      confirmed: 1,
      observations: [
        {
          file: 'app.py',
          cwe: { id: 862, name: 'Missing Authorization' },
          pillar: { id: 284, name: 'Improper Access Control' },
          startLine: 12,
          endLine: 12,
          code: '    USERS.pop(user_id, None)',
          explanation: '`USERS.pop` deletes the account named by `user_id` without checking who asks.',
          fix: 'Check that the caller may delete this user.',
          confidence: 'low',
          modelConfidence: 'medium',
          movedFrom: 10,
        },
      ],
      rejected: [
        {
          file: 'app.py',
          cwe: 99999,
          startLine: 8,
          endLine: 8,
          reason: 'unknown-cwe',
          message: 'the CWE is not a weakness in the CWE catalog',
          detail: 'CWE-99999',
        },
        {
          file: 'app.py',
          cwe: 89,
          startLine: 21,
          endLine: 21,
          reason: 'quote-not-found',
          message: 'the cited line does not contain the quoted code',
          detail: 'line 21; it is nowhere in the file',
        },
        {
          file: 'app.py',
          cwe: 78,
          startLine: 21,
          endLine: 21,
          reason: 'quote-not-found',
          message: 'the cited line does not contain the quoted code',
          detail: 'line 21; it is at line 8',
        },
      ],
      unseen: [],
    });
  });

  it('writes JSON that follows the report schema and SARIF that follows the official schema', async () => {
    server.answer({ content: claimsAnswer([correct, shifted, invented]) });
    const json = await run(['review', 'app.py', '--llm', '--format', 'json']);
    expect(schemaErrors(reportValidator(), JSON.parse(json.stdout))).toEqual([]);
    const sarif = await run(['review', 'app.py', '--llm', '--format', 'sarif']);
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; properties: Record<string, unknown> }[];
        invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
      }[];
    };
    expect(schemaErrors(sarifValidator(), log)).toEqual([]);
    const run0 = log.runs[0];
    const observation = run0.results.filter((r) => r.ruleId === 'secreview/llm-observation');
    expect(observation.map((r) => [r.level, r.properties.cwe, r.properties.movedFrom])).toEqual([
      ['note', 'CWE-862', 10],
    ]);
    expect(run0.tool.driver.rules[observation[0].ruleIndex].id).toBe('secreview/llm-observation');
    const confirmed = run0.results.filter((r) => r.properties.llmConfirmation);
    expect(confirmed.map((r) => r.ruleId)).toEqual(['python/os-command-injection']);
    expect(run0.invocations[0].toolExecutionNotifications.map((n) => n.message.text)).toContain(
      '1 claim rejected: the CWE is not a weakness in the CWE catalog',
    );
    const md = await run(['review', 'app.py', '--llm', '--format', 'markdown']);
    expect(md.stdout).toContain(
      '   _Confirmed by the LLM reviewer: `os.system` runs a shell command built from `host`._\n',
    );
    expect(md.stdout).toContain('### LLM observations\n');
  });

  it('prints the LLM layer in the text report apart from the deterministic review', async () => {
    server.answer({ content: claimsAnswer([correct, shifted, invented, absent, faraway]) });
    const { code, stdout } = await run(['review', 'app.py', '--llm']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '   Confirmed by the LLM reviewer: `os.system` runs a shell command built from `host`.\n',
    );
    expect(stdout).toContain(
      [
        "LLM observations (checked against the code, not confirmed by secreview's analysis; not counted as defects):",
        'app.py',
        '1. CWE-862 Missing Authorization [pillar CWE-284 Improper Access Control], line 12: ' +
          '`USERS.pop` deletes the account named by `user_id` without checking who asks.',
        '   Confidence: low (the model said medium).',
        '   Moved: the model cited line 10; the quoted code is at line 12.',
        '   12 |     USERS.pop(user_id, None)',
        '   Fix: Check that the caller may delete this user.',
        '',
        'LLM review by test-model (prompt review.v1): 1 finding confirmed, 1 observation, 3 claims rejected.',
        '- 1 claim rejected: the CWE is not a weakness in the CWE catalog',
        '- 2 claims rejected: the cited line does not contain the quoted code',
        '  - app.py line 8, CWE-99999: the CWE is not a weakness in the CWE catalog (CWE-99999)',
        '  - app.py line 21, CWE-89: the cited line does not contain the quoted code (line 21; it is nowhere in the file)',
        '  - app.py line 21, CWE-78: the cited line does not contain the quoted code (line 21; it is at line 8)',
      ].join('\n'),
    );
  });

  it('sends the numbered code, the findings, the pillars and the schema, with the key', async () => {
    server.answer({ content: claimsAnswer([]) });
    await run(['review', 'app.py', '--llm']);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-secret');
    expect(req.body.model).toBe('test-model');
    expect(req.body.temperature).toBe(0);
    expect(req.body.response_format).toEqual({ type: 'json_object' });
    expect(req.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const user = req.body.messages[1].content;
    expect(user).toContain('File: app.py (part 1 of 1: lines 1-22)');
    expect(user).toContain(' 8 |     os.system("ping -c 1 " + host)\n 9 | \n');
    expect(user).toMatch(/- line 8: CWE-78 Improper Neutralization .*\(python\/os-command-injection\)/);
    expect(user).toContain('- CWE-284 Improper Access Control\n- CWE-435 Improper Interaction');
    expect(req.body.messages[0].content).toContain('"required":["cwe","start_line","end_line","quote"');
  });

  it('repairs a malformed answer by asking again with the error', async () => {
    server.answer({ content: 'Sure! {"claims": [' }, { content: claimsAnswer([shifted]) });
    const { code, stdout } = await run(['review', 'app.py', '--llm', '--format', 'json']);
    expect(code).toBe(1);
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1].body.messages;
    expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(second[2].content).toBe('Sure! {"claims": [');
    expect(second[3].content).toMatch(/^Your answer could not be used: the answer is not valid JSON/);
    const llm = (JSON.parse(stdout) as { llm: { observations: { startLine: number }[] } }).llm;
    expect(llm.observations.map((o) => o.startLine)).toEqual([12]);
  });

  it('reports a part whose answer stays malformed as not seen, without failing the run', async () => {
    server.answer({ content: 'no JSON here' });
    const { code, stdout } = await run(['review', 'app.py', '--llm']);
    expect(code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(stdout).toContain(
      "- The model did not see app.py lines 1-22: the model's answer was unusable after 1 repair attempt(s): " +
        'the answer is not valid JSON',
    );
  });

  it('retries after a 429, honoring Retry-After, then succeeds', async () => {
    server.answer(
      { status: 429, headers: { 'retry-after': '0' }, raw: '{"error":"rate limited"}' },
      { content: claimsAnswer([correct]) },
    );
    const { code, stdout, stderr } = await run(['review', 'app.py', '--llm']);
    expect(server.requests).toHaveLength(2);
    expect(code).toBe(1);
    expect(stderr).not.toContain('LLM review failed');
    expect(stdout).toContain(
      'LLM review by test-model (prompt review.v1): 1 finding confirmed, 0 observations',
    );
  });

  it('still prints the deterministic review when the endpoint fails with 500, and exits 2', async () => {
    server.answer({ status: 500, raw: '{"error":"boom"}' });
    const { code, stdout, stderr } = await run(['review', 'app.py', '--llm']);
    expect(code).toBe(2);
    expect(server.requests).toHaveLength(3);
    expect(stdout).toMatch(
      /^app\.py\n {2}8 {2}high {2}CWE-78 OS Command Injection {2}python\/os-command-injection\n/,
    );
    const failure =
      `The LLM review failed: ${server.baseUrl}/chat/completions answered HTTP 500: {"error":"boom"} ` +
      '(after 3 attempts). The deterministic review is complete; the LLM layer is not (exit code 2).';
    expect(stdout).toContain(`- ${failure}`);
    expect(stdout).toContain('- The model did not see app.py lines 1-22: the request failed:');
    expect(stderr).toContain(`secreview: error: ${failure}\n`);
  });

  it('falls back to a simpler JSON mode when the server refuses the structured-output one', async () => {
    userConfig('llm:\n  response-format: json_schema\n  retry-delay: 0\n');
    server.answer(
      { status: 400, raw: '{"error":"response_format json_schema is not supported"}' },
      { content: claimsAnswer([]) },
    );
    const { code } = await run(['review', 'app.py', '--llm']);
    expect(code).toBe(1);
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
  });

  it('caches answers by content, model and prompt version; --no-cache bypasses the cache', async () => {
    server.answer({ content: claimsAnswer([shifted]) });
    await run(['review', 'app.py', '--llm']);
    expect(server.requests).toHaveLength(1);
    expect(readdirSync(join(home, 'cache', 'llm'))).toHaveLength(1);
    server.answer({ content: claimsAnswer([]) });
    const cached = await run(['review', 'app.py', '--llm']);
    expect(server.requests).toHaveLength(0);
    expect(cached.stdout).toContain('1 observation');
    await run(['review', 'app.py', '--llm'], { SECREVIEW_LLM_MODEL: 'other-model' });
    expect(server.requests).toHaveLength(1);
    server.answer({ content: claimsAnswer([]) });
    const fresh = await run(['review', 'app.py', '--llm', '--no-cache']);
    expect(server.requests).toHaveLength(1);
    expect(fresh.stdout).toContain('0 observations');
  });

  it('--llm-dry-run prints exactly what would be sent, with the key hidden, and sends nothing', async () => {
    server.answer({ content: claimsAnswer([]) });
    const { code, stdout } = await run(['review', 'app.py', '--llm-dry-run']);
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(stdout).not.toContain('sk-test-secret');
    const [head, body] = stdout.split('\n\n');
    expect(head).toBe(
      `# Request 1 of 1\nPOST ${server.baseUrl}/chat/completions\n` +
        'content-type: application/json\nauthorization: Bearer <SECREVIEW_LLM_API_KEY>',
    );
    expect(body).toMatch(/^\{\n {2}"model": "test-model",\n {2}"messages": \[/);
    expect(existsSync(join(home, 'cache', 'llm'))).toBe(false);
  });

  it('splits a file over the context budget and names what the model did not see', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `VALUE_${i} = "${'x'.repeat(40)}"`).join('\n');
    writeFileSync(join(dir, 'big.py'), `${long}\n`);
    userConfig('llm:\n  context-budget: 2000\n  max-requests: 2\n  retry-delay: 0\n');
    server.answer({ content: claimsAnswer([]) });
    const { stdout } = await run(['review', 'big.py', '--llm']);
    expect(server.requests).toHaveLength(2);
    const parts = server.requests.map((r) =>
      /part (\d+) of (\d+): lines (\d+)-(\d+)\)/.exec(r.body.messages[1].content)!.slice(1).map(Number),
    );
    const [total, end1, end2] = [parts[0][1], parts[0][3], parts[1][3]];
    expect(total).toBeGreaterThan(2);
    expect(parts).toEqual([
      [1, total, 1, end1],
      [2, total, end1 + 1, end2],
    ]);
    for (const r of server.requests) {
      const prompt = r.body.messages.map((m) => m.content).join('\n');
      expect(prompt.length / 4).toBeLessThanOrEqual(2000);
    }
    expect(stdout).toContain(`- The model did not see big.py lines ${end2 + 1}-`);
    expect(stdout).toContain('over the limit of 2 requests per run (context budget 2000 tokens).');
  });

  it('asks for an endpoint and a model when none is configured', async () => {
    server.answer({ content: claimsAnswer([]) });
    const { code, stderr } = await run(['review', 'app.py', '--llm'], { SECREVIEW_LLM_BASE_URL: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('the LLM review needs an endpoint and a model: set SECREVIEW_LLM_BASE_URL');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a context budget that leaves no room for code', async () => {
    server.answer({ content: claimsAnswer([]) });
    userConfig('llm:\n  context-budget: 600\n');
    const { code, stderr } = await run(['review', 'app.py', '--llm']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^secreview: error: the LLM context budget of 600 tokens leaves no room for code: the prompt alone takes about \d+; raise llm\.context-budget to at least \d+\n/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('sends nothing without --llm', async () => {
    server.answer({ content: claimsAnswer([correct]) });
    const { stdout } = await run(['review', 'app.py']);
    expect(server.requests).toHaveLength(0);
    expect(stdout).not.toContain('LLM');
  });
});
