/**
 * Statements and expressions of JavaScript and TypeScript over abstract values: declarations and
 * destructuring, assignments to names and to the heap, branches (joined, narrowed by guards),
 * loops (run twice, enough for data to reach a fixpoint of may-taint), functions as closures,
 * classes and `this`, `await` (the value itself), calls into the project and library summaries.
 */
import type { Node } from '../../../parsing/parser.js';
import { attrKey, constKey } from '../../../dataflow/heap.js';
import {
  CLEAN,
  constVal,
  dataOf,
  Env,
  join,
  joinAll,
  sanitize,
  UNKNOWN,
  withStep,
  type Callable,
  type Fact,
  type Val,
} from '../../../dataflow/value.js';
import { UrlPrefix } from '../../../dataflow/url-prefix.js';
import { BROWSER_WHOLE_URLS, browserSource, PROCESS_SOURCES } from '../models/frameworks.js';
import {
  CLEAN_CALLS,
  CLEAN_MEMBERS,
  CLEAN_METHODS,
  ELEMENT_CALLBACK_METHODS,
  PROMISE_METHODS,
  SANITIZING_CALLS,
  SANITIZING_METHODS,
  SQL_TAG,
  REGEX_ESCAPED_CWES,
  TEXT_METHODS,
  TEXT_SAFE_CWES,
} from '../models/library.js';
import { FUNCTION_TYPES, propertyName, unwrap } from '../semantic/scope.js';
import { guardsOf } from './guards.js';
import type { Frame, JsInterpreter } from './interpreter.js';

type It = JsInterpreter;

/** A source fact read at `node` of a file. */
export function sourceAt(file: string, node: Node, label: string, trust: Fact['src']['trust']): Val {
  return { t: [{ src: { file, node, label, trust }, steps: [] }] };
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
    case 'throw_statement':
      for (const e of s.namedChildren) evaluate(it, f, e);
      return false;
    case 'statement_block':
      return execStatements(it, f, s.namedChildren);
    case 'if_statement':
      return execIf(it, f, s);
    case 'for_statement':
    case 'while_statement':
    case 'do_statement':
    case 'for_in_statement':
      return execLoop(it, f, s);
    case 'try_statement': {
      const before = new Map(f.env.vars);
      const body = s.childForFieldName('body');
      const alive = body ? exec(it, f, body) : true;
      const handler = s.childForFieldName('handler');
      let handled = false;
      if (handler) {
        const after = f.env.vars;
        f.env.vars = joinVars(before, after);
        const param = handler.childForFieldName('parameter');
        if (param) bindPattern(it, f, param, UNKNOWN);
        const hb = handler.childForFieldName('body');
        handled = hb ? exec(it, f, hb) : true;
        f.env.vars = joinVars(after, f.env.vars);
      }
      const fin = s.childForFieldName('finalizer');
      if (fin) for (const c of fin.namedChildren) exec(it, f, c);
      return alive || handled;
    }
    case 'switch_statement': {
      const value = s.childForFieldName('value');
      if (value) evaluate(it, f, value);
      const start = new Map(f.env.vars);
      let out = start;
      for (const c of s.childForFieldName('body')?.namedChildren ?? []) {
        f.env.vars = new Map(start);
        execStatements(
          it,
          f,
          c.namedChildren.filter((n) => n !== c.childForFieldName('value')),
        );
        out = joinVars(out, f.env.vars);
      }
      f.env.vars = out;
      return true;
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
    case 'labeled_statement':
      return exec(it, f, s.namedChildren[s.namedChildren.length - 1]);
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
  if (cond) evaluate(it, f, cond);
  const guards = cond ? guardsOf(cond) : [];
  const start = f.env.vars;
  const branch = (node: Node | null, when: boolean): Map<string, Val> | null => {
    f.env.vars = new Map(start);
    for (const g of guards) {
      if (g.whenTrue !== when) continue;
      const v = lookup(f.env, g.name);
      if (v) f.env.vars.set(g.name, sanitize(v.val, g.cwes));
    }
    f.weak++;
    const body = node?.type === 'else_clause' ? node.namedChildren[0] : node;
    const alive = body ? exec(it, f, body) : true;
    f.weak--;
    return alive ? f.env.vars : null;
  };
  const a = branch(s.childForFieldName('consequence'), true);
  const b = branch(s.childForFieldName('alternative'), false);
  if (!a && !b) {
    f.env.vars = start;
    return false;
  }
  f.env.vars = a && b ? joinVars(a, b) : (a ?? b)!;
  return true;
}

function execLoop(it: It, f: Frame, s: Node): boolean {
  if (s.type === 'for_in_statement') {
    const right = s.childForFieldName('right');
    const left = s.childForFieldName('left');
    const coll = right ? evaluate(it, f, right) : UNKNOWN;
    const elem = elementsOf(it, coll);
    if (left)
      bindPattern(it, f, left, s.text.includes(' in ') && !s.text.includes(' of ') ? dataOf(coll) : elem);
  }
  for (const field of ['initializer', 'condition']) {
    const n = s.childForFieldName(field);
    if (!n) continue;
    if (n.type.endsWith('statement') || n.type.endsWith('declaration')) exec(it, f, n);
    else evaluate(it, f, n);
  }
  const body = s.childForFieldName('body');
  const start = f.env.vars;
  for (let i = 0; i < 2 && body; i++) {
    f.env.vars = new Map(f.env.vars);
    f.weak++;
    exec(it, f, body);
    f.weak--;
    const inc = s.childForFieldName('increment');
    if (inc) evaluate(it, f, inc);
    f.env.vars = joinVars(start, f.env.vars);
  }
  return true;
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

function classValue(it: It, f: Frame, s: Node): Val {
  const fields = new Map<string, Val>();
  const bases: number[] = [];
  for (const c of s.namedChildren) {
    if (c.type !== 'class_heritage') continue;
    const base = c.namedChildren.find((n) => n.type !== 'implements_clause');
    const b = base ? evaluate(it, f, base.type === 'extends_clause' ? base.namedChildren[0] : base) : CLEAN;
    bases.push(...(b.o ?? []));
  }
  for (const m of s.childForFieldName('body')?.namedChildren ?? [])
    if (m.type === 'method_definition') {
      const name = propertyName(m.childForFieldName('name'));
      if (name !== undefined) fields.set(attrKey(name), closure(f, m));
    }
  return { o: [it.heap.alloc({ kind: 'class', fields, bases, name: s.childForFieldName('name')?.text })] };
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
      // A parameter declared a number or boolean is not text (TypeScript checked its callers).
      if (/^(number|boolean|bigint)$/.test(type.trim())) bound = sanitize(bound, undefined);
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
        bindPattern(it, f, c, c.type === 'rest_pattern' ? v : readIndex(it, v, i));
        i++;
      }
      return;
    }
    default:
      return;
  }
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
      if (m === 'field') out.push(text(source(it, f, at, `${request.name}.${key}`, 'user')));
      else if (m === 'path') {
        const v = text(source(it, f, at, `${request.name}.${key}`, 'user'));
        out.push(request.routed ? sanitize(v, [601]) : v);
      } else if (m === 'method') {
        const kind = request.text?.includes(key) ? 'request-text' : 'request-input';
        out.push({ fns: [{ kind: 'lib', name: `${kind}:${request.name}.${key}` }] });
      } else if (m) {
        const nested = it.heap.alloc({ kind: 'instance', name: m.name, fields: new Map() });
        it.requests.set(nested, request.routed ? { ...m, routed: true } : m);
        out.push({ o: [nested] });
      }
      continue;
    }
    const o = it.heap.get(id);
    if (!o) continue;
    const own = o.fields.get(attrKey(key)) ?? o.fields.get(constKey(key));
    if (own) out.push(own);
    else if (o.cls !== undefined) {
      const m = it.heap.classLookup(o.cls, attrKey(key));
      if (m)
        out.push({ ...m, fns: m.fns?.map((fn) => (fn.kind === 'fn' ? { ...fn, self: { o: [id] } } : fn)) });
    } else if (o.kind === 'list' && CLEAN_MEMBERS.has(key)) out.push(CLEAN);
    else if (o.elem || o.keys) out.push(join(o.elem ?? CLEAN, o.keys ?? CLEAN));
  }
  for (const fn of obj.fns ?? [])
    if (fn.kind === 'lib') {
      const name = `${fn.name}.${key}`;
      const trust = PROCESS_SOURCES[name];
      const page = browserSource(name);
      if (trust && it.traces(trust)) out.push(source(it, f, at, name, trust));
      else if (page !== undefined) {
        const v = source(it, f, at, page, 'user');
        out.push(BROWSER_WHOLE_URLS.has(page) ? sanitize(v, [601]) : v);
      } else out.push({ fns: [{ kind: 'lib', name }] });
    }
  if (obj.t || obj.unk) out.push(CLEAN_MEMBERS.has(key) ? CLEAN : dataOf(obj));
  return out.length ? joinAll(out) : obj.o?.length ? CLEAN : UNKNOWN;
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
      for (const c of n.children) {
        if (c.type === 'string_fragment') url.add(CLEAN, c.text);
        else if (c.type === 'template_substitution' && c.namedChildren[0])
          parts.push(url.add(evaluate(it, f, c.namedChildren[0])));
      }
      return sanitize(dataOf(joinAll(parts)), TEXT_SAFE_CWES);
    }
    case 'identifier':
      return identifier(it, f, n);
    case 'this':
      return lookup(f.env, 'this')?.val ?? UNKNOWN;
    case 'parenthesized_expression':
    case 'as_expression':
    case 'non_null_expression':
    case 'satisfies_expression':
    case 'type_assertion':
    case 'sequence_expression': {
      let v: Val = CLEAN;
      for (const c of n.namedChildren) if (!c.type.endsWith('type')) v = evaluate(it, f, c);
      return v;
    }
    case 'await_expression':
    case 'spread_element': {
      const v = n.namedChildren[0] ? evaluate(it, f, n.namedChildren[0]) : UNKNOWN;
      return v.gen ?? v;
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text ?? '';
      if (op === '+') return concatenation(it, f, n);
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const a = l ? evaluate(it, f, l) : CLEAN;
      const b = r ? evaluate(it, f, r) : CLEAN;
      // `x || 'default'` is either side; a comparison or arithmetic is a boolean or a number.
      return ['&&', '||', '??'].includes(op) ? join(a, b) : CLEAN;
    }
    case 'unary_expression':
    case 'update_expression':
      for (const c of n.namedChildren) evaluate(it, f, c);
      return CLEAN;
    case 'ternary_expression': {
      const c = n.childForFieldName('condition');
      if (c) evaluate(it, f, c);
      const a = n.childForFieldName('consequence');
      const b = n.childForFieldName('alternative');
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
      const { obj, key } = memberOf(it, f, n);
      if (key !== undefined) return readMember(it, f, obj, key, n);
      return join(readIndex(it, obj, -1), dataOf(obj));
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
  return sanitize(dataOf(joinAll(values.map((v) => url.add(v)))), TEXT_SAFE_CWES);
}

/** The object of `a.b` or `a[k]`, and the member's name when it is known. */
function memberOf(it: It, f: Frame, n: Node): { obj: Val; key: string | undefined } {
  const object = n.childForFieldName('object');
  const obj = object ? evaluate(it, f, object) : UNKNOWN;
  const index = n.childForFieldName('index');
  if (n.type === 'member_expression') return { obj, key: propertyName(n.childForFieldName('property')) };
  return { obj, key: index ? constKeyOf(evaluate(it, f, index)) : undefined };
}

function constKeyOf(v: Val): string | undefined {
  return v.c && (typeof v.c.v === 'string' || typeof v.c.v === 'number') ? String(v.c.v) : undefined;
}

function identifier(it: It, f: Frame, n: Node): Val {
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
      if (!v.o) keys = join(keys ?? CLEAN, dataOf(v));
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
    if (key !== undefined) it.heap.writeField(obj.o, attrKey(key), v, f);
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
  const fnU = fnNode ? unwrap(fnNode) : undefined;
  let receiver: Val | undefined;
  let method: string | undefined;
  let callee: Val;
  if (fnU?.type === 'member_expression') {
    const object = fnU.childForFieldName('object');
    receiver = object ? evaluate(it, f, object) : UNKNOWN;
    method = propertyName(fnU.childForFieldName('property'));
    callee = method !== undefined ? readMember(it, f, receiver, method, fnU) : UNKNOWN;
    it.record(f.mod, fnU, callee);
  } else callee = fnNode ? evaluate(it, f, fnNode) : UNKNOWN;
  const out: Val[] = [];
  let handled = false;
  for (const fn of callee.fns ?? []) {
    if (fn.kind === 'fn') {
      handled = true;
      out.push(it.callFunction(fn, args, undefined, f.depth));
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
    const ctor = it.heap.classLookup(id, attrKey('constructor'));
    for (const fn of ctor?.fns ?? []) it.callFunction(fn, args, self, f.depth);
    out.push(self);
  }
  if (!handled) out.push(methodCall(it, f, method, receiver, args));
  return joinAll(out);
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
): Val {
  const self = receiver ?? UNKNOWN;
  const data = dataOf(
    join(receiver?.o ? it.heap.deepData(self) : self, joinAll(args.map((a) => (a.fns ? CLEAN : dataOf(a))))),
  );
  if (method !== undefined && PROMISE_METHODS.has(method))
    return joinAll(callBack(it, f, args, [self.gen ?? dataOf(self)]));
  if (method !== undefined && ELEMENT_CALLBACK_METHODS.has(method)) {
    const returned = callBack(it, f, args, [elementsOf(it, self), CLEAN]);
    if (method === 'map' || method === 'flatMap' || method === 'reduce') return dataOf(joinAll(returned));
  }
  if (method !== undefined && CLEAN_METHODS.has(method)) return CLEAN;
  if (method !== undefined && SANITIZING_METHODS[method])
    return sanitize(dataOf(joinAll(args)), SANITIZING_METHODS[method]);
  callBack(it, f, args, [UNKNOWN]);
  // `s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')`: every match prefixed with a backslash (the usual
  // regular-expression escaping); the text is then literal in a pattern.
  if (regexEscape(method, args)) return sanitize(sanitize(data, TEXT_SAFE_CWES), REGEX_ESCAPED_CWES);
  return method !== undefined && TEXT_METHODS.has(method) ? sanitize(data, TEXT_SAFE_CWES) : data;
}

/** `s.replace(pattern, '\\$&')`: every match prefixed with a backslash. */
function regexEscape(method: string | undefined, args: readonly Val[]): boolean {
  // String literals keep their escapes as written here: `'\\$&'` in the source.
  return (
    (method === 'replace' || method === 'replaceAll') && ['\\$&', '\\\\$&'].includes(String(args[1]?.c?.v))
  );
}

/** Data no longer safe for `TEXT_SAFE_CWES`: text parsed into values (`JSON.parse`). */
function objectAgain(v: Val): Val {
  if (!v.t) return v;
  const t = v.t.map((fact) => {
    const san = fact.san?.filter((c) => !TEXT_SAFE_CWES.includes(c));
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
    return source(it, f, n, `${name.slice('request-input:'.length)}()`, 'user');
  if (name.startsWith('request-text:'))
    return sanitize(source(it, f, n, `${name.slice('request-text:'.length)}()`, 'user'), TEXT_SAFE_CWES);
  // A method of a library object hands on what the object holds (`new URL(x).searchParams.get('u')`).
  const given = receiver ? [...args, receiver] : args;
  const data = dataOf(joinAll(given.map((a) => (a.o ? it.heap.deepData(a) : dataOf(a)))));
  if (CLEAN_CALLS.has(name)) return CLEAN;
  if (SANITIZING_CALLS[name]) return sanitize(data, SANITIZING_CALLS[name]);
  // A driver's own escaping (`connection.escape(x)`).
  const method = name.slice(name.lastIndexOf('.') + 1);
  if (receiver && SANITIZING_METHODS[method]) return sanitize(data, SANITIZING_METHODS[method]);
  if (receiver && regexEscape(method, args))
    return sanitize(sanitize(data, TEXT_SAFE_CWES), REGEX_ESCAPED_CWES);
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
    return withStep(objectAgain(data), { file: it.path(f.mod), node: n, note: `through \`${name}\`` });
  if (name === 'JSON.stringify' || name === 'String' || name.startsWith('path.'))
    return withStep(data, { file: it.path(f.mod), node: n, note: `through \`${name}\`` });
  // A promise a library made holds the data it was made from: `.then` callbacks receive it.
  if (receiver && PROMISE_METHODS.has(method)) return joinAll(callBack(it, f, args, [dataOf(receiver)]));
  // A routing call's handlers receive the framework's request object, wherever they were written
  // (a controller imported from another module); those written in place run as entry points too.
  const route = it.routeCall(f.mod, n, name);
  if (route) {
    const handlers = args.filter((a) => a.fns?.some((fn) => fn.kind === 'fn' && !it.isHandler(fn)));
    callBack(it, f, handlers, [
      ...Array<Val>(route.requestParam).fill(UNKNOWN),
      it.requestObject(route.request),
      UNKNOWN,
    ]);
    return join(data, { unk: true, fns: [{ kind: 'lib', name: `${name}()` }] });
  }
  // Callbacks a library calls (a server's handler, a stream's listener) still run, on unknown data.
  callBack(it, f, args, [UNKNOWN, UNKNOWN]);
  return join(data, { unk: true, fns: [{ kind: 'lib', name: `${name}()` }] });
}

/** A URL reference without a scheme or an authority (`/login`, `page?x=1`): it cannot change the origin. */
function isRelativeReference(text: string | undefined): boolean {
  return text !== undefined && !/^([a-z][a-z0-9+.-]*:|[\\/]{2})/i.test(text);
}

export { FUNCTION_TYPES };
