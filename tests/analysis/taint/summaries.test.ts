import { describe, expect, it } from 'vitest';
import { traceSinks } from './helpers.js';

/** "line: kind", with the value of a constant. */
async function sinkValues(text: string): Promise<string[]> {
  return (await traceSinks({ 'app.py': text })).map(
    (s) =>
      `${s.line}: ${s.trace.kind}${s.trace.kind === 'constant' ? ` ${JSON.stringify(s.trace.value)}` : ''}`,
  );
}

describe('library summaries (tables of built-ins, container methods and string folds)', () => {
  it('container methods keep each element its own data where the container is known exactly', async () => {
    expect(
      await sinkValues(`from flask import request

def view():
    x = request.args["x"]
    d = {"a": "safe"}
    d["b"] = x
    pairs = d.items()
    sink(pairs[0][1])
    sink(pairs[1][1])
    l = ["a", "b"]
    l.insert(0, x)
    sink(l[0])
    sink(l[1])
    sink(l.pop())
    l.clear()
    sink(len(l))
`),
    ).toEqual([
      '8: constant "safe"',
      '9: tainted',
      '12: tainted',
      '13: constant "a"',
      '14: constant "b"',
      '16: constant 0',
    ]);
  });

  it('built-ins and string methods fold constants and pass data through', async () => {
    expect(
      await sinkValues(`from flask import request

def view():
    x = request.args["x"]
    z = list(zip(["k"], [x]))
    sink(z[0][0])
    sink(z[0][1])
    e = list(enumerate(["p", x]))
    sink(e[0][1])
    sink(e[1][1])
    sink("ab".upper())
    sink("{}-{}".format("a", 1))
    sink(int(x))
`),
    ).toEqual([
      '6: constant "k"',
      '7: tainted',
      '9: constant "p"',
      '10: tainted',
      '11: constant "AB"',
      '12: constant "a-1"',
      '13: clean',
    ]);
  });
});
