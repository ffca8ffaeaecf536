/**
 * Reading the tree-sitter Python tree as the interpreter does it: children without comments
 * (cached, as the same nodes are run many times), fields, and syntax facts cached per definition.
 */
import type { Node } from '../../../parsing/parser.js';

/** Named children without comments, kept for the nodes the interpreter runs (it runs them often). */
export function named(node: Node): readonly Node[] {
  return node.codeChildren;
}

export function field(node: Node | null | undefined, name: string): Node | null {
  return node ? node.childForFieldName(name) : null;
}

export function typeOf(node: Node | null | undefined): string {
  return node ? node.type : '';
}

export function textOf(node: Node | null | undefined): string {
  return node ? node.text : '';
}

export function fields(node: Node, name: string): Node[] {
  return node.childrenForFieldName(name);
}

/** Node types whose body is a function's: what the query calls reachable when it ran. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda']);

/** Whether a function contains `yield`, per definition node (cleared after each project pass). */
const yieldCache = new Map<number, boolean>();

export function clearSyntaxCache(): void {
  yieldCache.clear();
}

export function hasYield(def: Node): boolean {
  let v = yieldCache.get(def.id);
  if (v === undefined) yieldCache.set(def.id, (v = computeHasYield(def)));
  return v;
}

function computeHasYield(def: Node): boolean {
  const body = field(def, 'body');
  if (!body) return false;
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'yield') return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/** The class a method is defined in. */
export function enclosingClass(def: Node): Node | undefined {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type === 'block' && p.parent?.type === 'class_definition') return p.parent;
  return undefined;
}
