import { describe, expect, it } from 'vitest';
import { analyzePython, moduleNameForPath } from '../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../src/lang/registry.js';

/** Every call of the source as `line: callee` (`?` when the callee is not statically known). */
async function callees(source: string, path = 'mod.py'): Promise<string[]> {
  const file = await parseSource(path, source, 'python');
  try {
    const module = analyzePython(file);
    return module.calls.map((c) => `${c.node.startPosition.row + 1}: ${c.callee ?? '?'}`);
  } finally {
    file.tree.delete();
  }
}

/** Enclosing context of every call, as `callee @ context`. */
async function contexts(source: string): Promise<string[]> {
  const file = await parseSource('mod.py', source, 'python');
  try {
    const module = analyzePython(file);
    return module.calls.map((c) => `${c.node.text} @ ${module.contextOf(c.node)}`);
  } finally {
    file.tree.delete();
  }
}

const src = (...lines: string[]): string => lines.join('\n') + '\n';

describe('imports and aliases', () => {
  it('resolves `from subprocess import Popen as P; P(...)` to subprocess.Popen', async () => {
    expect(await callees('from subprocess import Popen as P; P(cmd, shell=True)')).toEqual([
      '1: subprocess.Popen',
    ]);
  });

  it('resolves `import os as o; o.system(x)` to os.system', async () => {
    expect(await callees('import os as o; o.system(x)')).toEqual(['1: os.system']);
  });

  it('resolves dotted imports: `import a.b.c` binds `a`, and aliases bind the full name', async () => {
    expect(
      await callees(
        src(
          'import a.b.c',
          'import os.path',
          'import xml.etree.ElementTree as ET',
          'a.b.c.run(x)',
          'a.other(x)',
          'os.path.join(p)',
          'os.system(p)',
          'ET.parse(f)',
        ),
      ),
    ).toEqual([
      '4: a.b.c.run',
      '5: a.other',
      '6: os.path.join',
      '7: os.system',
      '8: xml.etree.ElementTree.parse',
    ]);
  });

  it('resolves several names imported in one statement, with and without aliases', async () => {
    expect(
      await callees(
        src(
          'from os import system, popen as po',
          'from subprocess import (run,',
          '    call as c)',
          'system(a)',
          'po(b)',
          'run(c)',
          'c(d)',
        ),
      ),
    ).toEqual(['4: os.system', '5: os.popen', '6: subprocess.run', '7: subprocess.call']);
  });

  it('resolves names used in a function whose import comes later in the module', async () => {
    expect(
      await callees(
        src('def f(cmd):', '    return subprocess.run(cmd, shell=True)', '', 'import subprocess'),
      ),
    ).toEqual(['2: subprocess.run']);
  });

  it('leaves a name that is bound to two different modules unresolved', async () => {
    expect(
      await callees(src('if fast:', '    import ujson as j', 'else:', '    import json as j', 'j.loads(s)')),
    ).toEqual(['5: ?']);
  });

  it('resolves a name imported twice, unconditionally, to the later import', async () => {
    expect(
      await callees(src('from flask import abort', 'from flask_restful import abort', 'abort(404)')),
    ).toEqual(['3: flask_restful.abort']);
  });

  it('resolves a compatibility import, one package or the other, to the first', async () => {
    expect(
      await callees(
        src(
          'if use_quart:',
          '    from quart import redirect',
          'else:',
          '    from flask import redirect',
          'redirect(u)',
        ),
      ),
    ).toEqual(['5: quart.redirect']);
    expect(
      await callees(
        src(
          'try:',
          '    from quart import redirect',
          'except ImportError:',
          '    from flask import redirect',
          'redirect(u)',
        ),
      ),
    ).toEqual(['5: quart.redirect']);
  });

  it('leaves alternative imports of differently named APIs, or not exclusive, unresolved', async () => {
    expect(
      await callees(
        src(
          'try:',
          '    from defusedxml import ElementTree as ET',
          'except ImportError:',
          '    from xml.etree import ElementTree as ET',
          'ET.parse(f)',
        ),
      ),
    ).toEqual(['5: ?']);
    expect(
      await callees(
        src(
          'try:',
          '    from quart import redirect',
          'except ImportError:',
          '    pass',
          'else:',
          '    from flask import redirect',
          'redirect(u)',
        ),
      ),
    ).toEqual(['7: ?']);
  });

  it('keeps a name bound twice to the same module resolved', async () => {
    expect(
      await callees(
        src('try:', '    import pickle', 'except ImportError:', '    import pickle', 'pickle.loads(s)'),
      ),
    ).toEqual(['5: pickle.loads']);
  });
});

describe('relative imports', () => {
  const source = src(
    'from . import x',
    'from .sibling import helper as h',
    'from .. import z',
    'from ..m import y',
    'x.run()',
    'h()',
    'z.go()',
    'y()',
  );

  it('resolves against the package of pkg/sub/mod.py', async () => {
    expect(await callees(source, 'pkg/sub/mod.py')).toEqual([
      '5: pkg.sub.x.run',
      '6: pkg.sub.sibling.helper',
      '7: pkg.z.go',
      '8: pkg.m.y',
    ]);
  });

  it('resolves against the package itself in pkg/sub/__init__.py', async () => {
    expect(await callees(source, 'pkg/sub/__init__.py')).toEqual([
      '5: pkg.sub.x.run',
      '6: pkg.sub.sibling.helper',
      '7: pkg.z.go',
      '8: pkg.m.y',
    ]);
  });

  it('derives module names from paths', () => {
    expect(moduleNameForPath('pkg/sub/mod.py')).toBe('pkg.sub.mod');
    expect(moduleNameForPath('pkg/sub/__init__.py')).toBe('pkg.sub');
    expect(moduleNameForPath('./app.py')).toBe('app');
    expect(moduleNameForPath('stubs/api.pyi')).toBe('stubs.api');
  });
});

describe('scopes', () => {
  it('keeps a function-local import inside its function (and functions nested in it)', async () => {
    expect(
      await callees(
        src(
          'def f(cmd):',
          '    import subprocess as sp',
          '    sp.run(cmd)',
          '    def inner():',
          '        sp.call(cmd)',
          'sp.run(cmd)',
        ),
      ),
    ).toEqual(['3: subprocess.run', '5: subprocess.call', '6: ?']);
  });

  it('makes a `global` import inside a function visible at module level', async () => {
    expect(
      await callees(src('def setup():', '    global sp', '    import subprocess as sp', 'sp.run(cmd)')),
    ).toEqual(['4: subprocess.run']);
  });

  it('does not take a local def named eval for builtins.eval', async () => {
    expect(
      await callees(
        src('eval(a)', 'def g():', '    eval(b)', 'def eval(s):', '    return s', 'eval(c)'),
        'app/util.py',
      ),
    ).toEqual(['1: app.util.eval', '3: app.util.eval', '6: app.util.eval']);
  });

  it('resolves unshadowed builtins to builtins.<name>', async () => {
    expect(await callees(src('eval(a)', 'exec(b)', 'open(p)', '__import__(m)'))).toEqual([
      '1: builtins.eval',
      '2: builtins.exec',
      '3: builtins.open',
      '4: builtins.__import__',
    ]);
  });

  it('does not take a parameter named os for the os module', async () => {
    expect(
      await callees(
        src(
          'import os',
          'def f(os):',
          '    os.system(x)',
          'def g(*, os=None):',
          '    os.system(x)',
          'h = lambda os: os.system(x)',
          'os.system(x)',
        ),
      ),
    ).toEqual(['3: ?', '5: ?', '6: ?', '7: os.system']);
  });

  it('follows a local variable bound to an imported function', async () => {
    expect(
      await callees(
        src(
          'import subprocess',
          'def f(cmd):',
          '    runner = subprocess.Popen',
          '    runner(cmd, shell=True)',
        ),
      ),
    ).toEqual(['4: subprocess.Popen']);
  });

  it('shadows an import with a later rebinding in the same scope to an unknown value', async () => {
    expect(await callees(src('import pickle', 'pickle = get_safe_loader()', 'pickle.loads(s)'))).toEqual([
      '2: ?',
      '3: ?',
    ]);
  });

  it('resolves `with tarfile.open(f) as t: t.extractall()` to tarfile.open().extractall', async () => {
    expect(
      await callees(
        src(
          'import tarfile',
          'with tarfile.open(f) as t:',
          '    t.extractall()',
          'async def g():',
          '    async with tarfile.open(f) as t2, open(p) as fh:',
          '        t2.extractall(dest)',
          '        fh.read()',
          'tarfile.open(f).extractall()',
        ),
      ),
    ).toEqual([
      '2: tarfile.open',
      '3: tarfile.open().extractall',
      '5: tarfile.open',
      '5: builtins.open',
      '6: tarfile.open().extractall',
      '7: builtins.open().read',
      '8: tarfile.open().extractall',
      '8: tarfile.open',
    ]);
  });

  it('resolves a name bound by several `with` statements in each block to its own context manager', async () => {
    expect(
      await callees(
        src(
          'import tarfile, zipfile',
          'def unpack(p, d):',
          '    with zipfile.ZipFile(p) as f:',
          '        f.extractall(d)',
          '    with tarfile.open(p) as f:',
          '        f.extractall(d)',
          '        f = other()',
          '        f.close()',
          '    f.close()',
        ),
      ),
    ).toEqual([
      '3: zipfile.ZipFile',
      '4: zipfile.ZipFile().extractall',
      '5: tarfile.open',
      '6: ?',
      '7: ?',
      '8: ?',
      '9: ?',
    ]);
  });

  it('applies class scope rules: class attributes are not visible in methods', async () => {
    expect(
      await callees(
        src(
          'import os',
          'class Handler:',
          '    import subprocess as sp',
          '    os = make_fake_os()',
          '    sp.run(a)',
          '    os.system(b)',
          '    def get(self):',
          '        os.system(c)',
          '        sp.run(d)',
        ),
      ),
    ).toEqual(['4: ?', '5: subprocess.run', '6: ?', '8: os.system', '9: ?']);
  });

  it('evaluates decorators, defaults and base classes in the enclosing scope', async () => {
    expect(
      await callees(
        src(
          'import os',
          'class C:',
          '    import functools as ft',
          '    @ft.cache',
          '    def m(self, x=os.getcwd()):',
          '        def os(): pass',
          '        return os()',
        ),
      ),
    ).toEqual(['5: os.getcwd', '7: mod.C.m.os']);
  });

  it('binds names captured by match patterns, which then shadow builtins and imports', async () => {
    expect(
      await callees(
        src(
          'import os',
          'match command:',
          '    case ["run", eval]:',
          '        eval(x)',
          '    case {"os": os, **rest}:',
          '        os.system(x)',
          '    case Point(x=exec) | Other(exec) as whole:',
          '        exec(x)',
          '    case str(open):',
          '        open(x)',
        ),
      ),
    ).toEqual(['4: ?', '6: ?', '8: ?', '10: ?']);
  });

  it('binds walrus targets in the enclosing function, also from comprehensions', async () => {
    expect(
      await callees(
        src(
          'import subprocess',
          'def f(cmds):',
          '    if (run := subprocess.run):',
          '        run(cmds[0])',
          '    [p for c in cmds if (p := subprocess.Popen)]',
          '    p(cmds)',
        ),
      ),
    ).toEqual(['4: subprocess.run', '6: subprocess.Popen']);
  });

  it('names the enclosing function or class of each call', async () => {
    expect(
      await contexts(
        src(
          'top()',
          'class Handler:',
          '    def get(self):',
          '        inner()',
          '        def helper():',
          '            deep()',
          'lambda: lam()',
        ),
      ),
    ).toEqual(['top() @ ', 'inner() @ Handler.get', 'deep() @ Handler.get.helper', 'lam() @ ']);
  });
});
