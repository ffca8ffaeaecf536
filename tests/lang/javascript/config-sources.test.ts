import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

describe('JavaScript: sources declared in the config file', () => {
  it('a function with a declared parameter is an entry point whose parameter is the source', async () => {
    const rule = findRule('javascript/os-command-injection')!;
    const text = `const { execSync } = require('child_process');

function run(payload, count) {
  execSync(payload);
  execSync(\`ls \${count}\`);
}

function other(value) {
  execSync(value);
}

export function typed(payload: string = 'x') {
  execSync('echo ' + payload);
}
`;
    const result = await analyzeSource('app.ts', text, 'javascript', [rule], undefined, {
      options: { sources: [{ parameter: 'payload', label: 'the job payload' }] },
    });
    expect(result.findings.map((f) => [f.location.start.line, f.cwe, f.confidence])).toEqual([
      [4, 78, 'high'],
      [13, 78, 'high'],
    ]);
    expect(result.findings[0].flow?.map((s) => `${s.location.start.line}: ${s.note}`)).toEqual([
      '3: source: `the job payload`',
      '4: reaches `child_process.execSync` (called as `execSync`) as the command',
    ]);
  });
});
