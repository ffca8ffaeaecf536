/**
 * Non-relative imports of a project's own modules, resolved as TypeScript and Node resolve them,
 * from the project's configuration read as data (nothing runs):
 *
 * 1. `compilerOptions.baseUrl` and `paths` of the `tsconfig.json` (else `jsconfig.json`) nearest
 *    above the importing file, following `extends` to relative paths inside the tree only;
 * 2. the `imports` field (`#internal/*`) of the nearest `package.json`;
 * 3. workspace packages: a bare specifier naming a package whose `package.json` is in the tree
 *    resolves to its entry (`exports`, `module`, `main`, `types`), or to its `src/` sources when the
 *    entry is build output that is not in the tree.
 *
 * A target must be a source file of the tree: one that climbs out of it, lies in installed code,
 * or does not exist is not an answer (TypeScript then falls back to `node_modules`, which names a
 * library). The result is the target's module name (see modules.ts), so an alias names the same
 * module as a relative import of the file. Reads files only through the view the engine gives.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { isBuiltin } from 'node:module';
import type { ProjectFiles } from '../language.js';
import { moduleNameForPath } from './modules.js';
import { readTemplates } from './templates/views.js';

/** A configuration file larger than this is not a hand-written one: ignored. */
const MAX_CONFIG_CHARS = 1024 * 1024;
/** `extends` chains longer than this are cut (TypeScript has no limit; cycles are cut too). */
const MAX_EXTENDS = 8;
const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** The folders build output goes to, whose sources sit in `src/` (see the module comment, 3). */
const BUILD_DIRS = new Set(['dist', 'build', 'lib', 'out', 'esm', 'cjs']);
/** Conditions of `exports` and `imports` read, in order: sources first, then what Node picks. */
const CONDITIONS = ['source', 'types', 'typescript', 'import', 'module', 'node', 'require', 'default'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Paths {
  /** Folder of the config defining them: targets are relative to it when no baseUrl is set. */
  dir: string;
  patterns: [string, string[]][];
}

interface CompilerPaths {
  baseUrl?: string;
  paths?: Paths;
}

/** The specifiers of a file (path from the top of the tree, text) that name modules of the tree, with their names. */
export type ImportResolver = (file: string, text: string) => Promise<Record<string, string>>;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `base` joined with a relative path, normalised; undefined when it climbs out of the tree or is absolute. */
export function joinInside(base: string, rel: string): string | undefined {
  if (/^(?:[\\/]|[A-Za-z]:)/.test(rel) || rel.includes('\0')) return undefined;
  const out = base ? base.split('/') : [];
  for (const part of rel.replace(/\\/g, '/').split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  if (out.includes('node_modules')) return undefined;
  return out.join('/');
}

/** `key` matched against a pattern with at most one `*`: the text the star stands for, else undefined. */
function matchPattern(pattern: string, key: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === key ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (key.length < prefix.length + suffix.length || !key.startsWith(prefix) || !key.endsWith(suffix))
    return undefined;
  return key.slice(prefix.length, key.length - suffix.length);
}

/** The patterns matching a key, the longest prefix first (TypeScript's and Node's order). */
function matching<T>(entries: [string, T][], key: string): [string, T][] {
  const out: [string, T, string][] = [];
  for (const [pattern, value] of entries) {
    const star = matchPattern(pattern, key);
    if (star !== undefined) out.push([star, value, pattern]);
  }
  const rank = (p: string): number => (p.includes('*') ? p.indexOf('*') : Infinity);
  return out.sort((a, b) => rank(b[2]) - rank(a[2])).map(([star, value]) => [star, value]);
}

/** The string leaves of an `exports`/`imports` target, conditions in CONDITIONS order. */
function targets(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => targets(v));
  if (!isObject(value)) return [];
  const keys = Object.keys(value);
  const order = [
    ...CONDITIONS.filter((c) => keys.includes(c)),
    ...keys.filter((k) => !CONDITIONS.includes(k)),
  ];
  return order.flatMap((k) => targets(value[k]));
}

export function createResolver(files: ProjectFiles, note?: (text: string) => void): ImportResolver {
  const texts = new Map<string, Promise<JsonObject | undefined>>();
  const readJson = (path: string): Promise<JsonObject | undefined> => {
    let p = texts.get(path);
    if (!p) {
      p = files.read(path).then((text) => {
        if (text === undefined || text.length > MAX_CONFIG_CHARS) return undefined;
        const value = parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false }) as Json;
        return isObject(value) ? value : undefined;
      });
      texts.set(path, p);
    }
    return p;
  };
  const fileChecks = new Map<string, Promise<boolean>>();
  const isFile = (path: string): Promise<boolean> => {
    let p = fileChecks.get(path);
    if (!p) fileChecks.set(path, (p = files.isFile(path)));
    return p;
  };

  /** The source file a path names: as written, with an extension, TypeScript's for `.js`, or its folder's index. */
  const sourceFile = async (path: string): Promise<string | undefined> => {
    const candidates: string[] = [];
    const ext = /\.[cm]?[jt]sx?$/.exec(path)?.[0];
    if (ext) {
      candidates.push(path);
      const stem = path.slice(0, -ext.length);
      if (/js/.test(ext))
        candidates.push(...[ext.replace('js', 'ts'), ext.replace('jsx', 'tsx')].map((e) => stem + e));
    }
    candidates.push(...SOURCE_EXTS.map((e) => path + e));
    candidates.push(...SOURCE_EXTS.map((e) => `${path}/index${e}`));
    for (const c of candidates) if (await isFile(c)) return c;
    return undefined;
  };
  const nameOf = async (path: string | undefined): Promise<string | undefined> => {
    const file = path === undefined ? undefined : await sourceFile(path);
    return file === undefined ? undefined : moduleNameForPath(file);
  };

  /** baseUrl and paths of a config, with those it extends (inner ones override outer ones). */
  const compilerPaths = async (path: string, depth: number, seen: Set<string>): Promise<CompilerPaths> => {
    const config = await readJson(path);
    if (!config || seen.has(path)) return {};
    seen.add(path);
    let inherited: CompilerPaths = {};
    const ext = config.extends;
    if (depth < MAX_EXTENDS)
      for (const parent of typeof ext === 'string' ? [ext] : Array.isArray(ext) ? ext : []) {
        // Only a relative path inside the tree: an absolute one or a package is never followed.
        if (typeof parent !== 'string' || !/^\.\.?\//.test(parent)) continue;
        let target = joinInside(dirOf(path), parent);
        if (target === undefined) continue;
        if (!target.endsWith('.json')) target += '.json';
        inherited = { ...inherited, ...definedOf(await compilerPaths(target, depth + 1, seen)) };
      }
    const options = config.compilerOptions;
    const own: CompilerPaths = {};
    const dir = dirOf(path);
    if (isObject(options)) {
      if (typeof options.baseUrl === 'string') own.baseUrl = joinInside(dir, options.baseUrl);
      if (isObject(options.paths)) {
        const patterns: [string, string[]][] = [];
        for (const [key, value] of Object.entries(options.paths))
          if (Array.isArray(value))
            patterns.push([key, value.filter((v): v is string => typeof v === 'string')]);
        own.paths = { dir, patterns };
      }
    }
    return { ...inherited, ...definedOf(own) };
  };

  const configOf = new Map<string, Promise<CompilerPaths>>();
  /** The nearest tsconfig.json (else jsconfig.json) above a folder, read. */
  const compilerOf = (dir: string): Promise<CompilerPaths> => {
    let p = configOf.get(dir);
    if (!p) {
      p = (async () => {
        for (const name of ['tsconfig.json', 'jsconfig.json']) {
          const path = dir ? `${dir}/${name}` : name;
          if (await readJson(path)) return compilerPaths(path, 0, new Set());
        }
        return dir ? compilerOf(dirOf(dir)) : {};
      })();
      configOf.set(dir, p);
    }
    return p;
  };

  const packageOf = new Map<string, Promise<string | undefined>>();
  /** The folder of the nearest package.json above a folder. */
  const nearestPackage = (dir: string): Promise<string | undefined> => {
    let p = packageOf.get(dir);
    if (!p) {
      p = (async () => {
        if (await readJson(dir ? `${dir}/package.json` : 'package.json')) return dir;
        return dir ? nearestPackage(dirOf(dir)) : undefined;
      })();
      packageOf.set(dir, p);
    }
    return p;
  };

  let workspace: Promise<Map<string, string>> | undefined;
  /** Package name → its folder, for every package.json in the tree (the first of a name wins). */
  const workspacePackages = (): Promise<Map<string, string>> =>
    (workspace ??= (async () => {
      const out = new Map<string, string>();
      for (const path of (await files.find('package.json')).sort()) {
        const name = (await readJson(path))?.name;
        if (typeof name === 'string' && !out.has(name)) out.set(name, dirOf(path));
      }
      return out;
    })());

  /** The module a package's target names (`./dist/index.js`), its `src/` sources for missing build output. */
  const packageTarget = async (dir: string, target: string): Promise<string | undefined> => {
    if (!target.startsWith('./')) return undefined;
    const path = joinInside(dir, target);
    if (path === undefined) return undefined;
    const found = await nameOf(path.replace(/\.d\.[cm]?ts$/, ''));
    if (found !== undefined) return found;
    const rel = target.slice(2).split('/');
    if (BUILD_DIRS.has(rel[0]) && rel.length > 1) {
      const stem = ['src', ...rel.slice(1)].join('/').replace(/\.(?:d\.)?[cm]?[jt]sx?$/, '');
      return nameOf(joinInside(dir, stem));
    }
    return undefined;
  };

  const fromWorkspace = async (specifier: string): Promise<string | undefined> => {
    const parts = specifier.split('/');
    const n = specifier.startsWith('@') ? 2 : 1;
    if (parts.length < n) return undefined;
    const dir = (await workspacePackages()).get(parts.slice(0, n).join('/'));
    if (dir === undefined) return undefined;
    const manifest = await readJson(dir ? `${dir}/package.json` : 'package.json');
    if (!manifest) return undefined;
    const sub = parts.length > n ? `./${parts.slice(n).join('/')}` : '.';
    const exports = manifest.exports;
    const entries: [string, Json][] =
      isObject(exports) && Object.keys(exports).some((k) => k.startsWith('.'))
        ? Object.entries(exports)
        : exports !== undefined
          ? [['.', exports]]
          : [];
    for (const [star, value] of matching(entries, sub))
      for (const t of targets(value)) {
        const found = await packageTarget(dir, t.replace(/\*/g, star));
        if (found !== undefined) return found;
      }
    if (sub === '.') {
      for (const field of ['source', 'module', 'main', 'types', 'typings']) {
        const t = manifest[field];
        if (typeof t !== 'string') continue;
        const found = await packageTarget(dir, t.startsWith('./') ? t : `./${t}`);
        if (found !== undefined) return found;
      }
      return (await nameOf(joinInside(dir, 'src/index'))) ?? nameOf(joinInside(dir, 'index'));
    }
    return (await nameOf(joinInside(dir, sub))) ?? nameOf(joinInside(dir, `src/${sub.slice(2)}`));
  };

  const fromImports = async (dir: string, specifier: string): Promise<string | undefined> => {
    const pkg = await nearestPackage(dir);
    if (pkg === undefined) return undefined;
    const imports = (await readJson(pkg ? `${pkg}/package.json` : 'package.json'))?.imports;
    if (!isObject(imports)) return undefined;
    for (const [star, value] of matching(Object.entries(imports), specifier))
      for (const t of targets(value)) {
        if (!t.startsWith('./')) continue;
        const found = await nameOf(joinInside(pkg, t.replace(/\*/g, star)));
        if (found !== undefined) return found;
      }
    return undefined;
  };

  const fromPaths = async (dir: string, specifier: string): Promise<string | undefined> => {
    const { baseUrl, paths } = await compilerOf(dir);
    if (paths)
      for (const [star, list] of matching(paths.patterns, specifier))
        for (const t of list) {
          // Relative to baseUrl when set, else to the config that wrote them (TypeScript 4.1+).
          const found = await nameOf(joinInside(baseUrl ?? paths.dir, t.replace(/\*/g, star)));
          if (found !== undefined) return found;
        }
    return baseUrl === undefined ? undefined : nameOf(joinInside(baseUrl, specifier));
  };

  const resolve = async (file: string, specifier: string): Promise<string | undefined> => {
    // Node's own modules win at run time whatever baseUrl or a workspace says.
    if (isBuiltin(specifier)) return undefined;
    const dir = dirOf(file);
    if (specifier.startsWith('#')) return fromImports(dir, specifier);
    return (await fromPaths(dir, specifier)) ?? fromWorkspace(specifier);
  };

  return async (file, text) => {
    const out: Record<string, string> = {};
    for (const specifier of bareSpecifiers(text)) {
      const name = await resolve(file, specifier);
      if (name !== undefined) out[specifier] = name;
    }
    // The template files the file may render, read as data (see templates/views.ts).
    return { ...out, ...(await readTemplates(files, file, text, note)) };
  };
}

function definedOf(c: CompilerPaths): CompilerPaths {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

/** `import ... from 'fs'`, `export ... from 'fs'`, `import 'fs'`, `require('fs')`, `import('fs')`. */
const SPECIFIER =
  /\b(?:import|export)\b(?:[^'";]*?\bfrom)?\s*(['"])([^'"\n]+)\1|\b(?:require|import)\s*\(\s*(['"`])([^'"`\n$]+)\3\s*\)/g;

/** The non-relative specifiers a file's text imports (not `node:` ones), read without parsing. */
export function bareSpecifiers(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const s = m[2] ?? m[4];
    if (s && !/^\.\.?(?:\/|$)/.test(s) && !s.startsWith('node:') && !s.startsWith('/')) out.add(s);
  }
  return out;
}
