/**
 * Functions a web framework runs before each view of an application or blueprint (see
 * FrameworkModel.viewPreludes): Flask's `url_value_preprocessor(endpoint, values)`, which may take
 * values out of the URL's mapping or add the view's keyword arguments, and `before_request()`. They
 * run first in the view's entry point, so what they store on the request's objects (`g.lang =
 * values.pop("lang")`) and in the mapping (`values["ctx"] = context()`) is what the view gets.
 */
import { textTest } from '../../../dataflow/text-reads.js';
import { constKey } from '../../../dataflow/heap.js';
import { UNKNOWN, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { stringValue } from '../helpers/constants.js';
import { decoratorExpression, decoratorsOf } from '../helpers/functions.js';
import { VIEW_PRELUDES } from '../models/index.js';
import { invokeFn } from './calls.js';
import type { Interpreter } from './interpreter.js';
import { callableForRoot } from './entry-points.js';
import { sourceVal } from './sources.js';
import { field, named, textOf } from './syntax.js';

/** A prelude's decorator method names, the text that shows one, and its values parameter. */
const PRELUDES = VIEW_PRELUDES.map((p) => {
  const methods = p.decorators.map((d) => d.replace(/^\./, ''));
  return {
    methods,
    text: new RegExp(`@[\\w.]*\\.(${methods.join('|')})\\b`),
    valuesParameter: p.valuesParameter,
  };
});
const ANY_PRELUDE = PRELUDES.length ? new RegExp(PRELUDES.map((p) => p.text.source).join('|')) : /(?!)/;

/** A function a prelude decorator registers: on which object, and where its values mapping is. */
interface Prelude {
  def: Node;
  receiver: string;
  valuesParameter?: number;
}

const byModule = new WeakMap<Interpreter, Map<number, Prelude[]>>();

/** The preludes a module defines (`@bp.url_value_preprocessor def pull(endpoint, values)`), read once. */
function preludesOf(it: Interpreter, mod: number): Prelude[] {
  let cache = byModule.get(it);
  if (!cache) {
    cache = new Map();
    byModule.set(it, cache);
  }
  const cached = cache.get(mod);
  if (cached) return cached;
  const out: Prelude[] = [];
  cache.set(mod, out);
  if (!textTest(it.modules, mod, ANY_PRELUDE)) return out;
  for (const def of it.mods(mod).file.tree.rootNode.descendantsOfType('function_definition')) {
    for (const d of decoratorsOf(def)) {
      const expr = decoratorExpression(d);
      if (expr?.type !== 'attribute') continue;
      const method = field(expr, 'attribute')?.text ?? '';
      const kind = PRELUDES.find((p) => p.methods.includes(method));
      if (!kind) continue;
      out.push({
        def,
        receiver: textOf(field(expr, 'object')),
        ...(kind.valuesParameter !== undefined ? { valuesParameter: kind.valuesParameter } : {}),
      });
    }
  }
  return out;
}

const injected = new WeakMap<Interpreter, ReadonlySet<string>>();

/**
 * The view keyword arguments the project's URL value preprocessors set by a constant key
 * (`values["ctx"] = get_context()`, `values.setdefault("lang", "en")`), read once per pass.
 */
export function injectedViewValues(it: Interpreter): ReadonlySet<string> {
  const cached = injected.get(it);
  if (cached) return cached;
  const names = new Set<string>();
  injected.set(it, names);
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!it.isProjectCode(mod)) continue;
    for (const p of preludesOf(it, mod)) {
      if (p.valuesParameter === undefined) continue;
      const values = named(field(p.def, 'parameters') ?? p.def)[p.valuesParameter];
      if (values?.type !== 'identifier') continue;
      for (const key of storedKeys(it, mod, p.def, values.text)) names.add(key);
    }
  }
  return names;
}

/** The constant keys a function stores into the mapping a name holds (`values["k"] = v`, `values.setdefault("k", v)`). */
function storedKeys(it: Interpreter, mod: number, def: Node, mapping: string): string[] {
  const module = it.mods(mod).module;
  const keys: string[] = [];
  const keep = (n: Node | null | undefined): void => {
    const key = n ? stringValue(n, module) : undefined;
    if (key) keys.push(key);
  };
  for (const a of def.descendantsOfType('assignment')) {
    const left = field(a, 'left');
    if (left?.type === 'subscript' && field(left, 'value')?.text === mapping) keep(field(left, 'subscript'));
  }
  for (const c of def.descendantsOfType('call')) {
    const fn = field(c, 'function');
    if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== mapping) continue;
    if (field(fn, 'attribute')?.text === 'setdefault') keep(named(field(c, 'arguments') ?? c)[0]);
  }
  return keys;
}

/** The objects a route's decorators are called on (`bp` for `@bp.route("/x")`). */
function routeReceivers(def: Node): Set<string> {
  const out = new Set<string>();
  for (const d of decoratorsOf(def)) {
    const expr = decoratorExpression(d);
    const callee = expr?.type === 'call' ? field(expr, 'function') : expr;
    if (callee?.type === 'attribute') out.add(textOf(field(callee, 'object')));
  }
  return out;
}

/**
 * Runs the preludes of a route's application or blueprint (defined in its module, on the object
 * its route decorator is called on) before the view, in its entry point. A URL value preprocessor
 * gets a mapping of the route's path parameters (`pattern`, their values in `kwargs`); afterwards
 * each view parameter the mapping holds by that name takes its value from there.
 */
export function runPreludes(
  it: Interpreter,
  mod: number,
  def: Node,
  pattern: ReadonlySet<string>,
  kwargs: Map<string, Val>,
): void {
  const preludes = preludesOf(it, mod);
  if (!preludes.length) return;
  const receivers = routeReceivers(def);
  for (const p of preludes) {
    if (!receivers.has(p.receiver) || p.def.id === def.id) continue;
    const fn = callableForRoot(it, mod, p.def);
    if (p.valuesParameter === undefined) {
      invokeFn(it, fn, [], new Map(), def, 1);
      continue;
    }
    const values = it.heap.newList([], 'dict');
    const id = values.o?.[0];
    if (id === undefined) continue;
    const frame = { weak: 0 };
    // Values of the URL that the route's own pattern does not name (a blueprint's `url_prefix`).
    const param = named(field(p.def, 'parameters') ?? p.def)[p.valuesParameter];
    if (param)
      it.heap.writeElem([id], sourceVal(it, mod, param, `URL path value \`${textOf(param)}\``, 'user'));
    for (const name of pattern) {
      const v = kwargs.get(name);
      if (v) it.heap.writeField([id], constKey(name), v, frame);
    }
    const args: Val[] = [];
    for (let i = 0; i < p.valuesParameter; i++) args.push(UNKNOWN);
    args.push(values);
    invokeFn(it, fn, args, new Map(), def, 1);
    const after = it.heap.get(id);
    for (const name of kwargs.keys()) {
      const v = after?.fields.get(constKey(name));
      if (v) kwargs.set(name, v);
    }
  }
}
