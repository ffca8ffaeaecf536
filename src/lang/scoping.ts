/**
 * What the semantic models of every language share: building scopes in one pass over the nodes of
 * interest in document order, finding a scope by position, and resolving names without looping on
 * a cycle of bindings (`a = b; b = a`).
 */
import type { Node } from '../parsing/parser.js';

/** The region of the tree a scope holds while the builder goes through the nodes in order. */
export interface OpenRegion<S> {
  scope: S;
  /** Nodes from here to `to` belong to the scope (a definition's parameters or body, not its name). */
  from: number;
  to: number;
}

/**
 * Visits the nodes (in document order) each with the innermost open scope whose region has started:
 * what comes before a definition's region (decorators, its name, default values in Python) is in
 * the enclosing scope. `visit` returns the region a node opens, if any.
 */
export function visitInScopes<S>(
  nodes: readonly Node[],
  root: S,
  visit: (node: Node, scope: S) => OpenRegion<S> | undefined,
): void {
  const open: OpenRegion<S>[] = [];
  for (const node of nodes) {
    const at = node.startIndex;
    while (open.length && at >= open[open.length - 1].to) open.pop();
    let scope = root;
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].from <= at) {
        scope = open[i].scope;
        break;
      }
    }
    const inner = visit(node, scope);
    if (inner) open.push(inner);
  }
}

/** The last of a list in document order that starts at or before `start` (binary search). */
export function lastStartingBy<T extends { readonly start: number }>(
  list: readonly T[],
  start: number,
): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= start) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Memoised results by node id, computed once; a node asked for again while its own result is being
 * computed (a cycle of bindings) answers undefined.
 */
export class CycleSafeMemo<V> {
  private readonly computing = new Set<number>();
  private readonly done = new Map<number, V | undefined>();

  get(node: Node, compute: () => V | undefined): V | undefined {
    const key = node.id;
    if (this.done.has(key)) return this.done.get(key);
    if (this.computing.has(key)) return undefined;
    this.computing.add(key);
    const result = compute();
    this.computing.delete(key);
    this.done.set(key, result);
    return result;
  }
}
