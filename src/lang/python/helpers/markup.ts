/**
 * Which parts of a value marked as safe HTML (`mark_safe(...)`, `Markup(...)`) are neither constant
 * text nor escaped: constants (module constants, class attributes, literals, gettext of a literal),
 * escaped or sanitized values and markup built by a safe builder (`format_html`) are safe; ternaries,
 * f-strings, `%`, `+`, `str.format`, `str.join`, string methods and the project's own functions in
 * the module are looked through. What is left is the unescaped data a finding names.
 */
import type { TaintQuery } from '../../../dataflow/index.js';
import type { Node } from '../../../parsing/parser.js';
import { SANITIZERS } from '../models/index.js';
import type { PythonModule } from '../semantic/scope.js';
import { isConstantish, resolveValue } from './constants.js';
import { enclosingClassOf, ownReturns } from './functions.js';

/** A part of the value that is neither constant nor escaped. */
export interface UnescapedPart {
  node: Node;
  /** Formatted into other text (an f-string, `%`, `+`, `.format`, `.join`, gettext's variables). */
  formatted: boolean;
}

/** Calls whose result is escaped, sanitized or rendered HTML, besides the models' sanitizers for XSS. */
const HTML_BUILDERS = new Set([
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.strip_tags',
  'django.utils.html.escapejs',
  'django.utils.http.urlencode',
  'django.template.loader.render_to_string',
  'django.shortcuts.render_to_string',
  'urllib.parse.urlencode',
  'bleach.linkify',
  'nh3.clean',
]);

/** Locale formatting of dates and numbers: text from the locale data, not from the program's input. */
const LOCALE_FORMATTING = /^(babel\.(dates|numbers)|flask_babel|flask_babelex)\.format_\w+$/;

/** Methods whose result cannot hold markup: percent-encoded query strings, internal URLs, ISO dates. */
const MARKUP_FREE_METHODS = new Set(['urlencode', 'get_absolute_url', 'isoformat']);

/** Attributes that hold a model's key: a number (or a UUID), never markup. */
const KEY_ATTRIBUTES = new Set(['id', 'pk']);

/** String methods whose result holds only the text of the receiver and arguments. */
const STRING_METHODS = new Set([
  'replace',
  'strip',
  'lstrip',
  'rstrip',
  'upper',
  'lower',
  'title',
  'capitalize',
  'casefold',
  'swapcase',
  'center',
  'ljust',
  'rjust',
  'zfill',
  'removeprefix',
  'removesuffix',
]);

/** Built-ins whose result is a number or a boolean. */
const NUMERIC_BUILTINS = new Set(['len', 'int', 'float', 'bool', 'round', 'abs', 'ord', 'hash', 'id']);

/** The plural forms of the translation calls: their count argument chooses a form and is not text. */
const PLURAL_GETTEXT = new Set([
  'ngettext',
  'ngettext_lazy',
  'ungettext',
  'lazy_ngettext',
  'npgettext',
  'npgettext_lazy',
]);
/** Translation calls: the translated text of a literal is the application's own text. */
const GETTEXT = new Set([
  'gettext',
  'gettext_lazy',
  'ugettext',
  'ugettext_lazy',
  'lazy_gettext',
  'pgettext',
  'pgettext_lazy',
  'lazy_pgettext',
  ...PLURAL_GETTEXT,
]);

interface Walk {
  module: PythonModule;
  taint: TaintQuery;
  markup: MarkupCalls;
  /** Bindings and functions on the current path (cycles add nothing). */
  seen: Set<number>;
  budget: number;
  /** In a function of the module looked through for a call: its parameters' parts at that call. */
  params?: ReadonlyMap<string, UnescapedPart[]>;
  depth: number;
  /**
   * In a template filter registered by a call: the dataflow ran it as a callback of the
   * registration, with values that are not the page data it receives, so its constant and clean
   * verdicts prove nothing there.
   */
  distrustDataflow: boolean;
}

const SAFE: UnescapedPart[] = [];

/** The parts of the value that are neither constant nor escaped, in source order; none: safe. */
export function unescapedParts(
  value: Node,
  module: PythonModule,
  taint: TaintQuery,
  markup: MarkupCalls,
  distrustDataflow = false,
): UnescapedPart[] {
  const walk: Walk = { module, taint, markup, seen: new Set(), budget: 400, depth: 0, distrustDataflow };
  return partsOf(value, walk, false);
}

/** The calls that mark markup safe, judged at their own call. */
export interface MarkupCalls {
  /** Their result is safe where it is used (`mark_safe(...)`, `format_html(...)`). */
  safe: ReadonlySet<string>;
  /** Their result's `.format()` and `%` escape what they format in (`Markup("<b>{}</b>").format(x)`). */
  escapesFormatting: ReadonlySet<string>;
}

/** Whether the receiver of `.format()` or the left of `%` is markup that escapes what it formats in. */
function escapesFormatting(receiver: Node | null, walk: Walk): boolean {
  const value = receiver ? resolveValue(receiver, walk.module) : undefined;
  const fn = value?.type === 'call' ? value.childForFieldName('function') : undefined;
  const q = fn ? walk.module.qualifiedName(fn) : undefined;
  return q !== undefined && walk.markup.escapesFormatting.has(q);
}

function args(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => a !== null && a.type !== 'comment',
  );
}

function partsOf(node: Node, walk: Walk, formatted: boolean): UnescapedPart[] {
  if (--walk.budget < 0) return [{ node, formatted }];
  const { module, taint } = walk;
  const leaf = (): UnescapedPart[] => [{ node, formatted }];
  const all = (nodes: readonly (Node | null | undefined)[], f = formatted): UnescapedPart[] =>
    nodes.flatMap((n) => (n ? partsOf(n, walk, f) : []));
  // What the dataflow proved holds in every context it ran the code in.
  const traced = taint.trace(node, { cwe: 79 });
  if ((traced.kind === 'constant' || traced.kind === 'clean') && !walk.distrustDataflow) return SAFE;
  // Sanitized facts may sit beside unknown data in a built string: believed for single values only.
  if (traced.kind === 'sanitized' && ['identifier', 'attribute', 'call'].includes(node.type)) return SAFE;
  // Proven data from a source: the name it is read through, or the part of a built string it is.
  if (traced.kind === 'tainted' && ['identifier', 'attribute', 'subscript'].includes(node.type))
    return leaf();
  if (isConstantish(node, module)) return SAFE;
  switch (node.type) {
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return SAFE;
    case 'string':
      return all(
        node.namedChildren.map((c) => (c?.type === 'interpolation' ? c.namedChildren[0] : null)),
        true,
      );
    case 'concatenated_string':
      return all(node.namedChildren);
    case 'parenthesized_expression':
      return all([node.namedChildren.find((c) => c && c.type !== 'comment')]);
    case 'conditional_expression':
      return all([node.namedChildren[0], node.namedChildren[2]]);
    case 'boolean_operator':
      return all([node.childForFieldName('left'), node.childForFieldName('right')]);
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const right = node.childForFieldName('right');
      if (op === '+') return all([node.childForFieldName('left'), right], true);
      if (op === '%' && right) {
        const values =
          right.type === 'tuple'
            ? right.namedChildren
            : right.type === 'dictionary'
              ? right.namedChildren.map((p) => (p?.type === 'pair' ? p.childForFieldName('value') : p))
              : [right];
        const left = node.childForFieldName('left');
        return [...all([left]), ...(escapesFormatting(left, walk) ? SAFE : all(values, true))];
      }
      return leaf();
    }
    case 'identifier':
      return nameParts(node, walk, formatted);
    case 'attribute': {
      if (KEY_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '')) return SAFE;
      const value = classAttribute(node, walk.module);
      if (!value || walk.seen.has(value.id)) return leaf();
      walk.seen.add(value.id);
      try {
        return partsOf(value, walk, formatted);
      } finally {
        walk.seen.delete(value.id);
      }
    }
    case 'call':
      return callParts(node, walk, formatted) ?? leaf();
    default:
      return leaf();
  }
}

function nameParts(name: Node, walk: Walk, formatted: boolean): UnescapedPart[] {
  const found = walk.module.scopeOf(name).lookup(name.text);
  if (!found) return [{ node: name, formatted }];
  return liveBindings(name, found.bindings).flatMap((b): UnescapedPart[] => {
    if (b.kind === 'param') {
      if (walk.params?.has(name.text)) return walk.params.get(name.text) ?? SAFE;
      return onlyConstantsReach(name, walk.module) ? SAFE : [{ node: name, formatted }];
    }
    if (walk.seen.has(b.node.id)) return SAFE;
    walk.seen.add(b.node.id);
    try {
      if (b.kind === 'value') return partsOf(b.value, walk, formatted);
      if (b.kind === 'opaque' && b.node.type === 'augmented_assignment') {
        const right = b.node.childForFieldName('right');
        return right ? partsOf(right, walk, true) : [{ node: name, formatted }];
      }
      return [{ node: name, formatted }];
    } finally {
      walk.seen.delete(b.node.id);
    }
  });
}

/**
 * The value a class body assigns to the attribute read (`Widget.template`, or `self.template` in
 * its methods when no method assigns it), when it assigns it once.
 */
function classAttribute(read: Node, module: PythonModule): Node | undefined {
  const object = read.childForFieldName('object');
  const name = read.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !name) return undefined;
  let cls: Node | undefined;
  if (object.text === 'self' || object.text === 'cls') {
    cls = enclosingClassOf(read);
    if (cls && new RegExp(`\\b${object.text}\\.${name}\\s*(=[^=]|[-+%*/|&]=)`).test(cls.text))
      return undefined;
  } else {
    const def = module.singleDefinition(object);
    if (def?.type === 'class_definition') cls = def;
  }
  const assigned = (cls?.childForFieldName('body')?.namedChildren ?? []).flatMap((st) => {
    const a = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
    const right = a?.childForFieldName('right');
    return left?.type === 'identifier' && left.text === name && right ? [right] : [];
  });
  return assigned.length === 1 ? assigned[0] : undefined;
}

/** `name == "a"`, `"a" == name`, `name in ("a", "b")` (with `negated`: `!=`, `not in`). */
function comparesToConstants(
  test: Node | null,
  name: string,
  module: PythonModule,
  negated: boolean,
): boolean {
  if (test?.type === 'parenthesized_expression')
    return comparesToConstants(test.namedChildren[0], name, module, negated);
  if (test?.type !== 'comparison_operator') return false;
  const operands = test.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const ops = test.children.filter((c) => c && !c.isNamed).map((c) => c?.text ?? '');
  const op = ops.join(' ');
  if (operands.length !== 2) return false;
  const [left, right] = operands;
  const wanted = negated ? ['!=', 'not in'] : ['==', 'in'];
  if (!wanted.includes(op)) return false;
  if (op.endsWith('in')) return left.text === name && isConstantish(right, module);
  return (
    (left.text === name && isConstantish(right, module)) ||
    (right.text === name && isConstantish(left, module))
  );
}

/** Whether a block always leaves the function (ends with `raise` or `return`). */
function leaves(block: Node | null): boolean {
  const last = block?.namedChildren.filter((c) => c && c.type !== 'comment').at(-1);
  return last?.type === 'raise_statement' || last?.type === 'return_statement';
}

/**
 * Whether a parameter read can only hold one of some constants: the function's own block, before
 * the read, tests it against constants and leaves on the other values (`if kind == "a": ... elif
 * kind == "b": ... else: raise`, or `if kind not in ("a", "b"): raise`).
 */
function onlyConstantsReach(read: Node, module: PythonModule): boolean {
  let fn: Node | null = read.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const body = fn?.childForFieldName('body');
  if (!body) return false;
  for (const st of body.namedChildren) {
    if (!st || st.endIndex > read.startIndex) break;
    if (st.type !== 'if_statement') continue;
    const condition = st.childForFieldName('condition');
    const alternatives = st.namedChildren.filter(
      (c): c is Node => c?.type === 'elif_clause' || c?.type === 'else_clause',
    );
    const otherwise = alternatives.find((c) => c.type === 'else_clause');
    if (
      !alternatives.length &&
      comparesToConstants(condition, read.text, module, true) &&
      leaves(st.childForFieldName('consequence'))
    )
      return true;
    const chain = [
      condition,
      ...alternatives.filter((c) => c.type === 'elif_clause').map((c) => c.childForFieldName('condition')),
    ];
    if (
      otherwise &&
      leaves(otherwise.childForFieldName('body')) &&
      chain.every((c) => comparesToConstants(c, read.text, module, false))
    )
      return true;
  }
  return false;
}

/** The statement a binding's node is part of: the child of the block (or module) that holds it. */
function statementOf(node: Node): Node | undefined {
  for (let n: Node | null = node; n?.parent; n = n.parent) {
    if (n.parent.type === 'block' || n.parent.type === 'module') return n;
  }
  return undefined;
}

/**
 * The bindings that may reach a read: an assignment in the function's (or module's) own block,
 * not inside a branch or loop, before the read, replaces the bindings before it (a parameter
 * escaped in place: `text = escape(text)`).
 */
function liveBindings<B extends { node: Node }>(read: Node, bindings: readonly B[]): readonly B[] {
  let last: { binding: B; start: number } | undefined;
  for (const b of bindings) {
    const statement = statementOf(b.node);
    const owner = statement?.parent?.type === 'block' ? statement.parent.parent : statement?.parent;
    const unconditional = owner?.type === 'function_definition' || owner?.type === 'module';
    if (!statement || !unconditional || statement.endIndex > read.startIndex) continue;
    if (statement.type !== 'expression_statement') continue;
    if (!last || statement.startIndex > last.start) last = { binding: b, start: statement.startIndex };
  }
  if (!last) return bindings;
  const from = last.start;
  return bindings.filter((b) => (statementOf(b.node)?.startIndex ?? from) >= from);
}

/** Undefined: a call not understood, itself the unescaped part. */
function callParts(call: Node, walk: Walk, formatted: boolean): UnescapedPart[] | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const all = (nodes: readonly (Node | null | undefined)[], f = formatted): UnescapedPart[] =>
    nodes.flatMap((n) => (n ? partsOf(n, walk, f) : []));
  const valueOf = (a: Node): Node | null =>
    a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
  const q = walk.module.qualifiedName(fn);
  if (q !== undefined) {
    if (
      walk.markup.safe.has(q) ||
      HTML_BUILDERS.has(q) ||
      SANITIZERS[q]?.includes(79) ||
      /\.escape$/.test(q) ||
      LOCALE_FORMATTING.test(q)
    )
      return SAFE;
    const last = q.slice(q.lastIndexOf('.') + 1);
    if (q.startsWith('builtins.') && NUMERIC_BUILTINS.has(last)) return SAFE;
    if (q === 'builtins.str') return all(args(call).slice(0, 1));
  }
  const translation = q !== undefined ? q.slice(q.lastIndexOf('.') + 1) : fn.text;
  if (GETTEXT.has(translation) || (q === undefined && fn.text === '_')) {
    // The message (a literal, or text built into it) and the variables some libraries format in.
    const given = args(call);
    const positional = given.filter((a) => a.type !== 'keyword_argument');
    const text = PLURAL_GETTEXT.has(translation) ? positional.slice(0, -1) : positional;
    const variables = given.filter((a) => a.type === 'keyword_argument').map(valueOf);
    return [...all(text), ...all(variables, true)];
  }
  if (fn.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = fn.childForFieldName('object');
    if (MARKUP_FREE_METHODS.has(method)) return SAFE;
    if (method === 'format')
      return [
        ...all([receiver]),
        ...(escapesFormatting(receiver, walk) ? SAFE : all(args(call).map(valueOf), true)),
      ];
    if (STRING_METHODS.has(method)) return all([receiver, ...args(call).map(valueOf)]);
    if (method === 'join') {
      const items = args(call)[0];
      const elements =
        items && ['list', 'tuple', 'set'].includes(items.type)
          ? items.namedChildren
          : items && ['generator_expression', 'list_comprehension'].includes(items.type)
            ? [items.childForFieldName('body')]
            : [items];
      return [...all([receiver]), ...all(elements, true)];
    }
    return undefined;
  }
  return functionParts(call, fn, walk, formatted);
}

/** A function of this module: what its returns hold, its parameters standing for this call's arguments. */
function functionParts(call: Node, fn: Node, walk: Walk, formatted: boolean): UnescapedPart[] | undefined {
  if (fn.type !== 'identifier' || walk.depth >= 3) return undefined;
  const def = walk.module.singleDefinition(fn);
  if (def?.type !== 'function_definition' || walk.seen.has(def.id)) return undefined;
  const returns = ownReturns(def).flatMap((r) => {
    const value = r.namedChildren.find((x) => x && x.type !== 'comment');
    return value ? [value] : [];
  });
  if (!returns.length) return undefined;
  const given = args(call);
  if (given.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const params = new Map<string, UnescapedPart[]>();
  const declared = (def.childForFieldName('parameters')?.namedChildren ?? []).filter(
    (p): p is Node => p !== null && p.type !== 'comment',
  );
  declared.forEach((p, i) => {
    const name = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren[0]);
    if (!name || name.type !== 'identifier') return;
    const passed =
      given.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name.text) ??
      given.filter((a) => a.type !== 'keyword_argument')[i];
    const value = passed?.type === 'keyword_argument' ? passed.childForFieldName('value') : passed;
    // A parameter left to its default: the default's parts, read in the function.
    const fallback = p.childForFieldName('value');
    params.set(
      name.text,
      value ? partsOf(value, walk, false) : fallback ? partsOf(fallback, walk, false) : [],
    );
  });
  walk.seen.add(def.id);
  const inner: Walk = { ...walk, params, depth: walk.depth + 1 };
  try {
    const parts = returns.flatMap((r) => partsOf(r, inner, formatted));
    walk.budget = inner.budget;
    return parts;
  } finally {
    walk.seen.delete(def.id);
  }
}
