/**
 * Method calls on values that are not project objects: strings and values of unknown type, and the
 * built-in containers (lists, dicts, sets), whose methods are a table of summaries.
 */
import { CLEAN_METHODS, REQUEST_OBJECT_ATTRIBUTES, SANITIZER_METHODS, SINGLETON_ACCESSORS } from './specs.js';
import { inherits } from './entry-points.js';
import {
  CLEAN,
  UNKNOWN,
  constVal,
  dataOf,
  join,
  sanitize,
  withStep,
  type Val,
  type ConstValue,
} from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { libName, getAttr } from './attributes.js';
import { callValue, unknownCall } from './calls.js';
import type { Interpreter, Frame } from './interpreter.js';
import { sourceVal, environItem, relabel } from './sources.js';
import { bindLocal } from './statements.js';
import { containerMethod } from './containers.js';
import { REQUEST_DATA_METHODS } from '../models/index.js';
import { definesMethod, isRecordLookup, storedRecord } from './records.js';
import { asRows, chainModels, formSave, managerWrite, saveWrite } from './stored.js';
import { field, named, textOf } from './syntax.js';
import { elements } from './targets.js';
import { filledTemplate, formattedArgument, formattedFields, UrlPrefix } from './url-authority.js';
import { NO_SLASH_LEAD, withLead } from '../../../dataflow/url-prefix.js';
import { constKey } from '../../../dataflow/heap.js';
import { evalExpr } from './expressions.js';
import { NO_DOT, PATH_TRAVERSAL, staysBelowBase } from './path-segments.js';

/** Methods that add their arguments to the receiver (a buffer, array or builder of unknown type). */
const MUTATORS: ReadonlySet<string> = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'write',
  'writelines',
  'put',
  'push',
  'appendleft',
  'extendleft',
  'frombytes',
  'fromlist',
  'fromunicode',
]);

/**
 * The parts of a parsed URL (`urlsplit`'s or `urlparse`'s named tuple) that come after its host and
 * path: given to `parts._replace(query=q)`, they cannot pick the site a redirect leads to.
 */
const URL_TAIL_PARTS: ReadonlySet<string> = new Set(['query', 'fragment', 'params']);

/** What text without a line break is safe for: CRLF, response splitting and log injection. */
const ONE_LINE: readonly number[] = [93, 113, 117];

/** String methods whose result is a list of pieces of the receiver. */
const SPLITTING_METHODS: ReadonlySet<string> = new Set(['split', 'splitlines', 'rsplit', 'partition']);

/** String methods folded on a constant receiver with constant arguments (`c`). */
const STRING_FOLDS: ReadonlyMap<string, (s: string, c: ConstValue[]) => ConstValue | undefined> = new Map([
  ['upper', (s) => s.toUpperCase()],
  ['lower', (s) => s.toLowerCase()],
  ['strip', (s) => s.trim()],
  ['lstrip', (s) => s.trimStart()],
  ['rstrip', (s) => s.trimEnd()],
  [
    'replace',
    (s, c) => (typeof c[0] === 'string' && typeof c[1] === 'string' ? s.split(c[0]).join(c[1]) : undefined),
  ],
  [
    'format',
    (s, c) => {
      let i = 0;
      return s.replace(/\{(\d*)\}/g, (_m, n: string) => String(c[n ? Number(n) : i++] ?? ''));
    },
  ],
  ['encode', (s) => s],
  ['decode', (s) => s],
]);

function foldStringMethod(
  s: string,
  method: string,
  args: Val[],
  kwargs: ReadonlyMap<string, Val>,
): ConstValue | undefined {
  const c = args.map((a) => a.c?.v);
  if (c.some((x) => x === undefined)) return undefined;
  if (kwargs.size === 0) return STRING_FOLDS.get(method)?.(s, c as ConstValue[]);
  // `'git clone {address}'.format(address=x)`: folded only when every keyword is a constant too.
  if (method !== 'format') return undefined;
  const named = new Map<string, ConstValue>();
  for (const [k, v] of kwargs) {
    if (v.c === undefined) return undefined;
    named.set(k, v.c.v);
  }
  const positional = STRING_FOLDS.get(method)?.(s, c as ConstValue[]);
  return typeof positional === 'string'
    ? positional.replace(/\{([A-Za-z_]\w*)\}/g, (m, k: string) => (named.has(k) ? String(named.get(k)) : m))
    : undefined;
}

/**
 * A method call `recv.method(args)`: on a project object, the method it has; on a container, its
 * summary; on a string or a value of unknown type, what the method does to the data.
 */
export function callMethod(
  it: Interpreter,
  recv: Val,
  method: string,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame,
  node: Node,
  recvNode: Node,
  argNodes: Node[],
): Val {
  // The client's data a manager call or a save writes into a model's fields (stored.ts).
  managerWrite(it, method, recvNode, kwargs, frame, node);
  saveWrite(it, method, recv, frame, node);
  formSave(it, method, recv, frame, node);
  // A row of a database query: its arguments select it and are not in it.
  if (isRecordLookup(it, recv, method, recvNode, argNodes, kwargs))
    return asRows(it, storedRecord(it), chainModels(it, recvNode, frame));
  // A template read from configuration that the client did not write (a provider's URL,
  // `"https://api.example/{ticker}"` in settings): its author placed the fields, the scheme and host.
  // A local name may hold one of several constants, which the checks of constant templates judge.
  const configured = recvNode.type === 'attribute' || libName(recv) !== undefined;
  if (method === 'format' && configured && !recv.c && !recv.t && !definesMethod(it, recv, method)) {
    let filled: Val = UNKNOWN;
    for (const a of [...args, ...kwargs.values()]) filled = join(filled, filledTemplate(it.heap.deepData(a)));
    return filled;
  }
  const out = dispatchMethod(it, recv, method, args, kwargs, frame, node, recvNode, argNodes);
  const sanitizer = SANITIZER_METHODS.get(method)?.find(
    (m) => !m.receiver || m.receiver.test(textOf(recvNode)),
  );
  return sanitizer && out.t ? sanitize(out, sanitizer.cwe) : out;
}

function dispatchMethod(
  it: Interpreter,
  recv: Val,
  method: string,
  args: Val[],
  kwargs: Map<string, Val>,
  frame: Frame,
  node: Node,
  recvNode: Node,
  argNodes: Node[],
): Val {
  if (method === '_replace' && !recv.o?.length) return replacedUrlParts(it, recv, args, kwargs);
  // Project objects: look the method up on the instance, its class or module.
  const containers = (recv.o ?? []).filter((id) => {
    const k = it.heap.get(id)?.kind;
    return k === 'list' || k === 'dict';
  });
  if (containers.length && containers.length === recv.o?.length) {
    const r = containerMethod(it, recv, containers, method, args, kwargs, frame, node, recvNode);
    // A name that holds this container on one path and the client's data on another (`data = {}`,
    // then `data = request.json` in a branch): the method of the data's half too.
    if (!recv.t) return r;
    return join(r, dispatchMethod(it, dataOf(recv), method, args, kwargs, frame, node, recvNode, argNodes));
  }
  if (recv.o?.length || recv.fns?.some((f) => f.kind === 'super') || (libName(recv) && !recv.t)) {
    const m = getAttr(it, recv, method, frame.mod, field(node, 'function') ?? node);
    if (m.fns?.length || m.o?.length) return callValue(it, m, args, kwargs, frame, node, argNodes);
    // A request handler's method that reads the client (`self.get_argument("q")`): its result.
    if (recv.req && m.t) return m;
    const made = singletonInstance(it, recv, method, frame, node);
    if (made) return made;
    if (recv.o?.length && !recv.t) return m.t || m.unk ? unknownCall(it, m, args, kwargs) : UNKNOWN;
  }
  if (recv.gen && (method === 'send' || method === '__next__')) return recv.gen;
  // A request object's method that reads the client (`handler.get_argument("q")`).
  if (recv.req && REQUEST_OBJECT_ATTRIBUTES.has(method)) {
    const fn = field(node, 'function') ?? node;
    const m = getAttr(it, recv, method, frame.mod, fn);
    // A getter of one named item (`request.getHeader("user-agent")`) is named by its call.
    if (m.t && REQUEST_DATA_METHODS.has(method) && args.length > 0)
      return relabel(it, m, fn, node, frame.mod);
    if (m.t) return m;
  }
  // Strings and values of unknown type.
  if (CLEAN_METHODS.has(method)) return recv.unk || args.some((a) => a.unk) ? CLEAN : CLEAN;
  const lower = it.lowerMethods.get(method);
  if (lower) return sourceVal(it, frame.mod, node, textOf(node), lower);
  if (recv.c && typeof recv.c.v === 'string') {
    const folded = foldStringMethod(recv.c.v, method, args, kwargs);
    if (folded !== undefined) return constVal(folded);
  }
  if (method === 'join') {
    const items = args[0] ? elements(it, args[0]) : undefined;
    // `"/".join([realm_id, shard, token, name])`: a relative path that stays below its first part
    // when the client's parts are one segment each (see path-segments.ts).
    if (recv.c?.v === '/' && items?.exact && staysBelowBase(items.exact))
      return sanitize(join(dataOf(recv), it.heap.deepData(items.any)), PATH_TRAVERSAL);
    const joined = args[0] && argNodes[0] ? joinedUrl(it, recvNode, frame, args[0], argNodes[0]) : undefined;
    if (joined) return joined;
    return join(dataOf(recv), it.heap.deepData(items?.any ?? CLEAN));
  }
  if (SPLITTING_METHODS.has(method)) {
    const v = it.heap.newList([]);
    // The lines `splitlines()` gives hold no line break (it splits at every one, `\r` and `\u2028`
    // too): they cannot start a new header, response or log line, as a header value cannot.
    let piece = method === 'splitlines' ? sanitize(dataOf(recv), ONE_LINE) : dataOf(recv);
    // Every piece of `name.split(".")` holds no dot (with a maximum count, one piece may).
    if (
      (method === 'split' || method === 'rsplit') &&
      args.length === 1 &&
      kwargs.size === 0 &&
      args[0]?.c?.v === '.'
    )
      piece = sanitize(piece, [NO_DOT]);
    it.heap.writeElem(v.o, piece);
    return v;
  }
  if (MUTATORS.has(method) && recvNode.type === 'identifier' && !recv.o) {
    // A buffer, array or builder of unknown type: what is added to it is now part of it.
    let added: Val = CLEAN;
    for (const a of args) added = join(added, it.heap.deepData(a));
    // One a sanitizing constructor made (`buf = io.BytesIO()`, an in-memory file): what is written
    // into it is cleaned as that constructor's argument would be (its content, never a path).
    const module = it.mods(frame.mod).module;
    const made = module.singleValue(recvNode);
    const maker = made?.type === 'call' ? field(made, 'function') : undefined;
    const cwes = maker ? it.sanitizers.get(module.qualifiedName(maker) ?? '') : undefined;
    if (cwes && added.t) added = sanitize(added, cwes);
    if (added.t)
      bindLocal(
        it,
        frame,
        textOf(recvNode),
        join(recv, withStep(added, it.step(frame.mod, node, `added to \`${textOf(recvNode)}\``))),
      );
  }
  if (method === 'replace' && recv.t && typeof args[0]?.c?.v === 'string' && /[\r\n]/.test(args[0].c.v)) {
    // Removing line breaks neutralises log and header injection.
    return sanitize(join(dataOf(recv), dataOf(args[1] ?? CLEAN)), [113, 117]);
  }
  let out = dataOf(recv);
  if (method === 'get' && args[0]) out = relabel(it, environItem(out, args[0]), recvNode, node, frame.mod);
  else if (out.t && REQUEST_DATA_METHODS.has(method)) out = relabel(it, out, recvNode, node, frame.mod);
  // `"https://host/{}".format(x)`: what fills the fields cannot pick the server.
  const fmt = method === 'format' && typeof recv.c?.v === 'string' ? recv.c.v : undefined;
  const piece = (a: Val): Val =>
    fmt === undefined ? it.heap.deepData(a) : formattedArgument(fmt, '{', it.heap.deepData(a));
  // Each field judged by the text before it, when the template is one read field by field.
  const fields =
    fmt === undefined
      ? undefined
      : formattedFields(
          fmt,
          args.map((a) => it.heap.deepData(a)),
          new Map([...kwargs].map(([k, a]) => [k, it.heap.deepData(a)])),
        );
  // `mapping.get(key, default)`: the key only chooses an entry the mapping already held; the
  // default may be the result. A library call named `get` (an HTTP client's) may build its result
  // from its arguments.
  const lookup = method === 'get' && !libName(recv);
  if (fields) for (const a of [...fields.args, ...fields.kwargs.values()]) out = join(out, a);
  else {
    for (const [i, a] of args.entries()) if (!(lookup && i === 0)) out = join(out, piece(a));
    for (const a of kwargs.values()) out = join(out, piece(a));
  }
  if (!recv.t && !recv.unk && !recv.c && !args.some((a) => a.t || a.unk)) return UNKNOWN;
  if (recv.t && stripsLeadingSlashes(method, args, recv)) out = withLead(out, NO_SLASH_LEAD);
  return recv.c && !out.t && !out.unk ? UNKNOWN : out;
}

/**
 * `parts._replace(query=q)` on a value that is no project object: a named tuple, in practice the
 * parts of a parsed URL (`urlsplit`'s or `urlparse`'s). The query, fragment and params it sets come
 * after the URL's host and path, so they cannot pick the site a redirect leads to; other parts keep
 * their data, and so does the rest of the receiver.
 */
function replacedUrlParts(it: Interpreter, recv: Val, args: Val[], kwargs: Map<string, Val>): Val {
  let out = dataOf(recv);
  for (const a of args) out = join(out, it.heap.deepData(a));
  for (const [k, a] of kwargs)
    out = join(out, URL_TAIL_PARTS.has(k) ? sanitize(it.heap.deepData(a), [601]) : it.heap.deepData(a));
  return out.t || out.unk ? out : UNKNOWN;
}

/**
 * `self.hub_auth_class.instance()`: a singleton accessor of the classes' library base (see
 * SINGLETON_ACCESSORS) called on project classes makes an instance of them, whose methods the
 * analysis then follows.
 */
function singletonInstance(
  it: Interpreter,
  recv: Val,
  method: string,
  frame: Frame,
  node: Node,
): Val | undefined {
  const bases = SINGLETON_ACCESSORS.get(method);
  const classes = recv.o ?? [];
  if (!bases || !classes.length || recv.t) return undefined;
  if (!classes.every((id) => it.heap.get(id)?.kind === 'class' && inherits(it, id, bases))) return undefined;
  const made: Val = { fns: classes.map((obj) => ({ kind: 'class' as const, obj })) };
  return callValue(it, made, [], new Map(), frame, node, []);
}

/**
 * `s.lstrip("/\\")` (or `strip`): text that does not begin with a slash or a backslash. Slashes
 * alone are enough for the request's own path as the client sent it (see SourceInfo `rawPath`).
 */
function stripsLeadingSlashes(method: string, args: Val[], recv: Val): boolean {
  const chars = args[0]?.c?.v;
  if ((method !== 'lstrip' && method !== 'strip') || typeof chars !== 'string' || !chars.includes('/'))
    return false;
  return chars.includes('\\') || !!recv.t?.every((f) => f.src.rawPath);
}

/** The texts a separator may be: a constant, or either constant of `"&" if "?" in url else "?"`. */
function separatorTexts(node: Node, frame: Frame, it: Interpreter, hops = 0): string[] | undefined {
  if (node.type === 'string') {
    const v = evalExpr(it, node, frame, frame.env.vars).c?.v;
    return typeof v === 'string' ? [v] : undefined;
  }
  if (node.type === 'conditional_expression') {
    const [a, , b] = named(node);
    const ta = a ? separatorTexts(a, frame, it, hops + 1) : undefined;
    const tb = b ? separatorTexts(b, frame, it, hops + 1) : undefined;
    return ta && tb ? [...ta, ...tb] : undefined;
  }
  if (node.type === 'identifier' && hops < 4) {
    const bound = it.mods(frame.mod).module.singleValue(node);
    return bound ? separatorTexts(bound, frame, it, hops + 1) : undefined;
  }
  return undefined;
}

/**
 * `"".join([path, *rest])`, `sep.join([self._url, query])`: a list written out, joined by a constant
 * separator (or one of two), is text built piece by piece from its first item (see UrlPrefix): once
 * that item and the separator settle where the URL leads (`"/" + p.strip("/")` then `?`), the later
 * items only pick a page there. Undefined when the list or separator is not one of these.
 */
function joinedUrl(
  it: Interpreter,
  recvNode: Node,
  frame: Frame,
  list: Val,
  listNode: Node,
): Val | undefined {
  if (listNode.type !== 'list' && listNode.type !== 'tuple') return undefined;
  const firstNode = named(listNode)[0];
  const obj = list.o?.length === 1 ? it.heap.get(list.o[0]) : undefined;
  if (!firstNode || firstNode.type === 'list_splat' || obj?.kind !== 'list') return undefined;
  const seps = separatorTexts(recvNode, frame, it);
  if (!seps?.length) return undefined;
  const first = it.heap.deepData(obj.fields.get(constKey(0)) ?? CLEAN);
  let rest: Val = obj.elem ? it.heap.deepData(obj.elem) : CLEAN;
  for (const [k, v] of obj.fields) if (k !== constKey(0)) rest = join(rest, it.heap.deepData(v));
  if (!rest.t) return undefined;
  // The later items are safe for what every separator leaves them safe for.
  let safe: readonly number[] | undefined;
  seps.forEach((sep, i) => {
    const url = new UrlPrefix();
    url.add(first);
    url.add(constVal(sep), sep);
    url.add(rest);
    const s = url.safeAfterData ?? [];
    safe = i === 0 ? s : (safe ?? []).filter((c) => s.includes(c));
  });
  return join(first, safe?.length ? sanitize(rest, safe) : rest);
}
