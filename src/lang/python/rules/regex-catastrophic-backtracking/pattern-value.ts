import type { Node } from '../../../../parsing/parser.js';
import { constantValue, contentValue, unescape } from '../../semantic/constant.js';
import type { PythonModule } from '../../semantic/scope.js';

/**
 * The exact text of a pattern built before the program runs: literals, `+`, `%` and `.format()`
 * formatting, f-strings, `re.escape()` and `"|".join([...])` over constants, and names bound once to
 * such an expression (module constants and class attributes). constantValue() is not enough here: it
 * knows that `"%s" % X` is constant but not its text.
 */
export function patternValue(node: Node, module: PythonModule): string | undefined {
  const v = evaluate(node, module, new Set());
  return typeof v === 'string' ? v : undefined;
}

type Value = string | number | Value[] | Map<string, Value> | undefined;

function evaluate(node: Node, module: PythonModule, seen: Set<number>): Value {
  const inner = (n: Node | null | undefined): Value => (n ? evaluate(n, module, seen) : undefined);
  switch (node.type) {
    case 'string':
      return stringLiteral(node, module, seen);
    case 'concatenated_string': {
      let out = '';
      for (const c of node.namedChildren) {
        const v = inner(c);
        if (typeof v !== 'string') return undefined;
        out += v;
      }
      return out;
    }
    case 'parenthesized_expression':
      return inner(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'list':
    case 'tuple': {
      const out: Value[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = inner(c);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'dictionary': {
      const out = new Map<string, Value>();
      for (const p of node.namedChildren) {
        if (p?.type !== 'pair') continue;
        const k = inner(p.childForFieldName('key'));
        const v = inner(p.childForFieldName('value'));
        if (typeof k !== 'string' || v === undefined) return undefined;
        out.set(k, v);
      }
      return out;
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const a = inner(node.childForFieldName('left'));
      const b = inner(node.childForFieldName('right'));
      if (typeof a !== 'string' || b === undefined) return undefined;
      if (op === '+') return typeof b === 'string' ? a + b : undefined;
      if (op === '%') return percentFormat(a, b);
      return undefined;
    }
    case 'call':
      return callValue(node, module, seen);
    case 'identifier': {
      const found = module.scopeOf(node).lookup(node.text);
      if (!found || found.bindings.length !== 1) return undefined;
      const b = found.bindings[0];
      if (b.kind === 'import') {
        // A constant of another module of the project (see semantic/excerpts.ts): a string there.
        const imported = module.importedValue(node);
        if (!imported || seen.has(imported.value.id)) return undefined;
        seen.add(imported.value.id);
        try {
          const v = evaluate(imported.value, imported.module, seen);
          return typeof v === 'string' || typeof v === 'number' ? v : undefined;
        } finally {
          seen.delete(imported.value.id);
        }
      }
      if (b.kind !== 'value' || seen.has(b.value.id)) return undefined;
      seen.add(b.value.id);
      try {
        return evaluate(b.value, module, seen);
      } finally {
        seen.delete(b.value.id);
      }
    }
    default: {
      const v = constantValue(node, module)?.value;
      return typeof v === 'string' || typeof v === 'number' ? v : undefined;
    }
  }
}

function stringLiteral(node: Node, module: PythonModule, seen: Set<number>): Value {
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content') out += contentValue(c);
    else if (c.type === 'escape_sequence') out += unescape(c.text);
    else if (c.type === 'escape_interpolation') out += c.text.slice(0, 1);
    else if (c.type === 'interpolation') {
      // f"{X}" only: conversions and format specifications change the text.
      const parts = c.namedChildren.filter((p) => p && p.type !== 'comment');
      if (parts.length !== 1 || !parts[0]) return undefined;
      const v = evaluate(parts[0], module, seen);
      if (typeof v !== 'string' && typeof v !== 'number') return undefined;
      out += String(v);
    }
  }
  return out;
}

function callValue(node: Node, module: PythonModule, seen: Set<number>): Value {
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'comment',
  );
  if (fn?.type !== 'attribute') return undefined;
  const object = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text;
  if (!object) return undefined;
  if ((object.text === 're' || object.text === 'regex') && method === 'escape' && args.length === 1) {
    const v = evaluate(args[0], module, seen);
    return typeof v === 'string' ? reEscape(v) : undefined;
  }
  const self = evaluate(object, module, seen);
  if (typeof self !== 'string') return undefined;
  if (method === 'join' && args.length === 1) {
    const items = evaluate(args[0], module, seen);
    return Array.isArray(items) && items.every((i) => typeof i === 'string') ? items.join(self) : undefined;
  }
  if (method !== 'format') return undefined;
  const positional: Value[] = [];
  const named = new Map<string, Value>();
  for (const a of args) {
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name')?.text;
      const v = a.childForFieldName('value');
      if (!k || !v) return undefined;
      named.set(k, evaluate(v, module, seen));
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    else positional.push(evaluate(a, module, seen));
  }
  return braceFormat(self, positional, named);
}

/** Python's `re.escape` (3.7+): only characters special in a pattern are escaped. */
function reEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}

function scalar(v: Value): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** `"%s-%(name)s" % args` for the conversions s, d and i without width or precision. */
function percentFormat(format: string, args: Value): string | undefined {
  const list = Array.isArray(args) ? args : [args];
  let at = 0;
  let failed = false;
  const out = format.replace(/%(\((\w+)\))?([sdi%])/g, (m, _k, key: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = key !== undefined ? (args instanceof Map ? args.get(key) : undefined) : list[at++];
    const s = scalar(v);
    if (s === undefined) failed = true;
    return s ?? m;
  });
  if (failed || /%[^%]/.test(format.replace(/%(\(\w+\))?[sdi%]/g, ''))) return undefined;
  return out;
}

/** `"{}{0}{name}".format(...)` without format specifications or conversions. */
function braceFormat(format: string, positional: Value[], named: Map<string, Value>): string | undefined {
  let auto = 0;
  let failed = false;
  const out = format.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const f = field ?? '';
    let v: Value;
    if (f === '') v = positional[auto++];
    else if (/^\d+$/.test(f)) v = positional[Number(f)];
    else if (/^\w+$/.test(f)) v = named.get(f);
    const s = scalar(v);
    if (s === undefined) failed = true;
    return s ?? m;
  });
  return failed ? undefined : out;
}
