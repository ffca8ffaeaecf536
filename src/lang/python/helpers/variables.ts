import type { Node } from '../../../parsing/parser.js';
import type { PythonModule } from '../semantic/scope.js';

/**
 * Where a variable is used: what a rule asks when a value's meaning depends on everything done
 * with the name it is bound to (a digest used only as a dict key, claims read only at a few keys).
 */

/** Whether an identifier names a variable, not an attribute (`x.name`) or a keyword (`f(name=...)`). */
function isVariable(id: Node): boolean {
  const p = id.parent;
  if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) return false;
  return !(p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id);
}

/**
 * The other occurrences of the variable `name` denotes, in the scope that binds it and the functions
 * nested there that see it (a name bound again in a nested scope is another variable): its reads
 * and its other bindings. Undefined when the name is bound nowhere in the module.
 */
export function occurrencesOf(name: Node, module: PythonModule): Node[] | undefined {
  const found = module.scopeOf(name).lookup(name.text);
  if (!found) return undefined;
  return found.scope.node
    .descendantsOfType('identifier')
    .filter(
      (id): id is Node =>
        id !== null &&
        id.id !== name.id &&
        id.text === name.text &&
        isVariable(id) &&
        module.scopeOf(id).lookup(id.text)?.scope === found.scope,
    );
}

/** `self.name` and `cls.name`: an attribute of the instance or class a method belongs to. */
export function isOwnAttribute(node: Node): boolean {
  return node.type === 'attribute' && /^(self|cls)$/.test(node.childForFieldName('object')?.text ?? '');
}
