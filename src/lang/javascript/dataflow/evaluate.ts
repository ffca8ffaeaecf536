/**
 * Statements and expressions of JavaScript and TypeScript over abstract values: declarations and
 * destructuring, assignments to names and to the heap, branches (joined, narrowed by guards),
 * loops (run twice, enough for data to reach a fixpoint of may-taint), functions as closures,
 * classes and `this`, `await` (the value itself), calls into the project and library summaries.
 */
import type { Node } from '../../../parsing/parser.js';
import { attrKey, constKey, listItems, withItems } from '../../../dataflow/heap.js';
import {
  CLEAN,
  constVal,
  dataOf,
  Env,
  join,
  joinAll,
  sameVal,
  sanitize,
  UNKNOWN,
  withStep,
  type Callable,
  type ConstValue,
  type Fact,
  type Val,
} from '../../../dataflow/value.js';
import { UrlPrefix } from '../../../dataflow/url-prefix.js';
import {
  BROWSER_PERCENT_ENCODED,
  BROWSER_WHOLE_URLS,
  browserSource,
  PROCESS_SOURCES,
} from '../models/frameworks.js';
import {
  CLEAN_CALLS,
  VERIFIED_TOKEN_CALLS,
  CLEAN_MEMBERS,
  CLEAN_METHODS,
  STORED_READ_METHODS,
  TABLE_LOOKUP_CALLS,
  ELEMENT_CALLBACK_METHODS,
  FORWARDING_CALLS,
  PROMISE_METHODS,
  SANITIZING_CALLS,
  SANITIZING_METHODS,
  DECODING_CALLS,
  DECODING_METHODS,
  DECODING_RECEIVERS,
  SQL_TAG,
  REGEX_ESCAPED_CWES,
  LINE_BREAK_CWES,
  TEXT_METHODS,
  TEXT_SAFE_CWES,
  OWN_KEY_CWES,
  WHOLE_TEXT_METHODS,
} from '../models/library.js';
import { mayNameInherited } from '../helpers/objects.js';
import { FUNCTION_TYPES, propertyName, unwrap } from '../semantic/scope.js';
import { LISTENERS } from '../models/requests.js';
import { isHandlerCandidate, paramsOf } from './entries.js';
import { guardsOf } from './guards.js';
import { fixedParameters, unconditionalCall } from './assertions.js';
import { closedType, shapedValue, zodShape } from './validated.js';
import { ZOD } from '../models/validation.js';
import type { Frame, JsInterpreter, Jump } from './interpreter.js';

type It = JsInterpreter;

/** The frame variable naming the class whose method runs (not a name a program can write). */
export const CLASS_VAR = '%class';

/** A source fact read at `node` of a file. */
export function sourceAt(file: string, node: Node, label: string, trust: Fact['src']['trust']): Val {
  return { t: [{ src: { file, node, label, trust }, steps: [] }] };
}

/** A source whose text always begins with `lead` (see SourceInfo `lead`). */
function leading(v: Val, lead: string): Val {
  return { ...v, t: v.t?.map((fact) => ({ ...fact, src: { ...fact.src, lead } })) };
}

/** A source that never counts for the weaknesses `cwes` (see SourceInfo `notFor`). */
function notFor(v: Val, cwes: readonly number[]): Val {
  return { ...v, t: v.t?.map((fact) => ({ ...fact, src: { ...fact.src, notFor: cwes } })) };
}

/** A source fact read at `node`. */
function source(it: It, f: Frame, node: Node, label: string, trust: Fact['src']['trust']): Val {
  return sourceAt(it.path(f.mod), node, label, trust);
}

function lookup(env: Env | undefined, name: string): { env: Env; val: Val } | undefined {
  for (let e = env; e; e = e.parent) {
    const v = e.vars.get(name);
    if (v) return { env: e, val: v };
  }
  return undefined;
}

/** Runs a body (program or block, or an arrow's expression); returns the expression body's value. */
export function execBody(it: It, f: Frame, body: Node): Val | undefined {
  if (body.type !== 'statement_block' && body.type !== 'program') return evaluate(it, f, body);
  // Function declarations are hoisted.
  for (const s of body.namedChildren) if (s.type === 'function_declaration') declare(it, f, s);
  execStatements(it, f, body.namedChildren);
  return undefined;
}

/** Runs statements in order; false when the path ends (return, throw). */
function execStatements(it: It, f: Frame, list: readonly Node[]): boolean {
  for (const s of list) if (!exec(it, f, s)) return false;
  return true;
}

/**
 * The scope of a function written inside other functions, for running it as a root: for each
 * function around it (outermost first), a scope with the functions that one declares in its body
 * (hoisted, so bound before any statement runs; `function helper() {}` next to the handler that
 * calls it). Other local names of those functions stay unknown, as parameters of a root are.
 */
export function enclosingScope(it: It, mod: number, moduleEnv: Env, def: Node): Env {
  const around: Node[] = [];
  for (let p = def.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) around.unshift(p);
  let env = moduleEnv;
  for (const fn of around) {
    env = new Env(new Map(), env, fn);
    const body = fn.childForFieldName('body');
    const f: Frame = { mod, env, returns: [], depth: 0, weak: 0 };
    if (body?.type === 'statement_block')
      for (const s of body.namedChildren) if (s.type === 'function_declaration') declare(it, f, s);
  }
  return env;
}

function declare(it: It, f: Frame, def: Node): void {
  const name = def.childForFieldName('name');
  if (name) f.env.vars.set(name.text, closure(f, def));
}

function closure(f: Frame, def: Node): Val {
  const self = lookup(f.env, 'this')?.val;
  const fn: Callable = {
    kind: 'fn',
    def,
    mod: f.mod,
    closure: f.env,
    name: def.childForFieldName('name')?.text ?? '',
  };
  // An arrow keeps the `this` of where it is written.
  return { fns: [def.type === 'arrow_function' && self ? { ...fn, self } : fn] };
}

function exec(it: It, f: Frame, s: Node): boolean {
  if (--it.budget < 0) return false;
  switch (s.type) {
    case 'expression_statement':
      for (const e of s.namedChildren) evaluate(it, f, e);
      return true;
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const d of s.namedChildren) {
        if (d.type !== 'variable_declarator') continue;
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name) bindPattern(it, f, name, value ? evaluate(it, f, value) : CLEAN);
      }
      return true;
    case 'return_statement': {
      const e = s.namedChildren[0];
      f.returns.push(e ? evaluate(it, f, e) : CLEAN);
      return false;
    }
    case 'throw_statement': {
      const thrown = s.namedChildren[0] ? evaluate(it, f, s.namedChildren[0]) : CLEAN;
      it.thrown[it.thrown.length - 1]?.push(thrown);
      return false;
    }
    case 'statement_block':
      return execStatements(it, f, s.namedChildren);
    case 'if_statement':
      return execIf(it, f, s);
    case 'for_statement':
    case 'while_statement':
    case 'do_statement':
    case 'for_in_statement':
      return execLoop(it, f, s, undefined);
    case 'try_statement': {
      const before = new Map(f.env.vars);
      const body = s.childForFieldName('body');
      it.thrown.push([]);
      let alive: boolean;
      let thrown: Val[];
      try {
        alive = body ? exec(it, f, body) : true;
      } finally {
        thrown = it.thrown.pop()!;
      }
      const handler = s.childForFieldName('handler');
      let handled = false;
      if (handler) {
        const after = f.env.vars;
        f.env.vars = joinVars(before, after);
        // The error caught is what the body threw (its own `throw`s and those of functions it called), or a runtime error.
        const param = handler.childForFieldName('parameter');
        if (param) bindPattern(it, f, param, joinAll([UNKNOWN, ...thrown]));
        const hb = handler.childForFieldName('body');
        handled = hb ? exec(it, f, hb) : true;
        f.env.vars = joinVars(after, f.env.vars);
      }
      const fin = s.childForFieldName('finalizer');
      if (fin) for (const c of fin.namedChildren) exec(it, f, c);
      return alive || handled;
    }
    case 'switch_statement':
      return execSwitch(it, f, s);
    case 'break_statement':
    case 'continue_statement': {
      const label = s.namedChildren.find((c) => c.type === 'statement_identifier')?.text;
      const target = jumpTarget(f, s.type === 'break_statement', label);
      if (target) (s.type === 'break_statement' ? target.breaks : target.continues).push(new Map(f.env.vars));
      return false;
    }
    case 'function_declaration':
    case 'generator_function_declaration':
      declare(it, f, s);
      return true;
    case 'class_declaration':
    case 'abstract_class_declaration': {
      const name = s.childForFieldName('name');
      if (name) f.env.vars.set(name.text, classValue(it, f, s));
      return true;
    }
    case 'export_statement':
      execExport(it, f, s);
      return true;
    case 'import_statement':
      return true;
    case 'labeled_statement': {
      const label = s.childForFieldName('label')?.text ?? s.namedChildren[0]?.text;
      const body = s.childForFieldName('body') ?? s.namedChildren[s.namedChildren.length - 1];
      if (LOOPS.has(body.type)) return execLoop(it, f, body, label);
      return withJump(f, { kind: 'label', label, breaks: [], continues: [] }, (j) => {
        const alive = exec(it, f, body);
        return leave(f, alive, j.breaks);
      });
    }
    default:
      return true;
  }
}

function joinVars(a: Map<string, Val>, b: Map<string, Val>): Map<string, Val> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? join(out.get(k)!, v) : v);
  return out;
}

/** Both branches from the same state, narrowed by the condition's guards; paths that end drop out. */
function execIf(it: It, f: Frame, s: Node): boolean {
  const cond = s.childForFieldName('condition');
  const known = cond ? truthy(evaluate(it, f, cond)) : undefined;
  // A condition with a known value takes one branch only (`if (false)`, `if (1 + 1 === 3)`).
  if (known !== undefined) {
    const taken = known ? s.childForFieldName('consequence') : s.childForFieldName('alternative');
    const body = taken?.type === 'else_clause' ? taken.namedChildren[0] : taken;
    return body ? exec(it, f, body) : true;
  }
  const guards = cond ? guardsOf(cond, it.unit(f.mod).module, (fn) => projectCallees(it, f, fn)) : [];
  const start = f.env.vars;
  const outer = f.narrowed;
  const branch = (node: Node | null, when: boolean): Map<string, Val> | null => {
    f.env.vars = new Map(start);
    for (const g of guards) {
      if (g.whenTrue !== when) continue;
      if (g.path) {
        const narrowed = g.equals
          ? evaluate(it, f, g.equals)
          : g.node
            ? sanitize(evaluate(it, f, g.node), g.cwes)
            : undefined;
        if (narrowed) (f.narrowed = new Map(f.narrowed)).set(g.name, narrowed);
        continue;
      }
      const v = lookup(f.env, g.name);
      if (v && g.weak)
        f.env.vars.set(
          g.name,
          withStep(v.val, { file: it.path(f.mod), node: g.weak.node, note: g.weak.note }),
        );
      else if (v) f.env.vars.set(g.name, g.equals ? evaluate(it, f, g.equals) : sanitize(v.val, g.cwes));
    }
    f.weak++;
    const body = node?.type === 'else_clause' ? node.namedChildren[0] : node;
    const alive = body ? exec(it, f, body) : true;
    f.weak--;
    narrowedBy.set(when, f.narrowed);
    f.narrowed = outer;
    return alive ? f.env.vars : null;
  };
  const narrowedBy = new Map<boolean, Map<string, Val> | undefined>();
  const a = branch(s.childForFieldName('consequence'), true);
  const b = branch(s.childForFieldName('alternative'), false);
  if (!a && !b) {
    f.env.vars = start;
    return false;
  }
  f.env.vars = a && b ? joinVars(a, b) : (a ?? b)!;
  // Only one branch goes on (`if (!ALLOWED.includes(data.type)) throw ...`): the member paths it
  // narrowed stay narrowed after the statement, as its names do.
  if (!a || !b) f.narrowed = narrowedBy.get(!!a);
  return true;
}

/**
 * The project functions a callee written as a name or member path may be (their definitions), for
 * the guards that read a check's returns; undefined for any other callee or a value that is not
 * only the project's functions.
 */
function projectCallees(it: It, f: Frame, fn: Node): readonly Node[] | undefined {
  const callee = unwrap(fn);
  if (callee.type !== 'identifier' && callee.type !== 'member_expression') return undefined;
  if (callee.type === 'member_expression' && !/^[\w$.]+$/.test(callee.text)) return undefined;
  const fns = evaluate(it, f, callee).fns;
  if (!fns?.length || fns.some((c) => c.kind !== 'fn')) return undefined;
  return fns.map((c) => (c as Callable & { kind: 'fn' }).def);
}

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement', 'for_in_statement']);

/** The innermost statement a `break` (any loop or `switch`) or `continue` (a loop) leaves, or the labelled one. */
function jumpTarget(f: Frame, isBreak: boolean, label: string | undefined): Jump | undefined {
  const jumps = f.jumps ?? [];
  for (let i = jumps.length - 1; i >= 0; i--) {
    const j = jumps[i];
    if (label !== undefined ? j.label === label : j.kind === 'loop' || (isBreak && j.kind === 'switch'))
      return j;
  }
  return undefined;
}

function withJump<T>(f: Frame, j: Jump, run: (j: Jump) => T): T {
  (f.jumps ??= []).push(j);
  try {
    return run(j);
  } finally {
    f.jumps.pop();
  }
}

/** The state after a statement: where its body went on, joined with the `break`s that left it. */
function leave(f: Frame, alive: boolean, breaks: readonly Map<string, Val>[]): boolean {
  const states = [...(alive ? [f.env.vars] : []), ...breaks];
  if (!states.length) return false;
  f.env.vars = states.reduce((a, b) => joinVars(a, b));
  return true;
}

/** Iterations a loop whose condition stays known true runs one by one (`for (let i = 0; i < 3; i++)`). */
const EXACT_ITERATIONS = 10;
/** Iterations over joined states, at most, until the variables stop changing (may-taint's fixpoint). */
const JOINED_ITERATIONS = 3;

function sameVars(a: Map<string, Val>, b: Map<string, Val>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!sameVal(v, b.get(k))) return false;
  return true;
}

/**
 * A loop: while its condition is known true (constants) the body runs as the program would, up to
 * a few times; then over joined states until they stop changing. A condition known false ends it,
 * one known true (`while (true)`) leaves only by `break`. The state after the loop joins the states
 * where the condition may be false and the `break`s.
 */
function execLoop(it: It, f: Frame, s: Node, label: string | undefined): boolean {
  if (s.type === 'for_in_statement') {
    const right = s.childForFieldName('right');
    const left = s.childForFieldName('left');
    const coll = right ? evaluate(it, f, right) : UNKNOWN;
    const elem = elementsOf(it, coll);
    if (left)
      bindPattern(it, f, left, s.text.includes(' in ') && !s.text.includes(' of ') ? dataOf(coll) : elem);
  }
  const init = s.childForFieldName('initializer');
  if (init) {
    if (init.type.endsWith('statement') || init.type.endsWith('declaration')) exec(it, f, init);
    else evaluate(it, f, init);
  }
  const condNode = s.childForFieldName('condition');
  const condition = (): boolean | undefined => {
    if (!condNode) return s.type === 'for_statement' ? true : undefined;
    if (condNode.type === 'empty_statement') return true;
    const c = condNode.type === 'expression_statement' ? condNode.namedChildren[0] : condNode;
    return c ? truthy(evaluate(it, f, c)) : undefined;
  };
  const isDo = s.type === 'do_statement';
  const body = s.childForFieldName('body');
  const inc = s.childForFieldName('increment');
  return withJump(f, { kind: 'loop', label, breaks: [], continues: [] }, (j) => {
    let exits: Map<string, Val> | undefined;
    const exit = (vars: Map<string, Val>): void => {
      exits = exits ? joinVars(exits, vars) : vars;
    };
    let state: Map<string, Val> | undefined = f.env.vars;
    for (let i = 0, joined = 0; body && state && joined < JOINED_ITERATIONS; i++) {
      f.env.vars = new Map(state);
      const known = isDo && i === 0 ? true : condition();
      if (known !== true) exit(new Map(f.env.vars));
      if (known === false) {
        state = undefined;
        break;
      }
      const exact = known === true && i < EXACT_ITERATIONS;
      if (!exact) f.weak++;
      const alive = exec(it, f, body);
      if (!exact) f.weak--;
      const ends = [...(alive ? [f.env.vars] : []), ...j.continues.splice(0)];
      if (!ends.length) {
        state = undefined;
        break;
      }
      f.env.vars = ends.reduce((a, b) => joinVars(a, b));
      if (inc) evaluate(it, f, inc);
      if (exact) state = f.env.vars;
      else {
        joined++;
        const next = joinVars(state, f.env.vars);
        const done = sameVars(next, state);
        state = next;
        if (done) break;
      }
    }
    // The loop may go on past the iterations run: its state then leaves when the condition fails.
    if (state) {
      f.env.vars = new Map(state);
      if (condition() !== true) exit(state);
    }
    if (exits) f.env.vars = exits;
    return leave(f, exits !== undefined, j.breaks);
  });
}

/**
 * A `switch`: cases fall through until a `break`. A value and case labels known as constants pick
 * the case that runs; else each case may be the first, and no `default` means none may run.
 */
function execSwitch(it: It, f: Frame, s: Node): boolean {
  const valueNode = s.childForFieldName('value');
  const value = valueNode ? evaluate(it, f, valueNode) : UNKNOWN;
  const cases = (s.childForFieldName('body')?.namedChildren ?? []).filter(
    (c) => c.type === 'switch_case' || c.type === 'switch_default',
  );
  const labels = cases.map((c) => {
    const v = c.childForFieldName('value');
    return v ? evaluate(it, f, v) : undefined;
  });
  let first: number | undefined | 'any' = 'any';
  if (
    value.c &&
    isPrimitive(value.c.v) &&
    labels.every((l) => l === undefined || (l.c && isPrimitive(l.c.v)))
  ) {
    const match = labels.findIndex((l) => l !== undefined && l.c!.v === value.c!.v);
    const dflt = cases.findIndex((c) => c.type === 'switch_default');
    first = match >= 0 ? match : dflt >= 0 ? dflt : undefined;
  }
  const start = f.env.vars;
  return withJump(f, { kind: 'switch', breaks: [], continues: [] }, (j) => {
    let through: Map<string, Val> | undefined;
    cases.forEach((c, i) => {
      const entered = first === 'any' || first === i ? new Map(start) : undefined;
      const from = entered && through ? joinVars(entered, through) : (entered ?? through);
      if (!from) return;
      f.env.vars = from;
      const body = c.namedChildren.filter((n) => n !== c.childForFieldName('value'));
      if (first === 'any') f.weak++;
      const alive = execStatements(it, f, body);
      if (first === 'any') f.weak--;
      through = alive ? f.env.vars : undefined;
    });
    const none = first === undefined || (first === 'any' && !cases.some((c) => c.type === 'switch_default'));
    const states = [...(through ? [through] : []), ...(none ? [start] : [])];
    f.env.vars = states.length ? states.reduce((a, b) => joinVars(a, b)) : start;
    return leave(f, states.length > 0, j.breaks);
  });
}

function isPrimitive(v: ConstValue): v is string | number | boolean | null {
  return !Array.isArray(v);
}

/** Whether a value is known truthy or falsy: a constant's (a value with data or unknown parts is not known). */
export function truthy(v: Val): boolean | undefined {
  if (!v.c || v.t || v.unk || v.o || v.fns) return undefined;
  return Array.isArray(v.c.v) ? true : Boolean(v.c.v);
}

function execExport(it: It, f: Frame, s: Node): void {
  const exportsObj = it.exportsValue(f.mod).o;
  const set = (name: string, v: Val): void => it.heap.writeField(exportsObj, attrKey(name), v, f);
  const decl = s.childForFieldName('declaration');
  const value = s.childForFieldName('value');
  const { module } = it.unit(f.mod);
  const sourceNode = s.childForFieldName('source');
  const from = sourceNode ? module.constantString(sourceNode) : undefined;
  const target = from !== undefined ? it.resolve(module.moduleOf(from)) : undefined;
  if (decl) {
    exec(it, f, decl);
    const names =
      decl.type === 'lexical_declaration' || decl.type === 'variable_declaration'
        ? decl.namedChildren.map((d) => d.childForFieldName('name')?.text)
        : [decl.childForFieldName('name')?.text];
    for (const n of names) if (n) set(n, f.env.vars.get(n) ?? UNKNOWN);
    if (/^export\s+default\b/.test(s.text) && names[0]) set('default', f.env.vars.get(names[0]) ?? UNKNOWN);
  } else if (value) set('default', evaluate(it, f, value));
  const fromExports = target ? it.exportsValue(target.mod) : undefined;
  for (const c of s.namedChildren) {
    if (c.type !== 'export_clause') continue;
    for (const spec of c.namedChildren) {
      const name = propertyName(spec.childForFieldName('name'));
      const alias = propertyName(spec.childForFieldName('alias')) ?? name;
      if (name === undefined || alias === undefined) continue;
      set(
        alias,
        fromExports ? readMember(it, f, fromExports, name, spec) : (lookup(f.env, name)?.val ?? UNKNOWN),
      );
    }
  }
  // `export * from './m'`: every export of the other module.
  if (fromExports && !s.namedChildren.some((c) => c.type === 'export_clause'))
    for (const id of fromExports.o ?? [])
      for (const [k, v] of it.heap.get(id)?.fields ?? []) it.heap.writeField(exportsObj, k, v, f);
}

/**
 * A class: its methods (each knowing its class, for `super`), its static fields evaluated now, and
 * its instance fields' initializers, run on each new instance before the constructor.
 */
function classValue(it: It, f: Frame, s: Node): Val {
  const fields = new Map<string, Val>();
  const bases: number[] = [];
  for (const c of s.namedChildren) {
    if (c.type !== 'class_heritage') continue;
    const base = c.namedChildren.find((n) => n.type !== 'implements_clause');
    const b = base ? evaluate(it, f, base.type === 'extends_clause' ? base.namedChildren[0] : base) : CLEAN;
    bases.push(...(b.o ?? []).filter((id) => it.heap.get(id)?.kind === 'class'));
  }
  const id = it.heap.alloc({ kind: 'class', fields, bases, name: s.childForFieldName('name')?.text });
  const instance: { key: string; value: Node | null; env: Env; mod: number }[] = [];
  for (const m of s.childForFieldName('body')?.namedChildren ?? []) {
    if (m.type === 'method_definition') {
      const name = propertyName(m.childForFieldName('name'));
      const fn = closure(f, m).fns![0];
      if (name !== undefined && fn.kind === 'fn') fields.set(attrKey(name), { fns: [{ ...fn, cls: id }] });
    } else if (m.type === 'field_definition' || m.type === 'public_field_definition') {
      const name = propertyName(m.childForFieldName('property') ?? m.childForFieldName('name'));
      if (name === undefined) continue;
      const value = m.childForFieldName('value');
      if (m.children.some((c) => c.type === 'static'))
        fields.set(attrKey(name), value ? evaluate(it, f, value) : CLEAN);
      else instance.push({ key: attrKey(name), value, env: f.env, mod: f.mod });
    }
  }
  it.heap.set(id, { kind: 'class', fields, bases, name: s.childForFieldName('name')?.text });
  it.classNodes.set(id, { node: s, mod: f.mod });
  if (instance.length) it.instanceFields.set(id, instance);
  return { o: [id] };
}

/**
 * Runs the instance field initializers of a class and its bases (bases first) on a new instance,
 * at the call depth of the code that makes it.
 */
export function initFields(it: It, depth: number, cls: number, self: Val, seen = new Set<number>()): void {
  if (seen.has(cls)) return;
  seen.add(cls);
  for (const b of it.heap.get(cls)?.bases ?? []) initFields(it, depth, b, self, seen);
  for (const field of it.instanceFields.get(cls) ?? []) {
    const env = new Env(
      new Map([['this', self]]),
      field.env,
      field.value ?? it.unit(field.mod).file.tree.rootNode,
    );
    const frame: Frame = { mod: field.mod, env, returns: [], depth, weak: 0 };
    it.heap.writeField(self.o, field.key, field.value ? evaluate(it, frame, field.value) : CLEAN, frame);
  }
}

/** Whether a function is a getter (`get name() {}`): reading the member calls it. */
function isGetter(fn: Callable): boolean {
  return (
    fn.kind === 'fn' && fn.def.type === 'method_definition' && fn.def.children.some((c) => c.type === 'get')
  );
}

/** Binds a declaration's or parameter's pattern to a value: destructuring reads the parts. */
export function bindPattern(it: It, f: Frame, p: Node, v: Val): void {
  switch (p.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      f.env.vars.set(p.text, v);
      it.record(f.mod, p, v);
      return;
    case 'required_parameter':
    case 'optional_parameter': {
      const pattern = p.childForFieldName('pattern');
      const type = p.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? '';
      const dflt = p.childForFieldName('value');
      let bound = dflt ? join(v, evaluate(it, f, dflt)) : v;
      // A parameter declared a number, a boolean, a union of literals or an enum is not text
      // (TypeScript checked its callers).
      if (closedType(p.childForFieldName('type'), it.unit(f.mod).module)) bound = sanitize(bound, undefined);
      if (pattern) bindPattern(it, f, pattern, bound);
      if (pattern?.type === 'object_pattern')
        for (const m of type.matchAll(/(\w+)\??\s*:\s*(number|boolean)\b/g)) {
          const cur = f.env.vars.get(m[1]);
          if (cur) f.env.vars.set(m[1], sanitize(cur, undefined));
        }
      return;
    }
    case 'assignment_pattern':
    case 'object_assignment_pattern': {
      const left = p.childForFieldName('left');
      const right = p.childForFieldName('right');
      if (left) bindPattern(it, f, left, right ? join(v, evaluate(it, f, right)) : v);
      return;
    }
    case 'rest_pattern':
      if (p.namedChildren[0]) bindPattern(it, f, p.namedChildren[0], v);
      return;
    case 'object_pattern':
      for (const c of p.namedChildren) {
        if (c.type === 'shorthand_property_identifier_pattern')
          bindPattern(it, f, c, readMember(it, f, v, c.text, c));
        else if (c.type === 'pair_pattern') {
          const key = propertyName(c.childForFieldName('key'));
          const value = c.childForFieldName('value');
          if (value) bindPattern(it, f, value, key === undefined ? dataOf(v) : readMember(it, f, v, key, c));
        } else if (c.type === 'object_assignment_pattern') {
          const left = c.childForFieldName('left');
          if (left) bindPattern(it, f, c, readMember(it, f, v, left.text, c));
        } else if (c.type === 'rest_pattern') bindPattern(it, f, c, v);
      }
      return;
    case 'array_pattern': {
      let i = 0;
      for (const c of p.namedChildren) {
        bindPattern(it, f, c, c.type === 'rest_pattern' ? restOf(it, v, i) : readIndex(it, v, i));
        i++;
      }
      return;
    }
    default:
      return;
  }
}

/** The items of an array from position `from` on (`const [a, ...rest] = list`). */
function restOf(it: It, v: Val, from: number): Val {
  const o = v.o?.length === 1 ? it.heap.get(v.o[0]) : undefined;
  if (o?.kind === 'list' && o.len !== undefined && !o.elem) return it.heap.newList(listItems(o).slice(from));
  return v.o?.length ? listOf(it, elementsOf(it, v)) : v;
}

function readIndex(it: It, v: Val, i: number): Val {
  if (!v.o?.length) return dataOf(v);
  return joinAll(
    v.o.map((id) => {
      const o = it.heap.get(id);
      return o?.fields.get(constKey(i)) ?? o?.elem ?? (o?.len !== undefined ? CLEAN : UNKNOWN);
    }),
  );
}

/**
 * A member at a key the analysis does not know (`obj[key]`): any field or element. A key the client
 * names (`api[req.body.action]`) may also pick any export of a module: a dispatch table of modules.
 */
function anyMember(it: It, v: Val, clientKey = false): Val {
  if (!v.o?.length) return dataOf(v);
  return joinAll(
    v.o.map((id) => {
      const o = it.heap.get(id);
      if (!o) return UNKNOWN;
      if (o.kind === 'module' && clientKey) return dispatchOf(it, o.fields.values());
      if (o.kind === 'class' || o.kind === 'module') return UNKNOWN;
      const all = joinAll([...o.fields.values(), o.elem ?? CLEAN]);
      return o.len !== undefined || o.kind === 'dict' ? all : join(all, UNKNOWN);
    }),
  );
}

function elementsOf(it: It, v: Val): Val {
  if (!v.o?.length) return dataOf(v);
  return it.heap.deepData(v);
}

/** A member of a value: a request's input, an object's field, a class's method bound to it, or the data of text. */
export function readMember(it: It, f: Frame, obj: Val, key: string, at: Node): Val {
  const out: Val[] = [];
  for (const id of obj.o ?? []) {
    const request = it.requests.get(id);
    if (request) {
      const m = request.members[key];
      const text = (v: Val): Val => (request.text?.includes(key) ? sanitize(v, TEXT_SAFE_CWES) : v);
      // A handler known by its shape only says so with each input.
      const label = request.likely
        ? `\`${request.name}.${key}\` ${request.likely}`
        : `${request.name}.${key}`;
      if (m === 'field') out.push(text(source(it, f, at, label, 'user')));
      else if (m === 'path') {
        // The parsed path (`req.path`, `ctx.path`) always begins with `/`: after `https://host` it
        // only picks a path. The raw URL may be absolute (`GET http://host/x`), so it leads with nothing.
        const read = source(it, f, at, label, 'user');
        const v = text(key === 'path' ? leading(read, '/') : read);
        out.push(request.routed ? sanitize(v, [601]) : v);
      } else if (m === 'listener') {
        out.push({ fns: [{ kind: 'lib', name: `${LISTENER}${request.name}.${key}` }] });
      } else if (m === 'method') {
        const kind = request.text?.includes(key) ? 'request-text' : 'request-input';
        const likely = request.likely ? `${LIKELY}${request.likely}` : '';
        out.push({ fns: [{ kind: 'lib', name: `${kind}:${request.name}.${key}${likely}` }] });
      } else if (m) {
        const nested = it.heap.alloc({ kind: 'instance', name: m.name, fields: new Map() });
        it.requests.set(nested, request.routed ? { ...m, routed: true } : m);
        out.push({ o: [nested] });
      } else {
        // A field the handler or the middleware before it set (`req.config = ...`): what it assigned.
        const own = it.heap.get(id)?.fields.get(attrKey(key));
        const attached = own ?? (request.middleware ? it.attachedField(id, key, f) : undefined);
        if (attached) out.push(attached);
      }
      continue;
    }
    const o = it.heap.get(id);
    if (!o) continue;
    const own =
      o.fields.get(attrKey(key)) ??
      o.fields.get(constKey(key)) ??
      (o.kind === 'list' && /^\d+$/.test(key) ? o.fields.get(constKey(Number(key))) : undefined);
    if (own) out.push(getter(it, f, own, { o: [id] }));
    else if (o.cls !== undefined) {
      const m = it.heap.classLookup(o.cls, attrKey(key));
      if (m)
        out.push(
          getter(
            it,
            f,
            { ...m, fns: m.fns?.map((fn) => (fn.kind === 'fn' ? { ...fn, self: { o: [id] } } : fn)) },
            {
              o: [id],
            },
          ),
        );
    } else if (o.kind === 'list' && CLEAN_MEMBERS.has(key)) out.push(CLEAN);
    else if (o.elem || o.keys) out.push(join(o.elem ?? CLEAN, o.keys ?? CLEAN));
  }
  for (const fn of obj.fns ?? [])
    if (fn.kind === 'fn' && key === 'prototype') out.push({ o: [prototypeOf(it, fn)] });
    else if (fn.kind === 'lib') {
      const name = `${fn.name}.${key}`;
      const trust = PROCESS_SOURCES[name];
      const page = browserSource(name);
      if (trust && it.traces(trust)) out.push(source(it, f, at, name, trust));
      else if (page !== undefined) {
        // Code that reads the page runs in a browser, whose requests are the user's own: never a
        // server's request forgery (CWE-918), however the value is decoded or rebuilt.
        const v = notFor(source(it, f, at, page, 'user'), [918]);
        // A whole URL of the page is never `javascript:`; an encoded one holds no raw markup.
        const safe = [
          ...(BROWSER_WHOLE_URLS.has(page) ? [601] : []),
          ...(BROWSER_PERCENT_ENCODED.has(page) ? [79] : []),
        ];
        out.push(safe.length ? sanitize(v, safe) : v);
      } else out.push({ fns: [{ kind: 'lib', name }] });
    }
  if (obj.t || obj.unk) out.push(CLEAN_MEMBERS.has(key) ? CLEAN : dataOf(obj));
  return out.length ? joinAll(out) : obj.o?.length ? CLEAN : UNKNOWN;
}

/**
 * The `prototype` object of a constructor function: a class-like object whose members its
 * instances (`new F()`) find, made on first use.
 */
function prototypeOf(it: It, fn: Callable & { kind: 'fn' }): number {
  const id = it.prototypes.get(fn.def.id);
  if (id !== undefined && it.heap.get(id)) return id;
  const made = it.heap.alloc({ kind: 'class', fields: new Map(), bases: [], name: fn.name });
  it.prototypes.set(fn.def.id, made);
  return made;
}

/** `F.prototype = value`: F's instances now find the value's members (and its own prototype's). */
function setPrototype(it: It, fns: readonly Callable[], v: Val): void {
  for (const fn of fns) {
    if (fn.kind !== 'fn') continue;
    const fields = new Map<string, Val>();
    const bases: number[] = [];
    for (const id of v.o ?? []) {
      const o = it.heap.get(id);
      if (!o) continue;
      for (const [k, fv] of o.fields) fields.set(k, fv);
      if (o.kind === 'class') bases.push(id);
      else if (o.cls !== undefined) bases.push(o.cls);
    }
    it.prototypes.set(fn.def.id, it.heap.alloc({ kind: 'class', fields, bases, name: fn.name }));
  }
}

/** A member that is a getter is read by calling it on the object. */
function getter(it: It, f: Frame, v: Val, self: Val): Val {
  if (!v.fns?.some(isGetter)) return v;
  const rest = { ...v, fns: v.fns.filter((fn) => !isGetter(fn)) };
  const got = v.fns
    .filter(isGetter)
    .map((fn) => it.callFunction(fn, [], (fn.kind === 'fn' && fn.self) || self, f.depth));
  return joinAll([rest, ...got]);
}

export function evaluate(it: It, f: Frame, node: Node): Val {
  if (--it.budget < 0) return UNKNOWN;
  const v = evaluateNode(it, f, node);
  it.record(f.mod, node, v);
  return v;
}

function evaluateNode(it: It, f: Frame, node: Node): Val {
  const n = node;
  switch (n.type) {
    case 'string':
      return constVal(n.text.slice(1, -1));
    case 'number':
      return constVal(Number(n.text));
    case 'true':
    case 'false':
      return constVal(n.type === 'true');
    case 'null':
    case 'undefined':
    case 'regex':
      return CLEAN;
    case 'template_string': {
      if (!n.namedChildren.some((c) => c.type === 'template_substitution'))
        return constVal(n.text.slice(1, -1));
      // Literal text and substitutions in order: what the text so far fixes of a URL decides what data after it may pick.
      const url = new UrlPrefix();
      const parts: Val[] = [];
      const texts: (string | undefined)[] = [];
      for (const c of n.namedChildren) {
        if (c.type === 'string_fragment') {
          url.add(CLEAN, c.text);
          texts.push(c.text);
        } else if (c.type === 'template_substitution' && c.namedChildren[0]) {
          const v = evaluate(it, f, c.namedChildren[0]);
          parts.push(url.add(v));
          texts.push(constText(v));
        } else texts.push(undefined);
      }
      return textOf(dataOf(joinAll(parts)), texts);
    }
    case 'identifier':
      return identifier(it, f, n);
    case 'this':
      return lookup(f.env, 'this')?.val ?? UNKNOWN;
    case 'as_expression':
    case 'non_null_expression':
    case 'satisfies_expression':
      // The value is the first child; the type after `as` may be any type node (`T`, `Box<T>`,
      // `unknown as T`), which holds no value.
      return n.namedChildren[0] ? evaluate(it, f, n.namedChildren[0]) : UNKNOWN;
    case 'parenthesized_expression':
    case 'type_assertion':
    case 'sequence_expression': {
      let v: Val = CLEAN;
      for (const c of n.namedChildren) if (!c.type.endsWith('type')) v = evaluate(it, f, c);
      return v;
    }
    case 'await_expression':
    case 'spread_element': {
      const v = n.namedChildren[0] ? evaluate(it, f, n.namedChildren[0]) : UNKNOWN;
      return n.type === 'await_expression' ? awaited(it, v) : (v.gen ?? v);
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text ?? '';
      if (op === '+') return concatenation(it, f, n);
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const a = l ? evaluate(it, f, l) : CLEAN;
      const b = r ? evaluate(it, f, r) : CLEAN;
      // `x || 'default'` is either side (one side when the left one's truth is known).
      if (['&&', '||', '??'].includes(op)) {
        const known = op === '??' ? (a.c ? a.c.v !== null : undefined) : truthy(a);
        if (known === undefined) return join(a, b);
        return (op === '&&') === known ? b : a;
      }
      // A comparison or arithmetic is a boolean or a number: no text of its operands, only its
      // value when they are constants (`1 + 1 === 3`).
      return foldBinary(op, a, b);
    }
    case 'unary_expression': {
      const op = n.childForFieldName('operator')?.text ?? '';
      const arg = n.childForFieldName('argument');
      if (op === 'delete' && arg) {
        deleteMember(it, f, unwrap(arg));
        return CLEAN;
      }
      const v = arg ? evaluate(it, f, arg) : UNKNOWN;
      if (op === '!') {
        const known = truthy(v);
        return known === undefined ? CLEAN : constVal(!known);
      }
      if (v.c && isPrimitive(v.c.v) && !v.t && !v.unk) {
        if (op === '-') return constVal(-Number(v.c.v));
        if (op === '+') return constVal(Number(v.c.v));
        if (op === 'typeof') return constVal(v.c.v === null ? 'object' : typeof v.c.v);
      }
      return CLEAN;
    }
    case 'update_expression': {
      // `i++` changes the name: it is a number no longer known.
      const arg = n.childForFieldName('argument');
      if (arg) evaluate(it, f, arg);
      const target = arg ? unwrap(arg) : undefined;
      if (target?.type === 'identifier') {
        const found = lookup(f.env, target.text);
        const c = found?.val.c?.v;
        const step = n.text.includes('++') ? 1 : -1;
        if (found)
          found.env.vars.set(
            target.text,
            typeof c === 'number' && truthy(found.val) !== undefined
              ? constVal(c + step)
              : sanitize(found.val, undefined),
          );
      }
      return CLEAN;
    }
    case 'ternary_expression': {
      const c = n.childForFieldName('condition');
      const known = c ? truthy(evaluate(it, f, c)) : undefined;
      const a = n.childForFieldName('consequence');
      const b = n.childForFieldName('alternative');
      if (known === true) return a ? evaluate(it, f, a) : CLEAN;
      if (known === false) return b ? evaluate(it, f, b) : CLEAN;
      return join(a ? evaluate(it, f, a) : CLEAN, b ? evaluate(it, f, b) : CLEAN);
    }
    case 'object':
      return objectValue(it, f, n);
    case 'array': {
      const items: Val[] = [];
      let spread: Val | undefined;
      for (const c of n.namedChildren) {
        const v = evaluate(it, f, c);
        if (c.type === 'spread_element') spread = join(spread ?? CLEAN, elementsOf(it, v));
        else items.push(v);
      }
      const list = it.heap.newList(items);
      if (spread) it.heap.writeElem(list.o, spread);
      return list;
    }
    case 'assignment_expression':
    case 'augmented_assignment_expression':
      return assign(it, f, n);
    case 'member_expression':
    case 'subscript_expression': {
      const fixed = f.narrowed?.get(n.text);
      if (fixed) return fixed;
      const { obj, key, keyVal } = memberOf(it, f, n);
      if (key !== undefined) return readMember(it, f, obj, key, n);
      return join(anyMember(it, obj, fromClient(keyVal)), dataOf(obj));
    }
    case 'call_expression':
    case 'new_expression':
      return call(it, f, n);
    case 'arrow_function':
    case 'function_expression':
    case 'function':
    case 'generator_function':
      return closure(f, n);
    case 'class':
      return classValue(it, f, n);
    default:
      for (const c of n.namedChildren) evaluate(it, f, c);
      return UNKNOWN;
  }
}

/** `delete obj.k`: the field is gone when the object is certain (else it may still be there). */
function deleteMember(it: It, f: Frame, target: Node): void {
  if (target.type !== 'member_expression' && target.type !== 'subscript_expression') return;
  const { obj, key } = memberOf(it, f, target);
  deleteField(it, f, obj, key);
}

function deleteField(it: It, f: Frame, obj: Val, key: string | undefined): void {
  if (key === undefined || obj.o?.length !== 1 || f.weak > 0) return;
  const o = it.heap.get(obj.o[0]);
  if (!o || o.kind === 'class' || o.kind === 'module') return;
  const fields = new Map(o.fields);
  fields.delete(attrKey(key));
  fields.delete(constKey(key));
  it.heap.set(obj.o[0], { ...o, fields });
}

/** A comparison or arithmetic over constants, computed; else a value with no data. */
function foldBinary(op: string, a: Val, b: Val): Val {
  if (!a.c || !b.c || a.t || b.t || a.unk || b.unk || !isPrimitive(a.c.v) || !isPrimitive(b.c.v))
    return CLEAN;
  const x = a.c.v as number;
  const y = b.c.v as number;
  const ops: Record<string, () => unknown> = {
    '===': () => x === y,
    '!==': () => x !== y,
    '==': () => x == y,
    '!=': () => x != y,
    '<': () => x < y,
    '<=': () => x <= y,
    '>': () => x > y,
    '>=': () => x >= y,
    '-': () => x - y,
    '*': () => x * y,
    '/': () => x / y,
    '%': () => x % y,
    '**': () => x ** y,
  };
  const r = ops[op]?.();
  return typeof r === 'boolean' || (typeof r === 'number' && Number.isFinite(r)) ? constVal(r) : CLEAN;
}

/** `a + b + c` as one piece of text built from left to right (see UrlPrefix). */
function concatenation(it: It, f: Frame, n: Node): Val {
  const leaves: Node[] = [];
  const flatten = (x: Node): void => {
    const u = unwrap(x);
    const l = u.childForFieldName('left');
    const r = u.childForFieldName('right');
    if (u.type === 'binary_expression' && u.childForFieldName('operator')?.text === '+' && l && r) {
      flatten(l);
      leaves.push(r);
    } else leaves.push(x);
  };
  flatten(n);
  const url = new UrlPrefix();
  const values = leaves.map((leaf) => evaluate(it, f, leaf));
  const consts = values.map((v) => v.c?.v);
  if (consts.every((c) => c !== undefined && c !== null && typeof c !== 'object'))
    return constVal(
      consts.every((c) => typeof c === 'number')
        ? (consts as number[]).reduce((x, y) => x + y, 0)
        : consts.map(String).join(''),
    );
  return textOf(dataOf(joinAll(values.map((v) => url.add(v)))), values.map(constText));
}

/** A constant's text, or undefined when the value is not a known string or number. */
function constText(v: Val): string | undefined {
  return !v.t && !v.unk && v.c && (typeof v.c.v === 'string' || typeof v.c.v === 'number')
    ? String(v.c.v)
    : undefined;
}

/**
 * Text built from parts (constant text, undefined where data is pasted): text whatever the data
 * was, and, when the constant text keeps it from spelling an inherited name (`${method}-${id}`),
 * a key that picks only the table's own entries.
 */
function textOf(v: Val, texts: readonly (string | undefined)[]): Val {
  const text = sanitize(v, TEXT_SAFE_CWES);
  return mayNameInherited(texts) ? text : sanitize(text, OWN_KEY_CWES);
}

/** The object of `a.b` or `a[k]`, and the member's name when it is known. */
function memberOf(it: It, f: Frame, n: Node): { obj: Val; key: string | undefined; keyVal?: Val } {
  const object = n.childForFieldName('object');
  const obj = object ? evaluate(it, f, object) : UNKNOWN;
  const index = n.childForFieldName('index');
  if (n.type === 'member_expression') return { obj, key: propertyName(n.childForFieldName('property')) };
  const keyVal = index ? evaluate(it, f, index) : UNKNOWN;
  return { obj, key: constKeyOf(keyVal), keyVal };
}

/** Whether a value may be text the client chose (a key it names: `handlers[req.body.action]`). */
function fromClient(v: Val | undefined): boolean {
  return v?.t?.some((fact) => fact.src.trust === 'user') ?? false;
}

function constKeyOf(v: Val): string | undefined {
  return v.c && (typeof v.c.v === 'string' || typeof v.c.v === 'number') ? String(v.c.v) : undefined;
}

export function identifier(it: It, f: Frame, n: Node): Val {
  const local = lookup(f.env, n.text);
  if (local) return local.val;
  const { module } = it.unit(f.mod);
  // An unbound name is the runtime's (`parseInt`, `Number`): it names itself.
  const canonical = module.qualifiedName(n) ?? (module.bindingsOf(n) ? undefined : n.text);
  if (canonical === undefined) return UNKNOWN;
  const target = it.resolve(canonical);
  if (target && target.mod !== f.mod) return projectValue(it, f, target, n, module.bindingsOf(n)?.[0]?.node);
  return { fns: [{ kind: 'lib', name: canonical }] };
}

/** What an import of a project module gives: its exports, `default` for a default import. */
function projectValue(
  it: It,
  f: Frame,
  target: { mod: number; rest: string[] },
  at: Node,
  importNode?: Node,
): Val {
  let v = it.exportsValue(target.mod);
  const isDefault =
    target.rest.length === 0 &&
    importNode?.type === 'import_statement' &&
    importNode.namedChildren.some(
      (c) =>
        c.type === 'import_clause' &&
        c.namedChildren.some((p) => p.type === 'identifier' && p.text === at.text),
    );
  if (isDefault) {
    const d = readMember(it, f, v, 'default', at);
    if (d.fns || d.o || d.t) v = d;
  }
  for (const part of target.rest) v = readMember(it, f, v, part, at);
  return v;
}

function objectValue(it: It, f: Frame, n: Node): Val {
  const fields = new Map<string, Val>();
  let keys: Val | undefined;
  const id = it.heap.alloc({ kind: 'dict', fields });
  for (const c of n.namedChildren) {
    if (c.type === 'pair') {
      const k = c.childForFieldName('key');
      const value = c.childForFieldName('value');
      const name =
        k?.type === 'computed_property_name'
          ? constKeyOf(evaluate(it, f, k.namedChildren[0]))
          : propertyName(k);
      const v = value ? evaluate(it, f, value) : CLEAN;
      if (name !== undefined) fields.set(attrKey(name), v);
      else keys = join(keys ?? CLEAN, v);
    } else if (c.type === 'shorthand_property_identifier') fields.set(attrKey(c.text), identifier(it, f, c));
    else if (c.type === 'method_definition') {
      const name = propertyName(c.childForFieldName('name'));
      if (name !== undefined) fields.set(attrKey(name), closure(f, c));
    } else if (c.type === 'spread_element') {
      const v = evaluate(it, f, c);
      for (const o of v.o ?? []) for (const [k, fv] of it.heap.get(o)?.fields ?? []) fields.set(k, fv);
      if (!v.o) {
        // Data whose keys are unknown (the client's payload) may replace any field written before it.
        const d = dataOf(v);
        keys = join(keys ?? CLEAN, d);
        // The flow notes the spread where it replaces a field (`{ type, ...data }`).
        const over = (k: string): Val =>
          k.startsWith('a:')
            ? withStep(d, { file: it.path(f.mod), node: c, note: `spread over \`${k.slice(2)}\`` })
            : d;
        if (d.t?.length) for (const [k, fv] of fields) fields.set(k, join(fv, over(k)));
      }
    }
  }
  it.heap.set(id, { kind: 'dict', fields, ...(keys ? { elem: keys } : {}) });
  return { o: [id] };
}

function assign(it: It, f: Frame, n: Node): Val {
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  if (!left || !right) return UNKNOWN;
  let v = evaluate(it, f, right);
  const target = unwrap(left);
  if (n.type === 'augmented_assignment_expression') v = dataOf(join(evaluate(it, f, target), v));
  if (target.type === 'identifier') {
    const found = lookup(f.env, target.text);
    (found?.env ?? f.env).vars.set(target.text, v);
    it.record(f.mod, target, v);
  } else if (target.type === 'member_expression' || target.type === 'subscript_expression') {
    const { obj, key } = memberOf(it, f, target);
    if (key === 'prototype' && obj.fns?.length) setPrototype(it, obj.fns, v);
    const lists = (obj.o ?? []).filter((id) => it.heap.get(id)?.kind === 'list');
    if (key !== undefined && /^\d+$/.test(key) && lists.length === obj.o?.length) {
      // An index of an array: the element, and the length when it grows past it.
      it.heap.writeField(obj.o, constKey(Number(key)), v, f);
      for (const id of lists) {
        const o = it.heap.get(id)!;
        if (o.len !== undefined && Number(key) >= o.len) it.heap.set(id, { ...o, len: Number(key) + 1 });
      }
    } else if (key !== undefined) it.heap.writeField(obj.o, attrKey(key), v, f);
    else it.heap.writeElem(obj.o, v);
  } else bindPattern(it, f, target, v);
  return v;
}

/** A call: project functions run with the arguments, library calls by their summaries. */
function call(it: It, f: Frame, n: Node): Val {
  const isNew = n.type === 'new_expression';
  const fnNode = n.childForFieldName(isNew ? 'constructor' : 'function');
  const argsNode = n.childForFieldName('arguments');
  const argNodes =
    argsNode?.type === 'arguments'
      ? argsNode.namedChildren.filter((c) => c.type !== 'comment')
      : argsNode
        ? [argsNode]
        : [];
  const args = argNodes.map((a) => evaluate(it, f, a));
  // An object argument is recorded with what it holds now: the root's objects are gone when the
  // results are read (`axios({ url })`).
  argNodes.forEach((a, i) => {
    if (args[i].o?.length) it.record(f.mod, a, dataOf(it.heap.deepData(args[i])));
  });
  const { module } = it.unit(f.mod);
  const required = module.requiredModule(n);
  if (required !== undefined) {
    const target = it.resolve(required);
    return target ? projectValue(it, f, target, n) : { fns: [{ kind: 'lib', name: required }] };
  }
  // `require(\`./${name}\`)` where the value of `name` is known here (a loop over a constant list).
  const specifier =
    fnNode?.type === 'identifier' && fnNode.text === 'require' && !module.bindingsOf(fnNode)
      ? knownText(f, argNodes[0], args[0])
      : undefined;
  const dynamic = specifier !== undefined ? it.resolve(module.moduleOf(specifier)) : undefined;
  if (dynamic) return projectValue(it, f, dynamic, n);
  const fnU = fnNode ? unwrap(fnNode) : undefined;
  let receiver: Val | undefined;
  let method: string | undefined;
  let callee: Val;
  const self = lookup(f.env, 'this')?.val;
  if (fnU?.type === 'super') {
    // `super(...)`: the base class's constructor runs on this object.
    for (const fn of superMember(it, f, 'constructor').fns ?? [])
      if (fn.kind === 'fn') it.callFunction(fn, args, self, f.depth);
    return CLEAN;
  }
  if (fnU?.type === 'member_expression') {
    const object = fnU.childForFieldName('object');
    method = propertyName(fnU.childForFieldName('property'));
    if (object?.type === 'super') {
      receiver = self;
      callee = method !== undefined ? superMember(it, f, method) : UNKNOWN;
    } else {
      receiver = object ? evaluate(it, f, object) : UNKNOWN;
      callee = method !== undefined ? readMember(it, f, receiver, method, fnU) : UNKNOWN;
    }
    it.record(f.mod, fnU, callee);
    // `fn.call(thisArg, ...args)`, `fn.apply(thisArg, args)`, `fn.bind(thisArg)` of a project function.
    const own = (receiver?.fns ?? []).filter((fn) => fn.kind === 'fn');
    if (own.length && (method === 'call' || method === 'apply' || (method === 'bind' && args.length <= 1))) {
      const thisArg = args[0]?.o ? args[0] : undefined;
      if (method === 'bind')
        return { fns: own.map((fn) => (fn.kind === 'fn' && thisArg ? { ...fn, self: thisArg } : fn)) };
      const given = method === 'call' ? args.slice(1) : spreadArgs(it, args[1]);
      return joinAll(own.map((fn) => it.callFunction(fn, given, thisArg, f.depth)));
    }
  } else callee = fnNode ? evaluate(it, f, fnNode) : UNKNOWN;
  const out: Val[] = [];
  let handled = false;
  for (const fn of callee.fns ?? []) {
    if (fn.kind === 'fn') {
      handled = true;
      if (isNew && fn.def.type !== 'arrow_function') {
        // `new F()`: a new object whose members are found on F.prototype, unless F returns an object.
        const created: Val = {
          o: [it.heap.alloc({ kind: 'instance', cls: prototypeOf(it, fn), fields: new Map() })],
        };
        const returned = it.callFunction(fn, args, created, f.depth);
        out.push(returned.o?.length ? returned : created);
        continue;
      }
      // A method called on an object runs with the object as `this` (an arrow keeps its own).
      const bound = !fn.self && receiver && fn.def.type !== 'arrow_function' ? receiver : undefined;
      // The arguments as written go to the parameters in order (see forwards.ts).
      const written = argsNode?.type === 'arguments' && !argNodes.some((a) => a.type === 'spread_element');
      if (written) it.recordTarget(f.mod, n, { mod: fn.mod, def: fn.def });
      out.push(it.callFunction(fn, args, bound, f.depth, written));
    } else if (fn.kind === 'lib') {
      handled = true;
      out.push(libCall(it, f, n, fn.name, args, receiver, argNodes));
    }
  }
  for (const id of callee.o ?? []) {
    const cls = it.heap.get(id);
    if (cls?.kind !== 'class') continue;
    handled = true;
    const self: Val = { o: [it.heap.alloc({ kind: 'instance', cls: id, fields: new Map() })] };
    initFields(it, f.depth, id, self);
    const ctor = it.heap.classLookup(id, attrKey('constructor'));
    for (const fn of ctor?.fns ?? []) it.callFunction(fn, args, self, f.depth);
    out.push(self);
  }
  if (!handled) out.push(methodCall(it, f, method, receiver, args, argNodes));
  if (!isNew) narrowFixedArguments(f, callee, argNodes, n);
  return joinAll(out);
}

/**
 * After a call of project functions that return only for fixed values of a parameter (see
 * assertions.ts), the caller's name passed there holds one of them: no free text is left of it.
 */
function narrowFixedArguments(f: Frame, callee: Val, argNodes: readonly Node[], n: Node): void {
  const fns = callee.fns ?? [];
  if (!fns.length || fns.some((fn) => fn.kind !== 'fn') || callee.o?.length) return;
  if (argNodes.some((a) => a.type === 'spread_element')) return;
  let positions: readonly number[] | undefined;
  for (const fn of fns) {
    const own = fixedParameters((fn as Callable & { kind: 'fn' }).def);
    positions = positions ? positions.filter((i) => own.includes(i)) : own;
  }
  if (!positions?.length || !unconditionalCall(n)) return;
  for (const i of positions) {
    const arg = argNodes[i] ? unwrap(argNodes[i]) : undefined;
    const bound = arg?.type === 'identifier' ? lookup(f.env, arg.text) : undefined;
    if (arg && bound) f.env.vars.set(arg.text, sanitize(bound.val, undefined));
  }
}

/**
 * Built-in constructors and functions that make or copy objects: `new Object()`, `new Array(n)`,
 * `Array.of`, `Array.from`, `Object.assign`, `Object.values`, and `new Promise(executor)`.
 */
function builtinCall(it: It, f: Frame, n: Node, name: string, args: readonly Val[]): Val | undefined {
  switch (name) {
    case 'Object':
    case 'Object.create':
      return args[0]?.o && name === 'Object'
        ? args[0]
        : { o: [it.heap.alloc({ kind: 'dict', fields: new Map() })] };
    case 'Array':
      if (args.length === 1 && args[0].c && typeof args[0].c.v === 'number') return listOf(it, CLEAN);
      return it.heap.newList([...args]);
    case 'Array.of':
      return it.heap.newList([...args]);
    case 'Array.from': {
      const elems = args[0] ? elementsOf(it, args[0]) : CLEAN;
      const mapped = args[1]?.fns ? dataOf(joinAll(callBack(it, f, [args[1]], [elems, CLEAN]))) : elems;
      return listOf(it, mapped);
    }
    case 'Object.values':
      return listOf(it, args[0] ? anyMember(it, args[0]) : CLEAN);
    case 'Object.entries':
      return listOf(it, args[0] ? it.heap.deepData(args[0]) : CLEAN);
    // The keys of what a client sent (`Object.keys(req.body)`) are the client's: a list of them,
    // so `forEach` and `map` callbacks receive them as `for...of` does.
    case 'Object.keys':
      return listOf(it, args[0] ? dataOf(it.heap.deepData(args[0])) : CLEAN);
    case 'Object.assign': {
      const [target, ...sources] = args;
      if (!target?.o) return undefined;
      for (const src of sources)
        for (const id of src.o ?? [])
          for (const [k, v] of it.heap.get(id)?.fields ?? []) it.heap.writeField(target.o, k, v, f);
      return target;
    }
    case 'Promise':
      return n.type === 'new_expression' ? newPromise(it, f, args[0]) : undefined;
    // Reflect's functions do what the operators do.
    case 'Reflect.get': {
      const key = args[1] ? constKeyOf(args[1]) : undefined;
      if (!args[0]) return undefined;
      return key !== undefined
        ? readMember(it, f, args[0], key, n)
        : join(anyMember(it, args[0]), dataOf(args[0]));
    }
    case 'Reflect.set': {
      const key = args[1] ? constKeyOf(args[1]) : undefined;
      if (!args[0]?.o) return undefined;
      if (key !== undefined) it.heap.writeField(args[0].o, attrKey(key), args[2] ?? CLEAN, f);
      else it.heap.writeElem(args[0].o, args[2] ?? CLEAN);
      return CLEAN;
    }
    case 'Reflect.deleteProperty':
      if (args[0]) deleteField(it, f, args[0], args[1] ? constKeyOf(args[1]) : undefined);
      return CLEAN;
    case 'Reflect.has':
      return CLEAN;
    case 'Reflect.apply': {
      const fns = (args[0]?.fns ?? []).filter((fn) => fn.kind === 'fn');
      if (!fns.length) return undefined;
      const self = args[1]?.o ? args[1] : undefined;
      return joinAll(fns.map((fn) => it.callFunction(fn, spreadArgs(it, args[2]), self, f.depth)));
    }
    default:
      return undefined;
  }
}

/** `new Promise((resolve, reject) => ...)`: the executor runs; what it resolves is what the promise holds. */
function newPromise(it: It, f: Frame, executor: Val | undefined): Val {
  const id = it.heap.alloc({ kind: 'instance', name: 'Promise', fields: new Map() });
  const settle: Val = { fns: [{ kind: 'lib', name: `${PROMISE_SETTLE}${id}` }] };
  if (executor) callBack(it, f, [executor], [settle, settle]);
  return { o: [id] };
}

/** The library name of a promise's own `resolve`/`reject`, followed by the promise's heap id. */
const PROMISE_SETTLE = 'promise-settle:';

/** What a value holds once awaited: a promise's settled value, or the value itself. */
function awaited(it: It, v: Val): Val {
  if (v.gen) return v.gen;
  const promises = (v.o ?? []).filter((id) => it.heap.get(id)?.name === 'Promise');
  if (!promises.length) return v;
  const rest: Val = { ...v, o: v.o!.filter((id) => !promises.includes(id)) };
  return joinAll([
    ...(rest.o!.length || rest.t || rest.unk || rest.fns ? [rest] : []),
    ...promises.map((id) => it.heap.get(id)!.fields.get(attrKey('value')) ?? CLEAN),
  ]);
}

/** Built-in keyed collections: entries with constant keys are kept apart, the rest joined. */
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);

/** Tainted values by identity: the same abstract value read again from a name is the same key. */
const valueIds = new WeakMap<Val, number>();
let nextValueId = 0;

/**
 * The field of a collection's entry with a constant key (a Set's constant member), or with a
 * tainted value the program passes again unchanged (`set.add(x); set.delete(x)`).
 */
function entryKey(v: Val): string | undefined {
  if (v.c && isPrimitive(v.c.v) && !v.t && !v.unk) return `e:${JSON.stringify(v.c.v)}`;
  if (!v.t || v.o || v.fns) return undefined;
  let id = valueIds.get(v);
  if (id === undefined) valueIds.set(v, (id = nextValueId++));
  return `v:${id}`;
}

/** `new Map(entries)`, `new Set(items)`: a collection object holding what it was given. */
function newCollection(it: It, f: Frame, name: string, init: Val | undefined): Val {
  const id = it.heap.alloc({ kind: 'dict', name, fields: new Map() });
  const self: Val = { o: [id] };
  if (!init) return self;
  const isMap = name.endsWith('Map');
  const source = init.o?.length === 1 ? it.heap.get(init.o[0]) : undefined;
  if (source?.kind === 'list' && source.len !== undefined && !source.elem) {
    for (const item of listItems(source)) {
      if (isMap) collectionCall(it, f, 'set', self, [readIndex(it, item, 0), readIndex(it, item, 1)]);
      else collectionCall(it, f, 'add', self, [item]);
    }
  } else if (init.c && typeof init.c.v === 'string' && !isMap)
    for (const ch of init.c.v) collectionCall(it, f, 'add', self, [constVal(ch)]);
  else it.heap.writeElem(self.o, elementsOf(it, init));
  return self;
}

/** A method of a Map or Set the interpreter made (undefined for any other receiver). */
function collectionCall(it: It, f: Frame, method: string, self: Val, args: readonly Val[]): Val | undefined {
  const objs = self.o ?? [];
  const colls = objs.map((id) => it.heap.get(id));
  if (!objs.length || self.t || self.unk || colls.some((o) => !o?.name || !COLLECTIONS.has(o.name)))
    return undefined;
  const isMap = colls.every((o) => o!.name!.endsWith('Map'));
  const strong = objs.length === 1 && f.weak === 0;
  const [a = CLEAN, b = CLEAN] = args;
  const key = entryKey(a);
  const all = (): Val => joinAll(colls.flatMap((o) => [...o!.fields.values(), o!.elem ?? CLEAN]));
  const keys = (): Val => joinAll(colls.map((o) => o!.keys ?? CLEAN));
  const list = (v: Val): Val => {
    const l = it.heap.newList([]);
    it.heap.writeElem(l.o, v);
    return l;
  };
  switch (method) {
    case 'set':
    case 'add': {
      const value = method === 'add' ? a : b;
      if (key !== undefined) it.heap.writeField(objs, key, value, f);
      else it.heap.writeElem(objs, value);
      if (isMap && (a.t || a.unk)) it.heap.writeKeys(objs, dataOf(a));
      return self;
    }
    case 'get': {
      // A key the program computed may equal any constant key: only the same value picks its entry.
      const found = key === undefined ? undefined : colls.map((o) => o!.fields.get(key));
      if (!found || found.some((v) => !v && key!.startsWith('v:'))) return all();
      return joinAll(colls.map((o, i) => join(found[i] ?? CLEAN, o!.elem ?? CLEAN)));
    }
    case 'has':
      return CLEAN;
    case 'delete':
    case 'clear':
      if (strong)
        for (const id of objs) {
          const o = it.heap.get(id)!;
          if (method === 'clear') it.heap.set(id, { kind: o.kind, name: o.name, fields: new Map() });
          else if (key !== undefined) {
            const fields = new Map(o.fields);
            fields.delete(key);
            it.heap.set(id, { ...o, fields });
          }
        }
      return CLEAN;
    case 'keys':
      return list(isMap ? keys() : all());
    case 'values':
      return list(all());
    case 'entries':
      return list(join(all(), keys()));
    case 'forEach':
      callBack(it, f, args, [all(), isMap ? keys() : all(), self]);
      return CLEAN;
    default:
      return undefined;
  }
}

/**
 * A method of an array the interpreter made that changes it (push, unshift, fill, splice, reverse,
 * sort) or reads it by position (pop, shift, at); undefined for others and other receivers.
 */
function arrayCall(it: It, f: Frame, method: string, self: Val, args: readonly Val[]): Val | undefined {
  const objs = self.o ?? [];
  const lists = objs.map((id) => it.heap.get(id));
  if (!objs.length || self.t || self.unk || lists.some((o) => o?.kind !== 'list')) return undefined;
  const exact = objs.length === 1 && f.weak === 0 && lists[0]!.len !== undefined && !lists[0]!.elem;
  const items = exact ? listItems(lists[0]!) : undefined;
  const all = (): Val => elementsOf(it, self);
  // Filling a whole array replaces every element.
  if (method === 'fill' && args.length === 1 && objs.length === 1 && f.weak === 0) {
    it.heap.set(objs[0], { kind: 'list', fields: new Map(), elem: args[0] });
    return self;
  }
  switch (method) {
    case 'push':
      if (items) it.heap.set(objs[0], withItems(lists[0]!, [...items, ...args]));
      else it.heap.writeElem(objs, joinAll(args));
      return CLEAN;
    case 'unshift':
      if (items) it.heap.set(objs[0], withItems(lists[0]!, [...args, ...items]));
      else it.heap.writeElem(objs, joinAll(args));
      return CLEAN;
    case 'reverse':
      if (items) it.heap.set(objs[0], withItems(lists[0]!, [...items].reverse()));
      else if (!exact) it.heap.writeElem(objs, all());
      return self;
    case 'sort':
    case 'splice':
    case 'fill':
    case 'copyWithin': {
      // Elements move or are replaced: each position may now hold any of them.
      const before = all();
      const added =
        method === 'fill' ? (args[0] ?? CLEAN) : method === 'splice' ? joinAll(args.slice(2)) : CLEAN;
      it.heap.writeElem(objs, join(before, added));
      if (method === 'sort') callBack(it, f, args, [before, before]);
      return method === 'splice' ? listOf(it, before) : self;
    }
    case 'pop':
      if (items) {
        it.heap.set(objs[0], withItems(lists[0]!, items.slice(0, -1)));
        return items[items.length - 1] ?? CLEAN;
      }
      return all();
    case 'shift':
      if (items) {
        it.heap.set(objs[0], withItems(lists[0]!, items.slice(1)));
        return items[0] ?? CLEAN;
      }
      return all();
    case 'at': {
      const i = args[0]?.c?.v;
      if (items && typeof i === 'number') return items[i < 0 ? items.length + i : i] ?? CLEAN;
      return all();
    }
    default:
      return undefined;
  }
}

/** A new array whose elements are at unknown positions. */
function listOf(it: It, elems: Val): Val {
  const l = it.heap.newList([]);
  it.heap.writeElem(l.o, elems);
  return l;
}

/** A member of the base classes of the class whose method runs (`super.m`, `super()`). */
function superMember(it: It, f: Frame, name: string): Val {
  const cls = lookup(f.env, CLASS_VAR)?.val.o?.[0];
  const bases = cls === undefined ? [] : (it.heap.get(cls)?.bases ?? []);
  return joinAll(bases.map((b) => it.heap.classLookup(b, attrKey(name)) ?? CLEAN));
}

/** The arguments an array passes (`fn.apply(self, list)`): its items when known, else its elements each. */
function spreadArgs(it: It, list: Val | undefined): Val[] {
  if (!list) return [];
  const o = list.o?.length === 1 ? it.heap.get(list.o[0]) : undefined;
  if (o?.kind === 'list' && o.len !== undefined && !o.elem) return listItems(o);
  const each = elementsOf(it, list);
  return [each, each, each, each];
}

/** A table's own entry: not what every object inherits (`toString`, `constructor`). */
function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Calls each function among the values with the given arguments (callbacks); what they return. */
function callBack(it: It, f: Frame, fns: readonly Val[], args: readonly Val[]): Val[] {
  return fns.flatMap((v) =>
    (v.fns ?? []).filter((fn) => fn.kind === 'fn').map((fn) => it.callFunction(fn, args, undefined, f.depth)),
  );
}

/** A method of a value the analysis has no code for: strings, arrays, promises and unknown objects. */
function methodCall(
  it: It,
  f: Frame,
  method: string | undefined,
  receiver: Val | undefined,
  args: readonly Val[],
  argNodes: readonly Node[] = [],
): Val {
  const self = receiver ?? UNKNOWN;
  const coll =
    method !== undefined
      ? (collectionCall(it, f, method, self, args) ?? arrayCall(it, f, method, self, args))
      : undefined;
  if (coll) return coll;
  const all = dataOf(
    join(receiver?.o ? it.heap.deepData(self) : self, joinAll(args.map((a) => (a.fns ? CLEAN : dataOf(a))))),
  );
  // A part of a key (`key.split('-')[1]`, `key.slice(4)`) may spell any name again.
  const data = method !== undefined && WHOLE_TEXT_METHODS.has(method) ? all : unsanitized(all, OWN_KEY_CWES);
  if (method !== undefined && PROMISE_METHODS.has(method)) {
    const held = awaited(it, self);
    return joinAll(callBack(it, f, args, [held === self ? dataOf(self) : held]));
  }
  if ((method === 'reduce' || method === 'reduceRight') && args[0]?.fns) return reduce(it, f, self, args);
  if (method !== undefined && ELEMENT_CALLBACK_METHODS.has(method)) {
    const items = constantItems(it, self);
    const returned = items
      ? items.flatMap((item, i) => callBack(it, f, args, [item, constVal(i)]))
      : callBack(it, f, args, [elementsOf(it, self), CLEAN]);
    if (method === 'map' || method === 'flatMap' || method === 'reduce') return dataOf(joinAll(returned));
  }
  if (method !== undefined && CLEAN_METHODS.has(method)) return CLEAN;
  if (holdsNoInput(method, args)) return CLEAN;
  const escapes = method !== undefined ? ownEntry(SANITIZING_METHODS, method) : undefined;
  if (escapes) return sanitize(dataOf(joinAll(args)), escapes);
  callBack(it, f, args, [UNKNOWN]);
  // `s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')`: every match prefixed with a backslash (the usual
  // regular-expression escaping); the text is then literal in a pattern.
  if (regexEscape(method, args)) return sanitize(sanitize(data, TEXT_SAFE_CWES), REGEX_ESCAPED_CWES);
  if (removesLineBreaks(method, argNodes)) return sanitize(sanitize(data, TEXT_SAFE_CWES), LINE_BREAK_CWES);
  return method !== undefined && TEXT_METHODS.has(method) ? sanitize(data, TEXT_SAFE_CWES) : data;
}

/** The callee name of a dispatch: the functions a client-named key may pick (see `dispatchOf`). */
const DISPATCH = 'dispatch:';

/** Functions a dispatch may call, by id in the callee name; ids by the functions' keys. */
const dispatches = new Map<number, readonly Callable[]>();
const dispatchIds = new Map<string, number>();

/**
 * What a client-named key picks among a module's exports: its data, and one callee standing for
 * every function among them (more than a value holds), which a call hands to the interpreter to
 * run each as a root of its own (see `JsInterpreter.defer`).
 */
function dispatchOf(it: It, exports: Iterable<Val>): Val {
  const values = [...exports];
  const fns = values.flatMap((v) => (v.fns ?? []).filter((fn) => fn.kind === 'fn'));
  const data = join(dataOf(joinAll(values)), UNKNOWN);
  if (!fns.length) return data;
  const key = fns.map((fn) => (fn.kind === 'fn' ? `${fn.mod}:${fn.def.id}` : '')).join(',');
  let id = dispatchIds.get(key);
  if (id === undefined) {
    dispatchIds.set(key, (id = dispatches.size));
    dispatches.set(id, fns);
  }
  return join(data, { fns: [{ kind: 'lib', name: `${DISPATCH}${id}` }] });
}

/** How many constants a list may hold for a callback to run once on each (`['a', 'b'].forEach(...)`). */
const MAX_CONSTANT_ITEMS = 16;

/** The items of a list of known length whose items are all constants, in order. */
function constantItems(it: It, self: Val): Val[] | undefined {
  const o = self.o?.length === 1 && !self.t && !self.unk ? it.heap.get(self.o[0]) : undefined;
  if (o?.kind !== 'list' || o.len === undefined || o.elem || o.len > MAX_CONSTANT_ITEMS) return undefined;
  const items = listItems(o);
  return items.every((v) => v.c !== undefined && !v.t) ? items : undefined;
}

/** Text an expression is known to be here: a constant, or a template of names whose values are. */
function knownText(f: Frame, node: Node | undefined, v: Val | undefined): string | undefined {
  if (typeof v?.c?.v === 'string') return v.c.v;
  if (node?.type !== 'template_string') return undefined;
  let text = '';
  for (const c of node.children) {
    if (c.type === 'string_fragment') text += c.text;
    else if (c.type === 'template_substitution') {
      const e = c.namedChildren[0];
      const value = e?.type === 'identifier' ? lookup(f.env, e.text)?.val.c?.v : undefined;
      if (typeof value !== 'string') return undefined;
      text += value;
    }
  }
  return text;
}

/** How many steps of a `reduce` run: enough for a lookup a few keys deep (`api.users.get`). */
const REDUCE_STEPS = 3;

/**
 * `list.reduce((acc, x) => ..., initial)`: the callback gets what it returned before (the initial
 * value first, or an element) and an element, a few steps, until what it returns adds nothing: a
 * walk down a table by the parts of a key (`name.split('.').reduce((o, k) => o[k], api)`).
 */
function reduce(it: It, f: Frame, self: Val, args: readonly Val[]): Val {
  const each = elementsOf(it, self);
  let acc = args.length > 1 ? args[1] : each;
  for (let step = 0; step < REDUCE_STEPS; step++) {
    const next = join(acc, joinAll(callBack(it, f, [args[0]], [acc, each, CLEAN, self])));
    const grew =
      (next.o?.length ?? 0) + (next.fns?.length ?? 0) > (acc.o?.length ?? 0) + (acc.fns?.length ?? 0);
    acc = next;
    if (!grew) break;
  }
  return acc;
}

/**
 * A method of any receiver whose result holds no text of what it was given: a database read
 * (stored data, see STORED_READ_METHODS) or `hash.digest('hex')` (hexadecimal digits only,
 * whatever was hashed; `base64` may hold `/`).
 */
function holdsNoInput(method: string | undefined, args: readonly Val[]): boolean {
  if (method === undefined) return false;
  return STORED_READ_METHODS.has(method) || (method === 'digest' && args[0]?.c?.v === 'hex');
}

/** `s.replace(pattern, '\\$&')`: every match prefixed with a backslash. */
function regexEscape(method: string | undefined, args: readonly Val[]): boolean {
  // String literals keep their escapes as written here: `'\\$&'` in the source.
  return (
    (method === 'replace' || method === 'replaceAll') && ['\\$&', '\\\\$&'].includes(String(args[1]?.c?.v))
  );
}

/**
 * `s.replace(/[\r\n]+/g, ' ')`, `s.replaceAll('\n', '')`: every line feed replaced (a regular
 * expression with the `g` flag that matches one, or `replaceAll` of one), so the text stays on one
 * line of a log. `replace` of a string changes only its first occurrence: not enough.
 */
function removesLineBreaks(method: string | undefined, argNodes: readonly Node[]): boolean {
  if (method !== 'replace' && method !== 'replaceAll') return false;
  const pattern = argNodes[0] && unwrap(argNodes[0]);
  if (pattern?.type === 'regex') {
    const body = pattern.childForFieldName('pattern')?.text;
    const flags = pattern.childForFieldName('flags')?.text ?? '';
    if (body === undefined || !flags.includes('g')) return false;
    try {
      return new RegExp(body, flags.replace(/[^gimsuy]/g, '')).test('\n');
    } catch {
      return false;
    }
  }
  return method === 'replaceAll' && pattern?.type === 'string' && /\\n|\n/.test(pattern.text);
}

/** What percent-encoding made safe, once decoded: its characters are raw again. */
const PERCENT_ENCODING_CWES: readonly number[] = [...SANITIZING_CALLS.encodeURIComponent, 79];

/** Data no longer safe for `cwes`: decoded text, or text parsed into values (`JSON.parse`). */
function unsanitized(v: Val, cwes: readonly number[]): Val {
  if (!v.t?.some((fact) => fact.san?.some((c) => cwes.includes(c)))) return v;
  const t = v.t.map((fact) => {
    const san = fact.san?.filter((c) => !cwes.includes(c));
    return { ...fact, san: san?.length ? san : undefined };
  });
  return { ...v, t };
}

function libCall(
  it: It,
  f: Frame,
  n: Node,
  name: string,
  args: readonly Val[],
  receiver: Val | undefined,
  argNodes: Node[],
): Val {
  if (name.startsWith('request-input:'))
    return source(it, f, n, requestMethodLabel(name.slice('request-input:'.length)), 'user');
  if (name.startsWith('request-text:'))
    return sanitize(
      source(it, f, n, requestMethodLabel(name.slice('request-text:'.length)), 'user'),
      TEXT_SAFE_CWES,
    );
  if (name.startsWith(DISPATCH)) {
    it.defer(dispatches.get(Number(name.slice(DISPATCH.length))) ?? [], args);
    return UNKNOWN;
  }
  if (name.startsWith(LISTENER)) return listen(it, f, name.slice(LISTENER.length), args, argNodes);
  if (name.startsWith(PROMISE_SETTLE)) {
    const id = Number(name.slice(PROMISE_SETTLE.length));
    const prev = it.heap.get(id)?.fields.get(attrKey('value'));
    it.heap.writeField([id], attrKey('value'), prev ? join(prev, args[0] ?? CLEAN) : (args[0] ?? CLEAN), f);
    return CLEAN;
  }
  if (n.type === 'new_expression' && COLLECTIONS.has(name)) return newCollection(it, f, name, args[0]);
  const built = builtinCall(it, f, n, name, args);
  if (built) return built;
  const parsed = zodParse(it, f, n, name, args);
  if (parsed) return parsed;
  // A method of a library object hands on what the object holds (`new URL(x).searchParams.get('u')`).
  const given = receiver ? [...args, receiver] : args;
  // What a library makes of a key (`path.basename`, a parser) may be a part of it: a key no more.
  const data = unsanitized(
    dataOf(joinAll(given.map((a) => (a.o ? it.heap.deepData(a) : dataOf(a))))),
    name === 'String' ? [] : OWN_KEY_CWES,
  );
  if (CLEAN_CALLS.has(name) || VERIFIED_TOKEN_CALLS.has(name)) return CLEAN;
  const method = name.slice(name.lastIndexOf('.') + 1);
  if (DECODING_CALLS.has(name) || (DECODING_RECEIVERS.test(name) && DECODING_METHODS.has(method)))
    return withStep(unsanitized(data, PERCENT_ENCODING_CWES), {
      file: it.path(f.mod),
      node: n,
      note: `decoded by \`${name}\``,
    });
  const sanitizes = ownEntry(SANITIZING_CALLS, name);
  if (sanitizes) return sanitize(data, sanitizes);
  // A driver's own escaping (`connection.escape(x)`).
  if (TABLE_LOOKUP_CALLS.has(name) || (receiver && holdsNoInput(method, args))) return CLEAN;
  const escapes = ownEntry(SANITIZING_METHODS, method);
  if (receiver && escapes) return sanitize(data, escapes);
  if (receiver && regexEscape(method, args))
    return sanitize(sanitize(data, TEXT_SAFE_CWES), REGEX_ESCAPED_CWES);
  if (receiver && removesLineBreaks(method, argNodes))
    return sanitize(sanitize(data, TEXT_SAFE_CWES), LINE_BREAK_CWES);
  // A tagged template of a SQL builder keeps its substitutions as parameters.
  if (argNodes.length === 1 && argNodes[0].type === 'template_string' && SQL_TAG.test(name))
    return sanitize(data, [89]);
  // `new URL(ref, base)`: the base is the site's own URL (`request.url`), whose origin a relative
  // reference keeps; only the reference can send a redirect or a request elsewhere.
  if (name === 'URL' && args.length > 1) {
    const ref = isRelativeReference(it.unit(f.mod).module.constantString(argNodes[0]))
      ? CLEAN
      : dataOf(args[0]);
    return join(ref, sanitize(dataOf(joinAll(args.slice(1))), [601, 918]));
  }
  // Parsed JSON may be an object again, whatever text it was parsed from.
  if (name === 'JSON.parse')
    return withStep(unsanitized(data, TEXT_SAFE_CWES), {
      file: it.path(f.mod),
      node: n,
      note: `through \`${name}\``,
    });
  // JSON escapes the line breaks of every string it writes: the text stays on one line of a log.
  if (name === 'JSON.stringify')
    return withStep(sanitize(data, LINE_BREAK_CWES), {
      file: it.path(f.mod),
      node: n,
      note: `through \`${name}\``,
    });
  if (name === 'String' || name.startsWith('path.'))
    return withStep(data, { file: it.path(f.mod), node: n, note: `through \`${name}\`` });
  // A promise a library made holds the data it was made from: `.then` callbacks receive it.
  if (receiver && PROMISE_METHODS.has(method)) return joinAll(callBack(it, f, args, [dataOf(receiver)]));
  // A routing call's handlers receive the framework's request object, wherever they were written
  // (a controller imported from another module); those written in place run as entry points too.
  const route = it.routeCall(f.mod, n, name);
  // A route setup known by its shape: only functions shaped as request handlers are its handlers.
  const shaped = (fn: Callable): boolean =>
    !route?.candidate || (fn.kind === 'fn' && isHandlerCandidate(fn.def));
  if (route && (!route.candidate || args.some((a) => a.fns?.some(shaped)))) {
    const handlers = route.listener
      ? args
      : args.filter((a) => a.fns?.some((fn) => fn.kind === 'fn' && !it.isHandler(fn) && shaped(fn)));
    const given = [...Array<Val>(route.requestParam).fill(UNKNOWN), it.requestObject(route.request), UNKNOWN];
    if (!route.listener && it.loadingMods.size > 0)
      it.runRegisteredHandlers(handlers, (h) => callBack(it, f, [h], given), f.mod, n.startPosition.row + 1);
    else callBack(it, f, handlers, given);
    return join(data, { unk: true, fns: [{ kind: 'lib', name: `${name}()` }] });
  }
  const forwards = FORWARDING_CALLS.find((c) => c.name.test(name));
  if (forwards) {
    callBack(it, f, [args[forwards.fn] ?? CLEAN], args.slice(forwards.from));
    return join(data, { unk: true, fns: [{ kind: 'lib', name: `${name}()` }] });
  }
  // Callbacks a library calls (a server's handler, a stream's listener) still run, on unknown data.
  callBack(it, f, args, [UNKNOWN, UNKNOWN]);
  return join(data, { unk: true, fns: [{ kind: 'lib', name: `${name}()` }] });
}

/** A new object with these properties, its other keys holding `elem`. */
export function objectOf(it: It, fields: ReadonlyMap<string, Val>, elem: Val): Val {
  const keyed = new Map([...fields].map(([k, v]) => [attrKey(k), v] as const));
  return { o: [it.heap.alloc({ kind: 'dict', fields: keyed, elem })] };
}

/**
 * What a zod schema's `parse`/`safeParse` returns (`schema.parse(req.body)`): the data it was given
 * as the schema written in the module lets it through (see validated.ts); undefined when the schema
 * leaves it text or is not known.
 */
function zodParse(it: It, f: Frame, n: Node, name: string, args: readonly Val[]): Val | undefined {
  const method = name.slice(name.lastIndexOf('.') + 1);
  if (!ZOD.parse.has(method) || !name.startsWith('zod.')) return undefined;
  const fn = n.childForFieldName('function');
  const schema = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
  const shape = schema ? zodShape(schema, it.unit(f.mod).module) : 'text';
  if (shape === 'text') return undefined;
  const value = shapedValue(shape, args[0] ?? CLEAN, (fields, elem) => objectOf(it, fields, elem));
  if (!method.startsWith('safe')) return value;
  return objectOf(
    it,
    new Map([
      ['success', CLEAN],
      ['data', value],
      ['error', CLEAN],
    ]),
    CLEAN,
  );
}

/** Sets apart, in a request method's callee name, what a handler known by its shape says (`RequestObject.likely`). */
const LIKELY = '\u0000';

/** The label of a request method's result: `req.json()`, and what a handler known by its shape says. */
function requestMethodLabel(name: string): string {
  const [method, likely] = name.split(LIKELY);
  return likely !== undefined ? `\`${method}()\` ${likely}` : `${method}()`;
}

/** The callee name of a request object's method that registers listeners of the client's messages. */
const LISTENER = 'request-listener:';

/**
 * A listener registration on a request object (`socket.on('chat', (msg, ack) => ...)`): the
 * listener runs now on what the client emits, each parameter its own input, the trailing
 * acknowledgement function excepted (see `LISTENERS`).
 */
function listen(it: It, f: Frame, method: string, args: readonly Val[], argNodes: Node[]): Val {
  const short = method.slice(method.lastIndexOf('.') + 1);
  const model = ownEntry(LISTENERS, short);
  if (!model) return UNKNOWN;
  const event = model.eventName ? undefined : it.unit(f.mod).module.constantString(argNodes[0]);
  const what = event !== undefined ? `${method}('${event}')` : `${method}()`;
  for (const fn of args[model.listenerArg]?.fns ?? []) {
    if (fn.kind !== 'fn') continue;
    const params = paramsOf(fn.def);
    const ack = params.length > 1 && params[params.length - 1].type !== 'rest_pattern';
    const given = params.map((p, i) => {
      if (ack && i === params.length - 1) return UNKNOWN;
      const label = model.eventName && i === 0 ? `the event name of \`${what}\`` : `data of \`${what}\``;
      return sourceAt(it.path(fn.mod), p, label, 'user');
    });
    it.callFunction(fn, given, undefined, f.depth);
  }
  return CLEAN;
}

/** A URL reference without a scheme or an authority (`/login`, `page?x=1`): it cannot change the origin. */
function isRelativeReference(text: string | undefined): boolean {
  return text !== undefined && !/^([a-z][a-z0-9+.-]*:|[\\/]{2})/i.test(text);
}

export { FUNCTION_TYPES };
