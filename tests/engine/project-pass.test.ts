import { describe, expect, it } from 'vitest';
import { analyzePython } from '../../src/analysis/scope/python.js';
import { queryFromData } from '../../src/analysis/taint/index.js';
import { projectTaint } from '../../src/engine/taint.js';
import { parseSource } from '../../src/parsing/parser.js';

const FILES: Record<string, string> = {
  'app.py': [
    'from flask import Flask, request',
    'from pkg import run',
    'app = Flask(__name__)',
    '',
    // The first root loads pkg on demand; the second must still find what that load made.
    "@app.route('/b')",
    'def b():',
    "    return run('uptime')",
    '',
    "@app.route('/a')",
    'def a():',
    "    return run(request.args['cmd'])",
    '',
  ].join('\n'),
  'pkg/__init__.py': 'from .tools import run\n',
  'pkg/tools.py': ['import os', '', 'def run(cmd):', '    return os.system(cmd)', ''].join('\n'),
  'unrelated.py': ['import os', '', 'def tidy(path):', '    os.remove(path)', ''].join('\n'),
};

/** What reaches the first argument of `callee` in `path`, after the project pass. */
async function traceIn(data: Awaited<ReturnType<typeof projectTaint>>, path: string, callee: string) {
  const file = await parseSource(path, FILES[path], 'python');
  const module = analyzePython(file);
  const query = queryFromData(data.get(path)!, file);
  const call = module.calls.find((c) => c.node.childForFieldName('function')?.text === callee)!;
  return query.trace(call.args[0]);
}

describe('the project pass', () => {
  const sources = Object.entries(FILES).map(([file, text]) => ({ file, text, language: 'python' as const }));

  it('reads the modules that entry points reach, through a package __init__, for every root', async () => {
    const data = await projectTaint(sources);
    expect([...data.keys()].sort()).toEqual(['app.py', 'pkg/__init__.py', 'pkg/tools.py']);
    const trace = await traceIn(data, 'pkg/tools.py', 'os.system');
    expect(trace.kind).toBe('tainted');
    if (trace.kind !== 'tainted') return;
    expect(trace.sources.map((s) => `${s.location.file}:${s.location.start.line}`)).toEqual(['app.py:11']);
    expect(trace.flow.map((s) => `${s.location.file}:${s.location.start.line} ${s.note}`)).toEqual([
      "app.py:11 source: `request.args['cmd']`",
      'app.py:11 passed to `run` as `cmd`',
    ]);
  });

  it('leaves files no entry point reaches to the per-file analysis', async () => {
    const data = await projectTaint(sources);
    expect(data.has('unrelated.py')).toBe(false);
  });
});
