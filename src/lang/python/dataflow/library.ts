/**
 * Calls of library functions: sources, sanitizers, and the built-in functions as a table of
 * summaries (how each one's result depends on its arguments); unknown library calls pass their
 * arguments' data on, and run project callables they are given.
 */
import { attrKey, constKey } from '../../../dataflow/heap.js';
import { MAX_UNROLL } from '../../../dataflow/limits.js';
import {
  CLEAN_CALLS,
  EXTERNAL_DATA_CALLS,
  NON_CALLING_CALLS,
  NON_CALLING_MODULES,
  QUERY_APPENDERS,
  RECORD_CALLS,
  OPTIONAL_RECORD_CALLS,
  SANITIZER_CONDITIONS,
} from './specs.js';
import {
  ENTRY_OF_BASE,
  PATH_JOINS,
  PATH_TRAVERSAL,
  namesEntryOfBase,
  staysBelowBase,
} from './path-segments.js';
import { charsetSafeCwes, keepsOneSegment } from './char-classes.js';
import { storedRecord } from './records.js';
import { INTERNAL_URL_CWES } from '../models/index.js';
import { asRows, modelClasses } from './stored.js';
import {
  CLEAN,
  UNKNOWN,
  constVal,
  dataOf,
  join,
  joinAll,
  sanitize,
  withStep,
  type Val,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { NO_SLASH_LEAD, withLead } from '../../../dataflow/url-prefix.js';
import { getAttr } from './attributes.js';
import { callValue, unknownCall } from './calls.js';
import type { Interpreter, Frame } from './interpreter.js';
import { asSegment, sourceVal, libSource } from './sources.js';
import { textOf } from './syntax.js';
import { elements } from './targets.js';

/**
 * How a built-in or library function's result follows from its arguments (and what it does to the
 * heap). `frame` is absent when the call is made on behalf of the library (a property read).
 */
type LibSummary = (
  it: Interpreter,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame | undefined,
  node: Node,
  name: string,
) => Val;

/** `str(x)` and the like: the constant as text, else the data of the value and what it holds. */
const stringify: LibSummary = (it, args) => {
  const a = args[0];
  if (!a) return constVal('');
  if (a.c && !Array.isArray(a.c.v)) return constVal(a.c.v === null ? 'None' : String(a.c.v));
  return it.heap.deepData(a);
};

/** `int(x)`, `float(x)`: a number carries no attacker-chosen text. */
const toNumber: LibSummary = (_it, args, _kwargs, _frame, _node, name) => {
  const a = args[0];
  if (a?.c && (typeof a.c.v === 'string' || typeof a.c.v === 'number')) {
    const n = Number(a.c.v);
    if (Number.isFinite(n)) return constVal(name === 'builtins.int' ? Math.trunc(n) : n);
  }
  return CLEAN;
};

/** `len(x)`: a count. */
const length: LibSummary = (it, args) => {
  const a = args[0];
  if (a?.c && (typeof a.c.v === 'string' || Array.isArray(a.c.v))) return constVal(a.c.v.length);
  const el = a ? elements(it, a) : undefined;
  if (el?.exact) return constVal(el.exact.length);
  return CLEAN;
};

/** `range(...)`: a list of constants when short, else clean numbers. */
const range: LibSummary = (it, args) => {
  const nums = args.map((a) => a.c?.v);
  if (nums.every((n) => typeof n === 'number')) {
    const [a, b, s] =
      nums.length === 1
        ? [0, nums[0] as number, 1]
        : [nums[0] as number, nums[1] as number, (nums[2] as number) ?? 1];
    const out: number[] = [];
    if (s !== 0)
      for (let i = a; s > 0 ? i < b : i > b; i += s) {
        out.push(i);
        if (out.length > MAX_UNROLL) break;
      }
    if (out.length <= MAX_UNROLL) return it.heap.newList(out.map((n) => constVal(n)));
  }
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, CLEAN);
  return v;
};

const getattr: LibSummary = (it, args, kwargs, frame, node) => {
  const mod = frame?.mod ?? 0;
  const [o, n, d] = args;
  if (o && n?.c && typeof n.c.v === 'string') {
    const v = getAttr(it, o, n.c.v, mod, node);
    return d ? join(v, d) : v;
  }
  return unknownCall(it, CLEAN, args, kwargs);
};

const setattr: LibSummary = (it, args, _kwargs, frame, node) => {
  const mod = frame?.mod ?? 0;
  const [o, n, v] = args;
  if (o && n?.c && typeof n.c.v === 'string' && v && frame)
    it.heap.writeField(
      o.o,
      attrKey(n.c.v),
      v.t ? withStep(v, it.step(mod, node, `stored by \`setattr\``)) : v,
      frame,
    );
  return constVal(null);
};

const delattr: LibSummary = (it, args) => {
  const [o, n] = args;
  if (o?.o && n?.c && typeof n.c.v === 'string') {
    for (const id of o.o) {
      const obj = it.heap.get(id);
      if (!obj) continue;
      const fields = new Map(obj.fields);
      fields.delete(attrKey(n.c.v));
      it.heap.set(id, { ...obj, fields });
    }
  }
  return constVal(null);
};

/** `list(x)`, `sorted(x)`, ...: a new list of the iterable's elements. */
const sequence: LibSummary = (it, args, _kwargs, _frame, _node, name) => {
  if (!args[0]) return it.heap.newList([]);
  const el = elements(it, args[0]);
  if (el.exact && name !== 'builtins.set' && name !== 'builtins.frozenset')
    return it.heap.newList(name === 'builtins.reversed' ? [...el.exact].reverse() : el.exact);
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, el.any);
  return v;
};

const dict: LibSummary = (it, args, kwargs, frame) => {
  const v: Val = { o: [it.heap.alloc({ kind: 'dict', fields: new Map() })] };
  if (args[0]) {
    if (args[0].o?.some((id) => it.heap.get(id)?.kind === 'dict')) {
      const src = it.heap.get(args[0].o[0])!;
      it.heap.set(v.o![0], { ...src, fields: new Map(src.fields) });
    } else it.heap.writeElem(v.o, elements(it, elements(it, args[0]).any).any);
  }
  for (const [k, a] of kwargs) if (frame) it.heap.writeField(v.o, constKey(k), a, frame);
  return v;
};

const next: LibSummary = (it, args) => {
  const a = args[0];
  if (!a) return UNKNOWN;
  const el = elements(it, a);
  return el.exact ? (el.exact[0] ?? CLEAN) : el.any;
};

const enumerate: LibSummary = (it, args) => {
  const el = args[0] ? elements(it, args[0]) : { any: CLEAN };
  if (el.exact) return it.heap.newList(el.exact.map((x, i) => it.heap.newList([constVal(i), x])));
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, it.heap.newList([CLEAN, el.any]));
  return v;
};

const zip: LibSummary = (it, args) => {
  const els = args.map((a) => elements(it, a));
  if (els.every((e) => e.exact)) {
    const n = Math.min(...els.map((e) => e.exact!.length));
    const rows: Val[] = [];
    for (let i = 0; i < n; i++) rows.push(it.heap.newList(els.map((e) => e.exact![i])));
    return it.heap.newList(rows);
  }
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, it.heap.newList(els.map((e) => e.any)));
  return v;
};

/** `map(f, xs)` runs a project `f` on the elements; `filter` keeps them. */
const mapOrFilter: LibSummary = (it, args, _kwargs, frame, node, name) => {
  const [fv, iterable] = args;
  if (!fv || !iterable) return UNKNOWN;
  const el = elements(it, iterable);
  const items = el.exact ?? [el.any];
  const results = items.map((x) =>
    name === 'builtins.filter'
      ? x
      : fv.fns?.length && frame
        ? callValue(it, fv, [x], new Map(), frame, node, [])
        : it.heap.deepData(x),
  );
  if (el.exact && name === 'builtins.map') return it.heap.newList(results);
  const v = it.heap.newList([]);
  it.heap.writeElem(v.o, joinAll(results));
  return v;
};

const superOf: LibSummary = (_it, _args, _kwargs, frame) => {
  if (!frame || frame.cls === undefined) return UNKNOWN;
  const self = frame.env.vars.get('self') ?? UNKNOWN;
  return { fns: [{ kind: 'super', cls: frame.cls, self }] };
};

/** `min`, `max`, `sum`: the data of the elements. */
const aggregate: LibSummary = (it, args) => {
  const el = args.length === 1 && args[0] ? elements(it, args[0]).any : joinAll(args);
  return dataOf(el);
};

const partial: LibSummary = (it, args, kwargs) => {
  const [target, ...rest] = args;
  if (!target?.fns?.length) return unknownCall(it, CLEAN, args, kwargs);
  return { fns: target.fns.map((fn) => ({ kind: 'partial' as const, fn, args: rest, kwargs })) };
};

const objectNew: LibSummary = (it, args) => {
  const cls = args[0]?.o?.find((id) => it.heap.get(id)?.kind === 'class');
  return cls === undefined ? UNKNOWN : { o: [it.heap.newInstance(cls)] };
};

/** The result is not known, and carries the data of the arguments. */
const passThrough: LibSummary = (it, args, kwargs) => {
  return unknownCall(it, CLEAN, args, kwargs);
};

/** What the query and fragment of a URL cannot do: pick the scheme or host it leads to. */
const OPEN_REDIRECT = [601];

/** What the path, query and fragment after a netloc the program chose cannot do: pick the server. */
const AFTER_FIXED_HOST = [601, 918];

/**
 * `urlunparse((scheme, netloc, path, params, query, fragment))` and `urlunsplit` (no params): the
 * parts from `firstTail` on (params, query, fragment) come after the host, so they only choose a
 * page on the server the leading parts name. The path is no such part: with no netloc, a path
 * `//evil.example` makes the URL another host's. With a scheme and a netloc that carry no source
 * (a configured upstream), the path follows that host as well (`urlunsplit` puts a `/` before it),
 * so every later part is safe for open redirects and server-side request forgery.
 */
const urlUnparse =
  (firstTail: number): LibSummary =>
  (it, args, kwargs) => {
    const parts = args.length === 1 && args[0] ? elements(it, args[0]).exact : undefined;
    if (!parts) return unknownCall(it, CLEAN, args, kwargs);
    const [scheme, netloc] = parts;
    const emptyHost = !netloc || (netloc.c !== undefined && (netloc.c.v === '' || netloc.c.v === null));
    const fixedHost = !emptyHost && !it.heap.deepData(netloc).t && !(scheme && it.heap.deepData(scheme).t);
    let v: Val = CLEAN;
    parts.forEach((p, i) => {
      const data = it.heap.deepData(p);
      v = join(
        v,
        fixedHost && i >= 2
          ? sanitize(data, AFTER_FIXED_HOST)
          : i >= firstTail
            ? sanitize(data, OPEN_REDIRECT)
            : data,
      );
    });
    return v;
  };

/**
 * `url_concat(url, {"next": x})`: the arguments after the URL go into its query string, where they
 * pick neither the server a request goes to nor the site a redirect leads to; the URL keeps its data.
 */
const queryAppended: LibSummary = (it, args, kwargs) => {
  let v = args[0] ? it.heap.deepData(args[0]) : CLEAN;
  for (const a of [...args.slice(1), ...kwargs.values()])
    v = join(v, sanitize(it.heap.deepData(a), QUERY_PART));
  return v;
};

/** What the query of a URL cannot pick: the server or site it leads to. */
const QUERY_PART = [601, 918];

/** URL quoting functions and the characters they leave unquoted unless told (`safe`, their second parameter). */
const URL_QUOTING: ReadonlyMap<string, string> = new Map([
  ['urllib.parse.quote', '/'],
  ['urllib.parse.quote_plus', ''],
]);

/**
 * `quote(x, safe="@~")`, `quote_plus(x)`: every `/` and `\\` is percent-encoded, so the text cannot
 * begin with a slash a browser reads as one (`"/" + quote(x, safe="")` is a path of the site).
 */
function quotesSlashes(name: string, args: Val[], kwargs: Map<string, Val>): boolean {
  const byDefault = URL_QUOTING.get(name);
  if (byDefault === undefined) return false;
  const given = args[1] ?? kwargs.get('safe');
  const safe = given ? given.c?.v : byDefault;
  return typeof safe === 'string' && !safe.includes('/') && !safe.includes('\\');
}

/**
 * `os.path.splitext(name)`: the root, and the extension, which begins at the last dot after the
 * last separator: one dot and no separator, so never `..` or a path of its own (safe for path
 * traversal; it is still the client's text for every other use).
 */
const splitExtension: LibSummary = (it, args, kwargs) => {
  const data = unknownCall(it, CLEAN, args, kwargs);
  return it.heap.newList([data, sanitize(data, PATH_TRAVERSAL)]);
};

/**
 * Django's `resolve_url(to, *args, **kwargs)`: a view name (`"show_project"`) reversed with the
 * other arguments filling the groups of its URL pattern, a path of the application; any other
 * `to` (a URL, a model's `get_absolute_url()`) comes back as it is and the rest is ignored. The
 * result carries `to`'s data, and the others' only as a path of the site's own views.
 */
const resolveUrl: LibSummary = (it, args, kwargs) => {
  let v = args[0] ? it.heap.deepData(args[0]) : CLEAN;
  for (const a of [...args.slice(1), ...kwargs.values()])
    v = join(v, sanitize(it.heap.deepData(a), INTERNAL_URL_CWES));
  return v;
};

/** A file object: a library value whose methods read what is not the arguments' data. */
const openFile: LibSummary = () => {
  return { fns: [{ kind: 'lib', name: 'builtins.open()' }], unk: true };
};

const BUILTINS: ReadonlyMap<string, LibSummary> = new Map([
  ['builtins.str', stringify],
  ['builtins.repr', stringify],
  ['builtins.format', stringify],
  ['builtins.ascii', stringify],
  ['builtins.int', toNumber],
  ['builtins.float', toNumber],
  ['builtins.len', length],
  ['builtins.range', range],
  ['builtins.getattr', getattr],
  ['builtins.setattr', setattr],
  ['builtins.delattr', delattr],
  ['builtins.list', sequence],
  ['builtins.tuple', sequence],
  ['builtins.set', sequence],
  ['builtins.frozenset', sequence],
  ['builtins.sorted', sequence],
  ['builtins.reversed', sequence],
  ['builtins.iter', sequence],
  ['builtins.dict', dict],
  ['builtins.next', next],
  ['builtins.enumerate', enumerate],
  ['builtins.zip', zip],
  ['builtins.map', mapOrFilter],
  ['builtins.filter', mapOrFilter],
  ['builtins.super', superOf],
  ['builtins.min', aggregate],
  ['builtins.max', aggregate],
  ['builtins.sum', aggregate],
  ['functools.partial', partial],
  ['object.__new__', objectNew],
  ['builtins.object.__new__', objectNew],
  ['functools.reduce', passThrough],
  ['builtins.eval', passThrough],
  ['builtins.exec', passThrough],
  ['builtins.open', openFile],
  ['os.path.splitext', splitExtension],
  ['django.shortcuts.resolve_url', resolveUrl],
  ['posixpath.splitext', splitExtension],
  ['urllib.parse.urlunparse', urlUnparse(3)],
  ['urllib.parse.urlunsplit', urlUnparse(3)],
  ['io.open', openFile],
  ['codecs.open', openFile],
]);

/** Library calls that return their one argument's text as it is, marked or typed otherwise. */
const SAME_TEXT_CALLS: ReadonlySet<string> = new Set([
  'builtins.str',
  'django.utils.safestring.mark_safe',
  'django.utils.html.mark_safe',
  'django.utils.safestring.SafeString',
  'markupsafe.Markup',
]);

/** Library calls that return what their first argument, a function, returns for the other arguments. */
const CALLS_FIRST_ARGUMENT: ReadonlySet<string> = new Set([
  'anyio.to_thread.run_sync',
  'asyncio.to_thread',
  'starlette.concurrency.run_in_threadpool',
]);

/** A call of a library function by its qualified name. */
/** Calls of what `importlib.import_module(...)` returned (`importlib.import_module().get_asset`). */
const DYNAMIC_MODULE = /^importlib\.import_module\(\)\.[A-Za-z_]\w*$/;

export function callLib(
  it: Interpreter,
  name: string,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame | undefined,
  node: Node,
): Val {
  const mod = frame?.mod ?? 0;
  const trust = libSource(it, name, 'call');
  if (trust) return sourceVal(it, mod, node, textOf(node).replace(/\s+/g, ' '), trust, false, name);
  if (it.sanitizers.has(name) && !switchedOff(name, kwargs)) {
    const cwes = it.sanitizers.get(name);
    let v: Val = CLEAN;
    // Keyword arguments carry data too (`get_object_or_404(Model, pk=pk)`, safe for CWE-501 only).
    for (const a of [...args, ...kwargs.values()]) v = join(v, it.heap.deepData(a));
    v = sanitize(v, cwes);
    return quotesSlashes(name, args, kwargs) ? withLead(v, NO_SLASH_LEAD) : v;
  }
  const summary = BUILTINS.get(name);
  if (summary) return summary(it, args, kwargs, frame, node, name);
  if (CLEAN_CALLS.has(name)) return CLEAN;
  // Output of a process, response of a server: not the arguments' data (methods on it stay library calls).
  if (EXTERNAL_DATA_CALLS.has(name)) return { fns: [{ kind: 'lib', name: `${name}()` }] };
  if (RECORD_CALLS.has(name)) return asRows(it, storedRecord(it), modelClasses(it, args[0] ?? CLEAN));
  // A record or None: an object the analysis does not follow, so that `is None` stays open.
  if (OPTIONAL_RECORD_CALLS.has(name)) return UNKNOWN;
  if (QUERY_APPENDERS.has(name)) return queryAppended(it, args, kwargs, frame, node, name);
  // A function of a module imported by a name built at run time (a plugin or processor of the
  // project, `importlib.import_module(f"app.processors.{kind}")`): code the analysis cannot see,
  // whose result is unknown, not assumed to be its arguments.
  if (DYNAMIC_MODULE.test(name)) return UNKNOWN;
  if (name.startsWith('builtins.') && /\.(isinstance|callable|hasattr|bool|id|hash)$/.test(name))
    return CLEAN;
  // Runs its first argument on the rest in a worker thread and returns what it returned: a
  // project function, or a library one (`asyncio.to_thread(requests.post, url, json=data)` returns
  // the server's response, not the data sent).
  if (
    frame &&
    CALLS_FIRST_ARGUMENT.has(name) &&
    args[0]?.fns?.some((f) => f.kind === 'fn' || f.kind === 'partial' || f.kind === 'lib')
  )
    return callValue(it, args[0], args.slice(1), kwargs, frame, node, []);
  // Higher-order library calls (threads, executors, callbacks): run project callables on the data.
  const callables = args.filter((a) => a.fns?.some((fn) => fn.kind === 'fn' || fn.kind === 'partial'));
  const targetKw = kwargs.get('target');
  const takesFunction = callables.length > 0 || targetKw?.fns !== undefined;
  if (
    frame &&
    takesFunction &&
    !NON_CALLING_CALLS.has(name) &&
    !NON_CALLING_MODULES.some((m) => name.startsWith(m))
  ) {
    const data = args.filter((a) => !callables.includes(a));
    const kwArgs = kwargs.get('args');
    const passed = kwArgs ? (elements(it, kwArgs).exact ?? [elements(it, kwArgs).any]) : data;
    for (const c of [...callables, ...(targetKw ? [targetKw] : [])])
      callValue(it, c, passed, new Map(), frame, node, []);
  }
  let r = unknownCall(it, CLEAN, args, kwargs);
  if (PATH_JOINS.has(name) && staysBelowBase(args)) r = sanitize(r, PATH_TRAVERSAL);
  else if (PATH_JOINS.has(name) && namesEntryOfBase(args)) r = sanitize(r, [ENTRY_OF_BASE]);
  if (name === 're.sub') {
    const pattern = (args[0] ?? kwargs.get('pattern'))?.c?.v;
    const repl = (args[1] ?? kwargs.get('repl'))?.c?.v;
    const text = args[2] ?? kwargs.get('string');
    const safe = charsetSafeCwes(pattern, repl);
    if (safe) r = sanitize(r, safe);
    // What is left holds no `/`: one path segment (see path-segments.ts).
    if (
      text?.t &&
      keepsOneSegment(
        pattern,
        repl,
        text.t.every((f) => f.src.segment),
      )
    )
      r = asSegment(r);
  } // The same text under another type: a segment stays one.
  if (SAME_TEXT_CALLS.has(name) && args.length === 1 && args[0]?.t?.every((f) => f.src.segment))
    r = asSegment(r);

  // A function made with its sanitizing switched off (`create_markdown(escape=False)`) is no
  // library function the models know: calling it passes its arguments' data on.
  if (switchedOff(`${name}()`, kwargs)) return r;
  const kw = kwargs.size > 0 && CLASS_NAME.test(name.slice(name.lastIndexOf('.') + 1)) ? kwargs : undefined;
  return { ...r, fns: [{ kind: 'lib', name: `${name}()`, ...(kw ? { kw } : {}) }] };
}

/** A class by the naming convention (`AuthResult`), not a constant (`MAX_SIZE`) or a function. */
const CLASS_NAME = /^_?[A-Z](?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]*$/;

/** Whether the keywords of a call pass the constant that switches the sanitizer `name` off. */
function switchedOff(name: string, kwargs: Map<string, Val>): boolean {
  const unless = SANITIZER_CONDITIONS.get(name);
  return unless !== undefined && kwargs.get(unless.keyword)?.c?.v === unless.value;
}
