import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

const SOURCE = [
  'import warnings',
  '',
  'import jwt',
  '',
  '',
  'class NullTokenService:',
  '    def __init__(self):',
  '        warnings.warn(',
  '            "NullTokenService is meant for development, "',
  '            "do not use it in production: it skips verification.",',
  '            stacklevel=2,',
  '        )',
  '',
  '    def claims(self, token):',
  '        return jwt.decode(token, options={"verify_signature": False})',
  '',
  '',
  'def debug_claims(token):',
  '    """Development-only helper: prints a token\'s claims."""',
  '    return jwt.decode(token, options={"verify_signature": False})',
  '',
  '',
  'class TokenService:',
  '    """Verifies tokens (the null service above is for development)."""',
  '',
  '    def claims(self, token):',
  '        return jwt.decode(token, options={"verify_signature": False})',
  '',
].join('\n');

describe('code that declares itself not for production', () => {
  it('has its defects reported low, naming the definition; other code keeps the rule severity', async () => {
    const rule = findRule('python/jwt-signature-not-verified');
    expect(rule).toBeDefined();
    const result = await analyzeSource('app/tokens.py', SOURCE, 'python', [rule!]);
    expect(
      result.findings.map((f) => [
        f.location.start.line,
        f.severity,
        / declares itself not for production use/.test(f.message),
      ]),
    ).toEqual([
      [15, 'low', true],
      [20, 'low', true],
      [27, 'high', false],
    ]);
    expect(result.findings[0].message).toMatch(
      /the class `NullTokenService` declares itself not for production use\.$/,
    );
    expect(result.findings[1].confidenceReason).toMatch(
      /; the function `debug_claims` declares itself not for production use, so its severity is low$/,
    );
  });
});
