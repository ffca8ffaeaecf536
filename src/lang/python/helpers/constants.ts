import type { Node } from '../../../parsing/parser.js';
import { constantValue } from '../semantic/constant.js';
import type { PythonModule } from '../semantic/scope.js';

/**
 * Questions about values known before the program runs (see semantic/constant.ts for the folding
 * itself): truthiness, strings, values built only from constants, and the parts of literals.
 */

/** True when the expression is a constant Python treats as true (`True`, `1`), following names bound once. */
export function isConstantTrue(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const v = constantValue(node, module);
  if (!v) return false;
  return Array.isArray(v.value) ? v.value.length > 0 : Boolean(v.value);
}

/** True when the expression is the constant `False`, `0` or `None`. */
export function isConstantFalse(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const v = constantValue(node, module);
  return v !== undefined && (v.value === false || v.value === 0 || v.value === null);
}

/** The value of a node when it is a statically known string (constant folding, see constant.ts). */
export function stringValue(node: Node | undefined, module: PythonModule): string | undefined {
  if (!node) return undefined;
  const v = constantValue(node, module);
  return typeof v?.value === 'string' ? v.value : undefined;
}

/**
 * True when the expression's value does not depend on run-time data: constantValue() plus
 * `"...".format(<constants>)` (also with `*[...]`/`**{...}` of constants), `"..." % <constants>`,
 * dict/list/tuple literals of constants, and names whose every binding is such a value (a name
 * assigned in both branches of an `if`, extended with `+= "literal"`, or unpacked from a constant tuple).
 */
export function isConstantish(node: Node, module: PythonModule): boolean {
  return constantish(node, module, { seen: new Set(), budget: 500 });
}

/** Names already on the path, and how many more bindings may be visited (long rebinding chains). */
interface Walk {
  seen: Set<number>;
  budget: number;
}

function constantish(node: Node, module: PythonModule, walk: Walk): boolean {
  if (constantValue(node, module)) return true;
  const inner = (n: Node | null | undefined): boolean => !!n && constantish(n, module, walk);
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format' || !args)
        return false;
      if (!inner(fn.childForFieldName('object'))) return false;
      return args.namedChildren.every((a) => {
        if (!a || a.type === 'comment') return true;
        const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
        if (v?.type === 'list_splat' || v?.type === 'dictionary_splat') return inner(v.namedChildren[0]);
        return inner(v);
      });
    }
    case 'binary_operator':
      return (
        ['%', '+'].includes(node.childForFieldName('operator')?.text ?? '') &&
        inner(node.childForFieldName('left')) &&
        inner(node.childForFieldName('right'))
      );
    case 'parenthesized_expression':
      return inner(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'list':
    case 'tuple':
    case 'set':
      return node.namedChildren.every((c) => !c || c.type === 'comment' || inner(c));
    case 'dictionary':
      return node.namedChildren.every(
        (p) =>
          !p ||
          p.type === 'comment' ||
          (p.type === 'pair' && inner(p.childForFieldName('key')) && inner(p.childForFieldName('value'))),
      );
    case 'identifier':
      return everyBindingConstant(node, module, walk);
    default:
      return false;
  }
}

function everyBindingConstant(name: Node, module: PythonModule, walk: Walk): boolean {
  const found = module.scopeOf(name).lookup(name.text);
  if (!found) return false;
  return found.bindings.every((b) => {
    if (walk.seen.has(b.node.id)) return true; // a cycle through `x += ...` adds nothing new
    // Past the budget the value counts as unknown: not proven constant.
    if (--walk.budget < 0) return false;
    walk.seen.add(b.node.id);
    try {
      if (b.kind === 'value') return constantish(b.value, module, walk);
      if (b.kind !== 'opaque') return false;
      const n = b.node;
      if (n.type === 'augmented_assignment')
        return constantish(n.childForFieldName('right') ?? n, module, walk);
      // a, b = ("x", "y"): unpacking a constant tuple.
      let p: Node | null = n.parent;
      while (p && (p.type === 'pattern_list' || p.type === 'tuple_pattern')) p = p.parent;
      if (p?.type === 'assignment' && p.childForFieldName('left')?.id !== n.id) {
        const right = p.childForFieldName('right');
        return !!right && constantish(right, module, walk);
      }
      return false;
    } finally {
      walk.seen.delete(b.node.id);
    }
  });
}

/** The value of a name bound once in scope (`opts = {...}; f(options=opts)`), else the node itself. */
export function resolveValue(node: Node, module: PythonModule): Node {
  return node.type === 'identifier' ? (module.singleValue(node) ?? node) : node;
}

/** Elements of a list, tuple or set literal. */
export function elementsOf(node: Node): Node[] {
  if (!['list', 'tuple', 'set'].includes(node.type)) return [];
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** Pairs of a dict literal, keyed by their constant string key. */
export function dictEntries(node: Node, module: PythonModule): Map<string, Node> {
  const out = new Map<string, Node>();
  if (node.type !== 'dictionary') return out;
  for (const p of node.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = stringValue(p.childForFieldName('key') ?? undefined, module);
    const v = p.childForFieldName('value');
    if (k !== undefined && v) out.set(k, v);
  }
  return out;
}
