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
});
