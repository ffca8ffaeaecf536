import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countEslint, countLines, writeEslintConfig, listJsFiles } from '../../bench/eslint-peer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eslint-peer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('listJsFiles and countLines', () => {
  it('lists the JavaScript and TypeScript files the review walk keeps, and counts their lines', async () => {
    write('src/a.ts', 'export const a = 1;\nexport const b = 2;\n');
    write('src/b.tsx', 'export const c = <div />;');
    write('src/c.mjs', '\n');
    write('src/d.cjs', '');
    write('src/e.jsx', 'x\ny\nz\n');
    write('src/f.py', 'print(1)\n');
    write('node_modules/lib/index.js', 'module.exports = 1;\n');
    write('dist/out.js', 'a\n');
    write('generated/g.js', 'a\n');
    write('.gitignore', 'generated/\n');
    const files = await listJsFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'src/a.ts',
      'src/b.tsx',
      'src/c.mjs',
      'src/d.cjs',
      'src/e.jsx',
    ]);
    expect(countLines(files)).toBe(2 + 1 + 1 + 0 + 3);
  });
});

describe('countEslint', () => {
  it("counts the plugin's reports by rule and the files that did not parse, not other messages", () => {
    const counts = countEslint([
      {
        messages: [
          { ruleId: 'security/detect-child-process' },
          { ruleId: 'security/detect-object-injection' },
          { ruleId: 'security/detect-child-process' },
          { ruleId: null },
        ],
      },
      { messages: [{ ruleId: null, fatal: true }] },
      { messages: [] },
    ]);
    expect(counts).toEqual({
      findings: 3,
      byRule: { 'security/detect-child-process': 2, 'security/detect-object-injection': 1 },
      unparsed: 1,
    });
  });
});

describe('writeEslintConfig', () => {
  it('lints JavaScript (with JSX) and TypeScript with the recommended rules, ignoring inline directives', async () => {
    mkdirSync(join(dir, 'config'));
    const config = writeEslintConfig(join(dir, 'config'));
    expect(config).toBe(join(dir, 'config', 'eslint.config.mjs'));
    const project = join(dir, 'project');
    const js = write(
      'project/run.js',
      "const cp = require('child_process');\n// eslint-disable-next-line\ncp.exec(process.argv[2]);\nexport const v = <b>{1}</b>;\n",
    );
    const ts = write(
      'project/eval.ts',
      'export function f(code: string): unknown {\n  return eval(code);\n}\n',
    );
    write('project/eslint.config.js', 'throw new Error("the project config must not load");\n');
    const eslint = new ESLint({ cwd: project, overrideConfigFile: config, concurrency: 'off' });
    const results = await eslint.lintFiles([js, ts]);
    const rules = results.map((r) => r.messages.map((m) => `${m.line}:${m.ruleId}`));
    // The directive is reported as having no effect (no rule: not counted) and the call is reported.
    expect(rules).toEqual([
      ['2:null', '3:security/detect-child-process'],
      ['2:security/detect-eval-with-expression'],
    ]);
  });
});
