/**
 * Renamed copies of a Python package, for the scale benchmark (bench/scale.ts): copy k of package
 * `nova` is package `nova_copy<k>`, and every import of `nova` in it names `nova_copy<k>` instead, so
 * that each copy is a project of its own inside one tree, with its own cross-file flows.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { escapeRegExp } from '../src/core/escape.js';

/** The name of copy k (1-based): the first copy keeps the package's name. */
export function copyName(pkg: string, k: number): string {
  return k === 1 ? pkg : `${pkg}_copy${k}`;
}

/**
 * Rewrites the imports of `from` in Python source to `to`: `import from`, `import from.x as y`,
 * `import a, from.x`, `from from import x`, `from from.x import y`, including the lines of a
 * parenthesised or backslash-continued `import` list. Strings and other code are left as they are:
 * only module names in import statements change.
 */
export function rewriteImports(source: string, from: string, to: string): string {
  if (from === to) return source;
  const name = new RegExp(`(?<![\\w.])${escapeRegExp(from)}(?=[.\\s,;)\\\\]|$)`, 'g');
  const lines = source.split('\n');
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fromImport = /^(\s*from\s+)(\S+)(\s+import\b.*)$/.exec(line);
    if (fromImport) {
      lines[i] = fromImport[1] + fromImport[2].replace(name, to) + fromImport[3];
      continued = false;
      continue;
    }
    if (/^\s*import\s/.test(line) || continued) {
      lines[i] = line.replace(name, to);
      // `import a, \` goes on to the next line; a `from` list's names are not modules.
      continued = /\\\s*$/.test(line);
      continue;
    }
    continued = false;
  }
  // `import nova.conf` binds the name `nova`: the code then reads `nova.conf.CONF`.
  const bindsPackage = new RegExp(
    `^\\s*import\\s+(?:[\\w.]+\\s*,\\s*)*${escapeRegExp(to)}(?:\\.[\\w.]+)?(?!\\s+as\\b)\\s*(?:,|$)`,
    'm',
  );
  if (bindsPackage.test(lines.join('\n'))) {
    const use = new RegExp(`(?<![\\w.'"])${escapeRegExp(from)}(?=\\.\\w)`, 'g');
    for (let i = 0; i < lines.length; i++)
      if (!/^\s*(?:import|from)\s/.test(lines[i])) lines[i] = lines[i].replace(use, to);
  }
  return lines.join('\n');
}

/** The package folder to copy: DIR itself when it is a package, else its only top-level package. */
export function findPackage(dir: string, named?: string): string {
  if (named) {
    const folder = join(dir, named);
    if (!existsSync(join(folder, '__init__.py'))) throw new Error(`${folder} is not a Python package`);
    return folder;
  }
  if (existsSync(join(dir, '__init__.py'))) return dir;
  const packages = readdirSync(dir, { withFileTypes: true }).filter(
    (e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(dir, e.name, '__init__.py')),
  );
  if (packages.length !== 1)
    throw new Error(
      `${dir} holds ${packages.length} top-level packages (${packages.map((p) => p.name).join(', ') || 'none'}): name one with --package`,
    );
  return join(dir, packages[0].name);
}

/** Copies the package's Python files into `root` as `copies` renamed packages; returns lines per copy. */
export function writeCopies(pkgDir: string, root: string, copies: number): { files: number; lines: number } {
  const pkg = basename(pkgDir);
  const sources: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) sources.push(p);
    }
  };
  walk(pkgDir);
  let lines = 0;
  for (let k = 1; k <= copies; k++) {
    const to = copyName(pkg, k);
    for (const src of sources) {
      const target = join(root, to, relative(pkgDir, src));
      mkdirSync(join(target, '..'), { recursive: true });
      const text = readFileSync(src, 'utf8');
      // Lines as an editor counts them: an empty file has none, a final newline ends the last.
      if (k === 1 && text) lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      writeFileSync(target, rewriteImports(text, pkg, to));
    }
  }
  return { files: sources.length, lines };
}
