/**
 * Python modules as the interpreter loads them: a module's body runs once, when something first
 * needs it; a name resolves through the local frames, the module's globals, then its imports to a
 * project module, function or class, or else to a library value.
 */
import { ROOT_BUDGET } from '../../../dataflow/limits.js';
import { CLEAN, UNKNOWN, Env, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { getAttr } from './attributes.js';
import type { Interpreter, Frame } from './interpreter.js';
import { libValue } from './sources.js';
import { execBlock } from './statements.js';
import { field, textOf } from './syntax.js';

/** The environment of a module, running its body the first time (within the project's budget). */
export function moduleEnv(it: Interpreter, mod: number): Env {
  const existing = it.moduleEnvs.get(mod);
  if (existing) return existing;
  const unit = it.mods(mod);
  const env = new Env(new Map(), undefined, unit.file.tree.rootNode);
  it.moduleEnvs.set(mod, env);
  it.executing.add(mod);
  const obj = it.heap.alloc({ kind: 'module', fields: new Map(), mod, name: unit.module.moduleName });
  it.moduleObjs.set(mod, obj);
  const frame = newFrame(it, mod, env, unit.file.tree.rootNode, '<module>', 0);
  const saved = it.budget;
  const budget = Math.max(500, Math.min(ROOT_BUDGET, it.projectLeft));
  it.budget = budget;
  const end = execBlock(it, unit.file.tree.rootNode, frame, env.vars);
  if (it.budget < 0) it.exhausted.add(mod);
  it.projectLeft -= budget - Math.max(0, it.budget);
  it.budget = saved;
  if (end) env.vars = end;
  it.executing.delete(mod);
  return env;
}

/** The module object of a module (its body run). */
export function moduleValue(it: Interpreter, mod: number): Val {
  moduleEnv(it, mod);
  return { o: [it.moduleObjs.get(mod)!] };
}

/** A frame for a function, class or module body, with the names it declares global or nonlocal. */
export function newFrame(
  it: Interpreter,
  mod: number,
  env: Env,
  scopeNode: Node,
  fnName: string,
  depth: number,
  cls?: number,
): Frame {
  const module = it.mods(mod).module;
  const inner = scopeNode.parent ? (field(scopeNode, 'body') ?? scopeNode.namedChildren[0]) : null;
  const scope = inner ? module.scopeOf(inner) : module.root;
  const own = scope.node.id === scopeNode.id ? scope : undefined;
  return {
    mod,
    env,
    scopeNode,
    globals: new Set(own?.globals ?? []),
    nonlocals: new Set(own?.nonlocals ?? []),
    returns: [],
    yields: [],
    exits: [],
    loops: [],
    tries: [],
    cls,
    fnName,
    depth,
    weak: 0,
  };
}

/** The value of a name: local frames, the module's globals, then what the scope says it is bound to. */
export function evalName(it: Interpreter, node: Node, frame: Frame): Val {
  const name = textOf(node);
  if (frame.globals.has(name)) {
    const m = moduleEnv(it, frame.mod).vars.get(name);
    if (m) return m;
  } else {
    for (let e: Env | undefined = frame.env; e; e = e.parent) {
      const v = e.vars.get(name);
      if (v) return v;
    }
    const m = it.moduleEnvs.get(frame.mod)?.vars.get(name);
    if (m) return m;
  }
  const module = it.mods(frame.mod).module;
  const scope = module.scopeOf(node);
  const found = scope.lookup(name);
  if (!found || found.bindings.every((b) => b.kind === 'import' || b.kind === 'def')) {
    // The project's own object where a module imports it (not the library name an excerpt gives).
    const q = module.ownName(node);
    if (q) return resolveQualname(it, q, frame.mod, node);
    return UNKNOWN;
  }
  if (found.scope.kind === 'module') return it.executing.has(frame.mod) ? CLEAN : UNKNOWN;
  if (found.bindings.some((b) => b.kind === 'param')) return UNKNOWN;
  // A free variable of an enclosing function analysed without its closure.
  if (found.scope.node.id !== frame.scopeNode.id) return UNKNOWN;
  // A local bound only in a branch that did not run.
  return CLEAN;
}

/** A qualified name: a project module, function or class when the project defines it, else a library value. */
export function resolveQualname(it: Interpreter, q: string, from: number, node: Node): Val {
  const r = it.resolveModule(q, from);
  if (r) {
    if (it.executing.has(r.mod) && r.rest.length > 0) {
      const v = it.moduleEnvs.get(r.mod)?.vars.get(r.rest[0]);
      if (!v) return UNKNOWN;
    }
    let v = moduleValue(it, r.mod);
    for (const part of r.rest) v = getAttr(it, v, part, from, node);
    return v;
  }
  return libValue(it, q, from, node);
}
