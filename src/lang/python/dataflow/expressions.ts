/**
 * Python expressions: the dispatch over expression nodes, operators, comparisons, containers and
 * comprehensions. Attributes and subscripts are in attributes.ts, calls in calls.ts.
 */
import { constKey } from '../../../dataflow/heap.js';
import { MAX_UNROLL, MAX_EVAL_DEPTH, MAX_CONST_DEPTH } from '../../../dataflow/limits.js';
import { cloneLocals, type Locals } from '../../../dataflow/locals.js';
import {
  CLEAN,
  UNKNOWN,
  constVal,
  dataOf,
  join,
  joinAll,
  withStep,
  Env,
  type Val,
  type ConstValue,
  isTainted,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { evalAttribute, evalSubscript } from './attributes.js';
import { evalCall } from './calls.js';
import { evalCondition } from './conditions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { evalLiteral, truthy, compareConst, foldBinary } from './literals.js';
import { evalName } from './modules.js';
import { notASegment } from './sources.js';
import { setLocals } from './statements.js';
import { named, field, typeOf, textOf, fields } from './syntax.js';
import { assign, elements } from './targets.js';
import { UrlPrefix, formattedArgument, leadingText } from './url-authority.js';
import { afterTextWithoutDots } from './path-segments.js';
import { withLead } from '../../../dataflow/url-prefix.js';

/** The value of an expression in state `st`, within the step and nesting budgets. */
export function evalExpr(it: Interpreter, node: Node, frame: Frame, st: Locals): Val {
  if (--it.budget < -1000) return UNKNOWN;
  // Deeply nested expressions (generated code) would exhaust the stack: past a bound, the value is unknown.
  if (it.depth >= MAX_EVAL_DEPTH) return UNKNOWN;
  it.depth++;
  try {
    return evalNode(it, node, frame, st);
  } finally {
    it.depth--;
  }
}

/** `a + b + c + ...` parses as a left-leaning chain: fold it in a loop rather than by recursion. */
export function evalBinaryChain(it: Interpreter, node: Node, frame: Frame, st: Locals): Val {
  const chain: Node[] = [];
  let n: Node | null = node;
  while (n && typeOf(n) === 'binary_operator') {
    chain.push(n);
    n = field(n, 'left');
  }
  let acc = n ? evalExpr(it, n, frame, st) : CLEAN;
  const url = new UrlPrefix();
  url.add(acc);
  for (let i = chain.length - 1; i >= 0; i--) {
    const r = field(chain[i], 'right');
    const op = field(chain[i], 'operator')?.text ?? '+';
    let b = r ? evalExpr(it, r, frame, frame.env.vars) : CLEAN;
    if (op === '+') b = url.add(b, undefined, r ? leadingText(r) : '');
    else if (op === '%') {
      if (b.o) b = it.heap.deepData(b);
      if (typeof acc.c?.v === 'string') b = formattedArgument(acc.c.v, '%', b);
    }
    acc = binop(it, op, acc, b);
  }
  // `"/" + x`: the text begins with the constant it was started with, and with what the first
  // data piece is known to begin with (`"/" + x.lstrip("/\\")`: a slash and then no other).
  if (chain.every((c) => field(c, 'operator')?.text === '+')) return withLead(acc, url.lead);
  return acc;
}

/** The dispatch over expression node types. */
export function evalNode(it: Interpreter, node: Node, frame: Frame, st: Locals): Val {
  setLocals(frame, st);
  switch (typeOf(node)) {
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'concatenated_string': {
      const lit = evalLiteral(it, node);
      if (lit) return { c: lit };
      let v: Val = constVal('');
      for (const c of named(node)) v = binop(it, '+', v, evalExpr(it, c, frame, frame.env.vars));
      return v;
    }
    case 'string': {
      const lit = evalLiteral(it, node);
      if (lit) return { c: lit };
      let out: Val = CLEAN;
      let text = '';
      let allConst = true;
      const url = new UrlPrefix();
      for (const c of named(node)) {
        if (c.type === 'string_content') {
          text += textOf(c);
          url.add(CLEAN, textOf(c));
        } else if (c.type === 'interpolation') {
          const e = field(c, 'expression') ?? named(c)[0];
          if (!e) continue;
          const v = evalExpr(it, e, frame, frame.env.vars);
          const constText = v.c && !Array.isArray(v.c.v) ? String(v.c.v) : undefined;
          // Text without dots after constant text (`f"{uuid4()}.{ext}"`) keeps a path where it is.
          const piece = afterTextWithoutDots(it.heap.deepData(v), text);
          if (constText !== undefined) text += constText;
          else allConst = false;
          // A name holding constant text (`url = "https://api.example/v1/"`, then `f"{url}{q}"`) is
          // that text in the URL being built, as a literal piece is.
          out = join(out, url.add(piece, constText));
        }
      }
      return allConst && !out.t && !out.unk ? constVal(text) : notASegment(dataOf(out));
    }
    case 'identifier':
      return evalName(it, node, frame);
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      return inner ? evalExpr(it, inner, frame, st) : CLEAN;
    }
    case 'attribute':
      return evalAttribute(it, node, frame);
    case 'subscript':
      return evalSubscript(it, node, frame);
    case 'call':
      return evalCall(it, node, frame);
    case 'binary_operator':
      return evalBinaryChain(it, node, frame, st);
    case 'unary_operator': {
      const a = field(node, 'argument');
      const op = field(node, 'operator')?.text;
      const v = a ? evalExpr(it, a, frame, st) : CLEAN;
      if (v.c && typeof v.c.v === 'number')
        return constVal(op === '-' ? -v.c.v : op === '~' ? ~v.c.v : v.c.v);
      return dataOf(v);
    }
    case 'not_operator': {
      const r = evalCondition(it, node, frame, st);
      return r.truth === undefined ? CLEAN : constVal(r.truth);
    }
    case 'boolean_operator': {
      const l = field(node, 'left');
      const r = field(node, 'right');
      const op = field(node, 'operator')?.text;
      const a = l ? evalExpr(it, l, frame, st) : CLEAN;
      if (a.c) {
        const t = truthy(a.c.v);
        if ((op === 'and' && !t) || (op === 'or' && t)) return a;
        return r ? evalExpr(it, r, frame, frame.env.vars) : CLEAN;
      }
      const b = r ? evalExpr(it, r, frame, frame.env.vars) : CLEAN;
      // `a and b` yields `a` only when it is falsy ("", 0, None, an empty container): no text from it.
      if (op === 'and') return a.unk ? join(b, UNKNOWN) : b;
      return join(a, b);
    }
    case 'comparison_operator':
      return evalComparison(it, node, frame);
    case 'conditional_expression': {
      const [a, c, b] = named(node);
      if (!a || !c || !b) return UNKNOWN;
      const r = evalCondition(it, c, frame, st);
      if (r.truth === true) return evalExpr(it, a, frame, r.then);
      if (r.truth === false) return evalExpr(it, b, frame, r.else);
      const va = evalExpr(it, a, frame, r.then);
      const vb = evalExpr(it, b, frame, r.else);
      setLocals(frame, st);
      return join(va, vb);
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list': {
      const items: Val[] = [];
      let spread: Val | undefined;
      for (const c of named(node)) {
        if (c.type === 'list_splat') {
          const inner = named(c)[0];
          const el = inner ? elements(it, evalExpr(it, inner, frame, frame.env.vars)) : { any: CLEAN };
          if (el.exact && !spread) items.push(...el.exact);
          else spread = spread ? join(spread, el.any) : el.any;
        } else {
          const v = evalExpr(it, c, frame, frame.env.vars);
          it.record(frame.mod, c, v);
          items.push(v);
        }
      }
      const v = it.heap.newList(items);
      if (spread) it.heap.writeElem(v.o, spread);
      return v;
    }
    case 'dictionary': {
      const fields = new Map<string, Val>();
      let elem: Val | undefined;
      let keyData: Val | undefined;
      for (const p of named(node)) {
        if (p.type === 'pair') {
          const k = field(p, 'key');
          const val = field(p, 'value');
          const kv = k ? evalExpr(it, k, frame, frame.env.vars) : CLEAN;
          const vv = val ? evalExpr(it, val, frame, frame.env.vars) : CLEAN;
          if (kv.c && !Array.isArray(kv.c.v)) fields.set(constKey(kv.c.v), vv);
          else {
            elem = elem ? join(elem, vv) : vv;
            if (kv.t || kv.unk) keyData = keyData ? join(keyData, dataOf(kv)) : dataOf(kv);
          }
        } else if (p.type === 'dictionary_splat') {
          const inner = named(p)[0];
          if (inner) {
            const sv = evalExpr(it, inner, frame, frame.env.vars);
            for (const id of sv.o ?? []) {
              const o = it.heap.get(id);
              if (!o) continue;
              for (const [k, f] of o.fields) fields.set(k, f);
              if (o.elem) elem = elem ? join(elem, o.elem) : o.elem;
            }
            if (!sv.o) elem = elem ? join(elem, dataOf(sv)) : dataOf(sv);
          }
        }
      }
      return { o: [it.heap.alloc({ kind: 'dict', fields, elem, ...(keyData ? { keys: keyData } : {}) })] };
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'generator_expression':
    case 'dictionary_comprehension':
      return evalComprehension(it, node, frame);
    case 'lambda':
      return {
        fns: [
          { kind: 'fn', def: node, mod: frame.mod, closure: frame.env, name: '<lambda>', cls: frame.cls },
        ],
      };
    case 'named_expression': {
      const name = field(node, 'name');
      const value = field(node, 'value');
      const v = value ? evalExpr(it, value, frame, st) : CLEAN;
      if (name) {
        // PEP 572: the name binds in the enclosing function, even from a comprehension.
        let env = frame.env;
        while (env.parent && /comprehension|generator_expression/.test(typeOf(env.node))) env = env.parent;
        const sv = v.t ? withStep(v, it.step(frame.mod, node, `assigned to \`${textOf(name)}\``)) : v;
        env.vars.set(textOf(name), sv);
      }
      return v;
    }
    case 'await': {
      const inner = named(node)[0];
      const v = inner ? evalExpr(it, inner, frame, st) : CLEAN;
      return v.gen && !v.t ? v.gen : v;
    }
    case 'yield': {
      const inner = named(node)[0];
      if (inner) {
        let v = evalExpr(it, inner, frame, st);
        if (textOf(node).startsWith('yield from')) v = elements(it, v).any;
        frame.yields.push(v);
      }
      return UNKNOWN; // what send() passes in
    }
    case 'keyword_argument': {
      const v = field(node, 'value');
      return v ? evalExpr(it, v, frame, st) : CLEAN;
    }
    case 'slice':
    case 'ellipsis':
      return CLEAN;
    case 'list_splat':
    case 'dictionary_splat': {
      const inner = named(node)[0];
      return inner ? evalExpr(it, inner, frame, st) : CLEAN;
    }
    case 'type':
      return CLEAN;
    default:
      return UNKNOWN;
  }
}

/** The constant a value holds, lists included when every element is a known constant. */
export function constOf(it: Interpreter, v: Val, depth = 0): Val {
  if (v.c || !v.o || v.o.length !== 1 || v.t || v.unk) return v;
  // Bounded: a list may hold itself (`a[0] = a`) or be nested thousands deep.
  if (depth > MAX_CONST_DEPTH) return v;
  const o = it.heap.get(v.o[0]);
  if (!o || o.kind !== 'list' || o.len === undefined || o.elem) return v;
  const out: ConstValue[] = [];
  for (let i = 0; i < o.len; i++) {
    const f = o.fields.get(constKey(i));
    const c = f ? constOf(it, f, depth + 1).c : undefined;
    if (!c) return v;
    out.push(c.v);
  }
  return { ...v, c: { v: out } };
}

/** A comparison chain: a constant when every operand is, else a clean boolean (or unknown). */
export function evalComparison(it: Interpreter, node: Node, frame: Frame): Val {
  const operands = named(node);
  const ops = fields(node, 'operators').map((o) => textOf(o).replace(/\s+/g, ' '));
  const vals = operands.map((o) => constOf(it, evalExpr(it, o, frame, frame.env.vars)));
  // What an equality compares, where the request reaches it: a timing check asks (`a == b`).
  if (ops.length === 1 && (ops[0] === '==' || ops[0] === '!=') && vals.some(isTainted))
    operands.forEach((o, i) => it.record(frame.mod, o, vals[i]));
  let result: boolean | undefined = true;
  for (let i = 0; i < ops.length && i + 1 < vals.length; i++) {
    const r = compareConst(ops[i], vals[i], vals[i + 1]);
    if (r === false) return constVal(false);
    if (r === undefined) result = undefined;
  }
  // A comparison yields a boolean: it carries no attacker-chosen text.
  if (result === undefined) return vals.some((v) => v.unk) ? UNKNOWN : CLEAN;
  return constVal(result);
}

/**
 * A binary operator: folded on constants; `+` on sequences concatenates; otherwise the data of
 * both sides.
 */
export function binop(it: Interpreter, op: string, a: Val, b: Val): Val {
  if (a.c && b.c) {
    const r = foldBinary(op, a.c.v, b.c.v);
    if (r !== undefined) return constVal(r);
  }
  if (op === '+' && (a.o || b.o)) {
    // list concatenation keeps elements
    const ea = elements(it, a);
    const eb = elements(it, b);
    if (ea.exact && eb.exact) return it.heap.newList([...ea.exact, ...eb.exact]);
    const v = it.heap.newList([]);
    it.heap.writeElem(v.o, join(ea.any, eb.any));
    return v;
  }
  if (op === '*' && a.o) return a;
  if (a.o && ['-', '|', '&', '^'].includes(op)) {
    // Set operations: the result holds elements of the operands.
    const v = it.heap.newList([]);
    it.heap.writeElem(v.o, op === '-' ? elements(it, a).any : join(elements(it, a).any, elements(it, b).any));
    return v;
  }
  const out = join(dataOf(a), dataOf(b));
  // Arithmetic keeps the data: a number derived from input is still chosen by the attacker.
  return notASegment(out);
}

/** A comprehension or generator expression, unrolled over known iterables. */
export function evalComprehension(it: Interpreter, node: Node, frame: Frame): Val {
  const env = new Env(new Map(), frame.env, node);
  const cf: Frame = { ...frame, env, loops: [], tries: [] };
  const clauses = named(node).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
  const body = field(node, 'body') ?? named(node)[0];
  const results: Val[] = [];
  let exact = true;
  const walk = (i: number, st: Locals): void => {
    if (--it.budget < 0) return;
    if (i === clauses.length) {
      if (!body) return;
      if (body.type === 'pair') {
        const k = field(body, 'key');
        const v = field(body, 'value');
        const kv = k ? evalExpr(it, k, cf, st) : CLEAN;
        const vv = v ? evalExpr(it, v, cf, cf.env.vars) : CLEAN;
        results.push(join(vv, dataOf(kv)));
      } else results.push(evalExpr(it, body, cf, st));
      return;
    }
    const c = clauses[i];
    if (c.type === 'if_clause') {
      const e = named(c)[0];
      if (!e) return walk(i + 1, st);
      const r = evalCondition(it, e, cf, st);
      if (r.truth === false) return;
      if (r.truth === undefined) exact = false;
      return walk(i + 1, r.then);
    }
    const left = field(c, 'left');
    const right = field(c, 'right');
    if (!left || !right) return;
    // The first iterable is evaluated in the enclosing scope.
    const iterable = evalExpr(it, right, i === 0 ? frame : cf, i === 0 ? frame.env.vars : st);
    setLocals(cf, st);
    const items = elements(it, iterable);
    if (items.exact && items.exact.length <= MAX_UNROLL) {
      for (const item of items.exact) {
        const s = cloneLocals(st);
        assign(it, left, item, cf, s, c);
        walk(i + 1, cf.env.vars);
      }
    } else {
      exact = false;
      const s = cloneLocals(st);
      assign(it, left, items.any, cf, s, c);
      walk(i + 1, cf.env.vars);
    }
  };
  walk(0, env.vars);
  setLocals(frame, frame.env.vars);
  if (node.type === 'generator_expression') return { gen: joinAll(results) };
  if (node.type === 'dictionary_comprehension')
    return { o: [it.heap.alloc({ kind: 'dict', fields: new Map(), elem: joinAll(results) })] };
  if (exact && node.type === 'list_comprehension') return it.heap.newList(results);
  const v = it.heap.newList([]);
  if (results.length) it.heap.writeElem(v.o, joinAll(results));
  return v;
}
