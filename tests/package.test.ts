import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What `npm publish` would ship: `npm pack --dry-run` lists it. The package must hold what
 * `secreview` needs at run time (every module a shipped module imports, the data files it reads)
 * and nothing else (no tests, benchmarks, scripts or source maps).
 */
const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  engines: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  main: string;
  types: string;
};

function packed(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

describe('the npm package', () => {
  const files = packed();
  const shipped = new Set(files);

  it('declares how it is run and installed', () => {
    expect(pkg.bin).toEqual({ secreview: 'dist/bundle/secreview.js' });
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(readFileSync(join(root, 'bin', 'secreview.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
    expect(readFileSync(join(root, pkg.bin.secreview), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
    expect(shipped.has(pkg.main) && shipped.has(pkg.types)).toBe(true);
  });

  it('holds the CLI, its data files and the docs, and nothing else', () => {
    for (const f of [
      'dist/bundle/secreview.js',
      'dist/bundle/worker.js',
      'dist/bundle/project-worker.js',
      'dist/bundle/tree-sitter.wasm',
      'dist/bundle/catalog.generated.json',
      'dist/bundle/details.generated.json',
      'dist/src/cli/main.js',
      'dist/src/engine/worker.js',
      'dist/src/engine/project-worker.js',
      'dist/src/cwe/catalog.generated.json',
      'dist/src/cwe/details.generated.json',
      'dist/prompts/review.v1.md',
      'schemas/report.schema.json',
      'README.md',
      'package.json',
    ]) {
      expect(shipped, f).toContain(f);
    }
    const allowed =
      /^(dist\/bundle\/[^/]+\.(js|json|wasm)|dist\/src\/.+\.(js|d\.ts|json)|dist\/prompts\/[^/]+\.md|schemas\/report\.schema\.json|docs\/[^/]+\.md|README\.md|package\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.map$|(^|\/)(tests?|bench|scripts|fixtures)\//.test(f))).toEqual([]);
  });

  it('ships every module its modules import, and depends on every package they import', () => {
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    const undeclared = new Set<string>();
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(join(root, f), 'utf8');
      const specs = [
        ...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
        ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
        ...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
        ...text.matchAll(/new URL\(\s*['"`](\.[^'"`$]+)['"`],\s*import\.meta\.url\)/g),
      ].map((m) => m[1]);
      for (const spec of specs) {
        if (/^\.\.?\/?$/.test(spec)) continue; // a folder (the cache key's root), not a module
        if (spec.startsWith('.')) {
          const target = normalize(join(dirname(f), spec))
            .split('\\')
            .join('/');
          if (!shipped.has(target) && target !== 'package.json' && !target.endsWith('/'))
            missing.push(`${f} -> ${spec}`);
        } else if (!spec.startsWith('node:') && !builtins.has(spec)) {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          if (!(name in pkg.dependencies)) undeclared.add(`${name} (imported by ${f})`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect([...undeclared]).toEqual([]);
  });
});
