/**
 * The fields of an instance made without running its constructor (an entry point's `self`): a
 * field it lacks may hold what the class's own methods store there. `self.validator = Ldap(spec)`
 * in `configure` and `self.validator(user, password)` in a request hook: the hook calls one of the
 * project classes the methods construct (their `__call__` or methods run with the call's data).
 * Only constructor calls of the project's own classes count, and parameters annotated with one of
 * them (`def __init__(self, repo: "MediaRepository"): self.repo = repo`, the object a server hands
 * each of its resources); any other stored value stays unknown.
 */
import { attrKey } from '../../../dataflow/heap.js';
import { join, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import type { Interpreter } from './interpreter.js';
import { resolveQualname } from './modules.js';
import { field, named, textOf } from './syntax.js';
import { annotatedClass } from './validated-models.js';

/** Per class and attribute: the project classes its methods construct into `self.<attr>`. */
const stored = new WeakMap<Interpreter, Map<string, readonly number[]>>();

/**
 * What `self.<attr>` may hold on an instance made without its constructor, as new instances (made
 * the same way) of the classes the methods store there; undefined when they store none.
 */
export function storedInstances(it: Interpreter, cls: number, attr: string): Val | undefined {
  let byClass = stored.get(it);
  if (!byClass) stored.set(it, (byClass = new Map()));
  const key = `${cls}:${attr}`;
  let classes = byClass.get(key);
  if (!classes) {
    // Set first: a class that stores an instance of itself ends here.
    byClass.set(key, []);
    classes = constructedClasses(it, cls, attr);
    byClass.set(key, classes);
  }
  if (!classes.length) return undefined;
  let out: Val | undefined;
  for (const c of classes) {
    const v: Val = { o: [it.heap.alloc({ kind: 'instance', cls: c, fields: new Map(), fresh: true })] };
    out = out ? join(out, v) : v;
  }
  return out;
}

/** The project classes constructed in `self.<attr> = Cls(...)` in the methods of a class and its bases. */
function constructedClasses(it: Interpreter, cls: number, attr: string, seen = new Set<number>()): number[] {
  const c = it.heap.get(cls);
  if (!c || seen.has(cls)) return [];
  seen.add(cls);
  const out = new Set<number>();
  for (const v of c.fields.values()) {
    for (const f of v.fns ?? []) {
      if (f.kind !== 'fn' || f.def.type !== 'function_definition') continue;
      const self = named(field(f.def, 'parameters') ?? f.def)[0];
      if (self?.type !== 'identifier') continue;
      for (const value of storedValues(it, f.def, self.text, attr)) {
        if (value.type === 'identifier') {
          const param = parameterNamed(f.def, value.text);
          const id = param ? annotatedProjectClass(it, f.mod, param) : undefined;
          if (id !== undefined) out.add(id);
          continue;
        }
        const call = value;
        const fn = field(call, 'function');
        if (fn?.type !== 'identifier' && fn?.type !== 'attribute') continue;
        const q = it.mods(f.mod).module.qualifiedName(fn);
        if (!q) continue;
        const v = resolveQualname(it, q, f.mod, fn);
        for (const id of v.o ?? []) if (it.heap.get(id)?.kind === 'class') out.add(id);
      }
    }
  }
  for (const b of c.bases ?? []) for (const id of constructedClasses(it, b, attr, seen)) out.add(id);
  return [...out];
}

/** The parameter of a function with that name (typed or not), if any. */
function parameterNamed(def: Node, name: string): Node | undefined {
  return named(field(def, 'parameters') ?? def).find(
    (p) => (p.type === 'identifier' ? p : named(p)[0])?.text === name && p.type !== 'default_parameter',
  );
}

/**
 * The project class a parameter is annotated with: a name (`repo: Repository`) or the name written as
 * a string (`repo: "Repository"`, a class imported only for type checking).
 */
function annotatedProjectClass(it: Interpreter, mod: number, param: Node): number | undefined {
  const direct = annotatedClass(it, mod, param);
  if (direct !== undefined) return direct;
  if (param.type !== 'typed_parameter') return undefined;
  const type = field(param, 'type');
  const expr = type ? (named(type)[0] ?? type) : undefined;
  const name = expr?.type === 'string' ? /^["'](\w+)["']$/.exec(textOf(expr))?.[1] : undefined;
  const module = it.mods(mod).module;
  const bindings = name ? module.root.bindings.get(name) : undefined;
  const only = bindings?.length === 1 ? bindings[0] : undefined;
  if (!expr || !only || (only.kind !== 'import' && only.kind !== 'def')) return undefined;
  const v = resolveQualname(it, only.qualname, mod, expr);
  const id = v.o?.length === 1 ? v.o[0] : undefined;
  return id !== undefined && it.heap.get(id)?.kind === 'class' ? id : undefined;
}

/** Per method (node id) and name of `self`: what its body assigns to each attribute (see `storedValues`). */
const assignedByMethod = new WeakMap<Interpreter, Map<string, ReadonlyMap<string, Node[]>>>();

/**
 * The calls, and the names, assigned to `<self>.<attr>` in a method's body (not in nested functions
 * or classes). The body is walked once for every attribute: each class asks for each of its fields.
 */
function storedValues(it: Interpreter, def: Node, self: string, attr: string): readonly Node[] {
  let byMethod = assignedByMethod.get(it);
  if (!byMethod) assignedByMethod.set(it, (byMethod = new Map()));
  const key = `${def.id}:${self}`;
  let byAttr = byMethod.get(key);
  if (!byAttr) byMethod.set(key, (byAttr = assignedAttributes(def, self)));
  return byAttr.get(attr) ?? [];
}

/** Per attribute, the calls and names a method's body assigns to `<self>.<attr>`, in document order. */
function assignedAttributes(def: Node, self: string): ReadonlyMap<string, Node[]> {
  const out = new Map<string, Node[]>();
  const body = field(def, 'body');
  if (!body) return out;
  for (const assignment of body.descendantsOfType('assignment')) {
    if (insideNestedScope(assignment, body)) continue;
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    const attr = left?.type === 'attribute' ? field(left, 'attribute') : null;
    if (!attr || field(left, 'object')?.text !== self) continue;
    if (right?.type !== 'call' && right?.type !== 'identifier') continue;
    const name = attr.text;
    const list = out.get(name);
    if (list) list.push(right);
    else out.set(name, [right]);
  }
  return out;
}

/** Whether a node lies in a function, class or lambda nested in `body`. */
function insideNestedScope(node: Node, body: Node): boolean {
  for (let p = node.parent; p && p.id !== body.id; p = p.parent)
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') return true;
  return false;
}

/** Whether an instance's field may be filled from the methods: it is absent, or the class's default is None. */
export function fieldUnset(
  obj: { fresh?: boolean; fields: ReadonlyMap<string, Val> },
  attr: string,
  classValue: Val | undefined,
): boolean {
  return !!obj.fresh && !obj.fields.has(attrKey(attr)) && (!classValue || classValue.c?.v === null);
}
