import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';
import { backtrackingIssues } from '../../../src/rules/regex.js';

/** Name, optional version and any tail: only a line break lets the match fail after the name's run. */
const AGENT = String.raw`^([^/ ]*[^0-9/(]*)(/([^/ ]*))?([ /].*)?$`;
/** The same without the tail that takes the rest of the line: a `(` after the run fails on any text. */
const STRICT = String.raw`^([^/ ]*[^0-9/(]*)(/([^/ ]*))?$`;

const CODE = (pattern: string, subject: string): string =>
  [
    'import re',
    'from flask import request',
    '',
    `AGENT = re.compile(r"${pattern}")`,
    '',
    'def client():',
    `    return AGENT.match(${subject}).group(1)`,
  ].join('\n');

async function found(code: string): Promise<[number, string][]> {
  const rule = findRule('python/regex-catastrophic-backtracking');
  expect(rule).toBeDefined();
  const result = await analyzeSource('agent.py', code, 'python', [rule!]);
  return result.findings.map((f) => [f.location.start.line, f.severity]);
}

describe('neighbouring repetitions that only a line break makes backtrack', () => {
  it('are told apart by the analysis', () => {
    expect(backtrackingIssues(AGENT).map((i) => [i.kind, i.needsLineBreak ?? false])).toEqual([
      ['polynomial', true],
    ]);
    expect(backtrackingIssues(STRICT).map((i) => [i.kind, i.needsLineBreak ?? false])).toEqual([
      ['polynomial', false],
    ]);
    expect(backtrackingIssues(String.raw`\s*.*\s*=`).some((i) => i.needsLineBreak)).toBe(false);
  });

  it('are low on a header value, which holds no line break', async () => {
    expect(await found(CODE(AGENT, 'request.headers["User-Agent"]'))).toEqual([[4, 'low']]);
  });

  it('stay medium on a query parameter, which can hold one', async () => {
    expect(await found(CODE(AGENT, 'request.args["agent"]'))).toEqual([[4, 'medium']]);
  });

  it('stay medium on a header value where any text can make the match fail', async () => {
    expect(await found(CODE(STRICT, 'request.headers["User-Agent"]'))).toEqual([[4, 'medium']]);
  });

  it('are low on a line of text split at its line breaks, and name why', async () => {
    const code = CODE(AGENT, 'line').replace(
      '    return AGENT.match(line).group(1)',
      '    for line in request.args["agents"].splitlines():\n        return AGENT.match(line).group(1)',
    );
    const rule = findRule('python/regex-catastrophic-backtracking');
    const result = await analyzeSource('agent.py', code, 'python', [rule!]);
    expect(result.findings.map((f) => [f.location.start.line, f.severity])).toEqual([[4, 'low']]);
    expect(result.findings[0]?.message).toContain(
      'holds none (a header value, or a line of text split at its line breaks)',
    );
  });

  it('stay medium on text split some other way, whose pieces can hold a line break', async () => {
    const code = CODE(AGENT, 'part').replace(
      '    return AGENT.match(part).group(1)',
      '    for part in request.args["agents"].split(","):\n        return AGENT.match(part).group(1)',
    );
    expect(await found(code)).toEqual([[4, 'medium']]);
  });
});
