/**
 * Request bodies a framework parses into a Pydantic model (`def view(data: ItemIn)`): a field whose
 * validator rejects every value but the ones it proves valid (`if not re.fullmatch(...): raise`)
 * holds only such values, whatever the client sent.
 */
import { attrKey } from '../../../dataflow/heap.js';
import { sanitize, type Callable, type Fact, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { invokeFn } from './calls.js';
import type { Interpreter } from './interpreter.js';
import { moduleEnv, resolveQualname } from './modules.js';
import { field, named, textOf } from './syntax.js';

/** Pydantic's field validators (v1 and v2): their string arguments name the fields they check. */
const VALIDATOR_DECORATORS = /^pydantic(\.\w+)*\.(validator|field_validator)$/;

type Fn = Extract<Callable, { kind: 'fn' }>;

/** The class a route parameter is annotated with, when it is a class of the project. */
export function annotatedClass(it: Interpreter, mod: number, param: Node): number | undefined {
  if (param.type !== 'typed_parameter' && param.type !== 'typed_default_parameter') return undefined;
  const type = field(param, 'type');
  const expr = type ? (named(type)[0] ?? type) : undefined;
  if (expr?.type !== 'identifier') return undefined;
  // An imported model may not be bound yet when the view's module has not run to its end.
  const q = it.mods(mod).module.qualifiedName(expr);
  const v = moduleEnv(it, mod).vars.get(textOf(expr)) ?? (q ? resolveQualname(it, q, mod, expr) : undefined);
  const id = v?.o?.length === 1 ? v.o[0] : undefined;
  return id !== undefined && it.heap.get(id)?.kind === 'class' ? id : undefined;
}

/** The class and its bases of the project, nearest first. */
function lineage(it: Interpreter, cls: number): number[] {
  const out: number[] = [];
  const visit = (id: number): void => {
    if (out.includes(id) || out.length > 16) return;
    out.push(id);
    for (const b of it.heap.get(id)?.bases ?? []) visit(b);
  };
  visit(cls);
  return out;
}

/** The fields a method's Pydantic validator decorator names (none when it is not one). */
function validatedFields(it: Interpreter, fn: Fn): string[] {
  const decorated = fn.def.parent;
  if (decorated?.type !== 'decorated_definition') return [];
  const module = it.mods(fn.mod).module;
  const out: string[] = [];
  for (const d of named(decorated)) {
    const call = d.type === 'decorator' ? named(d)[0] : undefined;
    const callee = call?.type === 'call' ? field(call, 'function') : undefined;
    if (!call || !callee || !VALIDATOR_DECORATORS.test(module.qualifiedName(callee) ?? '')) continue;
    for (const a of named(field(call, 'arguments') ?? call))
      if (a.type === 'string') out.push(textOf(a).replace(/^[rbuRBU]*["']{1,3}|["']{1,3}$/g, ''));
  }
  return out;
}

/**
 * The value of a route parameter annotated with a project model that validates some of its fields:
 * an instance whose fields hold the request's data, made safe where the field's validator proves
 * it valid (it returns its argument only on the branch a guard passed). Otherwise `source` itself.
 */
export function validatedModel(it: Interpreter, mod: number, param: Node, source: Val): Val {
  const cls = annotatedClass(it, mod, param);
  if (cls === undefined || !source.t) return source;
  const annotated = new Set<string>();
  const safeFor = new Map<string, readonly number[] | undefined>();
  for (const c of lineage(it, cls)) {
    const obj = it.heap.get(c);
    for (const a of obj?.annotated ?? []) annotated.add(a);
    for (const member of obj?.fields.values() ?? []) {
      for (const fn of member.fns ?? []) {
        if (fn.kind !== 'fn') continue;
        const names = validatedFields(it, fn).filter((n) => !safeFor.has(n));
        if (names.length === 0) continue;
        const cwes = provenSafe(it, fn, cls, source);
        if (cwes === false) continue;
        for (const n of names) safeFor.set(n, cwes);
      }
    }
  }
  if (safeFor.size === 0) return source;
  const inst = it.heap.newInstance(cls);
  const fields = new Map<string, Val>();
  for (const name of annotated) {
    const data: Val = { t: source.t };
    fields.set(attrKey(name), safeFor.has(name) ? sanitize(data, safeFor.get(name)) : data);
  }
  const obj = it.heap.get(inst);
  if (obj) it.heap.set(inst, { ...obj, fields });
  return { ...source, o: [inst] };
}

/**
 * Runs a validator on the request's data: the CWEs its result is safe for (undefined: all of them),
 * or false when it may return the data unchecked.
 */
function provenSafe(
  it: Interpreter,
  fn: Fn,
  cls: number,
  source: Val,
): readonly number[] | undefined | false {
  const params = named(field(fn.def, 'parameters') ?? fn.def);
  // Pydantic validators are class methods: `(cls, value, ...)`.
  const args: Val[] = params.length >= 2 ? [{ o: [cls] }, { t: source.t }] : [{ t: source.t }];
  const out = invokeFn(it, { ...fn, self: undefined }, args, new Map(), fn.def, 1);
  if (!out.t) return out.unk ? false : undefined;
  const common = out.t.reduce<readonly number[] | undefined>(
    (acc, f: Fact) => (acc === undefined ? (f.san ?? []) : acc.filter((c) => f.san?.includes(c))),
    undefined,
  );
  return common && common.length ? common : false;
}
