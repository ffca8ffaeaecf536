/**
 * Server-side template files read as data (never executed): the places where a template prints a
 * value without HTML escaping, and the local names (the data the render call passes) each prints.
 *
 * - EJS: `<%- expr %>` (`<%= %>` escapes); `<%- include(...) %>` prints another template, not data.
 * - Pug/Jade: `!{expr}`, a tag or line with `!= expr`, an attribute `name!=expr` (`#{}`, `=` escape).
 * - Handlebars and Mustache: `{{{name}}}` and `{{& name}}` (`{{ }}` escapes); a helper call with
 *   arguments (`{{{markdown body}}}`) prints what the helper returns, not the value: left out.
 * - Nunjucks: `{{ expr | safe }}`, and every `{{ expr }}` inside `{% autoescape false %}`; any
 *   other `{{ expr }}` is listed as raw only where autoescaping is off (`unlessAutoescape`).
 */

/** An unescaped output of a template: its line (1-based), the local it prints, the expression as written. */
export interface TemplateOutput {
  readonly line: number;
  readonly local: string;
  readonly expr: string;
  /** Raw only when the environment does not escape (Nunjucks `configure({ autoescape: false })`). */
  readonly unlessAutoescape?: true;
}

export type TemplateEngine = 'ejs' | 'pug' | 'handlebars' | 'nunjucks';

/** File extensions of the engines (a view named without one takes the configured view engine's). */
export const TEMPLATE_EXTENSIONS: Readonly<Record<string, TemplateEngine>> = {
  ejs: 'ejs',
  pug: 'pug',
  jade: 'pug',
  hbs: 'handlebars',
  handlebars: 'handlebars',
  mustache: 'handlebars',
  njk: 'nunjucks',
  nunjucks: 'nunjucks',
};

/** The engine of a template file by its extension; undefined for any other file. */
export function engineOfPath(path: string): TemplateEngine | undefined {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext !== undefined && Object.hasOwn(TEMPLATE_EXTENSIONS, ext) ? TEMPLATE_EXTENSIONS[ext] : undefined;
}

/** Names an expression reads that are not locals: JavaScript's globals and the engines' own helpers. */
const NOT_LOCALS = new Set([
  'include',
  'locals',
  'JSON',
  'String',
  'Number',
  'Math',
  'Date',
  'Object',
  'Array',
  'encodeURIComponent',
  'encodeURI',
  'escape',
  'true',
  'false',
  'null',
  'undefined',
  'typeof',
  'new',
  'this',
  'if',
  'else',
  'for',
  'var',
  'let',
  'const',
  'return',
  'function',
  'in',
  'of',
]);

/** The line (1-based) of an offset in a text. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The locals a JavaScript expression (EJS, Pug, Nunjucks) prints: the root names it reads, not
 * called and not a property of something else (`user.bio` reads `user`; `locals.bio` reads `bio`).
 */
function localsOf(expr: string): string[] {
  // Strings are text, not names.
  const code = expr.replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  const out = new Set<string>();
  for (const m of code.matchAll(/(\.\s*)?\b([A-Za-z_$][\w$]*)\b(\s*\()?/g)) {
    const [, dot, name, call] = m;
    if (dot) {
      // `locals.name`: the local itself.
      const before = code.slice(0, m.index).trimEnd();
      if (/(^|[^.\w$])locals$/.test(before) && !call) out.add(name);
      continue;
    }
    if (call || NOT_LOCALS.has(name)) continue;
    out.add(name);
  }
  return [...out];
}

/** Every unescaped output of a template of the engine, in order. */
export function unescapedOutputs(engine: TemplateEngine, text: string): TemplateOutput[] {
  const found: { offset: number; expr: string; locals: string[]; auto?: true }[] = [];
  const add = (offset: number, expr: string, locals: string[], auto?: true): void => {
    if (locals.length) found.push({ offset, expr: expr.trim(), locals, ...(auto ? { auto } : {}) });
  };
  switch (engine) {
    case 'ejs':
      for (const m of text.matchAll(/<%-([\s\S]*?)[-_]?%>/g))
        // `include(...)` prints another template, whose own outputs are its concern.
        if (!/^\s*include\b/.test(m[1])) add(m.index, m[1], localsOf(m[1]));
      break;
    case 'pug':
      pugOutputs(text, add);
      break;
    case 'handlebars':
      for (const m of text.matchAll(/\{\{\{~?\s*([^}]*?)\s*~?\}\}\}|\{\{~?&\s*([^}]*?)\s*~?\}\}/g)) {
        const expr = m[1] ?? m[2];
        // One path: `name`, `user.bio`, `this.bio`; not a helper with arguments, `../` or `@root`.
        const path = /^(?:this\.)?([A-Za-z_$][\w$-]*)(?:\.[\w$-]+)*$/.exec(expr);
        if (path) add(m.index, expr, [path[1]]);
      }
      break;
    case 'nunjucks':
      nunjucksOutputs(text, add);
      break;
  }
  return found.flatMap((f) =>
    f.locals.map((local) => ({
      line: lineAt(text, f.offset),
      local,
      expr: f.expr,
      ...(f.auto ? { unlessAutoescape: f.auto } : {}),
    })),
  );
}

type Add = (offset: number, expr: string, locals: string[], auto?: true) => void;

/** Pug: `!{expr}` anywhere, `tag!= expr` / `!= expr` lines, and `attr!=expr` in a tag's attributes. */
function pugOutputs(text: string, add: Add): void {
  for (const m of text.matchAll(/!\{([^}\n]*)\}/g)) add(m.index, m[1], localsOf(m[1]));
  let offset = 0;
  for (const line of text.split('\n')) {
    // A tag (`p`, `div.note#x`, `a(href='x')`) or nothing, then `!=`: the rest of the line is printed.
    const body = /^(\s*)((?:[\w-]+|[.#][\w-]+)*(?:\([^)]*\))?(?:[.#][\w-]+)*)!=\s*(.+)$/.exec(line);
    if (body && !/^\s*(-|if\b|else\b|unless\b|each\b|for\b|while\b|case\b|when\b)/.test(line))
      add(offset + body[1].length, body[3], localsOf(body[3]));
    // Attributes of a tag: `a(href!=url, title='x')`.
    const tag = /^\s*[\w-]+(?:[.#][\w-]+)*\(([^)]*)\)/.exec(line);
    if (tag)
      for (const a of tag[1].matchAll(/[\w:@-]+\s*!=\s*((?:(['"`])(?:\\.|(?!\2)[^\\])*\2|[^,\s])+)/g))
        add(offset + (tag.index ?? 0), a[1], localsOf(a[1]));
    offset += line.length + 1;
  }
}

/** Nunjucks: `{{ expr | safe }}`, and every output inside `{% autoescape false %}`. */
function nunjucksOutputs(text: string, add: Add): void {
  const raw: [number, number][] = [];
  for (const m of text.matchAll(/\{%-?\s*autoescape\s+false\s*-?%\}([\s\S]*?)\{%-?\s*endautoescape\s*-?%\}/g))
    raw.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const filters = m[1].split(/\|(?!\|)/);
    const expr = filters[0];
    const safe = filters.slice(1).some((f) => /^\s*safe\s*$/.test(f));
    const escaped = filters.slice(1).some((f) => /^\s*(e|escape|urlencode|int|float|length)\b/.test(f));
    if (escaped) continue;
    // Any other output is raw too where the environment was configured without autoescaping.
    const always = safe || raw.some(([s, e]) => m.index > s && m.index < e);
    add(m.index, expr, localsOf(expr), always ? undefined : true);
  }
}
