/**
 * Attribute reads and subscripts: attributes of instances (properties and bound methods), classes,
 * modules and library values, `super()`, items and slices of containers.
 */
import { attrKey, constKey } from '../../../dataflow/heap.js';
import {
  HEADER_SOURCES,
  NESTED_REQUEST_ATTRIBUTES,
  REQUEST_HANDLER_ATTRIBUTES,
  REQUEST_NON_TEXT_ATTRIBUTES,
  REQUEST_OBJECT_ATTRIBUTES,
  isEnvironAttribute,
} from './specs.js';
import { CLEAN, UNKNOWN, constVal, dataOf, join, sanitize, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { callCallable } from './calls.js';
import { evalExpr } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { pySlice } from './literals.js';
import { resolveQualname } from './modules.js';
import { sourceVal, environItem, relabel, libValue, HEADER_SAFE } from './sources.js';
import { fieldUnset, storedInstances } from './fields.js';
import { storedField } from './stored.js';
import { field, textOf } from './syntax.js';
import { normIndex, elements } from './targets.js';

/** The library name a value is, when it is a library value (`os.path`, `requests.get()`). */
export function libName(v: Val): string | undefined {
  const f = v.fns?.find((x) => x.kind === 'lib');
  return f?.kind === 'lib' ? f.name : undefined;
}

/** `obj.attr`. */
export function evalAttribute(it: Interpreter, node: Node, frame: Frame): Val {
  const obj = field(node, 'object');
  const attr = field(node, 'attribute')?.text;
  if (!obj || !attr) return UNKNOWN;
  const base = evalExpr(it, obj, frame, frame.env.vars);
  return getAttr(it, base, attr, frame.mod, node);
}

/**
 * Reads an attribute of a value: a source when a library attribute is one, a field or method of a
 * project object, a module's name.
 */
export function getAttr(it: Interpreter, base: Val, attr: string, mod: number, node: Node): Val {
  let out: Val | undefined;
  // A predicate of data from outside (`ipaddress.ip_address(host).is_private`, `parsed.is_secure`)
  // is a boolean, whatever text the value holds: it carries none of it.
  if (base.t && !base.o && !base.req && PREDICATE_ATTRIBUTE.test(attr)) return UNKNOWN;
  const lib = libName(base);
  if (lib && !base.o) {
    const q = `${lib}.${attr}`;
    const v = libValue(it, q, mod, node);
    if (v.t) return v;
    // An attribute named as a keyword the object was made with (`result.user` of
    // `AuthResult(user=user, data=data)`) holds that argument, not the other arguments' data.
    const given = base.t ? keywordMadeWith(base, attr) : undefined;
    if (given) return given;
    // A request built from the client's data (a sub-request) still routes to the application's
    // own objects (its matched service or route, its registry), and its method is a token.
    if (base.t && !REQUEST_NON_TEXT_ATTRIBUTES.has(attr)) {
      const data = pathPart(attr, { ...v, t: relabel(it, base, field(node, 'object') ?? node, node, mod).t });
      // The header mapping of a request made from tainted parts (a sub-request built from the
      // client's path): its values went through the same parsing as the client's headers.
      return HEADER_SOURCES.has(attr) ? sanitize(data, HEADER_SAFE) : data;
    }
    return v;
  }
  if (base.req && NESTED_REQUEST_ATTRIBUTES.has(attr)) return { req: node, unk: true };
  // A request handler (`self` of a Tornado handler) is also an object of the application: only
  // its framework's request methods read the client; `self.data` it set itself is its own.
  const requestAttributes = base.o ? REQUEST_HANDLER_ATTRIBUTES : REQUEST_OBJECT_ATTRIBUTES;
  if (base.req && requestAttributes.has(attr)) {
    return sourceVal(it, mod, node, textOf(node), 'user', isEnvironAttribute(attr), attr);
  }
  if (base.fns?.some((f) => f.kind === 'super')) {
    for (const f of base.fns) {
      if (f.kind !== 'super') continue;
      const c = it.heap.get(f.cls);
      for (const b of c?.bases ?? []) {
        const v = it.heap.classLookup(b, attrKey(attr));
        if (v) out = join(out ?? CLEAN, bind(v, f.self, b));
      }
    }
    if (!out && attr === '__new__') return { fns: [{ kind: 'lib', name: 'object.__new__' }] };
    return out ?? UNKNOWN;
  }
  for (const id of base.o ?? []) {
    const o = it.heap.get(id);
    if (!o) continue;
    let v: Val | undefined = o.fields.get(attrKey(attr));
    if (o.kind === 'instance') {
      // A row's field that a request handler stored the client's data in (stored.ts).
      v ??= storedField(it, id, attr, mod, node);
      if (!v && o.cls !== undefined) {
        const cv = it.heap.classLookup(o.cls, attrKey(attr));
        // A field of an entry point's `self` its methods fill with a project object (fields.ts).
        const filled = fieldUnset(o, attr, cv) ? storedInstances(it, o.cls, attr) : undefined;
        if (filled) {
          it.heap.set(id, {
            ...o,
            fields: new Map(o.fields).set(attrKey(attr), cv ? join(cv, filled) : filled),
          });
          v = cv ? join(cv, filled) : filled;
        } else if (cv) {
          const prop = cv.fns?.find((f) => f.kind === 'fn' && (f as { deco?: string }).deco === 'property');
          v = prop
            ? callCallable(it, prop, [], new Map(), undefined, node, { o: [id] })
            : bind(cv, { o: [id] }, o.cls);
        }
      }
      if (!v && o.cls !== undefined && it.heap.get(o.cls)?.elem) v = UNKNOWN;
    } else if (o.kind === 'class') {
      if (!v) v = it.heap.classLookup(id, attrKey(attr));
      if (v) v = bind(v, undefined, id, true);
    } else if (o.kind === 'module' && !v && o.mod !== undefined) {
      const env = it.moduleEnvs.get(o.mod);
      v = env?.vars.get(attr);
      // A name the package imports (`from .mod import f` in __init__.py) before its code has run.
      const imported = v ? undefined : it.mods(o.mod).module.root.bindings.get(attr);
      const via = imported?.length === 1 && imported[0].kind === 'import' ? imported[0].qualname : undefined;
      if (via && !it.resolvingImports.has(via)) {
        it.resolvingImports.add(via);
        try {
          v = resolveQualname(it, via, o.mod, node);
        } finally {
          it.resolvingImports.delete(via);
        }
      }
      if (!v) {
        const q = `${it.modules.moduleName(o.mod)}.${attr}`;
        const r = it.resolveModule(q, o.mod);
        if (r && (r.mod !== o.mod || r.rest.length === 0)) v = resolveQualname(it, q, o.mod, node);
      }
    } else if ((o.kind === 'dict' || o.kind === 'list') && !v) {
      v = { fns: [{ kind: 'lib', name: `${o.kind}.${attr}` }] };
    }
    if (v) out = out ? join(out, v) : v;
  }
  if (base.gen && !out) out = base;
  if (out) return out;
  if (base.t || base.unk)
    return pathPart(attr, relabel(it, dataOf(base), field(node, 'object') ?? node, node, mod));
  return base.o ? UNKNOWN : CLEAN;
}

/**
 * The keyword argument `attr` that every library class the value may be an instance of was made
 * with (see the `kw` of library callables); undefined when any of them was made without it.
 */
function keywordMadeWith(base: Val, attr: string): Val | undefined {
  let out: Val | undefined;
  for (const f of base.fns ?? []) {
    if (f.kind !== 'lib') continue;
    const v = f.kw?.get(attr);
    if (!v) return undefined;
    out = out ? join(out, v) : v;
  }
  return out;
}

/** The attributes named as predicates (`is_private`, `has_port`): booleans by convention. */
const PREDICATE_ATTRIBUTE = /^(is|has)_[a-z0-9_]+$/;

/** A path's extension (`Path(name).suffix`) holds no separator and is never `..`: safe in a path. */
const PATH_NAME_PARTS: ReadonlySet<string> = new Set(['suffix', 'suffixes']);

function pathPart(attr: string, v: Val): Val {
  return PATH_NAME_PARTS.has(attr) ? sanitize(v, [22, 73]) : v;
}

/** A method read from an instance or class is bound to it. */
export function bind(v: Val, self: Val | undefined, cls: number, fromClass = false): Val {
  if (!v.fns) return v;
  return {
    ...v,
    fns: v.fns.map((f) => {
      if (f.kind !== 'fn') return f;
      const deco = (f as { deco?: string }).deco;
      if (deco === 'static') return f;
      if (deco === 'class') return { ...f, self: { o: [cls] } };
      if (fromClass || !self) return f;
      return { ...f, self };
    }),
  };
}

/** `obj[key]` and `obj[a:b]`. */
export function evalSubscript(it: Interpreter, node: Node, frame: Frame): Val {
  const obj = field(node, 'value');
  const sub = field(node, 'subscript');
  if (!obj) return UNKNOWN;
  const base = evalExpr(it, obj, frame, frame.env.vars);
  const k = sub ? evalExpr(it, sub, frame, frame.env.vars) : CLEAN;
  // The key, for rules that ask who picks the entry (a table of loaders by the client's media type).
  if (sub && sub.type !== 'slice') it.record(frame.mod, sub, k);
  if (sub?.type === 'slice') {
    if (base.o) {
      // A constant slice of a list whose elements are known keeps each element's own data.
      const exact = elements(it, base).exact;
      const bounds = exact ? sliceBounds(it, sub, frame) : undefined;
      if (exact && bounds) return it.heap.newList(pySlice(exact, bounds));
      const v = it.heap.newList([]);
      it.heap.writeElem(v.o, elements(it, base).any);
      return v;
    }
    return dataOf(base);
  }
  const v = index(it, environItem(base, k), k);
  return relabel(it, v, obj, node, frame.mod);
}

/** `[start:stop:step]` with constant integer (or omitted) parts; undefined when any part is not constant. */
export function sliceBounds(it: Interpreter, sub: Node, frame: Frame): (number | undefined)[] | undefined {
  const parts: (number | undefined)[] = [undefined];
  for (const c of sub.children) {
    if (!c) continue;
    if (c.type === ':') {
      parts.push(undefined);
      continue;
    }
    if (c.type === 'comment') continue;
    const v = evalExpr(it, c, frame, frame.env.vars);
    if (typeof v.c?.v !== 'number' || !Number.isInteger(v.c.v)) {
      if (v.c?.v !== null) return undefined;
      continue;
    }
    parts[parts.length - 1] = v.c.v;
  }
  return parts.length <= 3 ? parts : undefined;
}

/** The item of a value at a key (a constant key reads that field, else every element). */
export function index(it: Interpreter, base: Val, k: Val): Val {
  if (base.c && k.c) {
    const b = base.c.v;
    const i = k.c.v;
    if ((typeof b === 'string' || Array.isArray(b)) && typeof i === 'number') {
      const idx = i < 0 ? b.length + i : i;
      const r = Array.isArray(b) ? b[idx] : b[idx];
      if (r !== undefined) return constVal(r);
    }
  }
  let out: Val | undefined;
  for (const id of base.o ?? []) {
    const o = it.heap.get(id);
    if (!o) continue;
    if (o.kind === 'instance' || o.kind === 'class' || o.kind === 'module') {
      out = join(out ?? CLEAN, it.heap.deepData({ o: [id] }));
      continue;
    }
    if (k.c && !Array.isArray(k.c.v)) {
      const kk = normIndex(it, [id], k.c.v);
      const v = o.fields.get(constKey(kk)) ?? o.elem ?? (o.kind === 'dict' ? UNKNOWN : CLEAN);
      out = out ? join(out, v) : v;
    } else {
      let v: Val = o.elem ?? CLEAN;
      for (const f of o.fields.values()) v = join(v, f);
      out = out ? join(out, v) : v;
    }
  }
  if (base.gen) out = join(out ?? CLEAN, base.gen);
  if (out) return base.t ? join(out, dataOf(base)) : out;
  // An item of a library object (os.environ["X"], a response's field): not known.
  if (libName(base)) return { ...dataOf(base), unk: true };
  return dataOf(base);
}
