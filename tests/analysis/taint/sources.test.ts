import { describe, expect, it } from 'vitest';
import { sinkKinds, traceSinks } from './helpers.js';

describe('sources', () => {
  it('knows Flask, Django, FastAPI routes, WSGI, sys.argv and input()', async () => {
    const sinks = await traceSinks({
      'app.py': `
import sys
from flask import Flask, request
from fastapi import FastAPI

app = Flask(__name__)
api = FastAPI()

@app.route("/u/<name>")
def flask_view(name):
    sink(name)
    sink(request.get_json()["k"])
    sink(request.cookies.get("c"))

def django_view(request, slug):
    sink(request.GET["q"])
    sink(request.META["HTTP_X"])
    sink(request.user)

@api.get("/items/{item_id}")
async def read_item(item_id: str, q: str = None):
    sink(q)

def wsgi_app(environ, start_response):
    sink(environ["PATH_INFO"])

def cli():
    sink(sys.argv[1])
    sink(input("name? "))
`,
    });
    expect(
      sinks.map((s) => `${s.line}: ${s.trace.kind === 'tainted' ? s.trace.sources[0].label : s.trace.kind}`),
    ).toEqual([
      '11: route parameter `name`',
      '12: request.get_json()["k"]',
      '13: request.cookies.get("c")',
      '16: request.GET["q"]',
      '17: request.META["HTTP_X"]',
      '18: unknown',
      '22: route parameter `q`',
      '25: WSGI `environ`',
      '28: sys.argv[1]',
      '29: input("name? ")',
    ]);
  });

  it('counts environment variables only when the config turns them on', async () => {
    const text = `
import os
def f():
    sink(os.environ["HOME"])
    sink(os.getenv("X"))
`;
    expect(await sinkKinds(text)).toEqual(['4: unknown', '5: unknown']);
    const on = await traceSinks({ 'app.py': text }, { lowerTrust: { environment: true } });
    expect(on.map((s) => (s.trace.kind === 'tainted' ? s.trace.sources[0].trust : s.trace.kind))).toEqual([
      'environment',
      'environment',
    ]);
  });

  it('takes user-declared sources (call, attribute, parameter) and sanitizers', async () => {
    expect(
      await sinkKinds(
        `
import mylib
def handler(payload):
    sink(payload)
    sink(mylib.read_message())
    sink(mylib.cleanse(mylib.read_message()))
    sink(mylib.CURRENT.body)
`,
        {
          sources: [{ parameter: 'payload' }, { call: 'mylib.read_message' }, { attribute: 'mylib.CURRENT' }],
          sanitizers: [{ call: 'mylib.cleanse' }],
        },
      ),
    ).toEqual(['4: tainted', '5: tainted', '6: clean', '7: tainted']);
  });
  it('reads the WSGI environ: server and middleware keys are clean, client keys and unknown keys are sources', async () => {
    const text = `
from flask import Flask, request

app = Flask(__name__)

@app.route("/")
def flask_view():
    env = request.environ
    key = request.args["k"]
    sink(request.environ["nova.context"])
    sink(request.environ["HTTP_X_FOO"])
    sink(request.environ["QUERY_STRING"])
    sink(request.environ.get("PATH_INFO"))
    sink(request.environ.get("keystone.token_info"))
    sink(request.environ[key])
    sink(env["SERVER_NAME"])
    sink(env.get("wsgi.input"))
    sink(env)

def wsgi_app(environ, start_response):
    name = "REMOTE_ADDR"
    sink(environ["nova.context"])
    sink(environ["HTTP_X_FOO"])
    sink(environ["QUERY_STRING"])
    sink(environ.get("PATH_INFO"))
    sink(environ.get("paste.registry"))
    sink(environ[start_response])
    sink(environ[name])
    holder = {"env": environ}
    sink(holder["env"])

class Controller:
    def show(self, req, id):
        sink(req.environ["nova.context"])
        sink(req.environ.get("webob.adhoc_attrs", {}))
        sink(req.environ["HTTP_X_AUTH_TOKEN"])
        sink(req.environ.get("REQUEST_URI"))
        sink(req.META["REMOTE_ADDR"])
        sink(req.META["HTTP_REFERER"])
`;
    expect(await sinkKinds(text)).toEqual([
      '10: clean',
      '11: tainted',
      '12: tainted',
      '13: tainted',
      '14: clean',
      '15: tainted',
      '16: clean',
      '17: tainted',
      '18: tainted',
      '22: clean',
      '23: tainted',
      '24: tainted',
      '25: tainted',
      '26: clean',
      '27: tainted',
      '28: clean',
      '30: tainted',
      '34: clean',
      '35: clean',
      '36: tainted',
      '37: tainted',
      '38: clean',
      '39: tainted',
    ]);
  });
});

describe('entry points', () => {
  it('are the functions whose code reads a source: not a docstring, a comment or a variable of their own named request', async () => {
    // A function that is not run as an entry point keeps its expressions "unknown"; one that is
    // run knows `cmd` is the constant "ls".
    const text = [
      'from flask import request',
      '',
      'def documented():',
      '    """Serves the request."""',
      '    cmd = "ls"  # no req here',
      '    sink(cmd)',
      '',
      'def own_variable(spec):',
      '    for request in spec.requests:',
      '        cmd = "ls"',
      '        sink(cmd)',
      '',
      'def parameter(req):',
      '    cmd = "ls"',
      '    sink(cmd)',
      '',
      'def flask_global():',
      '    cmd = "ls"',
      '    sink(cmd)',
      '    sink(request.args["q"])',
      '',
      'def message():',
      '    sink(f"bad request: {request.path}")',
    ].join('\n');
    expect(await sinkKinds(text)).toEqual([
      '6: unknown',
      '11: unknown',
      '15: constant',
      '19: constant',
      '20: tainted',
      '23: tainted',
    ]);
  });
});
