import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../../src/lang/language.js';
import { excerptResolver, topLevelStatements } from '../../../src/lang/python/excerpts.js';
import { constantValue } from '../../../src/lang/python/semantic/constant.js';
import { EXCERPT_KEY, type Excerpt } from '../../../src/lang/python/semantic/excerpts.js';
import { analyzePython } from '../../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../../src/lang/registry.js';

const src = (...lines: string[]): string => lines.join('\n') + '\n';

function filesOf(tree: Record<string, string>): ProjectFiles {
  return {
    read: async (path) => tree[path],
    isFile: async (path) => path in tree,
    find: async () => [],
    list: async () => Object.keys(tree),
  };
}

function excerptOf(record: Record<string, string>, module: string): Excerpt | undefined {
  const v = record[`${EXCERPT_KEY}${module}`];
  return v === undefined ? undefined : (JSON.parse(v) as Excerpt);
}

/** The non-blank lines an excerpt keeps, 1-based, with their text. */
function kept(e: Excerpt | undefined): string[] {
  return (e?.text.split('\n') ?? []).flatMap((l, i) => (l ? [`${i + 1}: ${l}`] : []));
}

const TREE: Record<string, string> = {
  'pkg/__init__.py': '',
  'pkg/env.py': src(
    'from jinja2 import Environment',
    'from jinja2.sandbox import SandboxedEnvironment',
    '',
    'def helper():',
    '    return 1',
    '',
    'env = Environment(',
    '    trim_blocks=True,',
    ')',
    'safe = SandboxedEnvironment()',
    'env.filters["x"] = str',
  ),
  'pkg/text.py': src(
    'MARKS = r"""\\!*',
    '_"""',
    'ESCAPED = r"\\\\[" + MARKS + "]"',
    'COUNTER = "a"',
    'ITEMS = ["a"]',
    '',
    'def bump():',
    '    global COUNTER',
    '    COUNTER = "b"',
  ),
  'pkg/prompt.py': src(
    'from .env import env, safe',
    'from .text import ESCAPED, COUNTER, ITEMS',
    '',
    'class Prompt:',
    '    def __init__(self, text):',
    '        self.t = env.from_string(text)',
    '',
    'def unrelated():',
    '    return 2',
  ),
};

describe('top-level statements of a module', () => {
  it('reads strings, brackets, decorators and clauses as parts of one statement', () => {
    const text = src(
      'import re',
      'X = """',
      'not a statement',
      '"""',
      'Y = (',
      '1)',
      '@decorate',
      'class A(B):',
      '    pass',
      'try:',
      '    import z',
      'except ImportError:',
      '    z = None',
      "Z = 'a' \\",
      "    'b'",
    );
    expect(topLevelStatements(text).map((s) => [s.start, s.end, s.kind, [...s.binds]])).toEqual([
      [0, 1, 'import', ['re']],
      [1, 4, 'simple', ['X']],
      [4, 6, 'simple', ['Y']],
      [6, 9, 'class', ['A']],
      [9, 13, 'compound', ['z']],
      [13, 15, 'simple', ['Z']],
    ]);
  });
});

describe('excerpts of the modules a file imports from', () => {
  it('keeps the imports and the statements binding the names imported, and the constants they use', async () => {
    const record = await excerptResolver(filesOf(TREE))('pkg/prompt.py', TREE['pkg/prompt.py']);
    expect(kept(excerptOf(record, 'pkg.env'))).toEqual([
      '1: from jinja2 import Environment',
      '2: from jinja2.sandbox import SandboxedEnvironment',
      '7: env = Environment(',
      '8:     trim_blocks=True,',
      '9: )',
      '10: safe = SandboxedEnvironment()',
    ]);
    // COUNTER is declared global in a function, ITEMS is a list: left out.
    expect(kept(excerptOf(record, 'pkg.text'))).toEqual([
      '1: MARKS = r"""\\!*',
      '2: _"""',
      '3: ESCAPED = r"\\\\[" + MARKS + "]"',
    ]);
  });

  it('keeps, for the module making a library object, the definitions of the modules that call its methods', async () => {
    const record = await excerptResolver(filesOf(TREE))('pkg/env.py', TREE['pkg/env.py']);
    const importer = excerptOf(record, 'pkg.prompt');
    expect(importer?.importer).toBe(true);
    expect(kept(importer)).toEqual([
      '1: from .env import env, safe',
      '2: from .text import ESCAPED, COUNTER, ITEMS',
      '4: class Prompt:',
      '5:     def __init__(self, text):',
      '6:         self.t = env.from_string(text)',
    ]);
  });
});

describe("a file's model with excerpts of its neighbours", () => {
  it('names an imported library object by its library, and knows imported string constants', async () => {
    const record = await excerptResolver(filesOf(TREE))('pkg/prompt.py', TREE['pkg/prompt.py']);
    const text = src(
      'from .env import env, safe',
      'from .text import ESCAPED, COUNTER, ITEMS',
      'from . import env as env_module',
      'env.from_string(a)',
      'safe.from_string(a)',
      'env_module.env.from_string(a)',
      'probe(ESCAPED)',
      'probe(COUNTER)',
      'probe(ITEMS)',
    );
    const file = await parseSource('pkg/prompt.py', text, 'python');
    const module = analyzePython(file, 'pkg.prompt', record);
    expect(module.calls.map((c) => c.callee).slice(0, 3)).toEqual([
      'jinja2.Environment().from_string',
      'jinja2.sandbox.SandboxedEnvironment().from_string',
      'jinja2.Environment().from_string',
    ]);
    const probes = module.calls.filter((c) => c.callee === undefined || c.node.text.startsWith('probe'));
    expect(probes.map((c) => constantValue(c.args[0], module)?.value)).toEqual([
      '\\\\[\\!*\n_]',
      undefined,
      undefined,
    ]);
  });

  it('leaves names as they are without excerpts', async () => {
    const file = await parseSource('pkg/prompt.py', 'from .env import env\nenv.from_string(a)\n', 'python');
    expect(analyzePython(file, 'pkg.prompt').calls[0].callee).toBe('pkg.env.env.from_string');
  });
});
