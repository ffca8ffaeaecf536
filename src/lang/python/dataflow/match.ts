/**
 * Python's `match` statement: which cases may run, and what their patterns bind.
 */
import { attrKey } from '../../../dataflow/heap.js';
import { cloneLocals, joinLocals, type Locals } from '../../../dataflow/locals.js';
import { CLEAN, UNKNOWN, constEq, type Val, type ConstValue } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { getAttr, index } from './attributes.js';
import { evalCondition } from './conditions.js';
import { evalExpr, constOf } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { evalLiteral } from './literals.js';
import { execBlock, setLocals } from './statements.js';
import { named, field, typeOf, textOf } from './syntax.js';
import { assign, elements } from './targets.js';

/** `match`: cases whose pattern surely matches end the search; the others may run. */
export function execMatch(it: Interpreter, node: Node, frame: Frame, st: Locals): Locals | null {
  const subject = field(node, 'subject');
  const body = field(node, 'body');
  if (!subject || !body) return st;
  const sv = evalExpr(it, subject, frame, st);
  const outs: (Locals | null)[] = [];
  const rest: Locals | null = frame.env.vars;
  let definite = false;
  for (const c of named(body)) {
    if (typeOf(c) !== 'case_clause' || !rest) continue;
    const pattern = named(c).find((x) => x.type === 'case_pattern');
    const guard = field(c, 'guard');
    const consequence = field(c, 'consequence');
    let entry = cloneLocals(rest);
    setLocals(frame, entry);
    const m = pattern ? matchBind(it, pattern, sv, frame, c) : undefined;
    if (m === false) continue;
    entry = frame.env.vars;
    let g: boolean | undefined = true;
    if (guard) {
      const ge = named(guard)[0];
      const r = ge ? evalCondition(it, ge, frame, entry) : { truth: undefined, then: entry, else: entry };
      g = r.truth;
      entry = r.then;
      if (g === false) continue;
    }
    if (!consequence) continue;
    if (m === true && g === true) {
      outs.push(execBlock(it, consequence, frame, entry));
      definite = true;
      break;
    }
    frame.weak++;
    it.branchDepth++;
    outs.push(execBlock(it, consequence, frame, entry));
    it.branchDepth--;
    frame.weak--;
  }
  if (!definite) outs.push(rest);
  const out = joinLocals(outs);
  if (out) setLocals(frame, out);
  return out;
}

/**
 * Whether a case pattern matches the subject (true, false, or undefined when not known), binding
 * its captures in the current locals.
 */
export function matchBind(it: Interpreter, p: Node, sv: Val, frame: Frame, at: Node): boolean | undefined {
  const capture = (id: Node, v: Val): void => assign(it, id, v, frame, frame.env.vars, at);
  switch (typeOf(p)) {
    case 'case_pattern': {
      const inner = named(p);
      return inner.length === 0 ? true : matchBind(it, inner[0], sv, frame, at);
    }
    case 'union_pattern': {
      let any: boolean | undefined = false;
      for (const alt of named(p)) {
        const r = matchBind(it, alt, sv, frame, at);
        if (r === true) return true;
        if (r === undefined) any = undefined;
      }
      return any;
    }
    case 'string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'concatenated_string': {
      const lit = evalLiteral(it, p);
      const c = constOf(it, sv).c;
      if (!c || !lit) return undefined;
      return constEq(c.v, lit.v);
    }
    case 'dotted_name':
      if (textOf(p).includes('.')) {
        const v = evalExpr(it, p, frame, frame.env.vars);
        return v.c && sv.c ? constEq(v.c.v, sv.c.v) : undefined;
      }
      capture(named(p)[0] ?? p, sv);
      return true;
    case 'identifier':
      capture(p, sv);
      return true;
    case 'as_pattern': {
      const parts = named(p);
      const inner = parts[0];
      const alias = parts[parts.length - 1];
      const r = inner && inner !== alias ? matchBind(it, inner, sv, frame, at) : true;
      if (alias?.type === 'identifier') capture(alias, sv);
      return r;
    }
    case 'list_pattern':
    case 'tuple_pattern': {
      const subs = named(p);
      const items = elements(it, sv);
      const starAt = subs.findIndex((x) => named(x)[0]?.type === 'splat_pattern');
      if (items.exact && starAt < 0 && items.exact.length !== subs.length) return false;
      let result: boolean | undefined = items.exact ? true : undefined;
      subs.forEach((sub, i) => {
        const star = named(sub)[0];
        if (star?.type === 'splat_pattern') {
          const id = named(star)[0];
          const rest = items.exact
            ? items.exact.slice(i, items.exact.length - (subs.length - 1 - i))
            : [items.any];
          if (id && textOf(id) !== '_') capture(id, it.heap.newList(rest));
          return;
        }
        const idx = starAt >= 0 && i > starAt && items.exact ? items.exact.length - (subs.length - i) : i;
        const v = items.exact ? (items.exact[idx] ?? CLEAN) : items.any;
        const r = matchBind(it, sub, v, frame, at);
        if (r === false) result = false;
        else if (r === undefined && result !== false) result = undefined;
      });
      return result;
    }
    case 'dict_pattern': {
      const kids = named(p);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (k.type === 'splat_pattern') {
          const id = named(k)[0];
          if (id) capture(id, sv);
          continue;
        }
        const valuePattern = kids[i + 1];
        if (!valuePattern || typeOf(valuePattern) !== 'case_pattern') continue;
        const kv = evalLiteral(it, k);
        const v = kv ? index(it, sv, { c: kv }) : elements(it, sv).any;
        matchBind(it, valuePattern, v, frame, at);
        i++;
      }
      return undefined;
    }
    case 'class_pattern': {
      const kids = named(p);
      const clsNode = kids.find((k) => k.type === 'dotted_name');
      const clsExpr = clsNode && named(clsNode).length === 1 ? named(clsNode)[0] : undefined;
      const cls = clsExpr ? evalExpr(it, clsExpr, frame, frame.env.vars) : UNKNOWN;
      const clsId = cls.o?.find((id) => it.heap.get(id)?.kind === 'class');
      let names: ConstValue[] = [];
      if (clsId !== undefined) {
        const ma = it.heap.classLookup(clsId, attrKey('__match_args__'));
        const c = ma ? constOf(it, ma).c : undefined;
        if (c && Array.isArray(c.v)) names = c.v;
      }
      let pos = 0;
      for (const sub of kids) {
        if (typeOf(sub) !== 'case_pattern') continue;
        const inner = named(sub)[0];
        if (inner?.type === 'keyword_pattern') {
          const parts = named(inner);
          const attr = parts[0]?.text;
          const target = parts[parts.length - 1];
          if (attr && target) matchBind(it, target, getAttr(it, sv, attr, frame.mod, sub), frame, at);
          continue;
        }
        const name = names[pos++];
        const v =
          typeof name === 'string'
            ? getAttr(it, sv, name, frame.mod, sub)
            : clsId === undefined
              ? sv
              : it.heap.deepData(sv);
        matchBind(it, sub, v, frame, at);
      }
      if (clsId !== undefined) {
        const inst = sv.o?.map((id) => it.heap.get(id)).find((o) => o?.kind === 'instance');
        if (inst?.cls === clsId) return true;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
