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
  if (!textTest(it.modules, mod, CALLBACK_TEXT)) return undefined;
  const module = it.mods(mod).module;
  const name = field(def, 'name')?.text ?? '';
  const decorators = decoratorsOf(def).flatMap((d) => {
    const expr = decoratorExpression(d);
    const callee = expr?.type === 'call' ? field(expr, 'function') : expr;
    const q = callee ? module.qualifiedName(callee) : undefined;
    return q ? [q] : [];
  });
  for (const c of CALLBACKS) {
    if (c.decorators?.some((d) => decorators.includes(d))) return c;
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
  const text = it.modules.text(mod);
  const imports = c.imports?.length
    ? new RegExp(`\\b(from|import)\\s+(${c.imports.join('|')})\\b`).test(text)
    : false;
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
