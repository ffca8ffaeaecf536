/**
 * What a project's templates pass its template tags and filters, read from the templates' text
 * (Django's `{% tag arg key=value as name %}` and `{{ value|filter:arg }}`, Jinja2's
 * `{{ value|filter(arg, key=value) }}`). Nothing is rendered: each argument is either a literal
 * written in the template (a string, a number, `True`/`False`/`None`, a translated string
 * `_("...")`), a context value named as an identifier (a key, a slug, a checksum: `holdsNoMarkup`),
 * or another value of the page's context (a variable, an attribute of one, a filtered value).
 */

/** The uses of one tag or filter name across the templates. */
export interface TemplateUse {
  /** How many times the templates use it. */
  calls: number;
  /**
   * The argument slots some use passes a context value, each with where (`path:line`): `#i` for
   * the i-th positional argument (a filter's input is `#0`, its argument `#1`), `=name` for a
   * keyword, `*` for a use whose arguments were not understood (every slot).
   */
  dynamic: Record<string, string>;
}

/** By name: the uses as a tag (`{% name ... %}`) and as a filter (`|name`). */
export interface TemplateUses {
  tag?: TemplateUse;
  filter?: TemplateUse;
}

const LITERAL = /^(?:(['"])[^]*\1|-?\d+(?:\.\d+)?|True|False|None|true|false|none|_\((['"])[^]*\2\))$/;

/** Whether a template expression is a literal the template's author wrote. */
export function isTemplateLiteral(expression: string): boolean {
  return LITERAL.test(expression.trim());
}

/**
 * A context value whose name says it identifies a row or is a digest, never text: a key
 * (`user.pk`, `item.id`, `order_id`), a UUID, a slug (Django's `SlugField`, kept by forms and
 * serializers to letters, digits, `-` and `_`), a checksum; and Django's loop counters.
 */
const IDENTIFIER_VALUE =
  /^(?:forloop(?:\.parentloop)*\.\w+|(?:\w+\.)*(?:\w+_)?(?:pk|id|uuid|slug|checksum))$/;

/** Whether a template expression cannot hold markup: a literal, or a value named as an identifier. */
export function holdsNoMarkup(expression: string): boolean {
  return isTemplateLiteral(expression) || IDENTIFIER_VALUE.test(expression.trim());
}

/** Splits on the separator outside quotes and brackets (Django's `smart_split` for white space). */
function splitOutside(text: string, separator: (c: string) => boolean): string[] {
  const out: string[] = [];
  let quote = '';
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (quote) {
      current += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === '(' || c === '[') {
      depth++;
      current += c;
    } else if ((c === ')' || c === ']') && depth > 0) {
      depth--;
      current += c;
    } else if (depth === 0 && separator(c)) {
      if (current) out.push(current);
      current = '';
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

/** White space around `|`, `:`, `=` and `,` taken out (outside quotes), so a token is one expression. */
function tighten(text: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      const next = text[j] ?? '';
      const prev = out.at(-1) ?? '';
      if ('|:=,('.includes(prev) || '|:=,)'.includes(next)) continue;
    }
    out += c;
  }
  return out;
}

/** `key=value` of a token, or undefined for a positional value (`==` is a comparison). */
function keyword(token: string): { name: string; value: string } | undefined {
  const m = /^(\w+)=(?!=)([^]*)$/.exec(token);
  return m ? { name: m[1], value: m[2] } : undefined;
}

type Record_ = (name: string, kind: 'tag' | 'filter', dynamic: string[]) => void;

/**
 * The filters applied in one expression (`value|f1:arg|f2`): for each, its input's and its
 * argument's slots that are not literals.
 */
function filtersOf(expression: string, record: Record_): void {
  const [base, ...filters] = splitOutside(expression, (c) => c === '|');
  if (!filters.length) return;
  filters.forEach((f, i) => {
    const dynamic: string[] = [];
    // The first filter's input is the base; a later one's is what the filters before made.
    if (i > 0 || !holdsNoMarkup(base ?? '')) dynamic.push('#0');
    const call = /^(\w+)\(([^]*)\)$/.exec(f);
    if (call) {
      splitOutside(call[2], (c) => c === ',').forEach((a, j) => {
        const kw = keyword(a);
        if (!holdsNoMarkup(kw ? kw.value : a)) dynamic.push(kw ? `=${kw.name}` : `#${j + 1}`);
      });
      record(call[1], 'filter', dynamic);
      return;
    }
    const m = /^(\w+)(?::([^]*))?$/.exec(f);
    if (!m) return;
    if (m[2] !== undefined && !holdsNoMarkup(m[2])) dynamic.push('#1');
    record(m[1], 'filter', dynamic);
  });
}

/** Every use of a tag or filter in a template's text, by name. */
export function templateUses(path: string, text: string, into: Map<string, TemplateUses>): void {
  // Line numbers counted on from the last match: the matches come in order.
  let line = 1;
  let counted = 0;
  const lineAt = (index: number): number => {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
    counted = index;
    return line;
  };
  for (const m of text.matchAll(/\{([%{])-?([^]*?)-?([%}])\}/g)) {
    if ((m[1] === '%') !== (m[3] === '%')) continue;
    const where = `${path}:${lineAt(m.index)}`;
    const record: Record_ = (name, kind, dynamic) => {
      let uses = into.get(name);
      if (!uses) into.set(name, (uses = {}));
      const use = (uses[kind] ??= { calls: 0, dynamic: {} });
      use.calls++;
      for (const slot of dynamic) use.dynamic[slot] ??= where;
    };
    const body = tighten(m[2].trim());
    if (m[1] === '{') {
      filtersOf(body, record);
      continue;
    }
    const [name, ...args] = splitOutside(body, (c) => /\s/.test(c));
    if (!name || !/^\w+$/.test(name)) continue;
    // `{% tag a b as result %}`: the last two name where the result goes.
    const given = args.length >= 2 && args[args.length - 2] === 'as' ? args.slice(0, -2) : args;
    const dynamic: string[] = [];
    let position = 0;
    for (const a of given) {
      const kw = keyword(a);
      const value = kw ? kw.value : a;
      filtersOf(value, record);
      if (!holdsNoMarkup(value)) dynamic.push(kw ? `=${kw.name}` : `#${position}`);
      if (!kw) position++;
    }
    record(name, 'tag', dynamic);
  }
}
