import type { Node } from '../../../parsing/parser.js';

/** Where a node sits among definitions: the function around it, the decorators of a definition. */

/** The innermost enclosing `def`, if any. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

/** The innermost class whose body holds `node` (at any depth: in a method, a nested function). */
export function enclosingClassOf(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return n;
  return undefined;
}

/**
 * The `return` statements of a function itself, in order: its body is walked without entering the
 * functions, classes and lambdas written in it.
 */
export function ownReturns(def: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    for (const ch of n.namedChildren) {
      if (ch.type === 'function_definition' || ch.type === 'class_definition' || ch.type === 'lambda')
        continue;
      if (ch.type === 'return_statement') out.push(ch);
      else visit(ch);
    }
  };
  const body = def.childForFieldName('body');
  if (body) visit(body);
  return out;
}

/** Decorators applied to a function or class definition. */
export function decoratorsOf(definition: Node): Node[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c): c is Node => c?.type === 'decorator');
}

/** The expression of a decorator (`@a.b(x)` → the call `a.b(x)`). */
export function decoratorExpression(decorator: Node): Node | undefined {
  return decorator.namedChildren.find((c) => c && c.type !== 'comment') ?? undefined;
}
