/**
 * Path converters a project defines and registers under a name of its own
 * (`app.url_map.converters["hex"] = HexConverter`, Starlette's `register_url_convertor`). For a
 * route pattern that uses one (`<hex:key>`), the framework matches the segment against the
 * class's `regex` and passes the view what the class's `to_python` returns for it, or rejects the
 * request when that raises. The view's parameter is therefore that method's result for the
 * client's text (itself narrowed to the pattern's characters), as the interpreter computes it: a
 * method that returns `str(UUID(value))`, `int(value)` or a constant hands on no client text.
 */
import { textIncludes } from '../../../dataflow/text-reads.js';
import { attrKey } from '../../../dataflow/heap.js';
import { join, sanitize, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { CUSTOM_CONVERTERS } from '../models/index.js';
import type { CustomConverterModel } from '../models/concepts.js';
import { constantValue } from '../semantic/constant.js';
import { invokeFn } from './calls.js';
import { patternSafeCwes } from './char-classes.js';
import { evalExpr } from './expressions.js';
import type { Interpreter } from './interpreter.js';
import { moduleEnv, newFrame } from './modules.js';
import { field, named } from './syntax.js';

/** A registration: the converter's expression (a class or an instance) in its module. */
interface Registered {
  mod: number;
  node: Node;
  model: CustomConverterModel;
}

const registries = new WeakMap<Interpreter, Map<string, Registered[]>>();

/** The project's converters by name, read once from the modules that register some. */
function registered(it: Interpreter): Map<string, Registered[]> {
  let out = registries.get(it);
  if (out) return out;
  out = new Map();
  registries.set(it, out);
  if (CUSTOM_CONVERTERS.length === 0) return out;
  const words = CUSTOM_CONVERTERS.map((m) => (m.mapping ?? m.call?.name ?? '').split('.').pop() ?? '');
  const add = (name: string, reg: Registered): void => {
    const list = out!.get(name);
    if (list) list.push(reg);
    else out!.set(name, [reg]);
  };
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!it.isProjectCode(mod) || !words.some((w) => w && textIncludes(it.modules, mod, w))) continue;
    const { file, module } = it.mods(mod);
    const name = (n: Node | null | undefined): string | undefined => {
      const v = n ? constantValue(n, module)?.value : undefined;
      return typeof v === 'string' ? v : undefined;
    };
    for (const model of CUSTOM_CONVERTERS) {
      if (model.mapping) {
        const isMapping = (n: Node | null | undefined): boolean =>
          n?.type === 'attribute' && (n.text === model.mapping || n.text.endsWith(`.${model.mapping}`));
        // app.url_map.converters["hex"] = HexConverter
        for (const a of file.tree.rootNode.descendantsOfType('assignment')) {
          const left = a ? field(a, 'left') : null;
          const right = a ? field(a, 'right') : null;
          if (left?.type !== 'subscript' || !right || !isMapping(field(left, 'value'))) continue;
          const key = name(field(left, 'subscript'));
          if (key) add(key, { mod, node: right, model });
        }
        // app.url_map.converters.update(hex=HexConverter) or .update({"hex": HexConverter})
        for (const call of module.calls) {
          if (call.methodName !== 'update' || !isMapping(call.receiver)) continue;
          for (const [k, v] of call.kwargs) add(k, { mod, node: v, model });
          const dict = call.args[0];
          for (const pair of dict?.type === 'dictionary' ? named(dict) : []) {
            const key = pair.type === 'pair' ? name(field(pair, 'key')) : undefined;
            const value = field(pair, 'value');
            if (key && value) add(key, { mod, node: value, model });
          }
        }
      }
      if (model.call) {
        const { nameArg, converterArg } = model.call;
        for (const call of module.calls) {
          if (call.callee !== model.call.name) continue;
          const key = name(call.args[nameArg]);
          const value = call.args[converterArg];
          if (key && value) add(key, { mod, node: value, model });
        }
      }
    }
  }
  return out;
}

/** The class object and an instance of a registered converter, when its expression is known. */
function converterObject(it: Interpreter, reg: Registered): { cls: number; inst: number } | undefined {
  const env = moduleEnv(it, reg.mod);
  const root = it.mods(reg.mod).file.tree.rootNode;
  const v = evalExpr(it, reg.node, newFrame(it, reg.mod, env, root, '<module>', 0), env.vars);
  if (v.o?.length !== 1) return undefined;
  const obj = it.heap.get(v.o[0]);
  if (obj?.kind === 'class') return { cls: v.o[0], inst: it.heap.newInstance(v.o[0]) };
  if (obj?.kind === 'instance' && obj.cls !== undefined) return { cls: obj.cls, inst: v.o[0] };
  return undefined;
}

/**
 * The value a route parameter holds when its pattern uses the project converter `name`: the
 * client's text narrowed to the characters of the converter's pattern, then passed through its
 * value method. `source` itself when no project converter of that name is known.
 */
export function convertedValue(it: Interpreter, name: string, source: Val): Val {
  const regs = registered(it).get(name);
  if (!regs?.length) return source;
  let out: Val | undefined;
  for (const reg of regs) {
    const conv = converterObject(it, reg);
    if (!conv) return source;
    let v = source;
    const regex = it.heap.classLookup(conv.cls, attrKey(reg.model.regexAttribute))?.c?.v;
    const cwes = typeof regex === 'string' ? patternSafeCwes(regex) : undefined;
    if (cwes) v = sanitize(v, cwes);
    const method = it.heap.classLookup(conv.cls, attrKey(reg.model.valueMethod));
    const fns = method?.fns?.filter((f) => f.kind === 'fn') ?? [];
    if (method && fns.length === 0) return source;
    let r: Val | undefined;
    for (const fn of fns) {
      const res = invokeFn(it, { ...fn, self: { o: [conv.inst] } }, [v], new Map(), fn.def, 1);
      r = r ? join(r, res) : res;
    }
    out = out ? join(out, r ?? v) : (r ?? v);
  }
  return out ?? source;
}
