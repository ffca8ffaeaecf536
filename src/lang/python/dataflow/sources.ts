/**
 * Sources as values: a library attribute or call the options name as a source, its taint fact,
 * the label that names it (`request.args['host']`), and items of a WSGI environ mapping.
 */
import type { Trust } from '../../../dataflow/concepts.js';
import {
  HEADER_ENVIRON_PREFIX,
  HEADER_SOURCES,
  OPERATOR_SOURCES,
  ROUTED_PATH_ATTRIBUTES,
  SOURCE_NOT_FOR,
  isClientEnvironKey,
  isEnvironAttribute,
} from './specs.js';
import type { Val, Fact, SourceInfo } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import type { Interpreter } from './interpreter.js';
import { REQUEST_GLOBALS } from '../models/index.js';
import { textOf } from './syntax.js';

/**
 * CWEs a request header value is safe for from the start: the server split the request at line
 * breaks, so the value cannot add a header or a log line (CWE-113, CWE-93).
 */
export const HEADER_SAFE: readonly number[] = [93, 113];

/**
 * A value from a source: one fact, with no step yet. `name` is the model's name of the source
 * (`flask.request.headers`, a request attribute), which says whether it is a header value.
 */
export function sourceVal(
  it: Interpreter,
  mod: number,
  node: Node,
  label: string,
  trust: Trust,
  environ = false,
  name?: string,
): Val {
  const src: SourceInfo = { file: it.modules.path(mod), node, label, trust };
  // A client's data in a handler only administrators reach is theirs (see admin-routes.ts).
  if (trust === 'user' && it.adminGuard) {
    src.trust = 'admin';
    src.guard = it.adminGuard;
  }
  if (environ) src.environ = true;
  const fact: Fact = { src, steps: [] };
  // Weaknesses the source cannot cause: the model's `notFor`, and line breaks for header values.
  let notFor = name !== undefined ? SOURCE_NOT_FOR.get(name) : undefined;
  // The request's own path stays on the site only when every route begins with a fixed segment.
  if (notFor && it.openPathRoute && name !== undefined && ROUTED_PATH_ATTRIBUTES.has(name)) {
    notFor = notFor.filter((c) => c !== 601);
    src.rawPath = true;
  }
  const header = name !== undefined && HEADER_SOURCES.has(name) ? HEADER_SAFE : undefined;
  if (notFor?.length || header)
    fact.san = [...new Set([...(notFor ?? []), ...(header ?? [])])].sort((x, y) => x - y);
  return { t: [fact] };
}

/**
 * The source value `v` as a value a language model chose (an agent tool's argument): text the
 * model read can steer the choice, so findings from it alone are reported at medium confidence.
 */
export function chosenByModel(v: Val): Val {
  return v.t ? { ...v, t: v.t.map((f) => ({ ...f, src: { ...f.src, modelChosen: true } })) } : v;
}

/**
 * The source value `v` as one the application chose (see SourceInfo.appChosen), a source only for
 * the weaknesses `onlyFor`.
 */
export function chosenByApp(v: Val, onlyFor: readonly number[]): Val {
  return v.t ? { ...v, t: v.t.map((f) => ({ ...f, src: { ...f.src, appChosen: true, onlyFor } })) } : v;
}

/** The source value `v` as one segment of the URL path (see SourceInfo.segment). */
export function asSegment(v: Val): Val {
  return v.t ? { ...v, t: v.t.map((f) => ({ ...f, src: { ...f.src, segment: true } })) } : v;
}

/**
 * `v` once an operation made new text of it (concatenation, formatting, a library call such as
 * `unquote` or `replace`): that text may hold a `/`, so it is no longer one segment.
 */
export function notASegment(v: Val): Val {
  if (!v.t?.some((f) => f.src.segment)) return v;
  return {
    ...v,
    t: v.t.map((f) => (f.src.segment ? { ...f, src: { ...f.src, segment: undefined } } : f)),
  };
}

/**
 * An item read from `v` with key `k`: facts whose source is a whole environ mapping are dropped
 * when the key is a constant the server or middleware set (`environ['nova.context']`), and
 * otherwise become facts about the item, which is no longer a mapping.
 */
export function environItem(v: Val, k: Val): Val {
  if (!v.t?.some((f) => f.src.environ)) return v;
  const serverKey = typeof k.c?.v === 'string' && !isClientEnvironKey(k.c.v);
  const t: Fact[] = [];
  for (const f of v.t) {
    if (!f.src.environ) t.push(f);
    else if (!serverKey) {
      const header = typeof k.c?.v === 'string' && k.c.v.startsWith(HEADER_ENVIRON_PREFIX);
      const san = header ? [...new Set([...(f.san ?? []), ...HEADER_SAFE])].sort((a, b) => a - b) : f.san;
      t.push({ ...f, src: { ...f.src, environ: undefined }, ...(san ? { san } : {}) });
    }
  }
  // The library object (`request.environ`) is not what the item is: the server's data is clean.
  return serverKey ? { ...v, t: t.length ? t : undefined, fns: undefined } : { ...v, t };
}

/** `request.args` read as `request.args['host']`: the source is named by the most precise code. */
export function relabel(it: Interpreter, v: Val, base: Node, outer: Node, mod: number): Val {
  if (!v.t) return v;
  let changed = false;
  const t = v.t.map((f) => {
    if (f.steps.length === 0 && f.src.node.id === base.id && f.src.file === it.modules.path(mod)) {
      changed = true;
      return { ...f, src: { ...f.src, node: outer, label: textOf(outer).replace(/\s+/g, ' ') } };
    }
    return f;
  });
  return changed ? { ...v, t } : v;
}

/** The trust of a library attribute or call the options name as a source. */
export function libSource(it: Interpreter, name: string, kind: 'attr' | 'call'): Trust | undefined {
  if (kind === 'call') {
    if (it.sourceCalls.has(name)) return OPERATOR_SOURCES.has(name) ? 'operator' : 'user';
    return it.lowerCalls.get(name);
  }
  for (const a of it.sourceAttrs) if (name === a) return OPERATOR_SOURCES.has(name) ? 'operator' : 'user';
  for (const a of it.lowerAttrs) if (name === a.name) return a.trust;
  return undefined;
}

/** A library value (`os.environ`), with its source fact when the options name it a source. */
export function libValue(it: Interpreter, q: string, mod: number, node: Node): Val {
  if (REQUEST_GLOBALS.has(q)) return { o: [requestGlobal(it, q)] };
  const lib: Val = { fns: [{ kind: 'lib', name: q }] };
  const trust = libSource(it, q, 'attr');
  if (!trust) return lib;
  return {
    ...lib,
    ...sourceVal(it, mod, node, textOf(node), trust, trust === 'user' && isEnvironAttribute(q), q),
  };
}

/**
 * The object a request-scoped namespace (`flask.g`) holds in the current entry point: made once per
 * root, so what one function of the request stores there the next reads (see FrameworkModel).
 */
function requestGlobal(it: Interpreter, q: string): number {
  const id = it.requestGlobals.get(q);
  if (id !== undefined && it.heap.get(id)) return id;
  const made = it.heap.alloc({ kind: 'instance', fields: new Map(), name: q });
  it.requestGlobals.set(q, made);
  return made;
}
