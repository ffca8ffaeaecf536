import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { review } from '../../../src/engine/review.js';
import { findRule } from '../../../src/rules/registry.js';

/**
 * An Express application laid out as most are: routers in one folder register controllers written in
 * another, directly or through a project helper that receives the router.
 */
const FILES: Record<string, string> = {
  'src/routes/index.js': [
    "const express = require('express');",
    "const controllers = require('../controllers');",
    "const { setupPageRoute } = require('./helpers');",
    '',
    'const router = express.Router();',
    "router.get('/users', controllers.users.list);",
    "setupPageRoute(router, '/search', [], controllers.search.run);",
    "process.on('message', controllers.jobs.run);",
    'module.exports = router;',
    '',
  ].join('\n'),
  'src/routes/helpers.js': [
    'exports.setupPageRoute = function (router, name, middleware, controller) {',
    '  router.get(name, middleware, controller);',
    '};',
    '',
  ].join('\n'),
  'src/controllers/index.js': [
    "exports.users = require('./users');",
    "exports.search = require('./search');",
    "exports.jobs = require('./jobs');",
    '',
  ].join('\n'),
  'src/controllers/users.js': [
    "const cp = require('child_process');",
    '',
    'const usersController = module.exports;',
    'usersController.list = async function (req, res) {',
    "  res.send(cp.execSync('grep ' + req.query.name));",
    '};',
    '',
  ].join('\n'),
  'src/controllers/search.js': [
    "const { exec } = require('child_process');",
    '',
    'exports.run = (req, res) => {',
    '  exec(`find . -name ${req.query.q}`, () => res.end());',
    '};',
    '',
  ].join('\n'),
  // Registered as a process message listener, not a route: its first parameter is no request.
  'src/controllers/jobs.js': [
    "const { exec } = require('child_process');",
    '',
    'exports.run = (message) => {',
    '  exec(`rotate ${message.query}`);',
    '};',
    '',
  ].join('\n'),
};

describe('JavaScript route handlers registered from another module', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'secreview-handlers-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('receive the request object, whether the router registers them or a helper it is handed to', async () => {
    const result = await review({
      paths: ['.'],
      cwd: dir,
      rules: [findRule('javascript/os-command-injection')!],
      jobs: 1,
    });
    expect(
      result.findings.map(
        (f) => `${f.location.file}:${f.location.start.line} ${f.confidence} ${f.flow?.[0]?.note}`,
      ),
    ).toEqual([
      'src/controllers/search.js:4 high source: `req.query`',
      'src/controllers/users.js:5 high source: `req.query`',
    ]);
  });
});

/** A NestJS controller whose services reach the sinks through constructor injection. */
const NEST: Record<string, string> = {
  'src/users.controller.ts': [
    "import { Controller, Get, Query } from '@nestjs/common';",
    "import { UsersService } from './users.service';",
    '',
    "@Controller('users')",
    'export class UsersController {',
    '  constructor(private readonly usersService: UsersService) {}',
    '',
    "  @Get('search')",
    "  search(@Query('name') name: string) {",
    '    return this.usersService.find(name);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/users.service.ts': [
    "import { Injectable } from '@nestjs/common';",
    "import { DataSource } from 'typeorm';",
    "import { Shell } from './shell';",
    '',
    '@Injectable()',
    'export class UsersService {',
    '  constructor(',
    '    private dataSource: DataSource,',
    '    private readonly shell: Shell,',
    '  ) {}',
    '',
    '  find(name: string) {',
    '    this.shell.run(name);',
    "    this.shell.run('constant');",
    "    return this.dataSource.query(`SELECT * FROM users WHERE name = '${name}'`);",
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/shell.ts': [
    "import { execSync } from 'child_process';",
    '',
    'export class Shell {',
    '  run(arg: string) {',
    "    return execSync('grep ' + arg + ' users.txt');",
    '  }',
    '}',
    '',
  ].join('\n'),
};

describe('JavaScript classes a dependency injector builds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'secreview-nest-'));
    for (const [path, text] of Object.entries(NEST)) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give a controller its services, and them theirs, through typed constructor parameters', async () => {
    const result = await review({
      paths: ['.'],
      cwd: dir,
      rules: ['javascript/os-command-injection', 'javascript/sql-injection'].map((id) => findRule(id)!),
      jobs: 1,
    });
    expect(
      result.findings.map(
        (f) =>
          `${f.location.file}:${f.location.start.line} ${f.ruleId} ${f.flow?.map((s) => `${s.location.file}:${s.location.start.line}`).join(' ')}`,
      ),
    ).toEqual([
      'src/shell.ts:5 javascript/os-command-injection src/users.controller.ts:9 src/shell.ts:5',
      'src/users.service.ts:15 javascript/sql-injection src/users.controller.ts:9 src/users.service.ts:15',
    ]);
  });
});

describe('Flow-typed JavaScript', () => {
  it('is parsed with the grammar that reads its annotations, so its flows are followed', async () => {
    const text = [
      '// @flow',
      "import express from 'express';",
      "import { execSync } from 'child_process';",
      "import type { $Request } from 'express';",
      '',
      'function run(cmd: string): Buffer {',
      '  return execSync(`ls ${cmd}`);',
      '}',
      '',
      'const app = express();',
      "app.get('/ls', (req: $Request, res) => {",
      '  res.send(run(req.query.dir));',
      '});',
      '',
    ].join('\n');
    const rule = findRule('javascript/os-command-injection')!;
    const result = await analyzeSource('src/app.js', text, 'javascript', [rule]);
    expect(result.syntaxErrorLines).toEqual([]);
    expect(result.findings.map((f) => `${f.location.start.line} ${f.flow?.[0]?.note}`)).toEqual([
      '7 source: `req.query`',
    ]);
    // Without the pragma it is plain JavaScript, whose grammar cannot read the annotations.
    const plain = await analyzeSource('src/app.js', text.replace('// @flow', '// app'), 'javascript', [rule]);
    expect(plain.syntaxErrorLines.length).toBeGreaterThan(0);
  });
});

describe('a handler whose call runs into more code than the budget allows', () => {
  it('still follows its own statements after the call, and says the analysis was cut short', async () => {
    const text = [
      "const express = require('express');",
      "const { exec } = require('child_process');",
      '',
      'function walk(node, depth) {',
      '  if (depth > 0) {',
      '    walk(node.left, depth - 1);',
      '    walk(node.right, depth - 1);',
      '  }',
      '  return depth;',
      '}',
      '',
      'const app = express();',
      "app.get('/run', (req, res) => {",
      '  walk(req.body, 40);',
      '  exec(`grep ${req.query.q} log.txt`);',
      "  res.send('ok');",
      '});',
      '',
    ].join('\n');
    const rule = findRule('javascript/os-command-injection')!;
    const result = await analyzeSource('src/app.js', text, 'javascript', [rule]);
    expect(result.findings.map((f) => `${f.location.start.line} ${f.flow?.[0]?.note}`)).toEqual([
      '15 source: `req.query`',
    ]);
    expect(result.notes).toEqual([expect.stringContaining('ran out of its budget')]);
  });
});
