import { describe, expect, it } from 'vitest';
import { flowOf, sinkKinds, traceSinks } from './helpers.js';

const FLASK = 'from flask import request\n';

describe('taint propagation', () => {
  it('follows request data through assignments and string building, with the path', async () => {
    const [s] = await traceSinks({
      'app.py': `${FLASK}
def view():
    host = request.args["host"]
    cmd = "ping -c 1 " + host
    sink(cmd)
`,
    });
    expect(s.line).toBe(6);
    expect(s.trace.kind).toBe('tainted');
    if (s.trace.kind !== 'tainted') return;
    expect(s.trace.sources.map((x) => [x.label, x.location.start.line])).toEqual([
      ['request.args["host"]', 4],
    ]);
    expect(flowOf(s)).toEqual([
      '4: source: `request.args["host"]`',
      '4: assigned to `host`',
      '5: assigned to `cmd`',
    ]);
  });

  it('names first, with its path, the source sanitised for the fewest CWEs', async () => {
    const [s] = await traceSinks(
      {
        'app.py': `${FLASK}import checks
def view():
    page = checks.clean(request.args["page"])
    rest = request.args["rest"]
    sink(f"http://localhost:{page}{rest}")
`,
      },
      { sanitizers: [{ call: 'checks.clean', cwe: [22, 79] }] },
    );
    expect(s.trace.kind).toBe('tainted');
    if (s.trace.kind !== 'tainted') return;
    expect(s.trace.sources.map((x) => [x.label, x.location.start.line])).toEqual([
      ['request.args["rest"]', 5],
      ['request.args["page"]', 4],
    ]);
    expect(flowOf(s)).toEqual(['5: source: `request.args["rest"]`', '5: assigned to `rest`']);
  });

  it('propagates through %, format, f-strings, join, slicing, replace, strip, split, encode and str()', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    x = request.args.get("x")
    sink("a %s" % x)
    sink("{}!".format(x))
    sink(f"<{x}>")
    sink(" ".join(["ls", x]))
    sink(x[1:4])
    sink(x.replace("a", "b").strip().upper())
    sink(x.split(",")[0])
    sink(x.encode("utf-8").decode())
    sink(str(x))
`),
    ).toEqual([
      '5: tainted',
      '6: tainted',
      '7: tainted',
      '8: tainted',
      '9: tainted',
      '10: tainted',
      '11: tainted',
      '12: tainted',
      '13: tainted',
    ]);
  });

  it('keeps dict keys and list indices apart (field sensitivity) and clears overwritten ones', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    d = {"safe": "ls", "user": request.args["u"]}
    sink(d["safe"])
    sink(d["user"])
    sink(d.get("user"))
    l = ["a", request.form["f"]]
    sink(l[0])
    sink(l[1])
    sink(l[-1])
    l[1] = "b"
    sink(l[1])
    d["user"] = "nobody"
    sink(d["user"])
`),
    ).toEqual([
      '5: constant',
      '6: tainted',
      '7: tainted',
      '9: constant',
      '10: tainted',
      '11: tainted',
      '13: constant',
      '15: constant',
    ]);
  });

  it('follows containers: append, extend, insert, update, setdefault, pop, copy and comprehensions', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    t = request.args["t"]
    a = []
    a.append("x")
    a.append(t)
    sink(a[0])
    sink(a[1])
    b = ["k"]
    b.extend([t])
    sink(b[1])
    c = {}
    c.update({"k": t})
    sink(c["k"])
    e = {}
    sink(e.setdefault("k", t))
    f = [t, "safe"]
    sink(f.pop())
    sink(f.copy()[0])
    sink([v.upper() for v in [t]][0])
    sink({k: v for k, v in [("a", t)]})
`),
    ).toEqual([
      '8: constant',
      '9: tainted',
      '12: tainted',
      '15: tainted',
      '17: tainted',
      '19: constant',
      '20: tainted',
      '21: tainted',
      '22: tainted',
    ]);
  });

  it('is flow sensitive: a constant assignment clears the taint of a variable', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    x = request.args["x"]
    sink(x)
    x = "safe"
    sink(x)
    x += request.args["y"]
    sink(x)
`),
    ).toEqual(['5: tainted', '7: constant', '9: tainted']);
  });

  it('propagates through unknown library calls but not known-clean ones', async () => {
    expect(
      await sinkKinds(`${FLASK}
import somelib
import hashlib
def view():
    x = request.args["x"]
    sink(somelib.transform(x))
    sink(len(x))
    sink(hashlib.sha256(x.encode()).hexdigest())
    sink(somelib.constant())
`),
    ).toEqual(['7: tainted', '8: clean', '9: clean', '10: unknown']);
  });

  it('handles walrus, tuple and star unpacking, with-as and for targets', async () => {
    expect(
      await sinkKinds(`${FLASK}import somelib
def view():
    if (n := request.args.get("n")):
        sink(n)
    a, b = "const", request.args["b"]
    sink(a)
    sink(b)
    first, *rest = [request.args["c"], "x", "y"]
    sink(first)
    sink(rest[0])
    with somelib.session(request.args["p"]) as fh:
        sink(fh)
    for item in [request.args["i"]]:
        sink(item)
`),
    ).toEqual([
      '5: tainted',
      '7: constant',
      '8: tainted',
      '10: tainted',
      '11: constant',
      '13: tainted',
      '15: tainted',
    ]);
  });
});

describe('results of calls to other systems', () => {
  it('do not carry the taint of the arguments (process output, HTTP responses)', async () => {
    expect(
      await sinkKinds(`${FLASK}import subprocess, requests, httpx, os
from urllib.request import urlopen
def view():
    host = request.args["host"]
    sink(subprocess.check_output("ping -c 1 " + host, shell=True))
    sink(subprocess.run(["ping", host], capture_output=True).stdout)
    r = requests.get("https://api.example.com/" + host, timeout=5)
    sink(r.json())
    sink(r.text)
    sink(httpx.Client().get(host).content)
    sink(urlopen(host).read())
    sink(os.popen("ls " + host).read())
    sink(some_library.transform(host))
`),
    ).toEqual([
      '6: clean',
      '7: clean',
      '9: unknown',
      '10: clean',
      '11: clean',
      '12: unknown',
      '13: unknown',
      // An unknown library call still passes its argument's data to its result.
      '14: tainted',
    ]);
  });
});

describe('boolean operators', () => {
  it('`a and b` carries only b (a is returned only when falsy), `a or b` carries both', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    x = request.args["x"]
    sink(x and "fixed")
    sink("fixed" and x)
    sink(x or "fixed")
    sink(x and x.strip())
`),
      // Line 5 is "fixed" or a falsy value of unknown type: not tainted.
    ).toEqual(['5: unknown', '6: tainted', '7: tainted', '8: tainted']);
  });
});

describe('constant slices of known lists', () => {
  it('keep the data of each element they select', async () => {
    expect(
      await sinkKinds(`${FLASK}
def view():
    x = request.args["x"]
    arr = ["a", "b", x, "d"]
    sink(arr[0:2][1])
    sink(arr[1:][1])
    sink(arr[-2:][0])
    sink(arr[::2][1])
    sink(arr[::-1][0])
    sink(arr[::-1][1])
    n = int(request.args["n"])
    sink(arr[n:][0])
`),
    ).toEqual([
      '6: constant',
      '7: tainted',
      '8: tainted',
      '9: tainted',
      '10: constant',
      '11: tainted',
      '13: tainted',
    ]);
  });
});
