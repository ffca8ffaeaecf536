/**
 * Calls that hand a value on unchanged: a project function whose parameter is passed as it is to a
 * call in its body (`def call_subprocess(args, shell=False): return subprocess.run(args,
 * shell=shell)`), directly or through more such functions. The pass records which project
 * functions each call ran (Interpreter.recordTarget); from that, each call of a wrapper learns what
 * the wrapper forwards (ForwardedCall), so that a rule reports a sink reached through it at the
 * wrapper's call, where the value is built, and not once inside the wrapper for every caller.
 */
import type { ConstValue } from '../../../dataflow/value.js';
import type { ForwardedCall, ForwardedParam, ForwardedValue } from '../../../dataflow/query.js';
import type { Node } from '../../../parsing/parser.js';
import { calleeLabel } from '../helpers/calls.js';
import { enclosingFunction } from '../helpers/functions.js';
import type { CallSite } from '../semantic/scope.js';
import { parameterList } from './entry-points.js';
import type { CallTargets, Interpreter } from './interpreter.js';
import { evalLiteral } from './literals.js';
import { field } from './syntax.js';
import { MAX_CHAIN, WrapperIndex, type FileForwards } from '../../../dataflow/forwards.js';

/** A project function a call ran (see Interpreter.callTargets). */
type CallTarget = CallTargets['targets'] extends Map<string, infer T> ? T : never;

export type { FileForwards };

/** A literal's value (`False`, `None`, `"x"`, `3`) as a forwarded constant. */
function literal(it: Interpreter, node: Node | null): { c: ConstValue } | undefined {
  const v = node ? evalLiteral(it, node) : undefined;
  return v ? { c: v.v } : undefined;
}

interface Param extends ForwardedParam {
  default?: { c: ConstValue };
}

/** The parameters of a definition as its callers pass them, with their literal defaults. */
function parametersOf(it: Interpreter, def: Node, bound: boolean): Map<string, Param> {
  const out = new Map<string, Param>();
  for (const { node, name, index } of parameterList(def, bound)) {
    const dflt = literal(it, field(node, 'value'));
    out.set(name, { index, name, ...(dflt ? { default: dflt } : {}) });
  }
  return out;
}

export class Forwards extends WrapperIndex<CallSite, CallTarget> {
  constructor(private readonly it: Interpreter) {
    super();
  }

  protected callsOf(mod: number): readonly CallSite[] {
    return this.it.mods(mod).module.calls;
  }

  protected enclosing(node: Node): Node | undefined {
    return enclosingFunction(node);
  }

  protected callTargets(): Iterable<[number, Iterable<{ call: Node; targets: Map<string, CallTarget> }>]> {
    return [...this.it.callTargets].map(([mod, calls]) => [mod, calls.values()]);
  }

  protected forwardsOf(t: CallTarget): ForwardedCall[] {
    return this.of(t.mod, t.def, t.bound, 0);
  }

  /** What a definition forwards, for a call that binds `self` or not. */
  private of(mod: number, def: Node, bound: boolean, depth: number): ForwardedCall[] {
    const key = `${mod}:${def.id}:${bound}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.busy.has(key) || depth > MAX_CHAIN) return [];
    this.busy.add(key);
    const out: ForwardedCall[] = [];
    const unit = this.it.mods(mod);
    const params = parametersOf(this.it, def, bound);
    const fnName = field(def, 'name')?.text ?? '?';
    // A parameter handed on as it is: bound once, by the parameter list.
    const param = (arg: Node | undefined): Param | undefined => {
      if (arg?.type !== 'identifier') return undefined;
      const p = params.get(arg.text);
      const bindings = p ? unit.module.scopeOf(arg).lookup(arg.text)?.bindings : undefined;
      return bindings?.length && bindings.every((b) => b.kind === 'param') ? p : undefined;
    };
    // Or its text, kept (see keptText): what the check of the facts below neutralised, if anything, is in `san`.
    const intact = (arg: Node | undefined, depth = 0): Param | undefined => {
      if (!arg || depth > MAX_CHAIN) return undefined;
      const p = param(arg);
      if (p) return p;
      const parts = keptText(arg);
      const found = parts?.map((n) => intact(n, depth + 1));
      const first = found?.[0];
      return first && found.every((f) => f === first) ? first : undefined;
    };
    const valueOf = (arg: Node | undefined): ForwardedValue | undefined => {
      const p = intact(arg);
      if (p) return { param: { index: p.index, name: p.name }, ...(p.default ? { default: p.default } : {}) };
      return literal(this.it, arg ?? null);
    };
    for (const call of this.callsIn(mod, def)) {
      const keywords: Record<string, ForwardedValue> = {};
      for (const [k, v] of call.kwargs) {
        const fv = valueOf(v);
        if (fv) keywords[k] = fv;
      }
      const passed: { node: Node; param: Param; index: number; keyword?: string }[] = [];
      call.args.forEach((a, i) => {
        const p = intact(a);
        if (p) passed.push({ node: a, param: p, index: i });
      });
      for (const [k, v] of call.kwargs) {
        const p = intact(v);
        if (p) passed.push({ node: v, param: p, index: -1, keyword: k });
      }
      if (!passed.length) continue;
      const inner = this.it.callTargets.get(mod)?.get(call.node.id);
      for (const { node, param, index, keyword } of passed) {
        // What the callers' data was at the inner call: none reached it (a branch no caller takes),
        // or every fact passed a check in the wrapper for some weaknesses.
        const facts = this.it.records.get(mod)?.get(node.id)?.val.t ?? [];
        if (!facts.length) continue;
        const san = facts.map((f) => f.san ?? []).reduce((a, b) => a.filter((c) => b.includes(c)));
        this.markForwarded(mod, node);
        out.push({
          param: { index: param.index, name: param.name },
          ...(call.callee ? { callee: call.callee } : {}),
          ...(call.methodName ? { method: call.methodName } : {}),
          ...(call.receiver ? { receiver: call.receiver.text } : {}),
          arg: { index, ...(keyword ? { keyword } : {}) },
          keywords,
          label: calleeLabel(call),
          location: unit.file.location(call.node),
          via: [fnName],
          ...(san.length ? { san: [...san] } : {}),
        });
        // Through a wrapper of a wrapper: what the inner function forwards of the parameter it gets here.
        for (const t of inner?.targets.values() ?? []) {
          for (const e of this.of(t.mod, t.def, t.bound, depth + 1)) {
            const receives = keyword !== undefined ? e.param.name === keyword : e.param.index === index;
            if (!receives) continue;
            out.push({
              ...e,
              param: { index: param.index, name: param.name },
              keywords: remap(e.keywords, call, valueOf),
              via: [fnName, ...e.via],
            });
          }
        }
      }
    }
    this.busy.delete(key);
    this.memo.set(key, out);
    return out;
  }
}

/**
 * String methods whose result keeps the text of the string they are called on (characters
 * replaced or trimmed, the text encoded): what the receiver could do at a sink, the result can.
 */
const TEXT_KEEPING = new Set([
  'replace',
  'strip',
  'lstrip',
  'rstrip',
  'removeprefix',
  'removesuffix',
  'encode',
  'decode',
]);

/**
 * The expressions a value keeps the whole text of: both branches of `q if cond else q.replace("`", "")`,
 * the receiver of `q.strip()`. Undefined for any other expression.
 */
function keptText(node: Node): Node[] | undefined {
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    return inner.length === 1 ? inner : undefined;
  }
  if (node.type === 'conditional_expression') {
    // `a if cond else b`: the named children are a, cond, b.
    const [a, , b] = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    return a && b ? [a, b] : undefined;
  }
  if (node.type !== 'call') return undefined;
  const fn = field(node, 'function');
  if (fn?.type !== 'attribute' || !TEXT_KEEPING.has(field(fn, 'attribute')?.text ?? '')) return undefined;
  const receiver = field(fn, 'object');
  return receiver ? [receiver] : undefined;
}

/** An inner wrapper's keywords in terms of what this call passes it: its own parameters, or constants. */
function remap(
  keywords: Record<string, ForwardedValue>,
  call: CallSite,
  valueOf: (arg: Node | undefined) => ForwardedValue | undefined,
): Record<string, ForwardedValue> {
  const out: Record<string, ForwardedValue> = {};
  for (const [k, v] of Object.entries(keywords)) {
    if ('c' in v) {
      out[k] = v;
      continue;
    }
    const given = call.argument(v.param.index, v.param.name);
    const mapped = given ? valueOf(given) : v.default;
    if (mapped) out[k] = mapped;
  }
  return out;
}
