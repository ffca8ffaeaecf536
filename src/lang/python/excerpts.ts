/**
 * What a Python file's model is told of the project's other modules, read as text before any file
 * is parsed (the pack's `importResolver`, see ../language.ts): excerpts of the modules it imports
 * names from, and of the modules that call methods of the objects it creates at module level. An
 * excerpt is a module's text with only some top-level statements kept, each on its own lines (the
 * others blank), so the file's model parses it and reads the names, constants and classes there as
 * it reads its own, at their real line numbers (semantic/excerpts.ts).
 *
 * Kept of a module the file imports from: its imports, the top-level statements that bind the
 * names imported (a module-level object, a constant, a class), and those binding the names they
 * use, within the module and one import further. Kept of a module that imports an object the file
 * creates at module level with a library's constructor whose instances the models know methods of
 * (`env = Environment(...)`): its imports and the top-level definitions that call a method on it.
 * A name the module also declares `global` somewhere, or binds with a `def`, is not excerpted.
 */
import type { ProjectFiles } from '../language.js';
import { MODELLED_PACKAGES, sinkCallNames } from './models/index.js';
import { EXCERPT_KEY, type Excerpt } from './semantic/excerpts.js';

/** How many imports deep the names an excerpt uses are followed into further modules. */
const MAX_DEPTH = 2;
/** An excerpt keeps at most this many statements and characters (the rest is left out). */
const MAX_STATEMENTS = 60;
const MAX_CHARS = 64 * 1024;
/** How many modules importing a file's objects are excerpted for it. */
const MAX_IMPORTERS = 20;

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally ' +
    'for from global if import in is lambda nonlocal not or pass raise return self try while with yield'
  ).split(' '),
);

/** A top-level statement: its lines (0-based, `end` exclusive) and text. */
interface Statement {
  start: number;
  end: number;
  text: string;
  kind: 'import' | 'class' | 'def' | 'simple' | 'compound';
  /** Names it may bind at module level (over-approximated for compound statements). */
  binds: Set<string>;
}

const CLAUSES = /^(else|elif|except|finally)\b/;
const COMPOUND = /^(if|try|for|while|with|async\s+(for|with)|match)\b/;

/**
 * The top-level statements of a module's text, found by reading strings, brackets, comments and
 * line continuations: a statement starts on a line that begins in column 0 outside any of them.
 */
export function topLevelStatements(text: string): Statement[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let open: string | undefined; // the delimiter of a string still open at the end of a line
  let depth = 0;
  let continued = false;
  let decorating = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const clean = open === undefined && depth === 0 && !continued;
    if (clean && /^[^\s#]/.test(line)) {
      if (decorating && /^(@|def\b|class\b|async\s+def\b)/.test(line)) {
        decorating = line.startsWith('@');
      } else if (!CLAUSES.test(line) || starts.length === 0) {
        starts.push(i);
        decorating = line.startsWith('@');
      }
    }
    continued = false;
    for (let j = 0; j < line.length; j++) {
      const c = line[j];
      if (open !== undefined) {
        if (c === '\\') j++;
        else if (line.startsWith(open, j)) {
          j += open.length - 1;
          open = undefined;
        }
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") {
        open = line.startsWith(c.repeat(3), j) ? c.repeat(3) : c;
        j += open.length - 1;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && j === line.length - 1) continued = true;
    }
    // A one-quote string ends with its line (unless the line is continued).
    if (open !== undefined && open.length === 1 && !continued && !line.endsWith('\\')) open = undefined;
  }
  const out: Statement[] = [];
  for (let k = 0; k < starts.length; k++) {
    let end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    while (end > starts[k] + 1 && !/\S/.test(lines[end - 1])) end--;
    const body = lines.slice(starts[k], end).join('\n');
    out.push(classify(starts[k], end, body));
  }
  return out;
}

function classify(start: number, end: number, text: string): Statement {
  const head = text.replace(/^(@[^\n]*\n)+/, '');
  const binds = new Set<string>();
  let kind: Statement['kind'];
  let m: RegExpExecArray | null;
  if (/^(from|import)\s/.test(head)) {
    kind = 'import';
    for (const name of importedLocals(head)) binds.add(name);
  } else if ((m = /^class\s+(\w+)/.exec(head))) {
    kind = 'class';
    binds.add(m[1]);
  } else if ((m = /^(?:async\s+)?def\s+(\w+)/.exec(head))) {
    kind = 'def';
    binds.add(m[1]);
  } else if (COMPOUND.test(head)) {
    kind = 'compound';
    for (const b of text.matchAll(/\b([A-Za-z_]\w*)\s*(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=(?!=)/g))
      binds.add(b[1]);
    for (const b of text.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) binds.add(b[1]);
    for (const b of text.matchAll(/\bfor\s+([\w\s,()]+?)\s+in\b/g))
      for (const n of b[1].match(/[A-Za-z_]\w*/g) ?? []) binds.add(n);
    for (const b of text.matchAll(/^\s*((?:from|import)\s[^\n]*)/gm))
      for (const n of importedLocals(b[1])) binds.add(n);
    for (const b of text.matchAll(/^\s*(?:async\s+)?(?:def|class)\s+(\w+)/gm)) binds.add(b[1]);
  } else {
    kind = 'simple';
    // `a = b = value`, `a, b = ...`, `a: int = 1`, `a += 1`: the targets before the last `=`.
    const targets = /^([\w\s,()[\]*.:=]*?)(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=(?!=)/.exec(head.split('\n')[0]);
    if (targets) {
      const lhs = targets[1].replace(/:[^=,]*$/, '');
      for (const part of lhs.split(/=(?!=)/))
        for (const n of part.replace(/\.\w+|\[[^\]]*\]/g, '').match(/[A-Za-z_]\w*/g) ?? [])
          if (!KEYWORDS.has(n)) binds.add(n);
    }
  }
  return { start, end, text, kind, binds };
}

/** The local names an import statement binds (`from a import b as c, d` → c, d; `import a.b` → a). */
function importedLocals(stmt: string): string[] {
  const flat = stmt
    .replace(/\\\n/g, ' ')
    .replace(/[()]/g, ' ')
    .replace(/#[^\n]*/g, '');
  const from = /^\s*from\s+\S+\s+import\s+([\s\S]*)$/.exec(flat);
  const items = from ? from[1] : (/^\s*import\s+([\s\S]*)$/.exec(flat)?.[1] ?? '');
  const out: string[] = [];
  for (const item of items.split(',')) {
    const parts = item.trim().split(/\s+/);
    if (!parts[0] || parts[0] === '*') continue;
    out.push(parts[1] === 'as' && parts[2] ? parts[2] : from ? parts[0] : parts[0].split('.')[0]);
  }
  return out;
}

/** An import of a file: the module (dotted, absolute), and the names it binds locally. */
interface ImportLine {
  /** `from M import a as b`: M and [a, b]; `import M as b`: M and [undefined, b]. */
  module: string;
  names: { imported: string | undefined; local: string }[];
}

/** A file's imports, with relative modules made absolute from its module name (undefined when they climb too far). */
function importsOf(stmts: readonly Statement[], moduleName: string, isPackage: boolean): ImportLine[] {
  const out: ImportLine[] = [];
  const own = moduleName.split('.');
  for (const s of stmts) {
    const texts =
      s.kind === 'import'
        ? [s.text]
        : s.kind === 'compound'
          ? [...s.text.matchAll(/^\s*((?:from|import)\s[^\n]*)/gm)].map((m) => m[1])
          : [];
    for (const t of texts) {
      const flat = t
        .replace(/\\\n/g, ' ')
        .replace(/[()]/g, ' ')
        .replace(/#[^\n]*/g, '');
      const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+([\s\S]*)$/.exec(flat);
      if (from) {
        let base = from[2];
        if (from[1]) {
          const up = from[1].length - (isPackage ? 1 : 0);
          if (up >= own.length) continue;
          base = [...own.slice(0, own.length - up), ...(from[2] ? [from[2]] : [])].join('.');
        }
        const names: ImportLine['names'] = [];
        for (const item of from[3].split(',')) {
          const parts = item.trim().split(/\s+/);
          if (!parts[0] || parts[0] === '*' || !/^\w+$/.test(parts[0])) continue;
          names.push({ imported: parts[0], local: parts[1] === 'as' && parts[2] ? parts[2] : parts[0] });
        }
        if (base) out.push({ module: base, names });
        continue;
      }
      const plain = /^\s*import\s+([\s\S]*)$/.exec(flat);
      for (const item of plain?.[1].split(',') ?? []) {
        const parts = item.trim().split(/\s+/);
        if (!parts[0] || !/^[\w.]+$/.test(parts[0])) continue;
        out.push({
          module: parts[0],
          names: [{ imported: undefined, local: parts[1] === 'as' && parts[2] ? parts[2] : parts[0] }],
        });
      }
    }
  }
  return out;
}

/** The identifiers a statement's text uses (keywords left out; strings not told apart). */
function usedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![\w.])[A-Za-z_]\w*/g)) if (!KEYWORDS.has(m[0])) out.add(m[0]);
  return out;
}

interface ModuleText {
  path: string;
  name: string;
  text: string;
  isPackage: boolean;
  statements: Statement[];
  imports: ImportLine[];
}

/** The names of instances' methods the models know (`jinja2.Environment().from_string`): their classes' last names. */
let constructorNames: RegExp | undefined;
function knownConstructors(): RegExp {
  if (!constructorNames) {
    const names = new Set<string>();
    for (const call of sinkCallNames()) {
      const m = /^([A-Za-z_][\w.]*)\.([A-Za-z_]\w*)\(\)\.\w+$/.exec(call);
      if (m && MODELLED_PACKAGES.has(m[1].split('.')[0])) names.add(m[2]);
    }
    constructorNames = new RegExp(`^(?:[\\w.]+\\.)?(?:${[...names].join('|') || '(?!)'})$`);
  }
  return constructorNames;
}

/**
 * The resolver of the files under one folder on the import path (the folder above the outermost
 * package): for each file, the excerpts of its neighbours under `EXCERPT_KEY` + their module names.
 */
export function excerptResolver(
  files: ProjectFiles,
): (file: string, text: string) => Promise<Record<string, string>> {
  const modules = new Map<string, Promise<ModuleText | undefined>>();
  let importersIndex:
    Promise<Map<string, { path: string; local: string; imported: string | undefined }[]>> | undefined;

  const load = (path: string): Promise<ModuleText | undefined> => {
    let found = modules.get(path);
    if (!found) {
      found = files.read(path).then((text) => (text === undefined ? undefined : parseModule(path, text)));
      modules.set(path, found);
    }
    return found;
  };

  /** The module a dotted name names in the tree: `a/b.py` or `a/b/__init__.py`. */
  const located = new Map<string, Promise<ModuleText | undefined>>();
  const locate = (dotted: string): Promise<ModuleText | undefined> => {
    let found = located.get(dotted);
    if (!found) {
      const rel = dotted.split('.').join('/');
      found = (async () => {
        for (const p of [`${rel}.py`, `${rel}/__init__.py`]) if (await files.isFile(p)) return load(p);
        return undefined;
      })();
      located.set(dotted, found);
    }
    return found;
  };

  /** Every module of the tree that imports something, by the modules it imports from. */
  const importers = (): Promise<
    Map<string, { path: string; local: string; imported: string | undefined }[]>
  > =>
    (importersIndex ??= (async () => {
      const index = new Map<string, { path: string; local: string; imported: string | undefined }[]>();
      const paths = ((await files.list?.()) ?? []).filter((p) => /\.pyw?$/.test(p)).sort();
      const loaded = await Promise.all(paths.map(load));
      for (const [i, path] of paths.entries()) {
        const m = loaded[i];
        for (const line of m?.imports ?? [])
          for (const n of line.names) {
            const key = n.imported === undefined ? line.module : `${line.module}.${n.imported}`;
            const list = index.get(key) ?? [];
            list.push({ path, local: n.local, imported: n.imported });
            index.set(key, list);
          }
      }
      return index;
    })());

  return async (file, text) => {
    const self = parseModule(file, text);
    const out = new Map<string, Excerpt>();
    const add = (m: ModuleText, keep: Set<number>, importer: boolean): void => {
      if (!keep.size) return;
      const prev = out.get(m.name);
      const lines = m.text.split('\n');
      const kept = new Set<number>();
      if (prev) for (const [i, l] of prev.text.split('\n').entries()) if (l) kept.add(i);
      for (const k of keep) for (let i = m.statements[k].start; i < m.statements[k].end; i++) kept.add(i);
      out.set(m.name, {
        path: m.path,
        importer: importer || !!prev?.importer,
        text: lines.map((l, i) => (kept.has(i) ? l : '')).join('\n'),
      });
    };

    // The modules this file imports names from, and what of them it uses.
    const queue: {
      module: string;
      names: Set<string>;
      classes: Set<string>;
      depth: number;
      from: ModuleText;
    }[] = [];
    const requestsOf = (m: ModuleText, used: Set<string> | undefined, depth: number): void => {
      const bases = basesIn(m.text);
      for (const line of m.imports) {
        const names = new Set<string>();
        for (const n of line.names) {
          if (used && !used.has(n.local)) continue;
          if (n.imported !== undefined) names.add(n.imported);
          else {
            // `import pkg.mod as m` / `import pkg.mod`: the attributes read of it.
            const prefix = n.local === line.module ? line.module : n.local;
            const re = new RegExp(`(?<![\\w.])${prefix.replace(/\./g, '\\.')}\\.([A-Za-z_]\\w*)`, 'g');
            const attrs = new Set([...m.text.matchAll(re)].map((x) => x[1]));
            const classes = new Set([...attrs].filter((a) => bases.has(n.local) || bases.has(a)));
            if (attrs.size) queue.push({ module: line.module, names: attrs, classes, depth, from: m });
          }
        }
        const classes = new Set(line.names.filter((n) => bases.has(n.local)).map((n) => n.imported ?? ''));
        if (names.size) queue.push({ module: line.module, names, classes, depth, from: m });
      }
    };
    requestsOf(self, undefined, 1);
    let budget = 200;
    while (queue.length && budget-- > 0) {
      const req = queue.shift()!;
      let target = await locate(req.module);
      // `from . import templating`: the name is a module of the package.
      for (const name of req.names) {
        const sub = await locate(`${req.module}.${name}`);
        if (!sub || sub.name === self.name || sub.name === req.from.name) continue;
        const re = new RegExp(`(?<![\\w.])${name}\\.([A-Za-z_]\\w*)`, 'g');
        const attrs = new Set([...req.from.text.matchAll(re)].map((x) => x[1]));
        const classes = basesIn(req.from.text).has(name) ? attrs : new Set<string>();
        const keep = attrs.size ? keepFor(sub, attrs, classes) : new Set<number>();
        add(sub, keep, false);
        if (req.depth < MAX_DEPTH && keep.size) requestsOf(sub, usedIn(sub, keep), req.depth + 1);
      }
      if (!target || target.name === self.name) continue;
      const keep = keepFor(target, req.names, req.classes);
      add(target, keep, false);
      if (req.depth < MAX_DEPTH && keep.size) requestsOf(target, usedIn(target, keep), req.depth + 1);
      target = undefined;
    }

    // The modules that call methods of this file's module-level library objects.
    const objects = new Set<string>();
    for (const s of self.statements) {
      const m = s.kind === 'simple' ? /^(\w+)\s*(?::[^=\n]*)?=\s*([\w.]+)\s*\(/.exec(s.text) : null;
      if (m && knownConstructors().test(m[2]) && libraryCallee(self, m[2])) objects.add(m[1]);
    }
    // Only in a package: a script's folder may be any folder (a home directory) and is not listed.
    if (objects.size && files.list && file.includes('/')) {
      const index = await importers();
      let count = 0;
      for (const name of objects) {
        const users = [...(index.get(`${self.name}.${name}`) ?? [])];
        // `from pkg import mod` then `mod.name`, `import pkg.mod as m` then `m.name`.
        for (const u of index.get(self.name) ?? []) users.push({ ...u, local: `${u.local}.${name}` });
        const parent = self.name.split('.').slice(0, -1).join('.');
        const last = self.name.split('.').pop()!;
        for (const u of index.get(`${parent}.${last}`) ?? [])
          if (u.imported === last) users.push({ ...u, local: `${u.local}.${name}` });
        for (const u of users) {
          if (u.path === file || count >= MAX_IMPORTERS) continue;
          const m = await load(u.path);
          if (!m) continue;
          const call = new RegExp(`(?<![\\w.])${u.local.replace(/\./g, '\\.')}\\s*\\.\\s*\\w+\\s*\\(`);
          const keep = new Set<number>();
          m.statements.forEach((s, i) => {
            if (
              s.kind === 'import' ||
              (s.kind !== 'compound' && call.test(s.text) && s.text.length < MAX_CHARS)
            )
              keep.add(i);
          });
          if ([...keep].some((i) => m.statements[i].kind !== 'import')) {
            add(m, keep, true);
            count++;
          }
        }
      }
    }
    const record: Record<string, string> = {};
    for (const [name, e] of out) record[`${EXCERPT_KEY}${name}`] = JSON.stringify(e);
    return record;
  };
}

/** Whether a module-level call's callee is a library's, by the module's imports of its first name. */
function libraryCallee(m: ModuleText, callee: string): boolean {
  const first = callee.split('.')[0];
  for (const line of m.imports)
    for (const n of line.names)
      if (n.local === first) return MODELLED_PACKAGES.has(line.module.split('.')[0]);
  return false;
}

function parseModule(path: string, text: string): ModuleText {
  const isPackage = /(^|\/)__init__\.pyw?$/.test(path);
  const name = path
    .replace(/\.pyw?$/, '')
    .replace(/(^|\/)__init__$/, '')
    .split('/')
    .filter(Boolean)
    .join('.');
  const statements = topLevelStatements(text);
  return { path, name, text, isPackage, statements, imports: importsOf(statements, name, isPackage) };
}

/** The names the kept statements use that the module's imports bind. */
function usedIn(m: ModuleText, keep: Set<number>): Set<string> {
  const out = new Set<string>();
  for (const k of keep)
    if (m.statements[k].kind !== 'import') for (const n of usedNames(m.statements[k].text)) out.add(n);
  return out;
}

/**
 * The statements of a module to keep for names read from it: its imports, every top-level
 * statement binding one of the names (none when one of them is a `def` or the name is declared
 * `global` somewhere), and, the same way, the statements binding the names those use.
 */
function keepFor(m: ModuleText, names: Set<string>, classes: ReadonlySet<string>): Set<number> {
  const keep = new Set<number>();
  const wanted: { name: string; classOk: boolean }[] = [...names].map((name) => ({
    name,
    classOk: classes.has(name),
  }));
  const done = new Set<string>();
  let chars = 0;
  let bound = false;
  while (wanted.length) {
    const { name, classOk } = wanted.pop()!;
    if (done.has(name)) continue;
    done.add(name);
    if (new RegExp(`\\b(global|nonlocal)\\s[^\\n]*\\b${name}\\b`).test(m.text)) continue;
    const binding = m.statements.flatMap((s, i) => (s.kind !== 'import' && s.binds.has(name) ? [i] : []));
    const kinds = new Set(binding.map((i) => m.statements[i].kind));
    if (!binding.length || kinds.has('def') || (kinds.has('class') && !classOk)) continue;
    // A list, dict or set literal is no constant another module may read (it may change in place).
    if (binding.some((i) => /^[^=]*=\s*[[{]/.test(m.statements[i].text) && m.statements[i].kind === 'simple'))
      continue;
    for (const i of binding) {
      if (keep.has(i)) continue;
      const s = m.statements[i];
      if (keep.size >= MAX_STATEMENTS || chars + s.text.length > MAX_CHARS)
        return withImports(m, keep, bound);
      keep.add(i);
      bound = true;
      chars += s.text.length;
      // A class brings what its header and attributes name (its bases, a class it keeps as an
      // attribute: not what its methods use); a value only constants.
      const uses = usedNames(s.kind === 'class' ? withoutMethods(s.text) : s.text);
      for (const n of uses) if (!done.has(n)) wanted.push({ name: n, classOk: s.kind === 'class' });
    }
  }
  return withImports(m, keep, bound);
}

/** A class statement's text without its methods (their decorators, headers and bodies). */
function withoutMethods(text: string): string {
  const out: string[] = [];
  let skipping: number | undefined;
  for (const line of text.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (skipping !== undefined && (!/\S/.test(line) || indent > skipping)) continue;
    skipping = undefined;
    if (indent > 0 && /^[ \t]*(@|def\s|async\s+def\s)/.test(line)) {
      skipping = indent;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The names a module's class statements list as bases (`class A(Base, mod.Other)` → Base, mod). */
function basesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*class\s+\w+\s*\(([^)]*)\)/gm)) {
    // Not a type argument (`Admin[Check]`) nor a keyword (`metaclass=Meta`).
    const list = m[1].replace(/\[[^\]]*\]/g, '').replace(/\w+\s*=\s*[\w.]+/g, '');
    for (const n of list.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? []) out.add(n);
  }
  return out;
}

function withImports(m: ModuleText, keep: Set<number>, bound: boolean): Set<number> {
  if (!bound) return keep;
  m.statements.forEach((s, i) => {
    if (s.kind === 'import' || (s.kind === 'compound' && /^(try|if)\b/.test(s.text) && onlyImports(s.text)))
      keep.add(i);
  });
  return keep;
}

/** A `try`/`if` statement whose lines are only imports and the clauses around them. */
function onlyImports(text: string): boolean {
  return text
    .split('\n')
    .every(
      (l) =>
        !/\S/.test(l) ||
        /^\s*(#|from\s|import\s|try\s*:|except\b|else\s*:|finally\s*:|pass\b|if\s|elif\s)/.test(l),
    );
}
