import { describe, expect, it } from 'vitest';
import { constantValue } from '../../src/lang/python/semantic/constant.js';
import { analyzePython } from '../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../src/lang/registry.js';

/** The constant value of the first argument of every call to `probe(...)`, or `?` if unknown. */
async function probed(source: string): Promise<unknown[]> {
  const file = await parseSource('c.py', source, 'python');
  try {
    const module = analyzePython(file);
    return module.calls
      .filter((c) => c.node.childForFieldName('function')?.text === 'probe')
      .map((c) => {
        const v = constantValue(c.args[0], module);
        return v === undefined ? '?' : v.value;
      });
  } finally {
    file.tree.delete();
  }
}

const src = (...lines: string[]): string => lines.join('\n') + '\n';

describe('constantValue', () => {
  it('folds literals, concatenation and arithmetic', async () => {
    expect(
      await probed(
        src(
          'probe("ls " + "-l")',
          'probe("a" "b" \'c\')',
          'probe(("x"))',
          'probe(["ls", "-l"] + ["/tmp"])',
          'probe(("a", 1, None, True))',
          'probe(2 ** 10 - 1)',
          'probe(-0x10)',
          'probe(1_000)',
          'probe("ab" * 2)',
        ),
      ),
    ).toEqual(['ls -l', 'abc', 'x', ['ls', '-l', '/tmp'], ['a', 1, null, true], 1023, -16, 1000, 'abab']);
  });

  it('decodes escapes in normal strings and keeps raw strings raw', async () => {
    expect(
      await probed(
        src(
          'probe("a\\tb\\x41")',
          'probe(r"a\\tb")',
          "probe(b'\\n')",
          'probe("\\u00e9\\U0001F600\\101\\0")',
          'probe("\\U00110000 \\N{BULLET} \\q")',
          'probe("one \\',
          'two")',
        ),
      ),
    ).toEqual(['a\tbA', 'a\\tb', '\n', 'é😀A\0', '\\U00110000 \\N{BULLET} \\q', 'one two']);
  });

  it('treats f-strings as constant only without interpolations (PEP 701 quotes included)', async () => {
    expect(
      await probed(src('probe(f"ls -l")', 'probe(f"ls {d}")', 'probe(f"{"ls"}")', 'probe(f"a" "b")')),
    ).toEqual(['ls -l', '?', '?', 'ab']);
  });

  it('formats with % only when every operand is constant', async () => {
    expect(
      await probed(src('probe("ls %s" % "/tmp")', 'probe("ls %s" % d)', 'probe("ls %s" % (d,))')),
    ).toEqual(['ls %s', '?', '?']);
  });

  it('follows names bound exactly once to a constant, across scopes', async () => {
    expect(
      await probed(
        src(
          'CMD = "ls"',
          'ARGS = ["ls", "-l"]',
          'def f(user, opt="x"):',
          '    probe(CMD)',
          '    local = CMD + " -l"',
          '    probe(local)',
          '    probe(user)',
          '    probe(opt)',
          '    probe(ARGS)',
        ),
      ),
    ).toEqual(['ls', 'ls -l', '?', '?', ['ls', '-l']]);
  });

  it('does not trust names that are rebound, augmented, mutated or loop variables', async () => {
    expect(
      await probed(
        src(
          'a = "ls"',
          'a = input()',
          'probe(a)',
          'b = "ls"',
          'b += user',
          'probe(b)',
          'c = ["ls"]',
          'c.append(user)',
          'probe(c)',
          'd = ["ls"]',
          'd[0] = user',
          'probe(d)',
          'for e in ["a", "b"]:',
          '    probe(e)',
          'def g():',
          '    global h',
          '    h = user',
          'h = "ls"',
          'probe(h)',
        ),
      ),
    ).toEqual(['?', '?', '?', '?', '?', '?']);
  });

  it('does not loop on self-referencing names', async () => {
    expect(await probed(src('x = x + "a"', 'probe(x)', 'p = q', 'q = p', 'probe(p)'))).toEqual(['?', '?']);
  });
});
