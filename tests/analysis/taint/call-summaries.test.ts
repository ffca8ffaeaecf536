import { describe, expect, it } from 'vitest';
import { flowOf, sinkKinds, traceSinks } from './helpers.js';

const P = { sources: [{ parameter: 'src' }] };

/** A helper long enough to leave a summary: it walks a constant list before returning. */
const COSTLY = `
def label(v):
    out = ""
    for i in ${JSON.stringify([...Array(40).keys()])}:
        out = out + "-"
        size = len(out) + i
        out = out[:size]
    return v + "]" + out
`;

describe('summaries of costly calls', () => {
  it('answers a later call with data of the same kind from the summary, with its flow', async () => {
    const sinks = await traceSinks(
      {
        'app.py': `${COSTLY}
def first(src):
    sink(label(src))

def second(src):
    sink(label(src))

def constant(src):
    sink(label("k"))

def other(src):
    sink(label(None))
`,
      },
      P,
    );
    // A constant where the first run had data from a client is answered from its summary too: it
    // carries no data, and the result is not folded to a constant (unknown, as a library call's).
    expect(sinks.map((s) => `${s.line}: ${s.trace.kind}`)).toEqual([
      '11: tainted',
      '14: tainted',
      '17: unknown',
      '20: unknown',
    ]);
    expect(flowOf(sinks[0])).toEqual([
      '10: source: parameter `src`',
      '11: passed to `label` as `v`',
      '8: returned from `label`',
      '11: returned by `label`',
    ]);
    expect(flowOf(sinks[1])).toEqual(['13: source: parameter `src`', '14: returned by `label`']);
  });

  it("keeps a validator run in full: the caller's variable is clean after it in every root", async () => {
    expect(
      await sinkKinds(
        `
def check(v):
    for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]:
        pass
    if not v.isalnum():
        raise ValueError(v)

def first(src):
    check(src)
    sink(src)

def second(src):
    check(src)
    sink(src)
`,
        P,
      ),
    ).toEqual(['10: clean', '14: clean']);
  });

  it("does not run again a helper that ran out of a root's budget: later roots go past it", async () => {
    const big = `
def big(v):
    out = ""
    for i in ${JSON.stringify([...Array(40).keys()])}:
        for j in ${JSON.stringify([...Array(40).keys()])}:
            for k in [0, 1, 2, 3, 4, 5, 6, 7]:
                out = out + "a"
    return out
`;
    const kinds = await sinkKinds(
      `${big}
def first(src):
    big(src)
    sink(src)

def second(src):
    big(src)
    sink(src)
`,
      P,
    );
    // The first root stops inside `big`; the second is answered at once and reaches its sink.
    expect(kinds).toEqual(['12: unreachable', '16: tainted']);
  });
});
