import type { Node } from '../../../parsing/parser.js';

/**
 * Scopes and bindings of a JavaScript or TypeScript module. A name is bound where the language binds
 * it: `let`, `const`, `class` and function declarations in their block, `var` in the enclosing
 * function, parameters in their function. Bindings say where the value comes from, so that names
 * resolve to canonical names (see model.ts `qualifiedName`) and a dataflow front end can read them.
 */

export type ScopeKind = 'module' | 'function' | 'class' | 'block';

/** How a variable was declared: `assign` is a later `x = value` to a declared (or global) name. */
export type DeclarationKind = 'const' | 'let' | 'var' | 'assign';

export type Binding =
  /** `import x from 'm'` and its forms: `canonical` is `m` (default or namespace) or `m.a`. */
  | { kind: 'import'; canonical: string; node: Node }
  /** A function or class declaration: `qualname` is `<module>.<context>`. */
  | { kind: 'def'; qualname: string; node: Node }
  /**
   * A parameter: `node` is the name; `type` the declared TypeScript type as written, if any; `key`
   * the part of the argument a destructuring parameter takes (`opts.depth` for
   * `{ opts: { depth } }`); `rest` for `...args`.
   */
  | { kind: 'param'; node: Node; type?: string; key?: string; defaultValue?: Node; rest: boolean }
  /** `const x = value` (or `let`, `var`, a later assignment): the value node, resolved lazily. */
  | { kind: 'value'; value: Node; node: Node; declaration: DeclarationKind }
  /**
   * `const { key: x } = object`, `const [x] = object` (`key` is the index): `x` holds a part of the
   * object's value. `require('m')` as the object makes `x` the module's member `m.key`.
   */
  | { kind: 'property'; object: Node; key: string; node: Node; defaultValue?: Node }
  /** Bound in a way whose value is not tracked (`catch (e)`, `for (const x of xs)`, `let x;`). */
  | { kind: 'opaque'; node: Node };

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly children: Scope[] = [];
  /** The scope node's extent (text offsets), for finding the scope of a node by position. */
  readonly start: number;
  readonly end: number;

  constructor(
    readonly kind: ScopeKind,
    readonly node: Node,
    readonly parent: Scope | undefined,
    /** Dotted name of the enclosing definitions (`Handler.get`); "" at module level. */
    readonly qualifiedContext: string,
  ) {
    this.start = node.startIndex;
    this.end = node.endIndex;
    parent?.children.push(this);
  }

  bind(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }

  /** The scope `var` and hoisted names go to: the nearest function or the module. */
  functionScope(): Scope {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking the parent chain
    let s: Scope = this;
    while ((s.kind === 'block' || s.kind === 'class') && s.parent) s = s.parent;
    return s;
  }

  /** Lexical lookup through the enclosing scopes. */
  lookup(name: string): { scope: Scope; bindings: Binding[] } | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking the parent chain
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return { scope: s, bindings: b };
    }
    return undefined;
  }
}

/** Node types that open a function scope. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'function',
  'generator_function',
  'arrow_function',
  'method_definition',
]);

/** Node types that open a class scope (its body). */
export const CLASS_TYPES: ReadonlySet<string> = new Set([
  'class_declaration',
  'abstract_class_declaration',
  'class',
]);

/** Node types that open a block scope for `let`, `const` and `class` (not a function's own body). */
export const BLOCK_TYPES: ReadonlySet<string> = new Set([
  'statement_block',
  'for_statement',
  'for_in_statement',
  'catch_clause',
  'switch_body',
]);

/** Wrappers that leave a value as it is: `(x)`, `x as T`, `x!`, `x satisfies T`, `<T>x`. */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'non_null_expression',
  'satisfies_expression',
  'type_assertion',
]);

/** The expression inside transparent wrappers (`(opts as any)!` is `opts`). */
export function unwrap(node: Node): Node {
  let n = node;
  while (TRANSPARENT.has(n.type)) {
    const inner = n.firstNamedChild;
    if (!inner) break;
    n = inner;
  }
  return n;
}

/**
 * The name a function, arrow or class takes from where it stands: its own name, else the variable,
 * property, field or member it is assigned to (`const handler = () => ...`, `{ handler() {} }`,
 * `exports.handler = function () {}`), `default` for `export default`; undefined when anonymous
 * (a callback passed to a call).
 */
export function definitionName(node: Node): string | undefined {
  const own = node.childForFieldName('name');
  if (own) return propertyName(own);
  let at = node;
  let up = node.parent;
  while (up && TRANSPARENT.has(up.type)) {
    at = up;
    up = up.parent;
  }
  if (!up) return undefined;
  switch (up.type) {
    case 'variable_declarator':
      return up.childForFieldName('value')?.equals(at)
        ? identifierText(up.childForFieldName('name'))
        : undefined;
    case 'pair':
      return up.childForFieldName('value')?.equals(at)
        ? propertyName(up.childForFieldName('key'))
        : undefined;
    case 'public_field_definition':
    case 'field_definition':
      return propertyName(up.childForFieldName('name') ?? up.childForFieldName('property'));
    case 'assignment_expression': {
      const left = up.childForFieldName('left');
      if (!left || !up.childForFieldName('right')?.equals(at)) return undefined;
      return left.type === 'member_expression'
        ? propertyName(left.childForFieldName('property'))
        : identifierText(left);
    }
    case 'export_statement':
      return 'default';
    default:
      return undefined;
  }
}

function identifierText(node: Node | null): string | undefined {
  return node?.type === 'identifier' ? node.text : undefined;
}

/** A property's name as written: `a`, `'a-b'` → `a-b`, `#secret`; undefined when computed. */
export function propertyName(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string':
      return node.text.slice(1, -1);
    case 'computed_property_name':
      return undefined;
    default:
      return node.text;
  }
}

/**
 * The name a parameter binds when it binds one name (`x`, `x = 1`, `x: string`, `x?: T`): TypeScript's
 * and Flow's typed parameters wrap the name (`required_parameter`, `optional_parameter`).
 */
export function parameterName(p: Node): string | undefined {
  const inner =
    p.type === 'required_parameter' || p.type === 'optional_parameter' ? p.childForFieldName('pattern') : p;
  const named = inner?.type === 'assignment_pattern' ? inner.childForFieldName('left') : inner;
  return named?.type === 'identifier' ? named.text : undefined;
}
