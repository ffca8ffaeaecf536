import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
