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
