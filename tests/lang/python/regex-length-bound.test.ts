import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

const CODE = (guard: string): string =>
  [
    'import re',
    'from flask import request',
    '',
    'def parse():',
    '    text = request.args["q"]',
    `    if ${guard}re.search(r"^([a-z])+(.)*[1-9]", text):`,
    '        return "amount last"',
    '    return "ok"',
  ].join('\n');

async function found(code: string): Promise<[number, string][]> {
  const rule = findRule('python/regex-catastrophic-backtracking');
  expect(rule).toBeDefined();
  const result = await analyzeSource('parse.py', code, 'python', [rule!]);
  return result.findings.map((f) => [f.location.start.line, f.severity]);
}

describe('a polynomial pattern over request text', () => {
  it('is medium where the text may be long', async () => {
    expect(await found(CODE(''))).toEqual([[6, 'medium']]);
  });

  it('is low where the function bounds the text to a small length first', async () => {
    expect(await found(CODE('len(text) < 1000 and '))).toEqual([[6, 'low']]);
  });

  it('stays medium where the bound is large', async () => {
    expect(await found(CODE('len(text) < 1000000 and '))).toEqual([[6, 'medium']]);
  });
});
