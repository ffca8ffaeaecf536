import { describe, expect, it } from 'vitest';
import { ProjectTexts } from '../../../src/engine/project-texts.js';
import {
  excerptFor,
  importerExcerpt,
  moduleStatements,
  topLevelStatements,
} from '../../../src/lang/python/excerpts.js';
import { constantValue } from '../../../src/lang/python/semantic/constant.js';
import { analyzePython } from '../../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../../src/lang/registry.js';

const src = (...lines: string[]): string => lines.join('\n') + '\n';

/** The review's sources of a tree, module names from the paths (every folder here is a package). */
function textsOf(tree: Record<string, string>): ProjectTexts {
  return ProjectTexts.of(
    Object.entries(tree).map(([file, text]) => ({
      file,
      text,
      language: 'python' as const,
      module: file.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.'),
    })),
  );
}

function statementsOf(tree: Record<string, string>, path: string) {
  const name = path.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.');
  return moduleStatements({ name, path, text: tree[path] });
}

/** The non-blank lines an excerpt keeps, 1-based, with their text. */
function kept(text: string): string[] {
  return text.split('\n').flatMap((l, i) => (l ? [`${i + 1}: ${l}`] : []));
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
  it('keeps the imports and the statements binding a name imported, and the constants they use', () => {
    expect(kept(excerptFor(statementsOf(TREE, 'pkg/env.py'), 'env', false))).toEqual([
      '1: from jinja2 import Environment',
      '2: from jinja2.sandbox import SandboxedEnvironment',
      '7: env = Environment(',
      '8:     trim_blocks=True,',
      '9: )',
    ]);
    const text = statementsOf(TREE, 'pkg/text.py');
    expect(kept(excerptFor(text, 'ESCAPED', false))).toEqual([
      '1: MARKS = r"""\\!*',
      '2: _"""',
      '3: ESCAPED = r"\\\\[" + MARKS + "]"',
    ]);
    // COUNTER is declared global in a function, ITEMS is a list, bump a function: left out.
    expect(excerptFor(text, 'COUNTER', false)).toBe('');
    expect(excerptFor(text, 'ITEMS', false)).toBe('');
    expect(excerptFor(text, 'bump', false)).toBe('');
  });

  it('keeps, for a table read for its entries, the dict and the classes it names, whole', () => {
    const codecs = statementsOf(
      {
        'pkg/codecs.py': src(
          'import pickle',
          'class Base:',
          '    kind = "base"',
          'class Json(Base):',
          '    def load(self, b):',
          '        return b',
          'class Pickle(Base):',
          '    def load(self, b):',
          '        return pickle.loads(b)',
          'def helper():',
          '    return 1',
          'CODECS = {c.kind: c for c in [Json, Pickle]}',
        ),
      },
      'pkg/codecs.py',
    );
    expect(kept(excerptFor(codecs, 'CODECS', false, true))).toEqual([
      '1: import pickle',
      '2: class Base:',
      '3:     kind = "base"',
      '4: class Json(Base):',
      '5:     def load(self, b):',
      '6:         return b',
      '7: class Pickle(Base):',
      '8:     def load(self, b):',
      '9:         return pickle.loads(b)',
      '12: CODECS = {c.kind: c for c in [Json, Pickle]}',
    ]);
    // Read as a value, a dict is no constant: left out.
    expect(excerptFor(codecs, 'CODECS', false)).toBe('');
  });

  it('keeps, for the module making a library object, the definitions of a module that calls its methods', () => {
    const importer = importerExcerpt(statementsOf(TREE, 'pkg/prompt.py'), 'pkg.env', new Set(['env']));
    expect(kept(importer)).toEqual([
      '1: from .env import env, safe',
      '2: from .text import ESCAPED, COUNTER, ITEMS',
      '4: class Prompt:',
      '5:     def __init__(self, text):',
      '6:         self.t = env.from_string(text)',
    ]);
    expect(importerExcerpt(statementsOf(TREE, 'pkg/prompt.py'), 'pkg.env', new Set(['safe']))).toBe('');
  });
});

describe("a file's model with excerpts of its neighbours", () => {
  it('names an imported library object by its library, knows imported string constants, and records what it read', async () => {
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
    const texts = textsOf({ ...TREE, 'pkg/prompt.py': text });
    const file = await parseSource('pkg/prompt.py', text, 'python');
    const module = analyzePython(file, 'pkg.prompt', undefined, texts.forFile('pkg/prompt.py', 'python'));
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
    // Modules looked for and not found count too: `pkg.env.safe` would be one if `pkg/env/` were a package.
    expect(texts.consultedBy('pkg/prompt.py')).toEqual([
      'pkg.env',
      'pkg.env.env',
      'pkg.env.safe',
      'pkg.text',
    ]);
    expect(texts.consultedBy('pkg/env.py')).toBeUndefined();
  });

  it('reads the modules importing its library objects, and depends on every module then', async () => {
    const texts = textsOf(TREE);
    const file = await parseSource('pkg/env.py', TREE['pkg/env.py'], 'python');
    const module = analyzePython(file, 'pkg.env', undefined, texts.forFile('pkg/env.py', 'python'));
    expect(module.neighbours?.importers().map((m) => [m.moduleName, m.file.path])).toEqual([
      ['pkg.prompt', 'pkg/prompt.py'],
    ]);
    expect(texts.consultedBy('pkg/env.py')).toEqual(['*', 'pkg.env.env']);
  });

  it("leaves names as they are without the review's modules", async () => {
    const file = await parseSource('pkg/prompt.py', 'from .env import env\nenv.from_string(a)\n', 'python');
    expect(analyzePython(file, 'pkg.prompt').calls[0].callee).toBe('pkg.env.env.from_string');
  });
});
