import { describe, expect, it } from 'vitest';
import { flowOf, sinkKinds, traceSinks } from './helpers.js';

const P = { sources: [{ parameter: 'src' }] };

describe('inter-procedural analysis', () => {
  it('is context sensitive: one helper, a tainted and a constant call', async () => {
    const sinks = await traceSinks(
      {
        'app.py': `
def wrap(v):
    return "[" + v + "]"

def f(src):
    sink(wrap(src))
    sink(wrap("const"))
`,
      },
      P,
    );
    expect(sinks.map((s) => `${s.line}: ${s.trace.kind}`)).toEqual(['6: tainted', '7: constant']);
    expect(flowOf(sinks[0])).toEqual([
      '5: source: parameter `src`',
      '6: passed to `wrap` as `v`',
      '3: returned from `wrap`',
      '6: returned by `wrap`',
    ]);
  });

  it('follows self.x across methods, inheritance, super() and class attributes', async () => {
    expect(
      await sinkKinds(
        `
class Base:
    prefix = "safe"
    def __init__(self, value):
        self.value = value
        self.other = "const"

class Child(Base):
    def __init__(self, value):
        super().__init__(value)
    def get(self):
        return self.value
    def get_other(self):
        return self.other

def f(src):
    c = Child(src)
    sink(c.get())
    sink(c.get_other())
    sink(c.prefix)
    sink(Child("x").get())
`,
        P,
      ),
    ).toEqual(['18: tainted', '19: constant', '20: constant', '21: constant']);
  });

  it("constructs with a classmethod's `cls`, inherited or not, and runs the instance's methods", async () => {
    expect(
      await sinkKinds(
        `
class Base:
    def __init__(self, value):
        self.value = value
    @classmethod
    def make(cls, value):
        return cls(value)
    def fixed(self, ignored):
        return "const"

class Child(Base):
    def get(self):
        return self.value

def f(src):
    sink(Child.make(src).get())
    sink(Child.make("x").get())
    sink(Base.make("x").fixed(src))
`,
        P,
      ),
    ).toEqual(['16: tainted', '17: constant', '18: constant']);
  });

  it('follows closures, nonlocal and global, lambdas, partial and decorators', async () => {
    expect(
      await sinkKinds(
        `
import functools
state = "safe"

def outer(src):
    captured = src
    def inner():
        return captured
    sink(inner())
    box = "safe"
    def setter():
        nonlocal box
        box = src
    setter()
    sink(box)
    sink((lambda v: v + "!")(src))
    joined = functools.partial(join2, "const")
    sink(joined(src))
    sink(joined("x"))

def join2(a, b):
    return a + b

def set_global(src):
    global state
    state = src
    sink(state)

def passthrough(fn):
    return fn

@passthrough
def decorated(v):
    return v

def use_decorated(src):
    sink(decorated(src))
`,
        P,
      ),
    ).toEqual([
      '9: tainted',
      '15: tainted',
      '16: tainted',
      '18: tainted',
      '19: constant',
      '27: tainted',
      '37: tainted',
    ]);
  });

  it('follows generators and async functions', async () => {
    expect(
      await sinkKinds(
        `
def gen(v):
    yield "a"
    yield v

async def fetch(v):
    return v

async def f(src):
    for x in gen(src):
        sink(x)
    sink(next(gen("c")))
    sink(await fetch(src))
    sink(await fetch("c"))
`,
        P,
      ),
    ).toEqual(['11: tainted', '12: clean', '13: tainted', '14: constant']);
  });

  it('follows calls across modules with absolute and relative imports', async () => {
    const files = {
      'pkg/views.py': `
from flask import request
from .helpers import build
from pkg.run import execute

def view():
    cmd = build(request.args["q"])
    execute(cmd)
`,
      'pkg/__init__.py': '',
      'pkg/helpers.py': `
def build(q):
    return "grep " + q
`,
      'pkg/run.py': `
def execute(c):
    sink(c)
`,
    };
    const [s] = await traceSinks(files, { file: 'pkg/run.py' });
    expect(s.trace.kind).toBe('tainted');
    if (s.trace.kind !== 'tainted') return;
    expect(s.trace.flow.map((f) => `${f.location.file}:${f.location.start.line}: ${f.note}`)).toEqual([
      'pkg/views.py:7: source: `request.args["q"]`',
      'pkg/views.py:7: passed to `build` as `q`',
      'pkg/helpers.py:3: returned from `build`',
      'pkg/views.py:7: assigned to `cmd`',
      'pkg/views.py:8: passed to `execute` as `c`',
    ]);
  });

  it('says unknown for a helper parameter no source reaches', async () => {
    expect(await sinkKinds(`\ndef helper(cmd):\n    sink(cmd)\n`)).toEqual(['3: unknown']);
  });
});

describe('packages re-exporting names', () => {
  it('resolve `from pkg import f` through the imports of pkg/__init__.py, cycles included', async () => {
    const r = await traceSinks(
      {
        'main.py': `import A
from A import function_b, function_a, loop
def f(taint_src):
    sink(function_b(taint_src))
    sink(A.function_b(taint_src))
    sink(function_a(taint_src))
    sink(loop(taint_src))
`,
        'A/__init__.py': `from .mod_a import function_a\nfrom .mod_b import function_b\nfrom A import loop\n`,
        'A/mod_a.py': `def function_a(x):\n    return x\n`,
        'A/mod_b.py': `def function_b(x):\n    return "_"\n`,
      },
      { sources: [{ parameter: 'taint_src' }] },
    );
    expect(r.map((s) => `${s.line}: ${s.trace.kind}`)).toEqual([
      '4: constant',
      '5: constant',
      '6: tainted',
      // An unresolvable name: an unknown call passes its argument's data on.
      '7: tainted',
    ]);
  });
});

describe('library calls that take a function', () => {
  it('run it when they call it (threads) but not when they only wrap it (functools.wraps)', async () => {
    const text = [
      'import functools',
      'import sys',
      'import threading',
      '',
      'def deco(f):',
      '    @functools.wraps(f)',
      '    def wrapper(*args):',
      '        return f(*args)',
      '    return wrapper',
      '',
      '@deco',
      'def helper(x):',
      '    cmd = "ls"',
      '    sink(cmd)',
      '    sink(x)',
      '',
      'def work(y):',
      '    sink(y)',
      '',
      'def main():',
      '    helper(sys.argv[1])',
      '    threading.Thread(target=work, args=(sys.argv[2],)).start()',
      '',
      '@deco',
      'def never_called(z):',
      '    cmd = "ls"',
      '    sink(cmd)',
    ].join('\n');
    // `never_called` is decorated but nothing calls it: wrapping it does not run it, so its
    // expressions stay unknown.
    expect(await sinkKinds(text)).toEqual(['14: constant', '15: tainted', '18: tainted', '27: unknown']);
  });
});

describe('entry points in base classes', () => {
  it("runs a base class's method as an entry point on the subclasses that keep it", async () => {
    expect(
      await sinkKinds(
        `
class Codec:
    def decode(self, raw):
        raise NotImplementedError

    def handle(self, src):
        return self.decode(src)

class Plain(Codec):
    def decode(self, raw):
        sink(raw)

class Fixed(Codec):
    def handle(self, src):
        return self.decode("const")

    def decode(self, raw):
        sink(raw)
`,
        P,
      ),
    ).toEqual(['11: tainted', '18: constant']);
  });

  it('leaves out subclasses in test files and bases with many subclasses', async () => {
    const many = Array.from(
      { length: 7 },
      (_, i) => `class Sub${i}(Base):\n    def decode(self, raw):\n        sink(raw)\n`,
    ).join('\n');
    const sinks = await traceSinks(
      {
        'app.py': `
class Codec:
    def decode(self, raw):
        raise NotImplementedError

    def handle(self, src):
        return self.decode(src)

class Base:
    def decode(self, raw):
        raise NotImplementedError

    def handle(self, src):
        return self.decode(src)

${many}`,
        'tests/test_codec.py': `
from app import Codec

class Fake(Codec):
    def decode(self, raw):
        sink(raw)
`,
      },
      P,
    );
    expect(sinks.map((s) => s.trace.kind)).not.toContain('tainted');
    const fake = await traceSinks(
      {
        'app.py': `
class Codec:
    def handle(self, src):
        return self.decode(src)
`,
        'tests/test_codec.py': `
from app import Codec

class Fake(Codec):
    def decode(self, raw):
        sink(raw)
`,
      },
      { ...P, file: 'tests/test_codec.py' },
    );
    expect(fake.map((s) => s.trace.kind)).not.toContain('tainted');
  });
});
