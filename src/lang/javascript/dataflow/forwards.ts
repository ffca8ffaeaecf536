/**
 * Project wrappers in JavaScript: a project function whose parameter is passed as it is to a call
 * in its body (`function run(cmd) { return execSync(cmd); }`), directly or through more such
 * functions. The pass records which project functions each call ran (JsInterpreter.recordTarget);
 * from that, each call of a wrapper learns what the wrapper forwards (ForwardedCall), so that a sink
 * reached through it is reported at the wrapper's call, where the value is built, and not once
 * inside the wrapper for every caller. The same as Python's (lang/python/dataflow/forwards.ts):
 * only the bare parameter counts (a command the wrapper builds around it stays the wrapper's
 * finding), and a parameter the wrapper checks for a weakness is neutralised for its callers.
 */
import { MAX_CHAIN, WrapperIndex } from '../../../dataflow/forwards.js';
import type { ForwardedCall } from '../../../dataflow/query.js';
import type { Node } from '../../../parsing/parser.js';
import { callLabel } from '../helpers/calls.js';
import { namesSink, sinkKey, SINKS, BROWSER_SINKS } from '../models/sinks.js';
import type { JsCall, JsModule } from '../semantic/model.js';
import { FUNCTION_TYPES } from '../semantic/scope.js';
import { paramsOf } from './entries.js';
import type { CallTarget, JsInterpreter } from './interpreter.js';

/** The function whose own body holds a node (not one defined inside it). */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

/** The sink models whose exclusion holds for a call as written (`spawn` without `shell: true`). */
function safeFor(call: JsCall, module: JsModule): string[] {
  const receivers = (): string[] => {
    const r = call.receiver;
    const canonical = r ? module.qualifiedName(r) : undefined;
    return r ? [r.text, ...(canonical !== undefined ? [canonical] : [])] : [];
  };
  return [...SINKS, ...BROWSER_SINKS]
    .filter(
      (s) => s.unless && namesSink(s, call.callee, call.methodName, receivers) && s.unless(call, module),
    )
    .map(sinkKey);
}

export class JsForwards extends WrapperIndex<JsCall, CallTarget> {
  constructor(private readonly it: JsInterpreter) {
    super();
  }

  protected callsOf(mod: number): readonly JsCall[] {
    return this.it.unit(mod).module.calls;
  }

  protected enclosing(node: Node): Node | undefined {
    return enclosingFunction(node);
  }

  protected callTargets(): Iterable<[number, Iterable<{ call: Node; targets: Map<string, CallTarget> }>]> {
    return [...this.it.callTargets].map(([mod, calls]) => [mod, calls.values()]);
  }

  protected forwardsOf(t: CallTarget): ForwardedCall[] {
    return this.of(t.mod, t.def, 0);
  }

  /** What a function forwards: the calls in its body that receive one of its parameters unchanged. */
  private of(mod: number, def: Node, depth: number): ForwardedCall[] {
    const key = `${mod}:${def.id}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.busy.has(key) || depth > MAX_CHAIN) return [];
    this.busy.add(key);
    const out: ForwardedCall[] = [];
    const { module, file } = this.it.unit(mod);
    const params = paramsOf(def);
    const fnName = module.contextOf(def) || '?';
    // A parameter handed on as it is: a plain name bound once, by the parameter list.
    const intact = (arg: Node): { index: number; name: string } | undefined => {
      if (arg.type !== 'identifier') return undefined;
      const bindings = module.bindingsOf(arg);
      const b = bindings?.length === 1 ? bindings[0] : undefined;
      if (b?.kind !== 'param' || b.key !== undefined || b.rest) return undefined;
      const index = params.findIndex(
        (p) => p.startIndex <= b.node.startIndex && b.node.endIndex <= p.endIndex,
      );
      return index < 0 || enclosingFunction(b.node)?.id !== def.id ? undefined : { index, name: arg.text };
    };
    for (const call of this.callsIn(mod, def)) {
      if (call.hasSpread || call.node.childForFieldName('arguments')?.type !== 'arguments') continue;
      const passed = call.args.flatMap((node, index) => {
        const param = intact(node);
        return param ? [{ node, param, index }] : [];
      });
      if (!passed.length) continue;
      const inner = this.it.callTargets.get(mod)?.get(call.node.id);
      let safe: string[] | undefined;
      for (const { node, param, index } of passed) {
        // What the callers' data was at the inner call: none reached it (a branch no caller takes),
        // or every fact passed a check in the wrapper for some weaknesses.
        const facts = this.it.records.get(mod)?.get(node.id)?.val.t ?? [];
        if (!facts.length) continue;
        const san = facts.map((f) => f.san ?? []).reduce((a, b) => a.filter((c) => b.includes(c)));
        // A function also run as a callback or through `.call` has callers no forward reaches.
        if (!this.it.calledUnwritten.has(key)) this.markForwarded(mod, node);
        safe ??= safeFor(call, module);
        out.push({
          param,
          ...(call.callee ? { callee: call.callee } : {}),
          ...(call.methodName ? { method: call.methodName } : {}),
          ...(call.receiver ? { receiver: call.receiver.text } : {}),
          arg: { index },
          keywords: {},
          label: callLabel(call, module),
          location: file.location(call.node),
          via: [fnName],
          ...(san.length ? { san: [...san] } : {}),
          ...(safe.length ? { safeFor: safe } : {}),
        });
        // Through a wrapper of a wrapper: what the inner function forwards of the parameter it gets here.
        for (const t of inner?.targets.values() ?? []) {
          for (const e of this.of(t.mod, t.def, depth + 1)) {
            if (e.param.index !== index) continue;
            out.push({ ...e, param, via: [fnName, ...e.via] });
          }
        }
      }
    }
    this.busy.delete(key);
    this.memo.set(key, out);
    return out;
  }
}
