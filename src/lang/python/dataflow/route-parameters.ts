/**
 * Which parameters of a route hold the client's text. A framework fills some with other things: a
 * dependency's result (`db: Session = Depends(get_db)`, a database session or the current user),
 * a value it parsed and validated against the parameter's annotation (`item_id: int`, `UUID4`, an
 * enumeration, a model whose fields are all such values), or a path segment its converter parsed
 * (`<int:id>`, `{id:int}`). A request that does not parse is rejected before the view runs.
 */
import { textIncludes, textMatches } from '../../../dataflow/text-reads.js';
import type { Node } from '../../../parsing/parser.js';
import {
  DEPENDENCY_MARKERS,
  ENUM_BASES,
  NON_TEXT_TYPES,
  RECORD_BASES,
  TYPED_CONVERTERS,
  URL_PATTERN_FUNCTIONS,
} from '../models/index.js';
import { patternSafeCwes } from './char-classes.js';
import { injectedViewValues } from './view-preludes.js';
import type { Interpreter } from './interpreter.js';
import { field, named, textOf } from './syntax.js';

const MAX_HOPS = 6;

/** Generic types whose values hold text only when one of their arguments does. */
const CONTAINERS = new Set(
  ['Optional', 'Union', 'List', 'Set', 'FrozenSet', 'Tuple', 'Sequence', 'Iterable', 'Annotated']
    .flatMap((t) => [`typing.${t}`, `typing_extensions.${t}`])
    .concat(['builtins.list', 'builtins.set', 'builtins.frozenset', 'builtins.tuple']),
);
const LITERALS = new Set(['typing.Literal', 'typing_extensions.Literal']);
const ANNOTATED = new Set(['typing.Annotated', 'typing_extensions.Annotated']);

/** A definition found for a name: the node (a class or an assigned value) and its module. */
interface Definition {
  mod: number;
  node: Node;
}

/** Whether a route's parameter may hold text the client chose. */
export function routeParameterHoldsText(
  it: Interpreter,
  mod: number,
  def: Node,
  param: Node,
  name: string,
): boolean {
  const value = field(param, 'value');
  if (value && isDependency(it, mod, value)) return false;
  const type = field(param, 'type');
  if (type && !mayHoldText(it, mod, type, 0)) return false;
  if (injectedViewValues(it).has(name) && !patternParameters(def).has(name)) return false;
  return !typedPathParameters(def).has(name) && !typedByUrlConf(it, def, name);
}

/** The parameters a route's path patterns name. */
export function patternParameters(def: Node): Set<string> {
  const out = new Set<string>();
  for (const path of routePaths(def))
    for (const m of textOf(path).matchAll(PATTERN_PARAMETER)) out.add(m[1] ?? m[4]!);
  return out;
}

/** `Depends(get_db)`: the parameter holds what the dependency returns. */
function isDependency(it: Interpreter, mod: number, node: Node): boolean {
  if (node.type !== 'call') return false;
  const fn = field(node, 'function');
  const q = fn ? it.mods(mod).module.qualifiedName(fn) : undefined;
  return q !== undefined && DEPENDENCY_MARKERS.has(q);
}

/** Whether a value of the annotation may be free text (unknown annotations may). */
function mayHoldText(it: Interpreter, mod: number, node: Node, hops: number): boolean {
  if (hops > MAX_HOPS) return true;
  switch (node.type) {
    case 'type':
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      return !inner || mayHoldText(it, mod, inner, hops + 1);
    }
    case 'none':
      return false;
    case 'binary_operator': {
      // `int | None`
      const l = field(node, 'left');
      const r = field(node, 'right');
      return !l || !r || mayHoldText(it, mod, l, hops + 1) || mayHoldText(it, mod, r, hops + 1);
    }
    case 'generic_type':
    case 'subscript': {
      const [base, ...rest] = named(node);
      const args =
        node.type === 'generic_type'
          ? rest.flatMap((p) => (p.type === 'type_parameter' ? named(p) : [p]))
          : rest.filter((a) => a.type !== 'comment');
      const q = base ? qualified(it, mod, base) : undefined;
      if (!q) return true;
      if (LITERALS.has(q)) return false;
      if (ANNOTATED.has(q)) {
        // Annotated[Session, Depends(get_db)]: the dependency's result.
        if (args.slice(1).some((a) => isDependency(it, mod, a.type === 'type' ? (named(a)[0] ?? a) : a)))
          return false;
        return !args[0] || mayHoldText(it, mod, args[0], hops + 1);
      }
      if (CONTAINERS.has(q)) return args.length === 0 || args.some((a) => mayHoldText(it, mod, a, hops + 1));
      return true;
    }
    case 'call': {
      // conint(gt=0)
      const fn = field(node, 'function');
      const q = fn ? qualified(it, mod, fn) : undefined;
      return !(q && NON_TEXT_TYPES.has(q));
    }
    case 'identifier':
    case 'attribute': {
      const q = qualified(it, mod, node);
      if (q && NON_TEXT_TYPES.has(q)) return false;
      const d = definitionOf(it, mod, node, hops);
      if (!d) return true;
      if (d.node.type === 'class_definition') return classMayHoldText(it, d, hops + 1);
      return mayHoldText(it, d.mod, d.node, hops + 1);
    }
    default:
      return true;
  }
}

function qualified(it: Interpreter, mod: number, node: Node): string | undefined {
  return it.mods(mod).module.qualifiedName(node);
}

/**
 * A project class: an enumeration holds one of its members, a database model a stored record (also
 * through project bases: `class UserProfile(AbstractBaseUser, UserSettings)` where `UserSettings`
 * is a model, whatever text fields it declares); a model whose annotated fields (its own and its
 * project bases') all hold no text holds none either.
 */
function classMayHoldText(it: Interpreter, cls: Definition, hops: number): boolean {
  if (hops > MAX_HOPS) return true;
  if (isRecordOrEnum(it, cls, hops)) return false;
  const bases = named(field(cls.node, 'superclasses') ?? cls.node).filter(
    (b) => b.type !== 'keyword_argument',
  );
  let fields = 0;
  for (const base of bases) {
    const d = definitionOf(it, cls.mod, base, hops);
    if (d?.node.type === 'class_definition') {
      if (classMayHoldText(it, d, hops + 1)) return true;
      fields++;
    }
  }
  for (const stmt of named(field(cls.node, 'body') ?? cls.node)) {
    const assign = stmt.type === 'expression_statement' ? named(stmt)[0] : undefined;
    const type = assign?.type === 'assignment' ? field(assign, 'type') : null;
    if (!type) continue;
    if (mayHoldText(it, cls.mod, type, hops + 1)) return true;
    fields++;
  }
  return fields === 0;
}

/** A project class with an enumeration or a database model among its bases or theirs. */
function isRecordOrEnum(it: Interpreter, cls: Definition, hops: number): boolean {
  if (hops > MAX_HOPS) return false;
  const module = it.mods(cls.mod).module;
  return named(field(cls.node, 'superclasses') ?? cls.node).some((base) => {
    if (base.type === 'keyword_argument') return false;
    const q = module.qualifiedName(base);
    if (q && (ENUM_BASES.has(q) || RECORD_BASES.has(q))) return true;
    const d = definitionOf(it, cls.mod, base, hops);
    return d?.node.type === 'class_definition' && isRecordOrEnum(it, d, hops + 1);
  });
}

/** The class or value a name (or an imported name) is bound to, once, at the top of a module. */
export function definitionOf(it: Interpreter, mod: number, node: Node, hops: number): Definition | undefined {
  if (hops > MAX_HOPS) return undefined;
  const module = it.mods(mod).module;
  if (node.type === 'identifier') {
    const found = module.scopeOf(node).lookup(textOf(node));
    const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    if (only?.kind === 'value') return { mod, node: only.value };
    if (only?.kind === 'def')
      return only.node.type === 'class_definition' ? { mod, node: only.node } : undefined;
    if (only && only.kind !== 'import') return undefined;
  }
  const q = module.qualifiedName(node);
  const r = q ? it.resolveModule(q, mod) : undefined;
  if (!r || r.rest.length !== 1 || r.mod === mod) return undefined;
  const target = it.mods(r.mod).module;
  const found = target.root.bindings.get(r.rest[0]);
  const only = found?.length === 1 ? found[0] : undefined;
  if (only?.kind === 'value') return { mod: r.mod, node: only.value };
  if (only?.kind === 'def' && only.node.type === 'class_definition') return { mod: r.mod, node: only.node };
  return undefined;
}

const CONVERTED = /<(\w+):(\w+)>|\{(\w+):(\w+)\}/g;

/**
 * Parameters the route's path pattern converts: Werkzeug's `<int:id>`, Bottle's `<id:int>`,
 * Starlette's `{id:int}`.
 */
function typedPathParameters(def: Node): Set<string> {
  const out = new Set<string>();
  for (const path of routePaths(def)) {
    for (const m of textOf(path).matchAll(CONVERTED)) {
      if (m[1] !== undefined) {
        if (TYPED_CONVERTERS.has(m[1])) out.add(m[2]);
        else if (TYPED_CONVERTERS.has(m[2])) out.add(m[1]);
      } else if (TYPED_CONVERTERS.has(m[4])) out.add(m[3]);
    }
  }
  return out;
}

/** The path patterns (string literals) the decorators of a route give as their first argument. */
function routePaths(def: Node): Node[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return named(parent).flatMap((d) => {
    const expr = d.type === 'decorator' ? named(d)[0] : undefined;
    const path = expr?.type === 'call' ? named(field(expr, 'arguments') ?? expr)[0] : undefined;
    return path?.type === 'string' ? [path] : [];
  });
}

/** A parameter of a path pattern: `{name}`, `{name:conv}`, `<name>`, `<conv:name>`, Bottle's `<name:conv>`. */
const PATTERN_PARAMETER = /\{(\w+)(?::([^}]*))?\}|<(?:(\w+(?:\([^)]*\))?):)?(\w+)(?::([^>]*))?>/g;

/** Converters that match one segment of text (no `/`): the default string converter and `any(...)`. */
const SEGMENT_CONVERTER = /^(?:str|string|any(?:\(.*\))?)$/;

/**
 * Parameters the route's path pattern matches within one segment of the URL path, as text: they
 * hold no `/` (see path-segments.ts). Not those of a `path` converter or a regular expression.
 */
export function segmentPathParameters(def: Node): Set<string> {
  const out = new Set<string>();
  for (const path of routePaths(def)) {
    for (const m of textOf(path).matchAll(PATTERN_PARAMETER)) {
      const [name, converter] = m[1] !== undefined ? [m[1], m[2]] : [m[4]!, m[3] ?? m[5]];
      if (converter === undefined || SEGMENT_CONVERTER.test(converter)) out.add(name);
    }
  }
  return out;
}

/**
 * The converter every path pattern of the route names for a parameter (`hex` for `<hex:key>`,
 * `<hex(4):key>` or `{key:hex}`), without its arguments; undefined when none or several do.
 */
export function pathConverter(def: Node, name: string): string | undefined {
  const found = new Set<string | undefined>();
  for (const path of routePaths(def)) {
    for (const m of textOf(path).matchAll(PATTERN_PARAMETER)) {
      const [param, converter] = m[1] !== undefined ? [m[1], m[2]] : [m[4]!, m[3] ?? m[5]];
      if (param === name) found.add(converter?.replace(/\(.*$/, ''));
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** A regular expression group that matches no free text: digits, or word characters and '-'. */
const TYPED_GROUP = /^(?:\\d|\\w|\[(?:\\w|\\d|[a-zA-Z0-9_-])+\])(?:[+*]|\{\d+(?:,\d*)?\})?$/;

/**
 * A converter (`<int:pk>`) or a named group of a URL regular expression, whose body may hold
 * groups of its own one level deep (`(?P<size>(24|32|80))`).
 */
const GROUP_OR_CONVERTER = /<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)/g;

/**
 * A group body that matches no free text: digits, word characters and '-' in classes, literals and
 * alternatives (`\d+`, `[a-z0-9-]+`, `(24|32|80|128)`), nothing that may hold '.', '/', a space
 * or markup.
 */
function typedGroup(body: string): boolean {
  const safe = patternSafeCwes(body);
  return TYPED_GROUP.test(body) || (!!safe && safe.includes(22) && safe.includes(89));
}

/** Per view name, the parameters its URL patterns type in every pattern, and those some leave as text. */
interface UrlConf {
  typed: Map<string, Set<string>>;
  untyped: Map<string, Set<string>>;
}

const urlConfs = new WeakMap<Interpreter, UrlConf>();

/** The project's URL patterns (`path('items/<int:pk>', views.item)`), read once from the text of its modules. */
function urlConf(it: Interpreter): UrlConf {
  let conf = urlConfs.get(it);
  if (conf) return conf;
  conf = { typed: new Map(), untyped: new Map() };
  urlConfs.set(it, conf);
  const names = [...new Set(URL_PATTERN_FUNCTIONS.map((f) => f.split('.').pop() ?? f))];
  if (names.length === 0) return conf;
  const call = new RegExp(`\\b(?:${names.join('|')})\\(\\s*[rRuU]?(["'])(.*?)\\1\\s*,\\s*([\\w.]+)`, 'gs');
  const add = (map: Map<string, Set<string>>, view: string, param: string): void => {
    let set = map.get(view);
    if (!set) map.set(view, (set = new Set()));
    set.add(param);
  };
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!textIncludes(it.modules, mod, 'urlpatterns')) continue;
    for (const m of textMatches(it.modules, mod, call)) {
      const parts = m[3].split('.');
      const view = parts[parts.length - 1] === 'as_view' ? parts[parts.length - 2] : parts[parts.length - 1];
      if (!view) continue;
      for (const p of m[2].matchAll(GROUP_OR_CONVERTER)) {
        if (p[2] !== undefined)
          add(p[1] && TYPED_CONVERTERS.has(p[1]) ? conf.typed : conf.untyped, view, p[2]);
        else add(typedGroup(p[4]) ? conf.typed : conf.untyped, view, p[3]);
      }
    }
  }
  return conf;
}

/** A view's parameter its URL patterns type everywhere (`<int:pk>`, `(?P<pk>\d+)`). */
function typedByUrlConf(it: Interpreter, def: Node, name: string): boolean {
  const conf = urlConf(it);
  if (conf.typed.size === 0) return false;
  let view = field(def, 'name')?.text;
  // A class-based view's handler (`def get(self, request, pk)`): the class is the view.
  const body = def.parent?.type === 'decorated_definition' ? def.parent.parent : def.parent;
  if (body?.type === 'block' && body.parent?.type === 'class_definition')
    view = field(body.parent, 'name')?.text;
  if (!view) return false;
  return !!conf.typed.get(view)?.has(name) && !conf.untyped.get(view)?.has(name);
}
