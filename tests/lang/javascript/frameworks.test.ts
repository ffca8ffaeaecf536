import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { dataflow } from '../../../src/lang/javascript/dataflow/index.js';
import { sinksOf } from '../../../src/lang/javascript/models/sinks.js';
import { allRules, findRule } from '../../../src/rules/registry.js';

async function review(path: string, text: string, ruleId: string): Promise<[number, string][]> {
  const result = await analyzeSource(path, text, 'javascript', [findRule(ruleId)!]);
  expect(result.ruleErrors).toEqual([]);
  return result.findings.map((f) => [f.location.start.line, f.flow?.[0]?.note ?? '']);
}

describe('JavaScript: entry points frameworks declare', () => {
  it('a NestJS handler: each parameter as its decorator injects it', async () => {
    const text = `import { Body, Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { execSync } from 'child_process';

@Controller()
export class JobsController {
  @Post(':id')
  run(@Param('id', ParseUUIDPipe) id: string, @Body('script') script: string, @Body() body, @Req() req) {
    execSync('run ' + id);
    execSync('run ' + script);
    execSync('run ' + body.args);
    execSync('run ' + req.headers['x-job']);
  }
}
`;
    expect(await review('src/jobs.controller.ts', text, 'javascript/os-command-injection')).toEqual([
      [9, "source: `@Body('script')`"],
      [10, 'source: `@Body()`'],
      [11, 'source: `req.headers`'],
    ]);
  });

  it('a NestJS decorator of another library is not a route', async () => {
    const text = `import { Controller, Get, Query } from 'some-other-router';
import { execSync } from 'child_process';

@Controller()
export class Jobs {
  @Get()
  run(@Query('cmd') cmd: string) {
    execSync(cmd);
  }
}
`;
    expect(await review('src/jobs.ts', text, 'javascript/os-command-injection')).toEqual([]);
  });

  it('Next.js middleware: the request of every path', async () => {
    const text = `import { NextResponse, type NextRequest } from 'next/server';

export function middleware(request: NextRequest) {
  const to = request.nextUrl.searchParams.get('to');
  if (to) return NextResponse.redirect(to);
  return NextResponse.redirect(new URL('/signin', request.url));
}
`;
    expect(await review('src/middleware.ts', text, 'javascript/open-redirect')).toEqual([
      [5, 'source: `request.nextUrl.searchParams`'],
    ]);
    // The same code elsewhere is no route of Next.js.
    expect(await review('src/lib/helpers.ts', text, 'javascript/open-redirect')).toEqual([]);
  });

  it('the module hint takes route files by their path', () => {
    const may = dataflow.mayHoldEntryPoint();
    expect(may('app/api/items/route.ts', 'export const GET = () => null;')).toBe(true);
    expect(may('pages/api/items.ts', 'export default () => null;')).toBe(true);
    expect(may('lib/items.ts', 'export default () => null;')).toBe(false);
    expect(may('lib/actions.ts', "'use server';\nexport async function save(x) {}")).toBe(true);
  });

  it('a route object of Hapi only in a module that names Hapi or with the toolkit parameter', async () => {
    const routes = (params: string): string => `const fs = require('fs');
module.exports = [
  { method: 'GET', path: '/logs', handler: (${params}) => fs.readFileSync('/logs/' + request.query.name) },
];
`;
    expect(await review('routes/logs.js', routes('request, h'), 'javascript/path-traversal')).toEqual([
      [3, 'source: `request.query`'],
    ]);
    expect(await review('routes/logs.js', routes('request, reply'), 'javascript/path-traversal')).toEqual([]);
  });
});

describe('JavaScript: route handlers known by their shape', () => {
  it("a project router's `route(VERB, PATH, handler)` and verb methods: the request's input, said to be a guess", async () => {
    const text = `const fs = require('fs');
module.exports = function mount(router) {
  router.route('GET', '/logs/:name', (req) => fs.readFileSync('/logs/' + req.params.name));
  router.post('/logs', (req, res, next) => fs.readFileSync('/logs/' + req.body.name));
  router.get('/logs/config', (req) => fs.readFileSync('/logs/' + req.auth.logName));
  router.route('LIST', '/logs', (req) => fs.readFileSync('/logs/' + req.query.name));
  router.get('logs', (req) => fs.readFileSync('/logs/' + req.query.name));
  router.get('/logs/old', (request, reply) => fs.readFileSync('/logs/' + request.query.name));
};
`;
    expect(await review('routes/logs.js', text, 'javascript/path-traversal')).toEqual([
      [3, 'source: `req.params` of a handler known only by the shape of its route'],
      [4, 'source: `req.body` of a handler known only by the shape of its route'],
    ]);
  });

  it('an endpoint object `{ method, path, handler }`: its handler if shaped as a request handler', async () => {
    const text = `const fs = require('fs');
export const endpoints = [
  { method: 'post', path: '/export', handler: async (req) => fs.readFileSync('/exports/' + (await req.json()).file) },
  { method: 'get', path: '/export', handler: async (args) => fs.readFileSync('/exports/' + args.query.file) },
  { method: 'fetch', path: '/export', handler: async (req) => fs.readFileSync('/exports/' + req.query.file) },
];
`;
    expect(await review('endpoints/export.js', text, 'javascript/path-traversal')).toEqual([
      [3, 'source: `req.json()` of a handler known only by the shape of its route'],
    ]);
  });
});

describe('JavaScript: file-based routes other than Next.js', () => {
  it('a `route.ts` module: its exports named by verbs, shaped as request handlers', async () => {
    const text = `import fs from 'fs';
export const GET = async (req, res) => res.send(fs.readFileSync('/exports/' + req.query.name));
export const POST = async (input) => fs.readFileSync('/exports/' + input.query.name);
export const load = async (req, res) => res.send(fs.readFileSync('/exports/' + req.query.name));
`;
    expect(await review('src/api/admin/exports/route.ts', text, 'javascript/path-traversal')).toEqual([
      [2, 'source: `req.query` of a handler known only by the shape of its route'],
    ]);
    expect(await review('src/api/admin/exports/helpers.ts', text, 'javascript/path-traversal')).toEqual([]);
  });
});

describe('JavaScript sink models', () => {
  it('give every concept a JavaScript taint rule picks at least one sink', () => {
    const picked = allRules()
      .filter((r) => r.languages.includes('javascript'))
      .flatMap((r) => r.taint?.concepts ?? []);
    expect(picked.length).toBeGreaterThanOrEqual(10);
    for (const c of picked) expect(sinksOf([c]).length, c).toBeGreaterThan(0);
  });
});
