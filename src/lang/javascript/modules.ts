/**
 * JavaScript module names and the modules a file imports. A module is named by its path without
 * the extension, from the outermost package folder around it (`src/lib/util.ts` → `src/lib/util`),
 * and an `index` file names its folder (`src/lib/index.js` → `src/lib`), as Node and bundlers
 * resolve `./lib` to it. The review counts the top of the work tree as a package (packages nest:
 * see `nested` in ../language.ts), so relative imports resolve across folders whatever
 * `package.json` files lie between. Outside any known package a file is named by its name alone
 * (Python's choice, see ../python/semantic/modules.ts). Pure: nothing reads the file system.
 */
import type { ImportingSource } from '../language.js';

const SOURCE_EXT = /\.(?:d\.)?[cm]?[jt]sx?$/i;
export const PACKAGE_MARKER = 'package.json';

function posix(path: string): string {
  return path.replace(/\\/g, '/');
}

/** Path segments without the extension, an `index` file standing for its folder. */
function segments(path: string): string[] {
  const parts = posix(path)
    .replace(SOURCE_EXT, '')
    .split('/')
    .filter((p) => p && p !== '.');
  if (parts.length > 1 && parts[parts.length - 1] === 'index') parts.pop();
  return parts;
}

/** The name from the path as given: `src/app.ts` → `src/app`, `lib/index.js` → `lib`. */
export function moduleNameForPath(path: string): string {
  return segments(path).join('/') || 'index';
}

/** The folders holding a `package.json` among the paths. */
export function packageDirs(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const path = posix(p);
    const slash = path.lastIndexOf('/');
    if (path.slice(slash + 1) === PACKAGE_MARKER) out.add(slash < 0 ? '' : path.slice(0, slash));
  }
  return out;
}

/** The name of a file from the outermost package folder around it (see the module comment). */
export function packageModuleName(path: string, packages: ReadonlySet<string>): string {
  const file = posix(path);
  let top: string | undefined;
  for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1))
    if (packages.has(file.slice(0, i))) top = file.slice(0, i);
  if (top !== undefined) return moduleNameForPath(file.slice(top.length + 1));
  const parts = segments(file);
  return parts[parts.length - 1] ?? 'index';
}

/**
 * The module a specifier names from a module: a relative one (`./util.js`, `../lib`) resolved
 * against the importing module's folder, without extension or `/index`; a bare one as its package
 * (`lodash/fp` → `lodash`, `@scope/pkg/sub` → `@scope/pkg`, `node:fs` → `fs`). Undefined for a
 * relative specifier that climbs above the names (no module of the review can be named so).
 */
export function resolveSpecifier(specifier: string, from: string, fromIsIndex: boolean): string | undefined {
  if (specifier !== '.' && specifier !== '..' && !/^\.\.?\//.test(specifier)) {
    const bare = specifier.replace(/^node:/, '').split('/');
    return bare[0].startsWith('@') && bare.length > 1 ? `${bare[0]}/${bare[1]}` : bare[0];
  }
  const dir = from.split('/');
  if (!fromIsIndex) dir.pop();
  for (const part of segments(specifier.replace(/\/$/, '/index'))) {
    if (part !== '..') dir.push(part);
    else if (!dir.length) return undefined;
    else dir.pop();
  }
  return dir.join('/') || undefined;
}

/** Whether a file is an `index` module, which names its folder. */
export function isIndexFile(path: string): boolean {
  return /(^|\/)index\.[cm]?[jt]sx?$/i.test(posix(path));
}

/** `import ... from 'fs'`, `export ... from 'fs'` (the clause may span lines), `import 'fs'`. */
const STATIC = /\b(?:import|export)\b(?:[^'";]*?\bfrom)?\s*(['"])([^'"\n]+)\1/g;
/** `require('fs')`, `import('fs')`. */
const DYNAMIC = /\b(?:require|import)\s*\(\s*(['"`])([^'"`\n$]+)\1\s*\)/g;

/**
 * The modules a file's imports may name: relative specifiers resolved to module names, those the
 * project's configuration maps (`imports`, see resolution.ts) to theirs, other bare ones kept as
 * package names. Read from the text with two patterns, without parsing: a guess for
 * ordering work, never an answer of the analysis.
 */
export function importedNames(source: ImportingSource): string[] {
  const from = source.module ?? moduleNameForPath(source.file);
  const index = isIndexFile(source.file);
  const out = new Set<string>();
  for (const pattern of [STATIC, DYNAMIC])
    for (const m of source.text.matchAll(pattern)) {
      const name = source.imports?.[m[2]] ?? resolveSpecifier(m[2], from, index);
      if (name) out.add(name);
    }
  return [...out];
}
