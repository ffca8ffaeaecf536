import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

describe('taint declarations from the config file', () => {
  it('checks a declared sink with the CWE of a taint rule, with declared sources and sanitizers', async () => {
    const rule = findRule('python/path-traversal')!;
    const text = `import billing

def handler(payload):
    billing.fetch(payload)
    billing.fetch(billing.clean(payload))
    billing.fetch("/srv/data")
`;
    const result = await analyzeSource('app.py', text, 'python', [rule], undefined, {
      options: {
        sources: [{ parameter: 'payload' }],
        sanitizers: [{ call: 'billing.clean', cwe: [22] }],
        sinks: [{ call: 'billing.fetch', arg: 0, cwe: 22 }],
      },
    });
    expect(result.findings.map((f) => [f.location.start.line, f.cwe, f.confidence])).toEqual([
      [4, 22, 'high'],
    ]);
    expect(result.findings[0].message).toBe(
      '`billing.fetch` uses a value built from parameter `payload` (line 3); `../` or an absolute path in it reaches files outside the intended directory.',
    );
    expect(result.findings[0].flow?.map((s) => `${s.location.start.line}: ${s.note}`)).toEqual([
      '3: source: parameter `payload`',
      '4: reaches `billing.fetch` as the value',
    ]);
  });
});
