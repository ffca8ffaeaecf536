import { describe, expect, it } from 'vitest';
import { reviewFiles } from './review-files.js';

/**
 * Connect-style middleware (`function (req, res, next)`) runs before the handler on the same
 * request object: what it assigns to a field the framework's model does not name is that field in
 * the handler (interpreter.ts `attachedField`).
 */
const STORE = [
  'class Store {', // 1
  '  constructor(pool) {', // 2
  '    this.pool = pool;', // 3
  '  }', // 4
  '  find(name) {', // 5
  "    return this.pool.query(`SELECT * FROM items WHERE name = '${name}'`);", // 6
  '  }', // 7
  '  findByOwner(owner) {', // 8
  "    return this.pool.query(`SELECT * FROM items WHERE owner = '${owner}'`);", // 9
  '  }', // 10
  '  findByTag(tag) {', // 11
  "    return this.pool.query(`SELECT * FROM items WHERE tag = '${tag}'`);", // 12
  '  }', // 13
  '}', // 14
  'module.exports = { Store };', // 15
  '',
].join('\n');

const APP = [
  "const express = require('express');", // 1
  "const { Pool } = require('pg');", // 2
  "const { Store } = require('./store');", // 3
  'const pool = new Pool();', // 4
  'const app = express();', // 5
  'app.use((req, res, next) => {', // 6
  '  req.store = new Store(pool);', // 7
  '  loadUser(req).then((user) => {', // 8
  '    req.account = { store: new Store(pool) };', // 9
  '    next();', // 10
  '  });', // 11
  '});', // 12
  'app.use(function (req, res, next) {', // 13
  '  [1].forEach((req) => {', // 14
  '    req.shadowed = new Store(pool);', // 15
  '  });', // 16
  '  next();', // 17
  '});', // 18
  "app.get('/a', (req, res) => res.json(req.store.find(req.query.a)));", // 19
  "app.get('/b', (req, res) => res.json(req.account.store.findByOwner(req.query.b)));", // 20
  "app.get('/c', (req, res) => res.json(req.shadowed.findByTag(req.query.c)));", // 21
  "app.get('/d', (req, res) => res.json(req.store.find('fixed')));", // 22
  'function loadUser(req) {', // 23
  '  return Promise.resolve({});', // 24
  '}', // 25
  '',
].join('\n');

describe('JavaScript middleware fields of the request', () => {
  it('are what the middleware assigned, in a callback of it too, not where a function rebinds the name', async () => {
    const findings = await reviewFiles({ 'app.js': APP, 'store.js': STORE }, ['javascript/sql-injection']);
    expect(findings.map((f) => [f.location.file, f.location.start.line])).toEqual([
      ['store.js', 6],
      ['store.js', 9],
    ]);
  });
});

/**
 * A middleware's field that takes long to evaluate (`req.schema = buildSchema()`) is evaluated on a
 * few steps of its own: the handler keeps the steps it needs for its own statements.
 */
const COSTLY = [
  "const express = require('express');", // 1
  "const { exec } = require('child_process');", // 2
  'const app = express();', // 3
  'function buildSchema(depth = 30) {', // 4
  '  if (depth === 0) return {};', // 5
  '  const left = buildSchema(depth - 1);', // 6
  '  const right = buildSchema(depth - 1);', // 7
  '  return { left, right, size: depth };', // 8
  '}', // 9
  'app.use((req, res, next) => {', // 10
  '  req.types = buildSchema(); req.fields = buildSchema(); req.roles = buildSchema();', // 11
  '  next();', // 12
  '});', // 13
  'app.use((req, res, next) => {', // 14
  '  req.schema = buildSchema();', // 15
  '  next();', // 16
  '});', // 17
  "app.get('/run', (req, res) => {", // 18
  '  const known = [req.schema, req.types, req.fields, req.roles];', // 19
  '  list(req.query.dir);', // 20
  '  res.json(known);', // 21
  '});', // 22
  'function list(dir) {', // 23
  '  exec(`ls ${dir}`);', // 24
  '}', // 25
  '',
].join('\n');

describe('JavaScript middleware fields that take long to evaluate', () => {
  it('leave the handler its sink', async () => {
    const findings = await reviewFiles({ 'app.js': COSTLY }, ['javascript/os-command-injection']);
    expect(findings.map((f) => f.location.start.line)).toEqual([24]);
  });
});
