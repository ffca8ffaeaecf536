import { describe, expect, it } from 'vitest';
import { isLoggingCall } from '../../src/lang/python/helpers/calls.js';
import { isConstantFalse, isConstantTrue, resolveValue } from '../../src/lang/python/helpers/constants.js';
import { enclosingFunction } from '../../src/lang/python/helpers/functions.js';
import { importsAny, underMainGuard } from '../../src/lang/python/helpers/module.js';
import { literalSuffix, literalWords, writtenText } from '../../src/lang/python/helpers/strings.js';
import { analyzePython, type CallSite, type PythonModule } from '../../src/lang/python/semantic/scope.js';
import { parseSource } from '../../src/lang/registry.js';

const src = (...lines: string[]): string => lines.join('\n') + '\n';

/** Runs `ask` on the module and its calls written `name(...)` or `x.name(...)`, then frees the tree. */
async function withCalls<T>(
  source: string,
  name: string,
  ask: (calls: CallSite[], module: PythonModule) => T,
): Promise<T> {
  const file = await parseSource('m.py', source, 'python');
  try {
    const module = analyzePython(file);
    const calls = module.calls.filter(
      (c) => c.node.childForFieldName('function')?.text.split('.').pop() === name,
    );
    return ask(calls, module);
  } finally {
    file.tree.delete();
  }
}

describe('call.argument', () => {
  it('takes the keyword first, then the position, and knows keyword-only parameters', async () => {
    const found = await withCalls(
      src('f(1, 2)', 'f(1, mode=3)', 'f(mode=4)', 'f(1, fullurl=5)', 'f(1, url=6, fullurl=7)'),
      'f',
      (calls) =>
        calls.map((c) => [
          c.argument(1, 'mode')?.text ?? '-',
          c.argument(-1, 'mode')?.text ?? '-',
          c.argument(0, 'url', 'fullurl')?.text ?? '-',
        ]),
    );
    expect(found).toEqual([
      ['2', '-', '1'],
      ['3', '3', '1'],
      ['4', '4', '-'],
      ['-', '-', '5'],
      ['-', '-', '6'],
    ]);
  });
});

describe('module.singleValue and resolveValue', () => {
  it('gives the value of a name bound once, and nothing for a name bound twice', async () => {
    const found = await withCalls(
      src('once = {"a": 1}', 'twice = 1', 'twice = 2', 'f(once, twice, {"b": 2})'),
      'f',
      ([call], module) => [
        module.singleValue(call.args[0])?.text,
        module.singleValue(call.args[1])?.text,
        resolveValue(call.args[1], module).text,
        resolveValue(call.args[2], module).text,
      ],
    );
    expect(found).toEqual(['{"a": 1}', undefined, 'twice', '{"b": 2}']);
  });
});

describe('isConstantTrue and isConstantFalse', () => {
  it('reads Python truthiness of constants, following names bound once', async () => {
    const found = await withCalls(
      src('ON = 1', 'f(True, 1, "x", [1], ON, False, 0, None, [], "", x)'),
      'f',
      ([call], module) =>
        call.args.map(
          (a) => `${a.text}:${isConstantTrue(a, module) ? 'T' : ''}${isConstantFalse(a, module) ? 'F' : ''}`,
        ),
    );
    // "" and [] are falsy but are not the False/0/None a keyword is switched off with.
    expect(found).toEqual([
      'True:T',
      '1:T',
      '"x":T',
      '[1]:T',
      'ON:T',
      'False:F',
      '0:F',
      'None:F',
      '[]:',
      '"":',
      'x:',
    ]);
  });
});

describe('underMainGuard', () => {
  it('counts a function named main only when asked to', async () => {
    const found = await withCalls(
      src(
        'def main():',
        '    run("in main")',
        'def other():',
        '    run("in other")',
        'if __name__ == "__main__":',
        '    run("guarded")',
        "if '__main__' == __name__:",
        '    run("guarded, reversed")',
      ),
      'run',
      (calls) =>
        calls.map((c) => [
          c.args[0].text,
          underMainGuard(c.node),
          underMainGuard(c.node, { orInMainFunction: true }),
        ]),
    );
    expect(found).toEqual([
      ['"in main"', false, true],
      ['"in other"', false, false],
      ['"guarded"', true, true],
      ['"guarded, reversed"', true, true],
    ]);
  });
});

describe('importsAny', () => {
  it('finds imports anywhere in the text, or with moduleLevel only those bound in the module scope', async () => {
    const ask = (source: string) =>
      withCalls(source, 'f', (_calls, module) => [
        importsAny(module, ['flask']),
        importsAny(module, ['flask'], { moduleLevel: true }),
      ]);
    expect(await ask(src('from flask import Flask'))).toEqual([true, true]);
    expect(await ask(src('import flask.json as j'))).toEqual([true, true]);
    expect(await ask(src('def f():', '    import flask'))).toEqual([true, false]);
    expect(await ask(src('import flask_login'))).toEqual([false, false]);
  });
});

describe('enclosingFunction', () => {
  it('gives the innermost def, skipping classes', async () => {
    const found = await withCalls(
      src(
        'class C:',
        '    def outer(self):',
        '        def inner():',
        '            g()',
        '        g()',
        'g()',
      ),
      'g',
      (calls) => calls.map((c) => enclosingFunction(c.node)?.childForFieldName('name')?.text ?? '-'),
    );
    expect(found).toEqual(['inner', 'outer', '-']);
  });
});

describe('isLoggingCall', () => {
  it('narrow: the logging module and receivers named like a logger', async () => {
    const source = src(
      'import logging, structlog',
      'logging.info("a")',
      'logging.getLogger(__name__).info("b")',
      'logging.root.info("c")',
      'logger.info("d")',
      'self._log.info("e")',
      'audit_log.info("f")',
      'structlog.get_logger().info("g")',
      'logger.fetch("h")',
    );
    const read = (options: { wide?: boolean }) =>
      withCalls(source, 'info', (calls) =>
        calls.filter((c) => isLoggingCall(c, options)).map((c) => c.args[0].text),
      );
    expect(await read({})).toEqual(['"a"', '"b"', '"d"', '"e"']);
    // The wide reading (secret-in-log) also takes other logging objects, structlog and `*_log` names.
    expect(await read({ wide: true })).toEqual(['"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"']);
  });
});

describe('literal text', () => {
  it('writtenText keeps escapes as written and marks interpolations; literalWords keeps the words apart', async () => {
    const found = await withCalls(
      src('f("a\\nb" f"c{x}d" \'e\')', 'f(f"SELECT {d[\'k\']} FROM t")'),
      'f',
      (calls) => calls.map((c) => [writtenText(c.args[0], '|'), literalWords(c.args[0])]),
    );
    expect(found).toEqual([
      ['a\\nbc|de', 'a\\nb c d e'],
      ['SELECT | FROM t', 'SELECT  k  FROM t'],
    ]);
  });

  it('literalSuffix gives the text a built string certainly ends with', async () => {
    const found = await withCalls(
      src(
        'f("%s_auth_ses" % p)',
        'f("%(a)s-%%-%d_sid" % (p, q))',
        'f(f"{p}_session")',
        'f("{}{{x}}_token".format(p))',
        'f(p + "_" + "sid")',
        'f(p + q)',
        'f("done")',
      ),
      'f',
      (calls, module) => calls.map((c) => literalSuffix(c.args[0], module)),
    );
    expect(found).toEqual(['_auth_ses', '_sid', '_session', '{x}_token', '_sid', '', 'done']);
  });
});
