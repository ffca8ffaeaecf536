import { describe, expect, it } from 'vitest';
import { analyzePython } from '../../src/lang/python/semantic/scope.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { parseSource } from '../../src/lang/registry.js';
import { findRule } from '../../src/rules/registry.js';

const src = (...lines: string[]): string => lines.join('\n') + '\n';

/** Syntax-error lines and every call as `line: callee`. */
async function parsed(source: string): Promise<{ errors: number[]; calls: string[] }> {
  const file = await parseSource('new.py', source, 'python');
  try {
    const module = analyzePython(file);
    return {
      errors: file.syntaxErrorLines(),
      calls: module.calls.map((c) => `${c.node.startPosition.row + 1}: ${c.callee ?? '?'}`),
    };
  } finally {
    file.tree.delete();
  }
}

describe('Python 3.12 syntax parses without errors, and names still resolve', () => {
  it('PEP 701 f-strings: nested same quotes, nested f-strings, comments and backslashes', async () => {
    expect(
      await parsed(
        src(
          'import os',
          'songs = ["a", "b"]',
          'msg = f"{", ".join(songs)} and {f"{os.getcwd()!r:>{10}}"}"',
          'nl = f"{"\\n".join(songs)}"',
          'deep = f"{f"{f"{os.getpid()}"}"}"',
          'multi = f"{',
          '    os.system(cmd)  # a comment inside the replacement field',
          '}"',
        ),
      ),
    ).toEqual({
      errors: [],
      calls: ['3: ?', '3: os.getcwd', '4: ?', '5: os.getpid', '7: os.system'],
    });
  });

  it('type aliases (`type X = ...`), with `type` still usable as a name', async () => {
    expect(
      await parsed(
        src(
          'import subprocess',
          'type Cmd = list[str]',
          'type Pair[T] = tuple[T, T]',
          'type(x)',
          'subprocess.run(c)',
        ),
      ),
    ).toEqual({ errors: [], calls: ['4: builtins.type', '5: subprocess.run'] });
  });

  it('generic functions and classes (PEP 695)', async () => {
    expect(
      await parsed(
        src(
          'from subprocess import run as r',
          'def first[T](xs: list[T]) -> T:',
          '    r(xs, shell=True)',
          'class Box[T: (int, str), *Ts, **P]:',
          '    def get[U](self, u: U) -> T:',
          '        return r(u)',
        ),
      ),
    ).toEqual({ errors: [], calls: ['3: subprocess.run', '6: subprocess.run'] });
  });

  it('match statements', async () => {
    expect(
      await parsed(
        src(
          'import os',
          'match command.split():',
          '    case ["go", direction] if direction in DIRS:',
          '        os.system(direction)',
          '    case {"x": 0, **rest}:',
          '        pass',
          '    case Point(x=0, y=0) | None:',
          '        pass',
          '    case _:',
          '        pass',
        ),
      ),
    ).toEqual({ errors: [], calls: ['2: ?', '4: os.system'] });
  });

  it('walrus, async comprehensions and except*', async () => {
    expect(
      await parsed(
        src(
          'import os',
          'if (n := len(data)) > 10:',
          '    os.system(n)',
          'async def g(source):',
          '    return [x async for x in source if await x]',
          'try:',
          '    os.remove(p)',
          'except* (ValueError, TypeError) as eg:',
          '    os.abort()',
        ),
      ),
    ).toEqual({ errors: [], calls: ['2: builtins.len', '3: os.system', '7: os.remove', '9: os.abort'] });
  });
});

describe('a file with syntax errors', () => {
  const rule = findRule('python/os-command-injection')!;

  it.each([
    [
      'an unclosed bracket in another function',
      src('import os', 'def broken():', '    x = [1, 2', '', 'def f(cmd):', '    os.system(cmd)'),
      [3],
      [6],
    ],
    [
      'an unterminated string',
      src('import os', 'x = "unterminated', '', 'def f(cmd):', '    os.system(cmd)'),
      [2],
      [5],
    ],
    [
      'a broken def',
      src('import os', 'def broken(:', '    pass', '', 'def f(cmd):', '    os.system(cmd)'),
      [2],
      [6],
    ],
    [
      'a stray token in a method',
      src(
        'import os',
        'class A:',
        '    def m(self):',
        '        return )',
        '    def n(self, cmd):',
        '        os.system(cmd)',
      ),
      [4],
      [6],
    ],
  ])('is still reviewed below %s, and the error line is named', async (_name, text, errors, found) => {
    const result = await analyzeSource('broken.py', text, 'python', [rule]);
    expect(result.syntaxErrorLines).toEqual(errors);
    expect(result.findings.map((f) => [f.ruleId, f.location.start.line])).toEqual(
      found.map((l) => ['python/os-command-injection', l]),
    );
  });
});
