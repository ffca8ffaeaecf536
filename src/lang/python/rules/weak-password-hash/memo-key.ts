import { enclosingClassOf } from '../../helpers/functions.js';
import { isOwnAttribute, occurrencesOf } from '../../helpers/variables.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';

/**
 * A digest used only to look up a container the program builds in memory: a memo of which
 * passwords a request already checked (`seen[digest] = ok`, `if digest in seen`). CWE-916 is about
 * the hashes an attacker could steal and crack offline, and this one is never written anywhere
 * they could be read from. It stays reported when the digest is used in any other way (returned,
 * compared, passed to a call, stored in an attribute) or the container is not provably in memory
 * (a cache client, a shelf, a dict the code hands to another function or returns).
 */

/** Methods that take a key of a dict or set as their first argument. */
const KEY_METHODS = new Set(['get', 'pop', 'setdefault', 'add', 'discard', 'remove']);
/** Methods of a dict or set that neither hand out its keys nor copy it. */
const CONTAINER_METHODS = new Set([...KEY_METHODS, 'clear', 'update', 'values']);
/** Calls that build a new dict or set. */
const CONTAINER_CALLS = new Set([
  'builtins.dict',
  'builtins.set',
  'collections.defaultdict',
  'collections.OrderedDict',
  'collections.Counter',
]);

/** The operands of `a in b` / `a not in b`, or undefined for another comparison. */
function membership(node: Node | null): { key: Node; container: Node } | undefined {
  if (node?.type !== 'comparison_operator') return undefined;
  const operands = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const op = node.children
    .filter((c) => c && !c.isNamed)
    .map((c) => c?.text)
    .join(' ');
  if (operands.length !== 2 || (op !== 'in' && op !== 'not in')) return undefined;
  return { key: operands[0], container: operands[1] };
}

/** The receiver of `x.method(...)` when `node` is its callee `x.method`, and the method's name. */
function methodOf(node: Node): { receiver: Node; method: string; call: Node } | undefined {
  const call = node.parent;
  if (
    node.type !== 'attribute' ||
    call?.type !== 'call' ||
    call.childForFieldName('function')?.id !== node.id
  )
    return undefined;
  const receiver = node.childForFieldName('object');
  const method = node.childForFieldName('attribute')?.text;
  return receiver && method ? { receiver, method, call } : undefined;
}

/** `c.keys()` as the container of a membership test is the container `c`. */
function throughKeys(node: Node): Node {
  const m = node.type === 'call' ? methodOf(node.childForFieldName('function') ?? node) : undefined;
  return m?.method === 'keys' && m.call.id === node.id ? m.receiver : node;
}

/** The container a use of the digest looks up: `c[d]`, `d in c`, `c.get(d)`; else undefined. */
function containerKeyedBy(use: Node): Node | undefined {
  const p = use.parent;
  if (p?.type === 'subscript' && p.childForFieldName('subscript')?.id === use.id)
    return p.childForFieldName('value') ?? undefined;
  const test = membership(p);
  if (test?.key.id === use.id) return throughKeys(test.container);
  const call = p?.type === 'argument_list' ? p.parent : undefined;
  const fn = call?.childForFieldName('function');
  const m = fn ? methodOf(fn) : undefined;
  const first = p?.namedChildren.find((c) => c && c.type !== 'comment');
  return m && KEY_METHODS.has(m.method) && first?.id === use.id ? m.receiver : undefined;
}

/** `{}`, `set()`, `dict()`, a dict or set literal or comprehension, `defaultdict(...)`. */
function isNewContainer(value: Node, module: PythonModule): boolean {
  if (['dictionary', 'set', 'dictionary_comprehension', 'set_comprehension'].includes(value.type))
    return true;
  const fn = value.type === 'call' ? value.childForFieldName('function') : undefined;
  const callee = fn ? module.qualifiedName(fn) : undefined;
  return callee !== undefined && CONTAINER_CALLS.has(callee);
}

/**
 * Whether one occurrence of a container keeps its keys in memory: it is bound to a new container,
 * looked up, tested for membership, or changed through a method that hands no key out.
 */
function keepsKeys(occurrence: Node, module: PythonModule): boolean {
  const p = occurrence.parent;
  if (p?.type === 'assignment' && p.childForFieldName('left')?.id === occurrence.id) {
    const right = p.childForFieldName('right');
    return !!right && isNewContainer(right, module);
  }
  if (p?.type === 'subscript' && p.childForFieldName('value')?.id === occurrence.id) return true;
  if (membership(p)?.container.id === occurrence.id) return true;
  const m = p ? methodOf(p) : undefined;
  if (m?.receiver.id !== occurrence.id) return false;
  if (m.method === 'keys') return membership(m.call.parent)?.container.id === m.call.id;
  return CONTAINER_METHODS.has(m.method);
}

/** A class, the classes of the module among its bases and those that name it among theirs, by node id. */
function familyOf(cls: Node | undefined, module: PythonModule): Set<number> {
  const family = new Set<number>(cls ? [cls.id] : []);
  if (!cls) return family;
  const basesOf = (c: Node): string[] =>
    (c.childForFieldName('superclasses')?.descendantsOfType('identifier') ?? []).map((b) => b?.text ?? '');
  const name = cls.childForFieldName('name')?.text ?? '';
  const own = basesOf(cls);
  for (const c of module.file.tree.rootNode.descendantsOfType('class_definition')) {
    if (c && (basesOf(c).includes(name) || own.includes(c.childForFieldName('name')?.text ?? '')))
      family.add(c.id);
  }
  return family;
}

/**
 * Whether a container lives only in this process's memory: a local or module variable, or an
 * attribute of the instance (`self._seen`), that the module only ever binds to a new dict or set
 * and only looks up or changes in place, never hands to a call, returns or copies.
 */
function inMemoryContainer(container: Node, module: PythonModule): boolean {
  let occurrences: Node[];
  if (container.type === 'identifier') {
    occurrences = [container, ...(occurrencesOf(container, module) ?? [])];
    const bindings = module.scopeOf(container).lookup(container.text)?.bindings ?? [];
    if (bindings.length === 0 || !bindings.every((b) => b.kind === 'value')) return false;
  } else if (isOwnAttribute(container)) {
    const name = container.childForFieldName('attribute')?.text;
    const classes = familyOf(enclosingClassOf(container), module);
    occurrences = module.file.tree.rootNode
      .descendantsOfType('attribute')
      .filter(
        (a): a is Node =>
          a !== null &&
          isOwnAttribute(a) &&
          a.childForFieldName('attribute')?.text === name &&
          classes.has(enclosingClassOf(a)?.id ?? -1),
      );
  } else return false;
  const bound = occurrences.some(
    (o) => o.parent?.type === 'assignment' && o.parent.childForFieldName('left')?.id === o.id,
  );
  return bound && occurrences.every((o) => keepsKeys(o, module));
}

/**
 * Whether the digest `top` evaluates to is bound to a variable that is only ever used as a key of
 * containers kept in memory.
 */
export function onlyInMemoryKey(top: Node, module: PythonModule): boolean {
  const assignment = top.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== top.id) return false;
  const name = assignment.childForFieldName('left');
  if (name?.type !== 'identifier' || module.scopeOf(name).lookup(name.text)?.bindings.length !== 1)
    return false;
  const uses = occurrencesOf(name, module) ?? [];
  const containers = uses.map(containerKeyedBy);
  return (
    uses.length > 0 &&
    containers.every((c): c is Node => c !== undefined) &&
    containers.every((c) => inMemoryContainer(c, module))
  );
}
