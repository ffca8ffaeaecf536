/**
 * What a Python file's model reads of the review's other modules (see semantic/excerpts.ts):
 * excerpts of their texts. A module's text is read once per review into its top-level statements
 * and imports (`moduleStatements`, without parsing: strings, brackets, comments and line
 * continuations are followed), and an excerpt is that text with only some statements kept, each on
 * its own lines (the others blank), so a model parses it and reads the names, constants and classes
 * there as it reads its own, at their real line numbers.
 *
 * Kept for a name another module imports (`excerptFor`): the top-level statements that bind it (a
 * module-level object, a constant, a class), those binding the names they use, and the module's
 * imports. Kept of a module that imports an object a file creates at module level with a library's
 * constructor whose instances the models know methods of (`env = Environment(...)`,
 * `importerExcerpt`): its imports and the top-level definitions that call a method on it. A name the
 * module also declares `global` somewhere, or binds with a `def`, is not excerpted.
 */
import type { ProjectModuleText } from '../language.js';
import { MODELLED_PACKAGES, sinkCallNames } from './models/index.js';

/** An excerpt keeps at most this many statements and characters (the rest is left out). */
const MAX_STATEMENTS = 60;
const MAX_CHARS = 64 * 1024;

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
  binds: string[];
}

const CLAUSES = /^(else|elif|except|finally)\b/;
/** The characters that may open or close a string, a bracket, a comment or a continuation. */
const SPECIAL = /["'()[\]{}\\#]/g;
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
    // From one character that may change the state to the next (native searches, not a loop over
    // every character: a module is read whole once per review).
    let j = 0;
    while (j < line.length) {
      if (open !== undefined) {
        const close = line.indexOf(open, j);
        const escape = line.indexOf('\\', j);
        if (escape !== -1 && (close === -1 || escape < close)) {
          j = escape + 2;
          continue;
        }
        if (close === -1) break;
        j = close + open.length;
        open = undefined;
        continue;
      }
      SPECIAL.lastIndex = j;
      const found = SPECIAL.exec(line);
      if (!found) break;
      j = found.index;
      const c = line[j];
      if (c === '#') break;
      if (c === '"' || c === "'") {
        open = line.startsWith(c.repeat(3), j) ? c.repeat(3) : c;
        j += open.length;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (j === line.length - 1) continued = true;
      j++;
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
  return { start, end, text, kind, binds: [...binds] };
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

/** A module's text read into top-level statements and imports: plain data, worked out once per review. */
export interface ModuleText {
  path: string;
  name: string;
  isPackage: boolean;
  statements: Statement[];
  imports: ImportLine[];
  /** The names a `global` or `nonlocal` statement declares anywhere in it. */
  globals: string[];
}

/** A module of the review read into statements (see `ReviewModules.derived`). */
export function moduleStatements(m: ProjectModuleText): ModuleText {
  const isPackage = /(^|\/)__init__\.pyw?$/.test(m.path);
  const statements = topLevelStatements(m.text);
  const globals = new Set<string>();
  for (const g of m.text.matchAll(/\b(?:global|nonlocal)[ \t]+([\w \t,]+)/g))
    for (const n of g[1].split(',')) if (n.trim()) globals.add(n.trim());
  return {
    path: m.path,
    name: m.name,
    isPackage,
    statements,
    imports: importsOf(statements, m.name, isPackage),
    globals: [...globals],
  };
}

/** The module's text with only the statements at `keep` (every other line blank). */
function keptText(m: ModuleText, keep: ReadonlySet<number>): string {
  const last = m.statements.length ? m.statements[m.statements.length - 1].end : 0;
  const lines: string[] = new Array<string>(last).fill('');
  for (const k of keep) {
    const s = m.statements[k];
    s.text.split('\n').forEach((l, j) => (lines[s.start + j] = l));
  }
  return lines.join('\n');
}

/**
 * The excerpt of a module that another module reads one name of: the statements binding it (a
 * class's whole statement only when `asClass`), those binding the names they use, and the module's
 * imports; a name the module only imports keeps its imports. Empty when the module binds the name
 * with a `def`, declares it `global` somewhere, binds it to a list, dict or set literal, or not at all.
 */
export function excerptFor(m: ModuleText, name: string, asClass: boolean, asTable = false): string {
  const keep = keepFor(m, new Set([name]), asClass ? new Set([name]) : new Set(), asTable ? name : undefined);
  if (!keep.size && m.statements.some((s) => s.kind === 'import' && s.binds.includes(name)))
    withImports(m, keep, true);
  return keep.size ? keptText(m, keep) : '';
}

/**
 * The excerpt of a module that imports objects of `host` (by their names there) and calls their
 * methods: its imports and the top-level statements (a function, a class) that call a method on one
 * of them. Empty when it does neither.
 */
export function importerExcerpt(m: ModuleText, host: string, objects: ReadonlySet<string>): string {
  const locals: string[] = [];
  const parent = host.split('.').slice(0, -1).join('.');
  const last = host.split('.').pop()!;
  for (const line of m.imports)
    for (const n of line.names) {
      // `from pkg.env import env [as e]`; `from pkg import env` then `env.env`; `import pkg.env [as e]`.
      if (line.module === host && n.imported !== undefined && objects.has(n.imported)) locals.push(n.local);
      else if (line.module === parent && n.imported === last)
        for (const o of objects) locals.push(`${n.local}.${o}`);
      else if (line.module === host && n.imported === undefined)
        for (const o of objects) locals.push(`${n.local}.${o}`);
    }
  if (!locals.length) return '';
  const call = new RegExp(
    `(?<![\\w.])(?:${locals.map((l) => l.replace(/\./g, '\\.')).join('|')})\\s*\\.\\s*\\w+\\s*\\(`,
  );
  const keep = new Set<number>();
  let calls = false;
  m.statements.forEach((s, i) => {
    if (s.kind === 'import') keep.add(i);
    else if (s.kind !== 'compound' && s.text.length < MAX_CHARS && call.test(s.text)) {
      keep.add(i);
      calls = true;
    }
  });
  return calls ? keptText(m, keep) : '';
}

/**
 * The library classes whose instances the models know methods of (`jinja2.Environment` for
 * `jinja2.Environment().from_string`), and those methods' names.
 */
let known: { constructors: Set<string>; methods: RegExp } | undefined;
export function knownInstances(): { constructors: ReadonlySet<string>; methods: RegExp } {
  if (!known) {
    const constructors = new Set<string>();
    const methods = new Set<string>();
    for (const call of sinkCallNames()) {
      const m = /^([A-Za-z_][\w.]*)\(\)\.(\w+)$/.exec(call);
      if (!m || !MODELLED_PACKAGES.has(m[1].split('.')[0])) continue;
      constructors.add(m[1]);
      methods.add(m[2]);
    }
    known = { constructors, methods: new RegExp(`\\.\\s*(?:${[...methods].join('|') || '(?!)'})\\b`) };
  }
  return known;
}

/**
 * The statements of a module to keep for names read from it: its imports, every top-level
 * statement binding one of the names (none when one of them is a `def` or the name is declared
 * `global` somewhere), and, the same way, the statements binding the names those use.
 */
function keepFor(
  m: ModuleText,
  names: Set<string>,
  classes: ReadonlySet<string>,
  table?: string,
): Set<number> {
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
    if (m.globals.includes(name)) continue;
    const binding = m.statements.flatMap((s, i) =>
      s.kind !== 'import' && s.binds.includes(name) ? [i] : [],
    );
    const kinds = new Set(binding.map((i) => m.statements[i].kind));
    if (!binding.length || kinds.has('def') || (kinds.has('class') && !classOk)) continue;
    // A list, dict or set literal is no constant another module may read (it may change in place),
    // but a table read for what its entries are (the classes a lookup may pick) keeps its literal.
    if (
      name !== table &&
      binding.some((i) => /^[^=]*=\s*[[{]/.test(m.statements[i].text) && m.statements[i].kind === 'simple')
    )
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
      // A table's entries are kept whole: the classes it holds, with their methods.
      for (const n of uses)
        if (!done.has(n)) wanted.push({ name: n, classOk: s.kind === 'class' || name === table });
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
