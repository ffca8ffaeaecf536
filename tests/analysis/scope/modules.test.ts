import { describe, expect, it } from 'vitest';
import { moduleNamer, packageDirs, packageModuleName } from '../../../src/lang/python/semantic/modules.js';
import { analyzePython } from '../../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../../src/lang/registry.js';

/** The module name of every path, given the set of reviewed files. */
function names(paths: string[]): Record<string, string> {
  const name = moduleNamer(paths);
  return Object.fromEntries(paths.map((p) => [p, name(p)]));
}

describe('module names from the package chain', () => {
  const nova = ['nova/__init__.py', 'nova/api/__init__.py', 'nova/api/wsgi.py'];

  it('names a module from the top of its regular packages, from the repository root', () => {
    expect(names(nova)).toEqual({
      'nova/__init__.py': 'nova',
      'nova/api/__init__.py': 'nova.api',
      'nova/api/wsgi.py': 'nova.api.wsgi',
    });
  });

  it('gives the same names when the review root is the parent of the repository', () => {
    expect(names(nova.map((p) => `repo/${p}`))).toEqual({
      'repo/nova/__init__.py': 'nova',
      'repo/nova/api/__init__.py': 'nova.api',
      'repo/nova/api/wsgi.py': 'nova.api.wsgi',
    });
  });

  it('gives the same names from absolute paths when the review root is the package itself', () => {
    expect(names(nova.map((p) => `/home/u/repo/${p}`))).toEqual({
      '/home/u/repo/nova/__init__.py': 'nova',
      '/home/u/repo/nova/api/__init__.py': 'nova.api',
      '/home/u/repo/nova/api/wsgi.py': 'nova.api.wsgi',
    });
  });

  it('leaves the src folder of a src layout out', () => {
    expect(
      names(['src/pkg/__init__.py', 'src/pkg/mod.py', 'src/pkg/sub/__init__.py', 'src/pkg/sub/x.pyi']),
    ).toEqual({
      'src/pkg/__init__.py': 'pkg',
      'src/pkg/mod.py': 'pkg.mod',
      'src/pkg/sub/__init__.py': 'pkg.sub',
      'src/pkg/sub/x.pyi': 'pkg.sub.x',
    });
  });

  it('names a script outside any regular package by its file alone', () => {
    expect(names(['tools/run.py', 'setup.py', 'tests/unit/test_x.py', 'nova/__init__.py'])).toEqual({
      'tools/run.py': 'run',
      'setup.py': 'setup',
      'tests/unit/test_x.py': 'test_x',
      'nova/__init__.py': 'nova',
    });
  });

  it('stops at the first folder without __init__.py, as Python does', () => {
    // `a/` holds an __init__.py but `a/b/` does not: a/b/c/ starts a chain of its own.
    expect(names(['a/__init__.py', 'a/b/c/__init__.py', 'a/b/c/m.py'])).toEqual({
      'a/__init__.py': 'a',
      'a/b/c/__init__.py': 'c',
      'a/b/c/m.py': 'c.m',
    });
  });

  it('accepts Windows separators', () => {
    const packages = packageDirs(['C:\\r\\pkg\\__init__.py']);
    expect([...packages]).toEqual(['C:/r/pkg']);
    expect(packageModuleName('C:\\r\\pkg\\mod.py', packages)).toBe('pkg.mod');
  });
});

describe('relative imports with package names', () => {
  /** The qualified name every import binds, as `name: qualname`. */
  async function imports(source: string, path: string, moduleName?: string): Promise<string[]> {
    const file = await parseSource(path, source, 'python');
    try {
      const module = analyzePython(file, moduleName);
      return [...module.root.bindings].flatMap(([name, list]) =>
        list.flatMap((b) => (b.kind === 'import' ? [`${name}: ${b.qualname}`] : [])),
      );
    } finally {
      file.tree.delete();
    }
  }
  const source = 'from . import x\nfrom .helpers import run\nfrom .. import up\n';

  it('resolves against the module name, whatever the path from the review root', async () => {
    expect(await imports(source, 'src/pkg/sub/mod.py', 'pkg.sub.mod')).toEqual([
      'x: pkg.sub.x',
      'run: pkg.sub.helpers.run',
      'up: pkg.up',
    ]);
  });

  it('resolves against the path when it climbs above the regular packages (a namespace package)', async () => {
    expect(await imports(source, 'tools/cli/run.py', 'run')).toEqual([
      'x: tools.cli.x',
      'run: tools.cli.helpers.run',
      'up: tools.up',
    ]);
  });

  it('keeps the path name when no module name is given', async () => {
    expect(await imports(source, 'src/pkg/sub/mod.py')).toEqual([
      'x: src.pkg.sub.x',
      'run: src.pkg.sub.helpers.run',
      'up: src.pkg.up',
    ]);
  });
});
