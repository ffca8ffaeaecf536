import type { Node, SourceFile } from '../../../parsing/parser.js';
import type { SemanticModel } from '../../language.js';
import { CycleSafeMemo, lastStartingBy, visitInScopes, type OpenRegion } from '../../scoping.js';
import { isIndexFile, moduleNameForPath, resolveSpecifier } from '../modules.js';
import { constantString, constantValue, type Constant } from './constant.js';
import type { TemplateOutput } from '../templates/outputs.js';
import { templateOutputsOf } from '../templates/views.js';
import {
  BLOCK_TYPES,
  CLASS_TYPES,
  definitionName,
  FUNCTION_TYPES,
  propertyName,
  Scope,
  unwrap,
  type Binding,
  type DeclarationKind,
} from './scope.js';

/**
 * The semantic model of one JavaScript or TypeScript module: scopes and bindings, imports resolved
 * to canonical names, and call sites. Rules match canonical names, never bare text:
 * `import { exec as run } from 'node:child_process'; run(x)` gives `child_process.exec`,
 * `const https = require('https'); https.request(o)` gives `https.request`, and a call's or a
 * constructor's result is named with `()`: `new https.Agent(o).createConnection` is
 * `https.Agent().createConnection`. Unbound names of the runtime (`process`, `Object`, `fetch`)
 * resolve to themselves. TypeScript types are not evaluated; a parameter keeps its declared type as
 * written (`Binding.type`) for rules that read it.
 */

/** A call or `new` expression. */
export class JsCall {
  /** The callee's canonical name when it resolves (`https.request`, `https.Agent` for `new`). */
  callee: string | undefined = undefined;
  private parsedArgs?: { args: Node[]; hasSpread: boolean };

  constructor(
    readonly node: Node,
    /** The callee expression (`function` or `constructor` field). */
    readonly functionNode: Node | null,
    readonly scope: Scope,
  ) {}

  /** Whether this is `new X(...)`. */
  get isNew(): boolean {
    return this.node.type === 'new_expression';
  }

  /** The property name of `x.method(...)`, whatever `x` is. */
  get methodName(): string | undefined {
    const fn = this.functionNode && unwrap(this.functionNode);
    return fn?.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) : undefined;
  }

  /** The object of `x.method(...)`. */
  get receiver(): Node | undefined {
    const fn = this.functionNode && unwrap(this.functionNode);
    return fn?.type === 'member_expression' ? (fn.childForFieldName('object') ?? undefined) : undefined;
  }

  /** Arguments in order, without spread ones; a tagged template's template is its one argument. */
  get args(): Node[] {
    return this.arguments().args;
  }

  /** True when the call spreads an argument (`f(...xs)`): positions after it are not known. */
  get hasSpread(): boolean {
    return this.arguments().hasSpread;
  }

  argument(position: number): Node | undefined {
    return this.args[position];
  }

  private arguments(): { args: Node[]; hasSpread: boolean } {
    if (this.parsedArgs) return this.parsedArgs;
    const list = this.node.childForFieldName('arguments');
    const args: Node[] = [];
    let hasSpread = false;
    if (list?.type === 'arguments') {
      for (const a of list.namedChildren) {
        if (a.type === 'comment') continue;
        if (a.type === 'spread_element') hasSpread = true;
        else args.push(a);
      }
    } else if (list) args.push(list);
    return (this.parsedArgs = { args, hasSpread });
  }
}

/** Names the runtime binds (Node and browsers) that resolve to themselves when not shadowed. */
const GLOBALS = new Set(
  (
    'process require module exports globalThis window document console Buffer JSON Object Array ' +
    'Math Promise Reflect Function eval fetch setTimeout setInterval URL URLSearchParams Request Response ' +
    'Headers location __dirname __filename'
  ).split(' '),
);

/** The node types the builder acts on, found in one pass over the flat tree. */
const BUILD_TYPES = [
  ...FUNCTION_TYPES,
  ...CLASS_TYPES,
  ...BLOCK_TYPES,
  'import_statement',
  'variable_declarator',
  'assignment_expression',
  'call_expression',
  'new_expression',
];

/** How a name a destructuring pattern binds is bound, given the path of the part it takes. */
type PatternBinder = (name: Node, key: string | undefined, defaultValue?: Node) => Binding;

/** A scope's region: a function from its parameters on, a class's body, a block. */
type OpenScope = OpenRegion<Scope>;

export class JsModule implements SemanticModel {
  readonly root: Scope;
  readonly calls: JsCall[] = [];
  /** `x = value` to a plain name, bound once every declaration is known (see `build`). */
  private readonly assignments: { name: Node; value: Node; scope: Scope }[] = [];
  private readonly names = new CycleSafeMemo<string>();
  private readonly isIndex: boolean;

  constructor(
    readonly file: SourceFile,
    /** The module's name (see modules.ts): relative imports resolve against it. */
    readonly moduleName: string,
    /** Non-relative specifiers naming modules of the project, with their names (see ../resolution.ts). */
    private readonly imports: Readonly<Record<string, string>> = {},
  ) {
    this.isIndex = isIndexFile(file.path);
    this.root = new Scope('module', file.tree.rootNode, undefined, '');
    this.build();
    for (const a of this.assignments) {
      const found = a.scope.lookup(a.name.text);
      (found?.scope ?? this.root).bind(a.name.text, {
        kind: 'value',
        value: a.value,
        node: a.name,
        declaration: 'assign',
      });
    }
    for (const call of this.calls) {
      const fn = call.functionNode;
      call.callee = fn ? this.qualifiedName(fn, call.scope) : undefined;
    }
  }

  /** The innermost scope whose node contains the node (a definition's own node is in it). */
  scopeOf(node: Node): Scope {
    const start = node.startIndex;
    const end = node.endIndex;
    let scope = this.root;
    for (;;) {
      const found = lastStartingBy(scope.children, start);
      if (!found || end > found.end) return scope;
      scope = found;
    }
  }

  /** `Class.method`, a function's name, or the variable or property an arrow is assigned to. */
  contextOf(node: Node): string {
    return this.scopeOf(node).qualifiedContext;
  }

  /** The bindings a name has where it is read, or undefined for a global. */
  bindingsOf(name: Node): Binding[] | undefined {
    return this.scopeOf(name).lookup(name.text)?.bindings;
  }

  /**
   * The value a name holds where it is read, when one declaration fixes it: a `const` (or a `let`
   * or `var` never assigned again) with an initializer. What a rule may take as the name's value
   * (`const opts = {...}; https.request(opts)` gives the object).
   */
  singleValue(name: Node): Node | undefined {
    if (name.type !== 'identifier') return undefined;
    const bindings = this.bindingsOf(name);
    const only = bindings?.length === 1 ? bindings[0] : undefined;
    return only?.kind === 'value' && only.declaration !== 'assign' ? only.value : undefined;
  }

  /** The constant value of an expression (see constant.ts), names read through `singleValue`. */
  constantValue(node: Node): Constant | undefined {
    return constantValue(node, (n) => this.singleValue(n));
  }

  /** The constant string of an expression (see constant.ts). */
  constantString(node: Node): string | undefined {
    return constantString(node, (n) => this.singleValue(n));
  }

  /**
   * The canonical name an expression denotes, or undefined when it is not statically known:
   * names through their bindings, member chains (`a.b`, `a['b']` with a constant key), `require`
   * and `import()` of a module, calls and `new` (`()` suffix).
   */
  qualifiedName(node: Node, scope?: Scope): string | undefined {
    return this.names.get(node, () => this.computeQualifiedName(node, scope ?? this.scopeOf(node)));
  }

  /**
   * The unescaped outputs of a template file the import resolver read for this file, by path from
   * the file's folder (see ../templates/views.ts); undefined when it was not read.
   */
  templateOutputs(rel: string): TemplateOutput[] | undefined {
    return templateOutputsOf(this.imports, rel);
  }

  /** The module a `require('fs')` or `import('fs')` call loads (`node:` dropped), else undefined. */
  requiredModule(call: Node): string | undefined {
    const n = unwrap(call.type === 'await_expression' ? (call.firstNamedChild ?? call) : call);
    if (n.type !== 'call_expression') return undefined;
    const fn = n.childForFieldName('function');
    const dynamic = fn?.type === 'import';
    if (!dynamic && !(fn?.type === 'identifier' && fn.text === 'require' && !this.bindingsOf(fn)))
      return undefined;
    const args = n.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment');
    const specifier = args?.length === 1 ? this.constantString(args[0]) : undefined;
    return specifier === undefined ? undefined : this.moduleOf(specifier);
  }

  /**
   * A module specifier's canonical name: a relative one resolved against this module, a path alias
   * or workspace package to the project module it names (see ../resolution.ts).
   */
  moduleOf(specifier: string): string {
    const bare = !/^\.\.?(\/|$)/.test(specifier);
    if (bare)
      return Object.hasOwn(this.imports, specifier)
        ? this.imports[specifier]
        : specifier.replace(/^node:/, '');
    return resolveSpecifier(specifier, this.moduleName, this.isIndex) ?? specifier;
  }

  private computeQualifiedName(node: Node, scope: Scope): string | undefined {
    const n = unwrap(node);
    switch (n.type) {
      // A TypeScript type named by a class (`svc: UsersService`) resolves as the class's name does.
      case 'identifier':
      case 'type_identifier':
        return this.resolveName(n.text, scope);
      case 'member_expression': {
        const object = n.childForFieldName('object');
        const property = propertyName(n.childForFieldName('property'));
        const base = object && property !== undefined ? this.qualifiedName(object, scope) : undefined;
        // `require('fs').default` is what `import x from 'fs'` binds.
        if (property === 'default' && object && this.requiredModule(object) !== undefined) return base;
        return base === undefined ? undefined : `${base}.${property}`;
      }
      case 'subscript_expression': {
        const object = n.childForFieldName('object');
        const index = n.childForFieldName('index');
        const property = index ? this.constantString(index) : undefined;
        const base = object && property !== undefined ? this.qualifiedName(object, scope) : undefined;
        return base === undefined ? undefined : `${base}.${property}`;
      }
      case 'await_expression':
      case 'call_expression': {
        const required = this.requiredModule(n);
        if (required !== undefined || n.type === 'await_expression') return required;
        const fn = n.childForFieldName('function');
        const base = fn ? this.qualifiedName(fn, scope) : undefined;
        return base === undefined ? undefined : `${base}()`;
      }
      case 'new_expression': {
        const ctor = n.childForFieldName('constructor');
        const base = ctor ? this.qualifiedName(ctor, scope) : undefined;
        return base === undefined ? undefined : `${base}()`;
      }
      default:
        return undefined;
    }
  }

  private resolveName(name: string, scope: Scope): string | undefined {
    const found = scope.lookup(name);
    if (!found) return GLOBALS.has(name) ? name : undefined;
    const names = new Set<string | undefined>();
    for (const b of found.bindings) {
      names.add(this.bindingName(b, found.scope));
      if (names.size > 1) return undefined;
    }
    return names.values().next().value;
  }

  private bindingName(b: Binding, scope: Scope): string | undefined {
    switch (b.kind) {
      case 'import':
        return b.canonical;
      case 'def':
        return b.qualname;
      case 'value':
        return this.qualifiedName(b.value, scope);
      case 'property': {
        const base = this.qualifiedName(b.object, scope);
        return base === undefined ? undefined : `${base}.${b.key}`;
      }
      default:
        return undefined;
    }
  }

  /**
   * Binds names and records calls, going once through the nodes of interest in document order;
   * each belongs to the innermost open scope whose region has started.
   */
  private build(): void {
    const nodes = this.file.tree.rootNode.descendantsOfType(BUILD_TYPES);
    visitInScopes(nodes, this.root, (node, scope) => this.visit(node, scope));
  }

  private context(scope: Scope, name: string | undefined): string {
    if (name === undefined) return scope.qualifiedContext;
    return scope.qualifiedContext ? `${scope.qualifiedContext}.${name}` : name;
  }

  /** Acts on one node; returns the scope it opens, if any. */
  private visit(node: Node, scope: Scope): OpenScope | undefined {
    if (!node.isNamed) return undefined; // the `class`, `function` and `import` keywords share the names
    const type = node.type;
    if (FUNCTION_TYPES.has(type)) return this.visitFunction(node, scope);
    if (CLASS_TYPES.has(type)) {
      const name = definitionName(node);
      const ownName = node.childForFieldName('name');
      const inner = new Scope('class', node, scope, this.context(scope, name));
      if (ownName && type !== 'class')
        scope.bind(ownName.text, {
          kind: 'def',
          qualname: `${this.moduleName}.${inner.qualifiedContext}`,
          node,
        });
      const body = node.childForFieldName('body');
      return body ? { scope: inner, from: body.startIndex, to: inner.end } : undefined;
    }
    if (BLOCK_TYPES.has(type)) {
      if (type === 'statement_block' && node.parent && FUNCTION_TYPES.has(node.parent.type)) return undefined;
      const inner = new Scope('block', node, scope, scope.qualifiedContext);
      if (type === 'catch_clause') {
        const param = node.childForFieldName('parameter');
        if (param) this.bindPattern(param, inner, (node) => ({ kind: 'opaque', node }));
      }
      return { scope: inner, from: inner.start, to: inner.end };
    }
    switch (type) {
      case 'import_statement':
        this.bindImport(node, scope);
        break;
      case 'variable_declarator':
        this.bindDeclarator(node, scope);
        break;
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right) this.assignments.push({ name: left, value: right, scope });
        break;
      }
      case 'call_expression':
        this.calls.push(new JsCall(node, node.childForFieldName('function'), scope));
        break;
      case 'new_expression':
        this.calls.push(new JsCall(node, node.childForFieldName('constructor'), scope));
        break;
      default:
        break;
    }
    return undefined;
  }

  private visitFunction(node: Node, scope: Scope): OpenScope {
    const name = definitionName(node);
    const inner = new Scope('function', node, scope, this.context(scope, name));
    const ownName = node.childForFieldName('name');
    if (ownName && (node.type === 'function_declaration' || node.type === 'generator_function_declaration'))
      scope.bind(ownName.text, {
        kind: 'def',
        qualname: `${this.moduleName}.${inner.qualifiedContext}`,
        node,
      });
    else if (ownName?.type === 'identifier' && node.type !== 'method_definition')
      inner.bind(ownName.text, {
        kind: 'def',
        qualname: `${this.moduleName}.${inner.qualifiedContext}`,
        node,
      });
    const single = node.childForFieldName('parameter');
    if (single) inner.bind(single.text, { kind: 'param', node: single, rest: false });
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) this.bindParameter(p, inner);
    const params = node.childForFieldName('parameters') ?? single;
    return {
      scope: inner,
      from: (params ?? node.childForFieldName('body') ?? node).startIndex,
      to: inner.end,
    };
  }

  /** `x`, `x = 1`, `...xs`, `{ a, b: c } = {}`, TypeScript's `x?: T` and `private x: T`. */
  private bindParameter(p: Node, scope: Scope): void {
    let pattern: Node | null = p;
    let type: string | undefined;
    let defaultValue: Node | undefined;
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
      pattern = p.childForFieldName('pattern');
      type = p.childForFieldName('type')?.text.replace(/^:\s*/, '');
      defaultValue = p.childForFieldName('value') ?? undefined;
    } else if (p.type === 'assignment_pattern') {
      pattern = p.childForFieldName('left');
      defaultValue = p.childForFieldName('right') ?? undefined;
    }
    const rest = pattern?.type === 'rest_pattern';
    if (rest) pattern = pattern?.firstNamedChild ?? null;
    if (!pattern) return;
    if (pattern.type === 'identifier') {
      scope.bind(pattern.text, { kind: 'param', node: pattern, type, defaultValue, rest });
      return;
    }
    // A destructuring parameter: each name is a part of the argument (`{ opts: { depth } }`).
    this.bindPattern(pattern, scope, (name, key, partDefault) => ({
      kind: 'param',
      node: name,
      key,
      defaultValue: partDefault,
      rest: false,
    }));
  }

  private bindDeclarator(node: Node, scope: Scope): void {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value') ?? undefined;
    const declaration = node.parent;
    if (!name || !declaration) return;
    const keyword = declaration.children[0]?.type;
    const kind: DeclarationKind =
      declaration.type === 'variable_declaration' ? 'var' : keyword === 'const' ? 'const' : 'let';
    const target = kind === 'var' ? scope.functionScope() : scope;
    // `for (const x of xs)`: x holds each element, not the declaration's value.
    const known = value && !(declaration.parent?.type === 'for_in_statement') ? value : undefined;
    if (name.type === 'identifier') {
      target.bind(
        name.text,
        known
          ? { kind: 'value', value: known, node: name, declaration: kind }
          : { kind: 'opaque', node: name },
      );
    } else
      this.bindPattern(name, target, (n, key, defaultValue) =>
        known && key !== undefined
          ? { kind: 'property', object: known, key, node: n, defaultValue }
          : { kind: 'opaque', node: n },
      );
  }

  /**
   * Binds the names of a destructuring pattern, each as `make` says given the path of the part it
   * takes (`{ b: { c } }` gives `c` the path `b.c`, `[x, y]` gives `y` the path `1`; undefined for a
   * rest element, which takes what the others leave).
   */
  private bindPattern(pattern: Node, scope: Scope, make: PatternBinder, path: string | undefined = ''): void {
    const at = (key: string | undefined): string | undefined =>
      path === undefined || key === undefined ? undefined : path + key;
    const bindAs = (name: Node, key: string | undefined, defaultValue?: Node): void =>
      scope.bind(name.text, make(name, at(key), defaultValue));
    const nested = (child: Node, key: string | undefined, defaultValue?: Node): void => {
      if (child.type === 'identifier' || child.type === 'shorthand_property_identifier_pattern')
        bindAs(child, key, defaultValue);
      else {
        const inner = at(key);
        this.bindPattern(child, scope, make, inner === undefined ? undefined : `${inner}.`);
      }
    };
    switch (pattern.type) {
      case 'identifier':
        bindAs(pattern, undefined);
        return;
      case 'object_pattern':
        for (const c of pattern.namedChildren) {
          if (c.type === 'shorthand_property_identifier_pattern') bindAs(c, c.text);
          else if (c.type === 'pair_pattern' || c.type === 'object_assignment_pattern') {
            // `key: value`, `key: value = default`, `key = default`
            const pair = c.type === 'pair_pattern';
            let value = pair ? c.childForFieldName('value') : c.childForFieldName('left');
            const key = pair ? propertyName(c.childForFieldName('key')) : value?.text;
            let defaultValue = pair ? undefined : (c.childForFieldName('right') ?? undefined);
            if (value?.type === 'assignment_pattern') {
              defaultValue = value.childForFieldName('right') ?? undefined;
              value = value.childForFieldName('left');
            }
            if (value) nested(value, key, defaultValue);
          } else if (c.type === 'rest_pattern' && c.firstNamedChild) nested(c.firstNamedChild, undefined);
        }
        return;
      case 'array_pattern': {
        let index = 0;
        for (const c of pattern.namedChildren) {
          if (c.type === 'comment') continue;
          if (c.type === 'rest_pattern' && c.firstNamedChild) nested(c.firstNamedChild, undefined);
          else if (c.type === 'assignment_pattern' && c.childForFieldName('left'))
            nested(c.childForFieldName('left')!, String(index), c.childForFieldName('right') ?? undefined);
          else nested(c, String(index));
          index++;
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * `import x from 'fs'` and `import * as x from 'fs'` bind `fs`; `import { a as b } from 'fs'` binds
   * `fs.a`; TypeScript's `import x = require('fs')` binds `fs`. `import type` binds nothing that runs.
   */
  private bindImport(node: Node, scope: Scope): void {
    const clause = node.namedChildren.find((c) => c.type === 'import_require_clause');
    const source = (clause ?? node).childForFieldName('source');
    const specifier = source ? this.constantString(source) : undefined;
    if (specifier === undefined) return;
    const module = this.moduleOf(specifier);
    for (const c of node.namedChildren) {
      if (c.type === 'import_require_clause') {
        const name = c.firstNamedChild;
        if (name?.type === 'identifier') scope.bind(name.text, { kind: 'import', canonical: module, node });
      }
      if (c.type !== 'import_clause') continue;
      for (const part of c.namedChildren) {
        if (part.type === 'identifier') scope.bind(part.text, { kind: 'import', canonical: module, node });
        else if (part.type === 'namespace_import') {
          const name = part.firstNamedChild;
          if (name) scope.bind(name.text, { kind: 'import', canonical: module, node });
        } else if (part.type === 'named_imports') {
          for (const spec of part.namedChildren) {
            if (spec.type !== 'import_specifier') continue;
            const imported = propertyName(spec.childForFieldName('name'));
            const local = spec.childForFieldName('alias') ?? spec.childForFieldName('name');
            if (imported === undefined || !local) continue;
            const canonical = imported === 'default' ? module : `${module}.${imported}`;
            scope.bind(local.text, { kind: 'import', canonical, node });
          }
        }
      }
    }
  }
}

/** Binds a parsed file: its module name from the engine, else from the path as given. */
export function analyzeJavaScript(
  file: SourceFile,
  moduleName?: string,
  imports?: Readonly<Record<string, string>>,
): JsModule {
  return new JsModule(file, moduleName ?? moduleNameForPath(file.path), imports);
}
