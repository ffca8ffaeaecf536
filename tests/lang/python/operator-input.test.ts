import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

const CODE = [
  'import sys',
  'from flask import Flask, request',
  'app = Flask(__name__)',
  '',
  'def main():',
  '    open(sys.argv[1]).read()',
  '',
  '@app.route("/read")',
  'def read():',
  '    return open("/srv/" + request.args["name"]).read()',
  '',
].join('\n');

describe('input typed by whoever runs the program', () => {
  it('makes a path-traversal finding low and says why; request data stays high', async () => {
    const rule = findRule('python/path-traversal');
    expect(rule).toBeDefined();
    const result = await analyzeSource('tool.py', CODE, 'python', [rule!]);
    const found = result.findings.map((f) => [f.location.start.line, f.severity, f.confidenceReason]);
    expect(found).toEqual([
      [
        6,
        'low',
        'proven flow from `sys.argv[1]` (line 6), typed by whoever runs the program (not a remote user)',
      ],
      [10, 'high', 'proven flow from `request.args["name"]` (line 10)'],
    ]);
  });
});

describe('archives whoever runs the program chooses', () => {
  it('are extracted without a filter at low severity, as are parameters no caller fills; uploads and configured paths stay high', async () => {
    const path = 'src/lang/python/rules/archive-path-traversal/fixtures/origins.py';
    const rule = findRule('python/archive-path-traversal');
    expect(rule).toBeDefined();
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', path), 'utf8');
    const found = (await analyzeSource(path, text, 'python', [rule!])).findings.map((f) => [
      f.location.start.line,
      f.severity,
      f.confidenceReason,
    ]);
    const chosen = (what: string) =>
      `matched in the code as written; the archive is ${what}, chosen by whoever runs the program (not a remote user)`;
    expect(found).toEqual([
      [22, 'low', chosen('command-line option `options`')],
      [28, 'low', chosen('command-line option `options`')],
      [
        35,
        'low',
        'matched in the code as written; `path` is a parameter of `restore` with no caller in the project ' +
          'that the analysis could follow, so no untrusted archive is shown to reach it',
      ],
      [44, 'low', chosen('operator input `parser.parse_args()`')],
      [46, 'low', chosen('operator input `sys.argv[1]` (line 46)')],
      [49, 'high', 'matched in the code as written'],
      [56, 'high', 'proven flow from `request.files["archive"]` (line 54)'],
    ]);
    // A config that distrusts the operator keeps their archives at the rule's severity.
    const untrusted = await analyzeSource(path, text, 'python', [rule!], undefined, {
      options: { operatorInput: 'untrusted' },
    });
    expect(untrusted.findings.map((f) => [f.location.start.line, f.severity])).toEqual([
      [22, 'high'],
      [28, 'high'],
      [35, 'low'],
      [44, 'high'],
      [46, 'high'],
      [49, 'high'],
      [56, 'high'],
    ]);
  });
});
