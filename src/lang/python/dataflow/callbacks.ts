/**
 * Callbacks: functions a framework or library calls with data from outside the program, besides
 * HTTP routes (see CallbackModel): a method of a subclass of a library class, a function carrying
 * a registering decorator, or one handed to a registering call. Their parameters are sources.
 */
import { textTest } from '../../../dataflow/text-reads.js';
import type { Node } from '../../../parsing/parser.js';
import { decoratorExpression, decoratorsOf } from '../helpers/functions.js';
import type { CallbackModel } from '../models/concepts.js';
import { CALLBACKS, CALLBACK_TEXT } from '../models/index.js';
import type { Interpreter } from './interpreter.js';
import { definitionOf } from './route-parameters.js';
import { enclosingClass, field, named } from './syntax.js';

const MAX_HOPS = 4;

/** The callback model a function is one of, if any. */
export function callbackOf(it: Interpreter, mod: number, def: Node): CallbackModel | undefined {
  const exposed = exposedMethod(it, mod, def);
  if (exposed) return exposed;
  if (!textTest(it.modules, mod, CALLBACK_TEXT)) return undefined;
  const module = it.mods(mod).module;
  const name = field(def, 'name')?.text ?? '';
  const callees = decoratorsOf(def).flatMap((d) => {
    const expr = decoratorExpression(d);
    const callee = expr?.type === 'call' ? field(expr, 'function') : expr;
    return callee ? [callee] : [];
  });
  const decorators = callees.flatMap((callee) => {
    const q = module.qualifiedName(callee);
    return q ? [q] : [];
  });
  // `@server.register_function`: a method of any receiver, in a module that imports the library.
  const methods = callees.flatMap((callee) =>
    callee.type === 'attribute' ? [`.${field(callee, 'attribute')?.text ?? ''}`] : [],
  );
  for (const c of CALLBACKS) {
    if (c.decorators?.some((d) => decorators.includes(d))) return c;
    if (c.decorators?.some((d) => d.startsWith('.') && methods.includes(d)) && importsOne(it, mod, c))
      return c;
    if (c.bases?.length && c.methods?.includes(name)) {
      const cls = enclosingClass(def);
      if (cls && derivesFrom(it, mod, cls, c.bases, 0)) return c;
    }
    if (c.registrations?.length && registeredNames(it, mod, c).has(name)) return c;
  }
  return undefined;
}

/** Whether a class has one of `bases` among its bases, its project bases' bases included. */
function derivesFrom(
  it: Interpreter,
  mod: number,
  cls: Node,
  bases: readonly string[],
  hops: number,
): boolean {
  if (hops > MAX_HOPS) return false;
  const module = it.mods(mod).module;
  for (const base of named(field(cls, 'superclasses') ?? cls)) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const q = module.qualifiedName(base);
    if (q !== undefined && bases.includes(q)) return true;
    const d = definitionOf(it, mod, base, hops);
    if (d?.node.type === 'class_definition' && derivesFrom(it, d.mod, d.node, bases, hops + 1)) return true;
  }
  return false;
}

const registered = new WeakMap<Interpreter, Map<string, ReadonlySet<string>>>();

/**
 * The names of the functions a module hands to a model's registering calls
 * (`btn.click(greet, inputs=name, outputs=out)`, `gr.Interface(fn=greet, ...)`), read once.
 */
function registeredNames(it: Interpreter, mod: number, c: CallbackModel): ReadonlySet<string> {
  let byModule = registered.get(it);
  if (!byModule) {
    byModule = new Map();
    registered.set(it, byModule);
  }
  const key = `${mod}:${CALLBACKS.indexOf(c)}`;
  const cached = byModule.get(key);
  if (cached) return cached;
  const names = new Set<string>();
  const imports = importsOne(it, mod, c);
  for (const call of it.mods(mod).module.calls) {
    for (const r of c.registrations ?? []) {
      const hit = r.calls.some((p) =>
        p.startsWith('.') ? imports && call.methodName === p.slice(1) : call.callee === p,
      );
      if (!hit) continue;
      const fn = call.argument(r.arg, r.keyword);
      if (fn?.type === 'identifier') names.add(fn.text);
    }
  }
  byModule.set(key, names);
  return names;
}

/** Whether a parameter's annotation names only these types, besides `None` (`FileData | None`). */
export function annotatedOnlyWith(
  it: Interpreter,
  mod: number,
  param: Node,
  types: readonly string[],
): boolean {
  const annotation = field(param, 'type');
  if (!annotation) return false;
  const module = it.mods(mod).module;
  let named = 0;
  const walk = (n: Node): boolean => {
    if (n.type === 'none') return true;
    if (n.type === 'identifier' || n.type === 'attribute') {
      if (n.text === 'None') return true;
      const q = module.qualifiedName(n);
      named++;
      return q !== undefined && types.includes(q);
    }
    if (n.type === 'type' || n.type === 'binary_operator' || n.type === 'parenthesized_expression')
      return n.namedChildren.every((c) => !c || walk(c));
    return false;
  };
  return walk(annotation) && named > 0;
}

const importRegexes = new WeakMap<CallbackModel, RegExp>();

/** Whether a module imports one of a callback model's packages (read through the ledger). */
function importsOne(it: Interpreter, mod: number, c: CallbackModel): boolean {
  if (!c.imports?.length) return false;
  let re = importRegexes.get(c);
  if (!re) {
    const names = c.imports.map((i) => i.replace(/\./g, '\\.'));
    re = new RegExp(`\\b(from|import)\\s+(${names.join('|')})\\b`);
    importRegexes.set(c, re);
  }
  return textTest(it.modules, mod, re);
}

/** A class some module registers as an instance, and what the framework calls on it. */
interface Exposure {
  model: CallbackModel;
  /** The name of the one method called (the class defines it), else every public method. */
  dispatch?: string;
}

/** Calls that register instances, by method name, with their models. */
const INSTANCE_CALLS = new Map(
  CALLBACKS.flatMap((c) =>
    (c.instanceRegistrations ?? []).flatMap((r) =>
      r.calls.map((call) => [call.replace(/^\./, ''), { c, r }] as const),
    ),
  ),
);
const INSTANCE_TEXT = INSTANCE_CALLS.size
  ? new RegExp(`\\.(${[...INSTANCE_CALLS.keys()].join('|')})\\s*\\(`)
  : /(?!)/;

const exposures = new WeakMap<Interpreter, Map<string, Exposure>>();

/**
 * The classes whose methods the project's registering calls expose (`server.register_instance(Api())`),
 * with their project bases, keyed `mod:node id`; found once per pass, by the text of each module first.
 */
function exposedClasses(it: Interpreter): Map<string, Exposure> {
  const cached = exposures.get(it);
  if (cached) return cached;
  const out = new Map<string, Exposure>();
  exposures.set(it, out);
  if (!INSTANCE_CALLS.size) return out;
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!it.isProjectCode(mod) || !textTest(it.modules, mod, INSTANCE_TEXT)) continue;
    for (const call of it.mods(mod).module.calls) {
      const found = call.methodName ? INSTANCE_CALLS.get(call.methodName) : undefined;
      if (!found || !importsOne(it, mod, found.c)) continue;
      const arg = call.argument(found.r.arg, found.r.keyword);
      const cls = arg ? instanceClass(it, mod, arg) : undefined;
      if (!cls) continue;
      const dispatch =
        found.r.dispatch && classMethods(it, cls.mod, cls.node).has(found.r.dispatch)
          ? found.r.dispatch
          : undefined;
      for (const c of classChain(it, cls.mod, cls.node, 0)) {
        const key = `${c.mod}:${c.node.id}`;
        const seen = out.get(key);
        // A class registered twice exposes what either registration does.
        if (!seen || (seen.dispatch && !dispatch))
          out.set(key, { model: found.c, ...(dispatch ? { dispatch } : {}) });
      }
    }
  }
  return out;
}

/** The class of the instance an argument holds: `Api(...)`, a name bound once to one, or `self`. */
function instanceClass(it: Interpreter, mod: number, arg: Node): { mod: number; node: Node } | undefined {
  if (arg.type === 'identifier' && arg.text === 'self') {
    let p = arg.parent;
    while (p && p.type !== 'function_definition') p = p.parent;
    const cls = p ? enclosingClass(p) : undefined;
    return cls ? { mod, node: cls } : undefined;
  }
  let value: { mod: number; node: Node } | undefined = { mod, node: arg };
  if (arg.type === 'identifier') value = definitionOf(it, mod, arg, 0);
  if (value?.node.type !== 'call') return undefined;
  const fn = field(value.node, 'function');
  const d = fn ? definitionOf(it, value.mod, fn, 1) : undefined;
  return d?.node.type === 'class_definition' ? d : undefined;
}

/** A class and its bases that the project defines. */
function classChain(it: Interpreter, mod: number, cls: Node, hops: number): { mod: number; node: Node }[] {
  if (hops > MAX_HOPS) return [];
  const out = [{ mod, node: cls }];
  for (const base of named(field(cls, 'superclasses') ?? cls)) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const d = definitionOf(it, mod, base, hops);
    if (d?.node.type === 'class_definition') out.push(...classChain(it, d.mod, d.node, hops + 1));
  }
  return out;
}

/** The names of the methods a class defines, its project bases' included. */
function classMethods(it: Interpreter, mod: number, cls: Node): Set<string> {
  const names = new Set<string>();
  for (const c of classChain(it, mod, cls, 0)) {
    for (const child of named(field(c.node, 'body') ?? c.node)) {
      const def = child.type === 'decorated_definition' ? field(child, 'definition') : child;
      if (def?.type === 'function_definition') names.add(field(def, 'name')?.text ?? '');
    }
  }
  return names;
}

/**
 * The model of a method that a registered instance exposes (see CallbackModel.instanceRegistrations):
 * a method of the class (or of a project base) not named with a leading `_`, nor a property, or
 * the class's dispatch method when it has one.
 */
function exposedMethod(it: Interpreter, mod: number, def: Node): CallbackModel | undefined {
  const cls = enclosingClass(def);
  if (!cls) return undefined;
  const exposure = exposedClasses(it).get(`${mod}:${cls.id}`);
  if (!exposure) return undefined;
  const name = field(def, 'name')?.text ?? '';
  if (exposure.dispatch) return name === exposure.dispatch ? exposure.model : undefined;
  if (name.startsWith('_')) return undefined;
  const property = decoratorsOf(def).some((d) =>
    /^(property|\w+\.(setter|getter|deleter))$/.test(decoratorExpression(d)?.text ?? ''),
  );
  return property ? undefined : exposure.model;
}

/** Whether a module defines a class that a registered instance's methods come from. */
export function holdsExposedClass(it: Interpreter, mod: number): boolean {
  for (const key of exposedClasses(it).keys()) if (key.startsWith(`${mod}:`)) return true;
  return false;
}
