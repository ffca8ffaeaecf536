import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { isSecretValueName } from '../../../src/lang/python/helpers/names.js';
import { allRules } from '../../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Findings of one rule on one of its fixtures: line, severity, confidence, reason. */
async function findings(rule: string, fixture: string) {
  const path = `src/lang/python/rules/${rule}/fixtures/${fixture}`;
  const rules = allRules().filter((r) => r.id === `python/${rule}`);
  const result = await analyzeSource(path, readFileSync(join(root, path), 'utf8'), 'python', rules);
  return result.findings.map((f) => [f.location.start.line, f.severity, f.confidence, f.confidenceReason]);
}

describe('a cleartext client the configuration chooses beside its TLS variant', () => {
  it('is low where the module also opens the TLS variant, medium where it has none', async () => {
    expect(await findings('cleartext-protocol', 'configured.py')).toEqual([
      [8, 'low', 'high', 'the module also opens `ftplib.FTP_TLS`: the configuration chooses between them'],
    ]);
    expect((await findings('cleartext-protocol', 'clients.py')).map((f) => f.slice(0, 2))).toEqual([
      [9, 'medium'],
      [15, 'medium'],
      [18, 'medium'],
      [24, 'medium'],
    ]);
  });
});

describe('a cleartext client that a URL scheme selects', () => {
  it("is low where a scheme table, branch or guard picks it or its host is a given URL's, medium with a host written in the code or no scheme", async () => {
    expect((await findings('cleartext-protocol', 'schemes.py')).map((f) => [f[0], f[1], f[3]])).toEqual([
      [
        24,
        'low',
        'a URL\'s scheme selects this client (`"ftp": FtpStore`): protocol support the configuration asks for',
      ],
      [
        45,
        'low',
        'a URL\'s scheme selects this client (`not uri.startswith("ftp://")`): protocol support the configuration asks for',
      ],
      [
        56,
        'low',
        'a URL\'s scheme selects this client (`parts.scheme == "pop3" and parts.hostname`): protocol support the configuration asks for',
      ],
      [67, 'medium', 'matched in the code as written'],
      [75, 'medium', 'matched in the code as written'],
      [85, 'medium', 'matched in the code as written'],
      [
        102,
        'low',
        "the host is read from a URL it is given (`parsed.hostname`): the URL's scheme asks for this protocol",
      ],
    ]);
  });
});

describe('certificate checks turned off in the branch of a setting that asks for it', () => {
  it('are reported low, naming the setting; off under another condition they stay high', async () => {
    expect(
      (await findings('tls-verification-disabled', 'settings_choice.py')).map((f) => [f[0], f[1], f[3]]),
    ).toEqual([
      [18, 'low', 'checks are off only where the setting `self.insecure` asks for it'],
      [28, 'low', 'checks are off only where the setting `verify_certificates` asks for it'],
      [30, 'low', 'checks are off only where the setting `verify_certificates` asks for it'],
      [37, 'high', 'matched in the code as written'],
    ]);
  });
});

describe("a record's token field in a log", () => {
  it('is low with low confidence; a credential named by its head is low too (a name alone), with medium confidence', async () => {
    const found = (await findings('secret-in-log', 'logs.py')).filter((f) => f[0] === 145 || f[0] === 147);
    expect(found.map((f) => f.slice(0, 3))).toEqual([
      [145, 'low', 'low'],
      [147, 'low', 'medium'],
    ]);
  });
});

describe('tokens an authorization server issued, in a log', () => {
  it('are medium where the variable holds what a token call returned; a name alone stays low', async () => {
    expect((await findings('secret-in-log', 'issued_tokens.py')).map((f) => f.slice(0, 2))).toEqual([
      [13, 'medium'],
      [21, 'medium'],
      [29, 'low'],
    ]);
    const [first] = await findings('secret-in-log', 'issued_tokens.py');
    expect(first?.[3]).toBe(
      '`token` holds the tokens an authorization server issued: `oauth.authorize_access_token(request)` (line 9)',
    );
  });
});

describe('a name heuristic alone does not make a medium finding', () => {
  it('timing-unsafe-comparison: medium only where a request value is compared', async () => {
    expect(await findings('timing-unsafe-comparison', 'origins.py')).toEqual([
      [
        15,
        'medium',
        'medium',
        'the compared value comes from `request.headers.get("X-Signature", "")` (line 12); name heuristic: `signature` names a secret',
      ],
      [
        24,
        'medium',
        'medium',
        'the compared value comes from route parameter `secret` (line 21); name heuristic: `found.secret` names a secret',
      ],
      [
        31,
        'low',
        'low',
        'name heuristic: `cache.token` names a secret; neither side is shown to come from a request',
      ],
    ]);
  });

  it('error-information-exposure: a traceback is medium, an exception text low', async () => {
    const found = await findings('error-information-exposure', 'exposure.py');
    expect(found.map(([line, severity]) => [line, severity])).toEqual([
      [21, 'low'],
      [30, 'medium'],
      [39, 'low'],
      [48, 'low'],
      [57, 'low'],
      [63, 'medium'],
      [70, 'low'],
      [130, 'medium'],
    ]);
  });

  it('path-prefix-check: medium only where the checked path comes from a request', async () => {
    const found = await findings('path-prefix-check', 'prefix.py');
    expect(found.map(([line, severity, confidence]) => [line, severity, confidence])).toEqual([
      [9, 'low', 'medium'],
      [12, 'low', 'medium'],
      [15, 'low', 'medium'],
      [50, 'medium', 'high'],
    ]);
  });

  it('secret names: the last word says what the value is', () => {
    const secret = [
      'password',
      'user_password',
      'access_token',
      'apiKey',
      'x-api-key',
      'anOtpVal',
      'pin',
      'client_secret',
    ];
    const notSecret = [
      'token_serial',
      'token_issuer',
      'tokenDt',
      'pin_pols',
      'allowed_token_types',
      'pass_thru_action',
      'token_info',
      'cache_key',
    ];
    expect(secret.filter((n) => !isSecretValueName(n))).toEqual([]);
    expect(notSecret.filter((n) => isSecretValueName(n))).toEqual([]);
  });
});
