import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../../src/lang/language.js';
import { createResolver } from '../../../src/lang/javascript/resolution.js';
import { findingsOf, run, TempRepo } from '../../review/helpers.js';

/** Files of a tree in memory, with every path the resolver asked for. */
function memoryFiles(files: Record<string, string>): ProjectFiles & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read: (path) => (asked.push(path), Promise.resolve(files[path])),
    isFile: (path) => (asked.push(path), Promise.resolve(path in files && /\.[cm]?[jt]sx?$/.test(path))),
    find: (name) => Promise.resolve(Object.keys(files).filter((p) => p === name || p.endsWith(`/${name}`))),
  };
}

const TREE: Record<string, string> = {
  'tsconfig.base.json': [
    '{',
    '  // comments and trailing commas, as TypeScript allows',
    '  "compilerOptions": {',
    '    "paths": { "@server/*": ["./server/*"], "~/*": ["./app/*",], },',
    '  },',
    '}',
  ].join('\n'),
  'tsconfig.json': '{ "extends": "./tsconfig.base", "compilerOptions": { "strict": true } }',
  'server/commands/share.ts': 'export function load() {}',
  'server/models/index.ts': 'export const User = 1;',
  'app/ui.tsx': 'export const x = 1;',
  'package.json':
    '{ "name": "root", "imports": { "#lib/*": { "types": "./lib/*.d.ts", "default": "./lib/*.js" } } }',
  'lib/db.js': 'module.exports = {};',
  'packages/utils/package.json':
    '{ "name": "@acme/utils", "main": "dist/index.js", "exports": { ".": "./dist/index.js", "./fs": "./dist/fs.js" } }',
  'packages/utils/src/index.ts': 'export const a = 1;',
  'packages/utils/src/fs.ts': 'export const b = 1;',
  'packages/core/package.json': '{ "name": "@acme/core", "main": "./index.js" }',
  'packages/core/index.js': 'exports.c = 1;',
  // The nearest tsconfig of this folder maps `@server/*` elsewhere.
  'tools/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@server/*": ["./shims/*"] } } }',
  'tools/shims/commands/share.ts': 'export function load() {}',
  'tools/helper.ts': 'export const h = 1;',
  'tools/crypto.ts': 'export const c = 1;',
};

const IMPORTS = [
  'import { load } from "@server/commands/share";',
  'import { User } from "@server/models";',
  "import ui from '~/ui';",
  "const db = require('#lib/db');",
  "import { a } from '@acme/utils';",
  "import { b } from '@acme/utils/fs';",
  "import core from '@acme/core';",
  "import express from 'express';",
  "import fs from 'node:fs';",
  "import { missing } from '@server/nothing';",
].join('\n');

describe('non-relative imports of project modules', () => {
  it('resolve through tsconfig paths (with extends), package imports and workspace packages', async () => {
    const resolve = createResolver(memoryFiles(TREE));
    expect(await resolve('server/routes/app.ts', IMPORTS)).toEqual({
      '@server/commands/share': 'server/commands/share',
      '@server/models': 'server/models',
      '~/ui': 'app/ui',
      '#lib/db': 'lib/db',
      '@acme/utils': 'packages/utils/src',
      '@acme/utils/fs': 'packages/utils/src/fs',
      '@acme/core': 'packages/core',
    });
  });

  it('take the tsconfig nearest above the file, and baseUrl', async () => {
    const resolve = createResolver(memoryFiles(TREE));
    // Node's own `crypto` is never a file of the tree, whatever baseUrl says.
    const text =
      'import { load } from "@server/commands/share";\nimport { h } from "helper";\nimport "crypto";\n';
    expect(await resolve('tools/run.ts', text)).toEqual({
      '@server/commands/share': 'tools/shims/commands/share',
      helper: 'tools/helper',
    });
  });

  it('ignore configuration that points outside the tree, to installed code, or to absolute paths', async () => {
    const files = memoryFiles({
      'tsconfig.json': JSON.stringify({
        extends: ['/etc/tsconfig.json', '@tsconfig/node20/tsconfig.json', '../../outside.json'],
        compilerOptions: {
          baseUrl: '../..',
          paths: {
            '@up/*': ['../outside/*', '../../*'],
            '@abs/*': ['/etc/*'],
            '@mods/*': ['./node_modules/*'],
          },
        },
      }),
      'package.json': JSON.stringify({ name: 'root', imports: { '#x': '../outside/x.js', '#y': 'lodash' } }),
      'node_modules/evil/index.js': '',
      'src/app.ts': '',
    });
    const resolve = createResolver(files);
    const text = ['@up/a', '@abs/passwd', '@mods/evil', '#x', '#y', 'evil']
      .map((s) => `import '${s}';`)
      .join('\n');
    expect(await resolve('src/app.ts', text)).toEqual({});
    // Nothing outside the tree or under node_modules was read or looked for.
    expect(
      files.asked.filter((p) => p.startsWith('/') || p.includes('..') || p.includes('node_modules')),
    ).toEqual([]);
    // The configuration read: the nearest above the file, never what `extends` names outside.
    expect([...new Set(files.asked.filter((p) => p.endsWith('.json')))].sort()).toEqual([
      'package.json',
      'src/jsconfig.json',
      'src/package.json',
      'src/tsconfig.json',
      'tsconfig.json',
    ]);
  });
});

/** Only the command-injection rule, so rules added later do not change expectations. */
const CONFIG = 'rules:\n  enable: [javascript/os-command-injection]\n';
const HELPER = [
  "import { execSync } from 'node:child_process';",
  '',
  'export function ping(host: string) {',
  "  return execSync('ping -c 1 ' + host);",
  '}',
  '',
].join('\n');
const ROUTE = [
  "import express from 'express';",
  "import { ping } from '@server/net/ping';",
  '',
  'const app = express();',
  "app.get('/ping', (req, res) => {",
  '  res.send(ping(String(req.query.host)));',
  '});',
  '',
].join('\n');

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.remove();
  repos = [];
});

function aliasedRepo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  r.write('.secreview.yml', CONFIG)
    .write('package.json', '{ "name": "app" }\n')
    .write(
      'tsconfig.json',
      '{\n  "compilerOptions": {\n    // aliases\n    "paths": { "@server/*": ["./server/*"], },\n  },\n}\n',
    );
  return r;
}

describe('a flow through a path alias', () => {
  it('is found by a full review', async () => {
    const r = aliasedRepo();
    r.write('server/net/ping.ts', HELPER).write('server/routes/app.ts', ROUTE);
    const res = await run(r.dir, ['review', '.', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual(['server/net/ping.ts:4 javascript/os-command-injection']);
  });

  it('is not followed through a configuration file that links out of the tree', async () => {
    const r = aliasedRepo();
    const outside = `${r.dir}.outside`;
    mkdirSync(outside, { recursive: true });
    try {
      writeFileSync(join(outside, 'tsconfig.json'), readFileSync(join(r.dir, 'tsconfig.json')));
      rmSync(join(r.dir, 'tsconfig.json'));
      symlinkSync(join(outside, 'tsconfig.json'), join(r.dir, 'tsconfig.json'));
      r.write('server/net/ping.ts', HELPER).write('server/routes/app.ts', ROUTE);
      const res = await run(r.dir, ['review', '.', '-f', 'json']);
      expect(findingsOf(res.stdout)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is found by a diff review of a commit, the configuration read at the revision', async () => {
    const r = aliasedRepo();
    r.write('server/net/ping.ts', HELPER.replace("'ping -c 1 ' + host", "'ping -c 1 localhost'"));
    r.write('server/routes/app.ts', ROUTE.replace('ping(String(req.query.host))', "'ok'"));
    r.commit('base');
    r.write('server/net/ping.ts', HELPER).write('server/routes/app.ts', ROUTE);
    r.commit('head');
    // The working tree's configuration no longer maps the alias: the commit's must be read.
    r.write('tsconfig.json', '{}\n');
    const res = await run(r.dir, ['diff', 'HEAD~1..HEAD', '-f', 'json']);
    expect(findingsOf(res.stdout)).toEqual(['server/net/ping.ts:4 javascript/os-command-injection']);
  });
});
