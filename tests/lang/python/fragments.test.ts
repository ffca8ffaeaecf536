import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

const rules = [
  'python/os-command-injection',
  'python/unsafe-deserialization',
  'python/weak-password-hash',
].map((id) => {
  const rule = findRule(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
});

async function review(code: string[]): Promise<[number, string, string, string][]> {
  const result = await analyzeSource('snippet.py', code.join('\n'), 'python', rules);
  return result.findings
    .filter((f) => f.kind === 'defect')
    .map((f) => [f.location.start.line, f.ruleId, f.confidence, f.confidenceReason]);
}

const NOTE = '`subprocess` is not imported in this file and was read as the well-known module of that name';

describe('a snippet or diff hunk without its imports', () => {
  it('reads an unbound well-known module name as that module, one step less confident, and says so', async () => {
    const found = await review([
      'from flask import request',
      '',
      'def run():',
      '    subprocess.call(request.args["cmd"], shell=True)',
      '',
      'def load(blob):',
      '    return pickle.loads(request.data)',
    ]);
    expect(found).toEqual([
      [
        4,
        'python/os-command-injection',
        'medium',
        `proven flow from \`request.args["cmd"]\` (line 4); ${NOTE}`,
      ],
      [
        7,
        'python/unsafe-deserialization',
        'medium',
        'proven flow from `request.data` (line 7); `pickle` is not imported in this file and was read as the well-known module of that name',
      ],
    ]);
  });

  it('reports the same finding as the whole file, where the import makes it certain', async () => {
    const found = await review([
      'import subprocess',
      'from flask import request',
      '',
      'def run():',
      '    subprocess.call(request.args["cmd"], shell=True)',
    ]);
    expect(found).toEqual([
      [5, 'python/os-command-injection', 'high', 'proven flow from `request.args["cmd"]` (line 5)'],
    ]);
  });

  it('leaves a name the file binds to its binding, and unknown names unknown', async () => {
    const found = await review([
      'from flask import request',
      'from .runner import Runner',
      '',
      'subprocess = Runner()',
      '',
      'def run():',
      '    subprocess.call(request.args["cmd"], shell=True)',
      '    shellkit.call(request.args["cmd"], shell=True)',
    ]);
    expect(found).toEqual([]);
  });

  it('lowers only findings on the rows that use the assumed name', async () => {
    const found = await review([
      'import hashlib',
      '',
      'def store(password):',
      '    digest = hashlib.md5(password.encode()).hexdigest()',
      '    subprocess.run(["backup", digest])',
      '    return digest',
    ]);
    expect(found).toEqual([[4, 'python/weak-password-hash', 'medium', 'matched in the code as written']]);
  });
});
