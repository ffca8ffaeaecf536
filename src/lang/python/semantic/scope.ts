import type { Node, SourceFile } from '../../../parsing/parser.js';
import { TEMPLATE_USES_KEY, type TemplateCalls } from '../templates/calls.js';
import { CycleSafeMemo, lastStartingBy, visitInScopes, type OpenRegion } from '../../scoping.js';
import type { ReviewModules } from '../../language.js';
import { Neighbours } from './excerpts.js';
import { isPackageInit } from './modules.js';

/**
 * Scopes, bindings and qualified names for one Python module.
 *
 * Rules match qualified names, never bare text: `from subprocess import Popen as P; P(...)` gives
 * `subprocess.Popen`, `import os as o; o.system(x)` gives `os.system`, and a call's result is named
 * with `()`: `tarfile.open(f).extractall()` and `with tarfile.open(f) as t: t.extractall()` both give
 * `tarfile.open().extractall`. Unshadowed builtins resolve to `builtins.<name>`.
 */

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

export type Binding =
  | { kind: 'import'; qualname: string; node: Node }
  | { kind: 'def'; qualname: string; node: Node }
  | { kind: 'param'; node: Node }
  /** `name = value`: the value node, resolved lazily. */
  | { kind: 'value'; value: Node; node: Node }
  /** `with value as name`: the name holds what the context manager returns (usually `value`). */
  | { kind: 'with'; value: Node; node: Node }
  /** Bound in a way whose value is not tracked (for targets, unpacking, except ... as). */
  | { kind: 'opaque'; node: Node };

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly children: Scope[] = [];
  /** The scope node's extent (tree-sitter indices), for finding the scope of a node by position. */
  readonly start: number;
  readonly end: number;
  /**
   * An earlier sibling whose node contains this one: a lambda or comprehension in a default value
   * or base class list belongs to the enclosing scope but lies inside the definition's node.
   */
  readonly container: Scope | undefined;

  constructor(
    readonly kind: ScopeKind,
    readonly node: Node,
    readonly parent: Scope | undefined,
    /** Dotted name of the enclosing definitions ("Handler.get"); "" for the module. */
    readonly qualifiedContext: string,
  ) {
    this.start = node.startIndex;
    this.end = node.endIndex;
    let k = parent?.children[parent.children.length - 1];
    while (k && !(k.start <= this.start && this.end <= k.end)) k = k.container;
    this.container = k;
    parent?.children.push(this);
  }

  bind(name: string, binding: Binding): void {
    const target = this.globals.has(name) ? this.moduleScope() : this;
    const list = target.bindings.get(name);
    if (list) list.push(binding);
    else target.bindings.set(name, [binding]);
  }

  moduleScope(): Scope {
    return this.parent ? this.parent.moduleScope() : this;
  }

  /** Python's LEGB lookup: class scopes are skipped for names used in nested functions. */
  lookup(name: string): { scope: Scope; bindings: Binding[] } | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking the parent chain
    let s: Scope | undefined = this;
    let first = true;
    while (s) {
      if (s.globals.has(name)) {
        const m = s.moduleScope();
        const b = m.bindings.get(name);
        return b ? { scope: m, bindings: b } : undefined;
      }
      if (first || s.kind !== 'class') {
        const b = s.bindings.get(name);
        if (b && !s.nonlocals.has(name)) return { scope: s, bindings: b };
      }
      first = false;
      s = s.parent;
    }
    return undefined;
  }
}

export interface CallSite {
  node: Node;
  /** Qualified name of the callee when it could be resolved. */
  callee: string | undefined;
  /** The attribute name for `x.method(...)` calls, whatever `x` is. */
  methodName: string | undefined;
  /** The object of `x.method(...)`. */
  receiver: Node | undefined;
  /** Positional arguments, in order, excluding `*args`. */
  args: Node[];
  kwargs: Map<string, Node>;
  /** True when the call has `*args` or `**kwargs`, so absent arguments may still be passed. */
  hasSplat: boolean;
  scope: Scope;
  /**
   * The argument Python binds to the parameter at `position` (-1: keyword-only) named `keyword`; the
   * keyword is looked at first, as Python rejects a call that passes both. More keywords name the
   * same parameter in other APIs (`url` or `fullurl`); the first one passed wins.
   */
  argument(position: number, ...keywords: string[]): Node | undefined;
}

const BUILTINS = new Set(
  (
    'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile ' +
    'complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals ' +
    'hasattr hash help hex id input int isinstance issubclass iter len list locals map max memoryview min ' +
    'next object oct open ord pow print property range repr reversed round set setattr slice sorted ' +
    'staticmethod str sum super tuple type vars zip __import__'
  ).split(' '),
);

/**
 * Modules whose names a snippet or a diff hunk uses without its imports: a name the file never binds
 * that is one of these is read as the module (`subprocess.call(cmd, shell=True)` pasted alone), and
 * findings that rest on it say so (`assumedModules`). Standard-library and widely used modules with
 * security-relevant calls only: an unknown name stays unknown.
 */
const WELL_KNOWN_MODULES = new Set(
  (
    'asyncio base64 cPickle commands dill ftplib hashlib hmac http httplib jinja2 json jsonpickle logging ' +
    'lxml marshal os paramiko pickle platform pty random requests secrets shelve shutil smtplib socket ' +
    'sqlite3 ssl subprocess sys tarfile telnetlib tempfile urllib urllib2 xml yaml zipfile'
  ).split(' '),
);

const SCOPE_NODES: Record<string, ScopeKind> = {
  function_definition: 'function',
  class_definition: 'class',
  lambda: 'lambda',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

/**
 * The node types the scope builder acts on. The tree is searched for them in one pass inside
 * tree-sitter (`descendantsOfType`), so the other nodes (most of a tree) never cross into
 * JavaScript: that is what keeps name resolution well below the cost of parsing.
 */
const BUILD_TYPES = [
  ...Object.keys(SCOPE_NODES),
  'import_statement',
  'import_from_statement',
  'global_statement',
  'nonlocal_statement',
  'assignment',
  'augmented_assignment',
  'named_expression',
  'for_statement',
  'with_item',
  'except_clause',
  'call',
  'case_pattern',
  'keyword_pattern',
  'splat_pattern',
  'as_pattern',
];

/** A scope's region: a definition's body; a comprehension's whole extent. */
type OpenScope = OpenRegion<Scope>;

/** An attribute chain of plain names: `os.path.join`. */
const PLAIN_DOTTED = /^[^\s.()[\]{}#'"\\]+(?:\.[^\s.()[\]{}#'"\\]+)+$/;

/**
 * A call site. The callee is resolved for every call (rules filter on it first); arguments,
 * method name and receiver are read from the tree on first use, since most calls are never
 * looked at past their callee.
 */
export class PythonCall implements CallSite {
  callee: string | undefined = undefined;
  private parsedArgs?: { args: Node[]; kwargs: Map<string, Node>; hasSplat: boolean };
  private attribute?: { methodName: string | undefined; receiver: Node | undefined };

  constructor(
    readonly node: Node,
    /** The callee expression (`function` field). */
    readonly functionNode: Node | null,
    readonly scope: Scope,
  ) {}

  get args(): Node[] {
    return this.arguments().args;
  }

  get kwargs(): Map<string, Node> {
    return this.arguments().kwargs;
  }

  get hasSplat(): boolean {
    return this.arguments().hasSplat;
  }

  get methodName(): string | undefined {
    return this.attributeParts().methodName;
  }

  argument(position: number, ...keywords: string[]): Node | undefined {
    for (const k of keywords) {
      const a = this.kwargs.get(k);
      if (a) return a;
    }
    return position >= 0 ? this.args[position] : undefined;
  }

  get receiver(): Node | undefined {
    return this.attributeParts().receiver;
  }

  private attributeParts(): { methodName: string | undefined; receiver: Node | undefined } {
    if (!this.attribute) {
      const fn = this.functionNode;
      this.attribute =
        fn?.type === 'attribute'
          ? {
              methodName: fn.childForFieldName('attribute')?.text,
              receiver: fn.childForFieldName('object') ?? undefined,
            }
          : { methodName: undefined, receiver: undefined };
    }
    return this.attribute;
  }

  private arguments(): { args: Node[]; kwargs: Map<string, Node>; hasSplat: boolean } {
    if (this.parsedArgs) return this.parsedArgs;
    const argList = this.node.childForFieldName('arguments');
    const args: Node[] = [];
    const kwargs = new Map<string, Node>();
    let hasSplat = false;
    if (argList?.type === 'argument_list') {
      for (const a of argList.namedChildren) {
        if (!a) continue;
        const type = a.type;
        if (type === 'comment') continue;
        if (type === 'keyword_argument') {
          const name = a.childForFieldName('name');
          const value = a.childForFieldName('value');
          if (name && value) kwargs.set(name.text, value);
        } else if (type === 'list_splat' || type === 'dictionary_splat') {
          hasSplat = true;
        } else {
          args.push(a);
        }
      }
    } else if (argList) {
      args.push(argList); // f(x for x in y)
    }
    return (this.parsedArgs = { args, kwargs, hasSplat });
  }
}

/**
 * The `with ... as name` binding whose block holds `at`, when no other binding of the name lies in
 * that block (the innermost such `with`): there the name is the context manager's value.
 */
export function withBindingAt(bindings: readonly Binding[], at: Node): Binding | undefined {
  let best: { b: Binding; start: number } | undefined;
  for (const b of bindings) {
    if (b.kind !== 'with') continue;
    const body = b.node.parent?.parent?.childForFieldName('body');
    if (!body || at.startIndex < body.startIndex || at.endIndex > body.endIndex) continue;
    const inside = (n: Node): boolean => n.startIndex >= body.startIndex && n.endIndex <= body.endIndex;
    if (bindings.some((o) => o !== b && inside(o.node))) continue;
    if (!best || body.startIndex > best.start) best = { b, start: body.startIndex };
  }
  return best?.b;
}

/**
 * The branch of an `if` or `try` statement a statement is written in, when only one of the
 * statement's branches runs: the `if`'s body, an `elif` or its `else`; the `try`'s body or one of
 * its `except` clauses (not the `try`'s `else` or `finally`, which run after the body).
 */
function alternativeBranch(stmt: Node): { owner: Node; branch: Node } | undefined {
  const block = stmt.parent;
  const holder = block?.type === 'block' ? block.parent : undefined;
  if (!block || !holder) return undefined;
  switch (holder.type) {
    case 'if_statement':
    case 'try_statement':
      return holder.childForFieldName('body')?.id === block.id ||
        holder.childForFieldName('consequence')?.id === block.id
        ? { owner: holder, branch: block }
        : undefined;
    case 'elif_clause':
    case 'except_clause':
    case 'except_group_clause':
      return holder.parent ? { owner: holder.parent, branch: holder } : undefined;
    case 'else_clause':
      return holder.parent?.type === 'if_statement' ? { owner: holder.parent, branch: holder } : undefined;
    default:
      return undefined;
  }
}

/**
 * The name a module's compatibility import gives: `if USE_QUART: from quart import redirect` /
 * `else: from flask import redirect` (or `try:` one, `except ImportError:` the other) binds a name to
 * the same API of one of two packages, exactly one import running. When every binding of the name is
 * such an import, each in its own branch of one statement written directly in the scope, and the
 * names differ only in their package (`quart.redirect`, `flask.redirect`: not `defusedxml.ElementTree`
 * and `xml.etree.ElementTree`, nor a whole module), the name is the first one's, the one the code
 * prefers. Otherwise there is no single name (undefined).
 */
function alternativeImport(bindings: readonly Binding[], scope: Scope): string | undefined {
  if (bindings.length < 2) return undefined;
  let owner: Node | undefined;
  const branches = new Set<number>();
  let tail: string | undefined;
  for (const b of bindings) {
    if (b.kind !== 'import') return undefined;
    const dot = b.qualname.indexOf('.');
    if (dot < 0 || (tail !== undefined && b.qualname.slice(dot) !== tail)) return undefined;
    tail = b.qualname.slice(dot);
    const at = alternativeBranch(b.node);
    if (!at || (owner && at.owner.id !== owner.id) || branches.has(at.branch.id)) return undefined;
    owner = at.owner;
    branches.add(at.branch.id);
  }
  const up = owner?.parent;
  const direct = up?.id === scope.node.id || (up?.type === 'block' && up.parent?.id === scope.node.id);
  if (!direct) return undefined;
  const first = bindings.reduce((a, b) => (b.node.startIndex < a.node.startIndex ? b : a));
  return first.kind === 'import' ? first.qualname : undefined;
}

export function dottedText(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

export class PythonModule {
  readonly root: Scope;
  readonly calls: PythonCall[] = [];
  private readonly names = new CycleSafeMemo<string>();
  /** Well-known modules read for names the file never binds, with the row of each use. */
  private readonly assumed: { row: number; name: string }[] = [];
  /** The project's other modules, as excerpts the engine read for this file (see excerpts.ts). */
  readonly neighbours: Neighbours | undefined;

  /**
   * What the project's templates pass the template tags and filters this file registers (see
   * templates/calls.ts); undefined when no template was read.
   */
  templateCalls?: TemplateCalls;

  constructor(
    readonly file: SourceFile,
    /** Dotted module name: from the top of its package chain (see modules.ts), else from the path. */
    readonly moduleName: string,
    /**
     * The name from the path relative to the review root: what a relative import that climbs above
     * the regular packages is resolved against (a namespace package, see modules.ts).
     */
    private readonly pathName: string = moduleNameForPath(file.path),
    /** The review's other modules (see excerpts.ts), or the neighbours of the file this one is an excerpt for. */
    links?: ReviewModules | Neighbours,
  ) {
    this.neighbours =
      links instanceof Neighbours
        ? links
        : Neighbours.of(this, links, (f, name, n) => new PythonModule(f, name, name, n));
    this.root = new Scope('module', file.tree.rootNode, undefined, '');
    this.build(file.tree.rootNode);
    // Names are resolved only after every binding is known: a function body may use an import
    // that appears further down the module.
    for (const call of this.calls) {
      const fn = call.functionNode;
      call.callee = fn ? (this.qualifiedName(fn, call.scope) ?? this.itemMethod(fn, call.scope)) : undefined;
    }
  }

  /**
   * A method of an item of a library's registry, as Python calls it: `engines["jinja"].from_string`
   * (or through a name bound once to the item) is `django.template.engines.__getitem__().from_string`.
   * Only an item of a module attribute, not of what a call returned; only for callees, so the
   * names of the values themselves (`os.environ["HOME"]` is `os.environ`'s text) do not change.
   */
  private itemMethod(fn: Node, scope: Scope): string | undefined {
    if (fn.type !== 'attribute') return undefined;
    let object = fn.childForFieldName('object');
    const attr = fn.childForFieldName('attribute');
    if (object?.type === 'identifier') {
      const found = scope.lookup(object.text);
      const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
      object = only?.kind === 'value' ? only.value : null;
    }
    const value = object?.type === 'subscript' ? object.childForFieldName('value') : null;
    const base = value ? this.qualifiedName(value, scope) : undefined;
    if (!attr || base === undefined || base.includes('(')) return undefined;
    return `${base}.__getitem__().${attr.text}`;
  }

  /**
   * The innermost scope whose node strictly contains the node (a definition's own node is in the
   * enclosing scope). Found by position in the scope tree, without walking up the syntax tree.
   */
  scopeOf(node: Node): Scope {
    const start = node.startIndex;
    const end = node.endIndex;
    let scope = this.root;
    for (;;) {
      // The last child starting at or before the node; children are in document order.
      let c = lastStartingBy(scope.children, start);
      while (c && (end > c.end || (start === c.start && end === c.end))) c = c.container;
      if (!c) return scope;
      scope = c;
    }
  }

  /**
   * The value of a name bound exactly once, to a value, in the scope it is read from
   * (`opts = {...}; f(options=opts)` gives the dict): what a rule may take as the name's value.
   */
  singleValue(name: Node): Node | undefined {
    const found = this.scopeOf(name).lookup(name.text);
    const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    return only?.kind === 'value' ? only.value : undefined;
  }

  /**
   * The `def` or `class` a name denotes when it is bound exactly once, to that definition, in the
   * scope it is read from: a function or class of this module a rule may look into.
   */
  singleDefinition(name: Node): Node | undefined {
    if (name.type !== 'identifier') return undefined;
    const found = this.scopeOf(name).lookup(name.text);
    const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    return only?.kind === 'def' ? only.node : undefined;
  }

  /** Dotted enclosing function/class ("Handler.get"), "" at module level. */
  contextOf(node: Node): string {
    return this.scopeOf(node).qualifiedContext;
  }

  assumedModules(firstRow: number, lastRow: number): string[] {
    const names = new Set<string>();
    for (const a of this.assumed) if (a.row >= firstRow && a.row <= lastRow) names.add(a.name);
    return [...names].sort();
  }

  /**
   * The qualified name an expression denotes, or undefined when it is not statically known.
   * Identifiers, attribute chains, calls (`f()` suffix) and simple aliases are followed.
   */
  qualifiedName(node: Node, scope: Scope = this.scopeOf(node)): string | undefined {
    return this.names.get(node, () => {
      const q = this.computeQualifiedName(node, scope);
      return q !== undefined && this.neighbours && Neighbours.mayAlias(q)
        ? this.neighbours.alias(q, this)
        : q;
    });
  }

  /**
   * The qualified name of a name as this module's own bindings give it, without reading another
   * module: an object imported from a project module keeps that module's name (`pkg.env.env`).
   */
  ownName(node: Node): string | undefined {
    if (node.type === 'identifier') return this.resolveName(node.text, this.scopeOf(node), node);
    const object = node.type === 'attribute' ? node.childForFieldName('object') : null;
    const attr = node.childForFieldName('attribute');
    const base = object && attr ? this.ownName(object) : undefined;
    return base === undefined ? undefined : `${base}.${attr!.text}`;
  }

  /**
   * What a name imported from another module of the project is bound to there, when the engine
   * read an excerpt of it and the name is bound there once, to a value: that value and its
   * module's model (`from .util import ESCAPE` gives util's `r'\\[...]'`).
   */
  importedValue(node: Node): { module: PythonModule; value: Node } | undefined {
    const q = this.neighbours ? this.ownName(node) : undefined;
    return q === undefined ? undefined : this.neighbours!.importedValue(q, this);
  }

  /** The dict another module binds a name to, with the classes its entries name (see `Neighbours.importedTable`). */
  importedTable(node: Node): { module: PythonModule; value: Node } | undefined {
    const q = this.neighbours ? this.ownName(node) : undefined;
    return q === undefined ? undefined : this.neighbours!.importedTable(q, this);
  }

  /** The class of another module of the project that a name or dotted name denotes (see `importedValue`). */
  importedClass(node: Node): { module: PythonModule; node: Node } | undefined {
    if (!this.neighbours) return undefined;
    const q = this.ownName(node);
    return q === undefined ? undefined : this.neighbours.importedClass(q, this);
  }

  private computeQualifiedName(node: Node, scope: Scope): string | undefined {
    switch (node.type) {
      case 'identifier':
        return this.resolveName(node.text, scope, node);
      case 'attribute': {
        // `a.b.c` written without spaces, comments or brackets: resolve `a` and append the rest,
        // reading the text once instead of visiting every attribute node.
        const text = node.text;
        if (PLAIN_DOTTED.test(text)) {
          const dot = text.indexOf('.');
          const base = this.resolveName(text.slice(0, dot), scope, node);
          return base === undefined ? undefined : base + text.slice(dot);
        }
        const object = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute');
        if (!object || !attr) return undefined;
        const base = this.qualifiedName(object, scope);
        return base === undefined ? undefined : `${base}.${attr.text}`;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        if (!fn) return undefined;
        const base = this.qualifiedName(fn, scope);
        return base === undefined ? undefined : `${base}()`;
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
        return inner ? this.qualifiedName(inner, scope) : undefined;
      }
      case 'binary_operator': {
        // `Path(root) / name` is a path again: `(Path(root) / name).open()` is `pathlib.Path().open`.
        const left = node.childForFieldName('left');
        if (node.childForFieldName('operator')?.type !== '/' || !left) return undefined;
        const base = this.qualifiedName(left, scope);
        return base !== undefined && /^pathlib\.\w*Path\(\)$/.test(base) ? base : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The qualified name of a name read at `at` in `scope` (see `qualifiedName`). */
  private resolveName(name: string, scope: Scope, at: Node): string | undefined {
    const found = scope.lookup(name);
    if (!found) {
      if (BUILTINS.has(name)) return `builtins.${name}`;
      if (!WELL_KNOWN_MODULES.has(name)) return undefined;
      this.assumed.push({ row: at.startPosition.row, name });
      return name;
    }
    // `from flask import abort` then `from flask_restful import abort`: imports that always run, in
    // order (not in the branches of an `if` or `try`), leave the name the last one's.
    const unconditional = (b: Binding): boolean => {
      const stmt =
        b.node.type === 'import_statement' || b.node.type === 'import_from_statement'
          ? b.node
          : b.node.parent;
      const up = stmt?.parent;
      return (
        up?.id === found.scope.node.id || (up?.type === 'block' && up.parent?.id === found.scope.node.id)
      );
    };
    if (found.bindings.length > 1 && found.bindings.every((b) => b.kind === 'import' && unconditional(b))) {
      const last = found.bindings.reduce((a, b) => (b.node.startIndex > a.node.startIndex ? b : a));
      return this.bindingQualname(last, found.scope);
    }
    const alternative = alternativeImport(found.bindings, found.scope);
    if (alternative) return alternative;
    // `with tarfile.open(p) as f: f.extractall(d)` beside other `f`s of the function: read in the
    // body of the `with` that bound it, before any other binding there, the name is that value.
    if (found.bindings.length > 1) {
      const within = withBindingAt(found.bindings, at);
      if (within) return this.bindingQualname(within, found.scope);
    }
    const names = new Set<string | undefined>();
    for (const b of found.bindings) {
      names.add(this.bindingQualname(b, found.scope));
      if (names.size > 1) return undefined;
    }
    return names.values().next().value;
  }

  private bindingQualname(b: Binding, scope: Scope): string | undefined {
    switch (b.kind) {
      case 'import':
      case 'def':
        return b.qualname;
      case 'value':
        return this.qualifiedName(b.value, scope);
      case 'with': {
        const q = this.qualifiedName(b.value, scope);
        // `open(...)` and most context managers return themselves from __enter__.
        return q;
      }
      default:
        return undefined;
    }
  }

  private scopeFor(node: Node, parent: Scope): Scope {
    const kind = SCOPE_NODES[node.type];
    let ctx = parent.qualifiedContext;
    if (kind === 'function' || kind === 'class') {
      const name = node.childForFieldName('name')?.text ?? '?';
      ctx = ctx ? `${ctx}.${name}` : name;
    }
    return new Scope(kind, node, parent, ctx);
  }

  /**
   * Binds names and records calls. The nodes of interest come in document order; each belongs to
   * the innermost open scope whose region has started: decorators, defaults, annotations and base
   * classes come before a definition's body and so are evaluated in the enclosing scope.
   */
  private build(rootNode: Node): void {
    visitInScopes(rootNode.descendantsOfType(BUILD_TYPES), this.root, (node, scope) =>
      this.visit(node, scope),
    );
  }

  /** Acts on one node; returns the scope it opens, if any. */
  private visit(node: Node, scope: Scope): OpenScope | undefined {
    const type = node.type;
    switch (type) {
      case 'function_definition':
      case 'class_definition': {
        const name = node.childForFieldName('name');
        if (name) {
          const ctx = scope.qualifiedContext ? `${scope.qualifiedContext}.${name.text}` : name.text;
          scope.bind(name.text, { kind: 'def', qualname: `${this.moduleName}.${ctx}`, node });
        }
        const inner = this.scopeFor(node, scope);
        const params = node.childForFieldName('parameters');
        if (params) this.bindParameters(params, inner);
        const body = node.childForFieldName('body');
        return body ? { scope: inner, from: body.startIndex, to: inner.end } : undefined;
      }
      case 'lambda': {
        if (!node.isNamed) return undefined; // the keyword token shares the name
        const inner = this.scopeFor(node, scope);
        const params = node.childForFieldName('parameters');
        if (params) this.bindParameters(params, inner);
        const body = node.childForFieldName('body');
        return body ? { scope: inner, from: body.startIndex, to: inner.end } : undefined;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const inner = this.scopeFor(node, scope);
        for (const c of node.namedChildren) {
          if (c?.type === 'for_in_clause') {
            const left = c.childForFieldName('left');
            if (left) this.bindTarget(left, inner, undefined);
          }
        }
        return { scope: inner, from: inner.start, to: inner.end };
      }
      case 'import_statement':
        this.bindImport(node, scope);
        return undefined;
      case 'import_from_statement':
        this.bindImportFrom(node, scope);
        return undefined;
      case 'global_statement':
        for (const c of node.namedChildren) if (c?.type === 'identifier') scope.globals.add(c.text);
        return undefined;
      case 'nonlocal_statement':
        for (const c of node.namedChildren) if (c?.type === 'identifier') scope.nonlocals.add(c.text);
        return undefined;
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left) this.bindTarget(left, scope, right && right.type !== 'assignment' ? right : undefined);
        if (right?.type === 'assignment') {
          // a = b = value: every target gets the final value.
          let value: Node | null = right;
          while (value?.type === 'assignment') value = value.childForFieldName('right');
          if (left && value) this.rebindChained(left, value, scope);
        }
        break;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier') scope.bind(left.text, { kind: 'opaque', node });
        break;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        let s = scope;
        while (s.kind === 'comprehension' && s.parent) s = s.parent; // PEP 572
        if (name && value) s.bind(name.text, { kind: 'value', value, node });
        break;
      }
      case 'for_statement': {
        const left = node.childForFieldName('left');
        if (left) this.bindTarget(left, scope, undefined);
        break;
      }
      case 'with_item': {
        const value = node.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const expr = value.namedChildren[0];
          const target = value.childForFieldName('alias')?.namedChildren[0];
          if (expr && target) {
            if (target.type === 'identifier') scope.bind(target.text, { kind: 'with', value: expr, node });
            else this.bindTarget(target, scope, undefined);
          }
        }
        break;
      }
      case 'except_clause': {
        for (const c of node.namedChildren) {
          if (c?.type === 'as_pattern') {
            const target = c.childForFieldName('alias')?.namedChildren[0];
            if (target?.type === 'identifier') scope.bind(target.text, { kind: 'opaque', node: c });
          }
        }
        break;
      }
      case 'call':
        this.recordCall(node, scope);
        break;
      case 'case_pattern':
      case 'keyword_pattern':
      case 'splat_pattern':
      case 'as_pattern':
        if (type !== 'as_pattern' || node.parent?.type === 'case_pattern') this.bindCapture(node, scope);
        break;
      default:
        break;
    }
    return undefined;
  }

  /**
   * `case [x, *rest]`, `case {"k": v}`, `case P(a=y)`, `case ... as z` bind x, rest, v, y and z. A
   * bare name in a pattern captures; a dotted name (`Color.RED`) is a value to compare with.
   */
  private bindCapture(node: Node, scope: Scope): void {
    const named = node.namedChildren.filter((c): c is Node => c !== null);
    const capture =
      node.type === 'splat_pattern' || node.type === 'as_pattern'
        ? [...named].reverse().find((c) => c.type === 'identifier')
        : named.length === 1 || node.type === 'keyword_pattern'
          ? named[named.length - 1]
          : undefined;
    const name =
      capture?.type === 'dotted_name' && capture.namedChildCount === 1 ? capture.namedChildren[0] : capture;
    if (name?.type === 'identifier' && name.text !== '_') scope.bind(name.text, { kind: 'opaque', node });
  }

  private bindParameters(params: Node, scope: Scope): void {
    for (const p of params.namedChildren) {
      if (!p) continue;
      let name: Node | null | undefined;
      if (p.type === 'identifier') name = p;
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter')
        name = p.childForFieldName('name');
      else if (
        p.type === 'typed_parameter' ||
        p.type === 'list_splat_pattern' ||
        p.type === 'dictionary_splat_pattern'
      )
        name = p.namedChildren.find((c) => c?.type === 'identifier');
      if (name) scope.bind(name.text, { kind: 'param', node: p });
    }
  }

  private bindTarget(target: Node, scope: Scope, value: Node | undefined): void {
    switch (target.type) {
      case 'identifier':
        scope.bind(
          target.text,
          value ? { kind: 'value', value, node: target } : { kind: 'opaque', node: target },
        );
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'list_splat_pattern':
      case 'parenthesized_expression':
        for (const c of target.namedChildren) if (c) this.bindTarget(c, scope, undefined);
        return;
      default:
        return; // attribute and subscript targets bind no name
    }
  }

  private rebindChained(left: Node, value: Node, scope: Scope): void {
    // The first target was bound as opaque by bindTarget(left, ..., undefined); bind inner ones.
    let inner: Node | null = left.parent?.childForFieldName('right') ?? null;
    while (inner?.type === 'assignment') {
      const l = inner.childForFieldName('left');
      if (l?.type === 'identifier') scope.bind(l.text, { kind: 'value', value, node: l });
      inner = inner.childForFieldName('right');
    }
    if (left.type === 'identifier') {
      const list = scope.bindings.get(left.text);
      if (list) list[list.length - 1] = { kind: 'value', value, node: left };
    }
  }

  private bindImport(node: Node, scope: Scope): void {
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'dotted_name') {
        // `import a.b.c` binds `a`; attribute access a.b.c then resolves naturally.
        const first = c.namedChildren[0]?.text ?? c.text;
        scope.bind(first, { kind: 'import', qualname: first, node });
      } else if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (name && alias) scope.bind(alias.text, { kind: 'import', qualname: dottedText(name), node });
      }
    }
  }

  private bindImportFrom(node: Node, scope: Scope): void {
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const moduleName = this.absoluteModule(moduleNode);
    for (const c of node.childrenForFieldName('name')) {
      if (!c) continue;
      if (c.type === 'dotted_name') {
        scope.bind(c.text, { kind: 'import', qualname: `${moduleName}.${dottedText(c)}`, node });
      } else if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (name && alias)
          scope.bind(alias.text, { kind: 'import', qualname: `${moduleName}.${dottedText(name)}`, node });
      }
    }
  }

  /** Resolves `from ..pkg import x` against this module's package. */
  private absoluteModule(moduleNode: Node): string {
    if (moduleNode.type !== 'relative_import') return dottedText(moduleNode);
    const prefix = moduleNode.namedChildren.find((c) => c?.type === 'import_prefix')?.text.length ?? 1;
    const rest = moduleNode.namedChildren.find((c) => c?.type === 'dotted_name');
    const isPackage = isPackageInit(this.file.path);
    let parts = this.moduleName.split('.');
    // The packages this module is in: one level less than its name unless it is a package itself.
    // Climbing further than they go leaves the regular packages: resolve against the path instead.
    if (prefix > parts.length - (isPackage ? 0 : 1)) parts = this.pathName.split('.');
    const base = parts.slice(0, Math.max(0, parts.length - prefix + (isPackage ? 1 : 0)));
    if (rest) base.push(dottedText(rest));
    return base.join('.');
  }

  private recordCall(node: Node, scope: Scope): void {
    this.calls.push(new PythonCall(node, node.childForFieldName('function'), scope));
  }
}

/**
 * The dotted name of a path as given ("pkg/sub/mod.py" → "pkg.sub.mod"; "pkg/__init__.py" → "pkg"):
 * a module's name when no package information is known, and the fallback for namespace packages.
 */
export function moduleNameForPath(path: string): string {
  const parts = path
    .replace(/\\/g, '/')
    .replace(/\.pyi?$/i, '')
    .split('/')
    .filter((p) => p && p !== '.');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.') || '__main__';
}

/**
 * Binds a file's names. `moduleName` is the file's module name from its package chain (see
 * modules.ts `moduleNamer`); without it, the name comes from the path as given.
 */
export function analyzePython(
  file: SourceFile,
  moduleName?: string,
  imports?: Readonly<Record<string, string>>,
  project?: ReviewModules,
): PythonModule {
  const module = new PythonModule(file, moduleName ?? moduleNameForPath(file.path), undefined, project);
  const uses = imports?.[TEMPLATE_USES_KEY];
  if (uses !== undefined) {
    try {
      module.templateCalls = JSON.parse(uses) as TemplateCalls;
    } catch {
      // Not the resolver's: no uses known.
    }
  }
  return module;
}
