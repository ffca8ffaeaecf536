import { describe, expect, it } from 'vitest';
import { sinkKinds } from './helpers.js';

const P = { sources: [{ parameter: 'src' }] };

describe('constant conditions and dead code', () => {
  it('folds if, elif and ternary conditions; unreachable assignments do not taint', async () => {
    expect(
      await sinkKinds(
        `
def f(src):
    x = "safe"
    if 7 * 18 + 1 > 200:
        x = src
    sink(x)
    y = "safe"
    if len("abc") == 3:
        y = src
    elif True:
        y = "other"
    sink(y)
    sink(src if 1 > 2 else "const")
    sink(src if "a" in ["a", "b"] else "const")
`,
        P,
      ),
    ).toEqual(['6: constant', '12: tainted', '13: constant', '14: tainted']);
  });

  it('unrolls loops with constant bounds and follows break and continue', async () => {
    expect(
      await sinkKinds(
        `
def f(src):
    r = "safe"
    for i in range(0):
        r = src
    sink(r)
    i = 1
    w = "safe"
    while i < 3:
        w = src
        i += 1
    sink(w)
    b = "safe"
    for k in range(5):
        if k == 2:
            break
        if k == 4:
            b = src
    sink(b)
    c = "safe"
    for k in range(3):
        if k < 3:
            continue
        c = src
    sink(c)
`,
        P,
      ),
    ).toEqual(['6: constant', '12: tainted', '19: constant', '25: constant']);
  });

  it('follows match statements, try/except/finally and early returns', async () => {
    expect(
      await sinkKinds(
        `
def f(src):
    m = "safe"
    match 1 + 1:
        case 1:
            m = src
        case 2:
            m = "two"
    sink(m)
    try:
        e = "safe"
        raise ValueError(src)
    except ValueError as err:
        sink(err)
    finally:
        sink(src)

def g(src):
    return "const"
    sink(src)

def h(src):
    data = {"key": src}
    match data:
        case {"key": v}:
            sink(v)
`,
        P,
      ),
    ).toEqual(['9: constant', '14: tainted', '16: tainted', '20: unreachable', '26: tainted']);
  });
});

describe('sanitizers and guards', () => {
  it('treats shlex.quote as safe for commands only, html.escape for HTML, int() for all', async () => {
    const text = `
import shlex, html
def f(src):
    sink(shlex.quote(src))
    sink(html.escape(src))
    sink(int(src))
`;
    expect(await sinkKinds(text, { ...P, cwe: 78 })).toEqual(['4: sanitized', '5: tainted', '6: clean']);
    expect(await sinkKinds(text, { ...P, cwe: 79 })).toEqual(['4: tainted', '5: sanitized', '6: clean']);
  });

  it('accepts allow-list checks, re.fullmatch guards and early returns', async () => {
    expect(
      await sinkKinds(
        `
import re
ALLOWED = {"a", "b"}
def f(src):
    if src in ALLOWED:
        sink(src)
    sink(src)

def g(src):
    if src not in ALLOWED:
        return None
    sink(src)

def h(src):
    if not re.fullmatch(r"[a-z]+", src):
        raise ValueError(src)
    sink(src)

def k(src):
    if re.search(r"[a-z]+", src):
        sink(src)
`,
        P,
      ),
    ).toEqual(['6: clean', '7: tainted', '12: clean', '17: clean', '21: tainted']);
  });

  it('accepts project validation helpers that raise or return on bad input', async () => {
    expect(
      await sinkKinds(
        `
import re
def validate_name(value):
    if not re.fullmatch(r"[a-z]+", value):
        raise ValueError("bad name")

def is_safe(value):
    return value in ("a", "b")

def log_it(value):
    print(value)

def f(src):
    validate_name(src)
    sink(src)

def g(src):
    if not is_safe(src):
        return
    sink(src)

def h(src):
    log_it(src)
    sink(src)
`,
        P,
      ),
    ).toEqual(['15: clean', '20: clean', '24: tainted']);
  });
});
