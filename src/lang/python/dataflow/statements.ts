/**
 * Python statements: blocks, assignments, returns and raises, definitions of functions and classes
 * (decorators included), and statements that end a path (exits, request-ending calls).
 */
import { attrKey } from '../../../dataflow/heap.js';
import type { Locals } from '../../../dataflow/locals.js';
import { CLEAN, UNKNOWN, constVal, withStep, Env, type Val, type Callable } from '../../../dataflow/value.js';
import { libName } from './attributes.js';
import type { Node } from '../../../parsing/parser.js';
import { callValue } from './calls.js';
import { evalCondition } from './conditions.js';
import { execIf, execWhile, execFor, execTry, execWith } from './control-flow.js';
import { evalExpr, binop } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { PROPERTY_DECORATORS, REQUEST_ENDING_CALLS } from '../models/index.js';
import { execMatch } from './match.js';
import { newFrame } from './modules.js';
import { named, field, typeOf, textOf } from './syntax.js';
import { assign, deleteTarget } from './targets.js';
import { VALIDATOR_NAME, narrowValidated, validatedArguments } from './validators.js';

/** Calls that end the process: the code after them does not run on that path. */
const EXIT_CALLS: ReadonlySet<string> = new Set([
  'sys.exit',
  'builtins.exit',
  'builtins.quit',
  'os._exit',
  'os.abort',
]);

/** Runs the statements of a block; null when every path through it ended (return, raise, break). */
export function execBlock(it: Interpreter, block: Node, frame: Frame, locals: Locals | null): Locals | null {
  let st = locals;
  for (const s of named(block)) {
    if (!s || s.type === 'comment') continue;
    if (!st) return null;
    st = exec(it, s, frame, st);
  }
  return st;
}

/** The frame's current locals are `st` (expressions read and write them there). */
export function setLocals(frame: Frame, st: Locals): void {
  frame.env.vars = st;
}

/** Runs one statement from state `st`; returns the state after it, or null when the path ends. */
export function exec(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  if (--it.budget < 0) return st;
  setLocals(frame, st);
  switch (typeOf(node)) {
    case 'expression_statement': {
      let cur = st;
      for (const e of named(node)) {
        const r = evalStmtExpr(it, e, frame, cur);
        if (!r) return null;
        cur = r;
      }
      return cur;
    }
    case 'return_statement': {
      const e = named(node)[0];
      let v: Val = constVal(null);
      if (e) {
        v = evalExpr(it, e, frame, st);
        it.record(frame.mod, e, v);
        if (v.t) v = withStep(v, it.step(frame.mod, node, `returned from \`${frame.fnName}\``));
      }
      frame.returns.push(v);
      frame.exits.push(frame.env.vars);
      return null;
    }
    // Imports inside functions bind names; resolution goes through the scope's qualified names.
    case 'pass_statement':
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
    case 'global_statement':
    case 'nonlocal_statement':
    case 'type_alias_statement':
      return st;
    case 'if_statement':
      return execIf(it, node, frame, st);
    case 'while_statement':
      return execWhile(it, node, frame, st);
    case 'for_statement':
      return execFor(it, node, frame, st);
    case 'try_statement':
      return execTry(it, node, frame, st);
    case 'with_statement':
      return execWith(it, node, frame);
    case 'match_statement':
      return execMatch(it, node, frame, st);
    case 'break_statement':
      frame.loops[frame.loops.length - 1]?.breaks.push(frame.env.vars);
      return null;
    case 'continue_statement':
      frame.loops[frame.loops.length - 1]?.continues.push(frame.env.vars);
      return null;
    case 'raise_statement': {
      const e = named(node)[0];
      const v = e ? evalExpr(it, e, frame, st) : CLEAN;
      frame.tries[frame.tries.length - 1]?.raises.push({ locals: frame.env.vars, val: v });
      return null;
    }
    case 'assert_statement': {
      const cond = named(node)[0];
      if (!cond) return st;
      const r = evalCondition(it, cond, frame, st);
      if (r.truth === false) return null;
      return r.then;
    }
    case 'delete_statement': {
      for (const t of named(node)) {
        const targets = t.type === 'expression_list' ? named(t) : [t];
        for (const x of targets) {
          if (x.type === 'identifier') {
            const cur = frame.env.vars;
            cur.delete(textOf(x));
          } else if (x.type === 'subscript' || x.type === 'attribute') {
            deleteTarget(it, x, frame);
          }
        }
      }
      return frame.env.vars;
    }
    case 'function_definition':
      bindLocal(it, frame, field(node, 'name')?.text ?? '?', defineFunction(it, node, frame, st));
      return frame.env.vars;
    case 'decorated_definition':
      return execDecorated(it, node, frame, st);
    case 'class_definition':
      bindLocal(it, frame, field(node, 'name')?.text ?? '?', defineClass(it, node, frame, st, []));
      return frame.env.vars;
    case 'block':
      return execBlock(it, node, frame, st);
    default:
      return st;
  }
}

/** An expression in statement position; may end the path (abort(), sys.exit(), validators). */
export function evalStmtExpr(it: Interpreter, e: Node, frame: Frame, st: Locals): Locals | null {
  if (e.type === 'assignment' || e.type === 'augmented_assignment') {
    execAssignment(it, e, frame, st);
    return frame.env.vars;
  }
  if (e.type === 'call') {
    const callee = field(e, 'function');
    const q = callee ? it.mods(frame.mod).module.qualifiedName(callee) : undefined;
    evalExpr(it, e, frame, st);
    if (q && (EXIT_CALLS.has(q) || REQUEST_ENDING_CALLS.has(q))) return null;
    // `_validate_filename(filename)`: the code after it runs only with a value that passed.
    if (callee && VALIDATOR_NAME.test(textOf(callee).split('.').pop() ?? ''))
      narrowValidated(frame, validatedArguments(e, evalExpr(it, callee, frame, frame.env.vars)));
    return frame.env.vars;
  }
  evalExpr(it, e, frame, st);
  return frame.env.vars;
}

/**
 * Binds a name in the frame, or in the module or enclosing function it is declared
 * `global`/`nonlocal` in.
 */
export function bindLocal(it: Interpreter, frame: Frame, name: string, v: Val): void {
  if (frame.globals.has(name)) {
    const m = it.moduleEnvs.get(frame.mod);
    if (m && m !== frame.env) {
      m.vars = new Map(m.vars);
      m.vars.set(name, v);
      return;
    }
  }
  if (frame.nonlocals.has(name)) {
    for (let e = frame.env.parent; e; e = e.parent) {
      if (e.vars.has(name)) {
        e.vars.set(name, v);
        return;
      }
    }
  }
  frame.env.vars.set(name, v);
}

/** A decorated function or class: project decorators are run on it, library ones are taken to return it. */
export function execDecorated(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const def = field(node, 'definition');
  if (!def) return st;
  const decorators = named(node).filter((d) => d.type === 'decorator');
  let v: Val;
  const flags = new Set<string>();
  for (const d of decorators) {
    const expr = named(d)[0];
    const t = expr?.text ?? '';
    if (/^(staticmethod|classmethod|property|[\w.]+\.setter)$/.test(t)) flags.add(t.split('.').pop()!);
    // A library's cached property is read as an attribute too (`ctx.tree` runs the method once).
    else if (expr && PROPERTY_DECORATORS.has(it.mods(frame.mod).module.qualifiedName(expr) ?? ''))
      flags.add('property');
  }
  if (def.type === 'class_definition') v = defineClass(it, def, frame, st, []);
  else v = defineFunction(it, def, frame, st, flags);
  for (let i = decorators.length - 1; i >= 0; i--) {
    const expr = named(decorators[i])[0];
    if (
      !expr ||
      /^(staticmethod|classmethod|property)$/.test(textOf(expr)) ||
      textOf(expr).endsWith('.setter')
    )
      continue;
    const dv = evalExpr(it, expr, frame, st);
    const project = (dv.fns ?? []).filter((f) => f.kind === 'fn' || f.kind === 'partial');
    if (project.length === 0) continue; // library decorators (routes, caches, wraps) return the function
    const r = callValue(it, dv, [v], new Map(), frame, decorators[i], [def]);
    if (r.fns?.length || r.o?.length) v = r;
  }
  const name = field(def, 'name')?.text ?? '?';
  if (flags.has('setter')) return frame.env.vars;
  bindLocal(it, frame, name, v);
  return frame.env.vars;
}

/** The function value of a `def` (defaults are evaluated now, as Python does). */
export function defineFunction(
  it: Interpreter,
  def: Node,
  frame: Frame,
  st: Locals,
  flags?: Set<string>,
): Val {
  // Defaults are evaluated at definition time.
  const params = field(def, 'parameters');
  if (params) {
    for (const p of named(params)) {
      const dv = field(p, 'value');
      if (dv) it.record(frame.mod, dv, evalExpr(it, dv, frame, st));
    }
  }
  const name = field(def, 'name')?.text ?? '<lambda>';
  const fn: Callable & { deco?: string } = {
    kind: 'fn',
    def,
    mod: frame.mod,
    closure: frame.env,
    cls: frame.cls,
    name,
  };
  if (flags?.has('staticmethod')) fn.deco = 'static';
  else if (flags?.has('classmethod')) fn.deco = 'class';
  else if (flags?.has('property')) fn.deco = 'property';
  return { fns: [fn] };
}

/** Runs a class body and makes the class object (its bases, fields, annotated fields). */
export function defineClass(it: Interpreter, node: Node, frame: Frame, st: Locals, _decorators: Node[]): Val {
  const bases: number[] = [];
  const supers = field(node, 'superclasses');
  let libBase = false;
  const libBases: string[] = [];
  if (supers) {
    for (const b of named(supers)) {
      if (b.type === 'keyword_argument') continue;
      const bv = evalExpr(it, b, frame, st);
      const classes = (bv.o ?? []).filter((id) => it.heap.get(id)?.kind === 'class');
      if (classes.length) bases.push(...classes);
      else libBase = true;
      const lib = libName(bv);
      if (lib) libBases.push(lib);
    }
  }
  const name = field(node, 'name')?.text ?? '?';
  const id = it.heap.alloc({
    kind: 'class',
    bases,
    fields: new Map(),
    name,
    ...(libBases.length ? { libBases } : {}),
  });
  it.classOfDef.set(`${frame.mod}:${node.id}`, id);
  if (libBase) it.heap.set(id, { ...it.heap.get(id)!, elem: UNKNOWN });
  const body = field(node, 'body');
  if (body) {
    const env = new Env(new Map(), frame.env, node);
    const cf = newFrame(it, frame.mod, env, node, name, frame.depth, id);
    // Methods close over the enclosing function, not the class body.
    const methodsEnv = frame.env;
    const end = execClassBody(it, body, cf, env.vars, methodsEnv);
    const fields = new Map<string, Val>();
    for (const [k, v] of end ?? env.vars) fields.set(attrKey(k), v);
    const annotated: string[] = [];
    for (const st of named(body)) {
      const a = st.type === 'expression_statement' ? named(st)[0] : undefined;
      const left = a?.type === 'assignment' && field(a, 'type') ? field(a, 'left') : undefined;
      if (left?.type === 'identifier') annotated.push(textOf(left));
    }
    it.heap.set(id, { ...it.heap.get(id)!, fields, ...(annotated.length ? { annotated } : {}) });
  }
  return { o: [id], fns: [{ kind: 'class', obj: id }] };
}

/** A class body: its methods close over the enclosing function, not over the class body. */
export function execClassBody(
  it: Interpreter,
  body: Node,
  cf: Frame,
  st: Locals,
  methodsEnv: Env,
): Locals | null {
  let cur: Locals | null = st;
  for (const s of named(body)) {
    if (!cur) break;
    if (s.type === 'function_definition' || s.type === 'decorated_definition') {
      cur = exec(it, s, cf, cur);
      const def = s.type === 'decorated_definition' ? field(s, 'definition') : s;
      const name = field(def, 'name')?.text;
      const v = name && cur ? cur.get(name) : undefined;
      if (v?.fns && cur && name) {
        cur.set(name, {
          ...v,
          fns: v.fns.map((f) =>
            f.kind === 'fn' && f.closure === cf.env ? { ...f, closure: methodsEnv } : f,
          ),
        });
      }
      if (def?.type === 'function_definition' && name && cur) {
        const prop = s.type === 'decorated_definition' && /@[\w.]*setter/.test(textOf(s));
        if (prop) continue;
      }
    } else {
      cur = exec(it, s, cf, cur);
    }
  }
  return cur;
}

/** `a = b`, `a = b = c`, `a += b`. */
export function execAssignment(it: Interpreter, node: Node, frame: Frame, st: Locals): void {
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left) return;
  if (node.type === 'augmented_assignment') {
    if (!right) return;
    const rv = evalExpr(it, right, frame, st);
    const lv = evalExpr(it, left, frame, frame.env.vars);
    const op = field(node, 'operator')?.text.replace('=', '') ?? '+';
    let v = binop(it, op, lv, rv);
    if (lv.o && op === '+') {
      // list += iterable extends in place
      it.heap.writeElem(lv.o, it.heap.deepData(rv));
      v = lv;
    }
    it.record(frame.mod, right, rv);
    assign(it, left, v, frame, frame.env.vars, node);
    return;
  }
  if (!right) return; // annotation only
  let v: Val;
  if (right.type === 'assignment') {
    // a = b = value
    let inner: Node | null = right;
    const targets: Node[] = [left];
    while (inner?.type === 'assignment') {
      const l = field(inner, 'left');
      if (l) targets.push(l);
      const r = field(inner, 'right');
      if (typeOf(r) !== 'assignment') {
        v = r ? evalExpr(it, r, frame, st) : CLEAN;
        if (r) it.record(frame.mod, r, v);
        for (const t of targets) assign(it, t, v, frame, frame.env.vars, node);
        return;
      }
      inner = r;
    }
    return;
  }
  v = evalExpr(it, right, frame, st);
  it.record(frame.mod, right, v);
  assign(it, left, v, frame, frame.env.vars, node);
}
