import { stringValue } from './constants.js';
import { ownReturns } from './functions.js';
import { INTERNAL_URL_CALLS } from '../models/index.js';
import type { PythonModule } from '../semantic/scope.js';
import type { Node } from '../../../parsing/parser.js';

/** The constant text a URL expression starts with; `complete` when the whole value is that text. */
interface Prefix {
  text: string;
  complete: boolean;
}

const NONE: Prefix = { text: '', complete: false };
const MAX_HOPS = 8;

function prefixOf(node: Node, module: PythonModule, hops: number): Prefix {
  if (hops > MAX_HOPS) return NONE;
  const whole = stringValue(node, module);
  if (whole !== undefined) return { text: whole, complete: true };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? prefixOf(inner, module, hops + 1) : NONE;
    }
    case 'identifier':
      return namePrefix(node, module, hops);
    case 'string': {
      // f"https://host/{x}": the literal parts up to the first non-constant interpolation.
      let text = '';
      for (const c of node.namedChildren) {
        if (!c || c.type === 'string_start' || c.type === 'string_end') continue;
        if (c.type === 'interpolation') {
          const e = c.childForFieldName('expression') ?? c.namedChildren[0];
          const p = e ? prefixOf(e, module, hops + 1) : NONE;
          text += p.text;
          if (!p.complete) return { text, complete: false };
        } else text += c.text;
      }
      return { text, complete: false };
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return NONE;
      const l = prefixOf(left, module, hops + 1);
      if (op === '+') {
        if (!l.complete) return l;
        // "/" + s.lstrip("/\\"): no slash can follow, so the first path segment has begun (or the
        // value is the site's root).
        if (l.text.endsWith('/') && stripsLeadingSlashes(right, module))
          return { text: l.text + SEGMENT_BEGUN, complete: false };
        const r = prefixOf(right, module, hops + 1);
        return { text: l.text + r.text, complete: r.complete };
      }
      // "https://host/%s" % x: the text before the first conversion.
      if (op === '%' && l.complete) return { text: l.text.split('%')[0], complete: false };
      return NONE;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      // "https://host/{}".format(x): the text before the first field.
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const receiver = fn.childForFieldName('object');
        const fmt = receiver ? stringValue(receiver, module) : undefined;
        if (fmt === undefined) return NONE;
        // "{}?{}".format(reverse(...), qs): the first argument, then the text up to the next field.
        const lead = /^\{(0?|:s)\}([^{]*)/.exec(fmt);
        const first = args[0]?.type === 'keyword_argument' ? undefined : args[0];
        if (lead && first) {
          const p = prefixOf(first, module, hops + 1);
          return p.complete ? { text: p.text + lead[2], complete: false } : p;
        }
        return { text: fmt.split('{')[0], complete: false };
      }
      if (fn?.type === 'identifier') {
        const returned = returnedPrefix(fn, module, hops);
        if (returned) return returned;
      }
      // url_for("view"): a path of the application, which begins with "/".
      // Its text stands for that path, which whatever is appended continues.
      if (fn && isInternalUrl(fn, module)) return { text: '/', complete: true };
      // urljoin(base, ref): the host stays the base's only when ref is a relative reference
      // (an absolute or scheme-relative ref replaces it).
      const callee = fn ? module.qualifiedName(fn) : undefined;
      if (callee === 'urllib.parse.urljoin' && args[0] && args[1]) {
        const base = prefixOf(args[0], module, hops + 1);
        const ref = prefixOf(args[1], module, hops + 1);
        if (base.complete && fixesHost(base.text) && isRelativeRef(ref.text))
          return { text: base.text, complete: false };
      }
      return NONE;
    }
    default:
      return NONE;
  }
}

/** Stands for a character that is neither a slash nor a backslash, at the end of a prefix's text. */
const SEGMENT_BEGUN = '_';

/**
 * `s.lstrip("/\\")` (or `.lstrip` of any set holding both slashes): text that does not begin with a
 * slash a browser reads as one.
 */
function stripsLeadingSlashes(node: Node, module: PythonModule): boolean {
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'lstrip') return false;
  const chars = node.childForFieldName('arguments')?.namedChildren[0];
  const text = chars ? stringValue(chars, module) : undefined;
  return text !== undefined && text.includes('/') && text.includes('\\');
}

/**
 * What a function of the module returns, when every return agrees: one constant text, or a query
 * or fragment (`"?" + qs`) or nothing, which appended to a path keeps it a path.
 */
function returnedPrefix(fn: Node, module: PythonModule, hops: number): Prefix | undefined {
  const def = module.singleDefinition(fn);
  if (def?.type !== 'function_definition') return undefined;
  const prefixes: Prefix[] = [];
  for (const ret of ownReturns(def)) {
    const value = ret.firstNamedChild;
    if (!value) return undefined;
    prefixes.push(prefixOf(value, module, hops + 1));
  }
  const [first] = prefixes;
  if (!first) return undefined;
  if (prefixes.every((p) => p.complete && p.text === first.text)) return first;
  if (prefixes.every((p) => (p.complete && p.text === '') || /^[?#]/.test(p.text)))
    return { text: '?', complete: false };
  return prefixes.reduce(commonPrefix);
}

function isInternalUrl(fn: Node, module: PythonModule): boolean {
  const q = module.qualifiedName(fn);
  if (q && INTERNAL_URL_CALLS.has(q)) return true;
  return (
    fn.type === 'attribute' && INTERNAL_URL_CALLS.has(`.${fn.childForFieldName('attribute')?.text ?? ''}`)
  );
}

/**
 * A name's prefix: what all its assignments start with (`url = reverse(...)` then `url += qs`
 * keeps the start; `+=` only appends).
 */
function namePrefix(node: Node, module: PythonModule, hops: number): Prefix {
  const found = module.scopeOf(node).lookup(node.text);
  if (!found) return NONE;
  let common: Prefix | undefined;
  const appends: Node[] = [];
  for (const b of found.bindings) {
    if (b.kind === 'opaque' && b.node.type === 'augmented_assignment') {
      if (b.node.childForFieldName('operator')?.text !== '+=') return NONE;
      appends.push(b.node);
      continue;
    }
    if (b.kind !== 'value') return NONE;
    const p = prefixOf(b.value, module, hops + 1);
    common = common === undefined ? p : commonPrefix(common, p);
  }
  if (!common || appends.length === 0) return common ?? NONE;
  // Assigned once, then appended to: its text goes on with the first append's.
  const first = appends.sort((a, b) => a.startIndex - b.startIndex)[0];
  const right = first.childForFieldName('right');
  if (!common.complete || found.bindings.length - appends.length !== 1 || !right)
    return { text: common.text, complete: false };
  return { text: common.text + prefixOf(right, module, hops + 1).text, complete: false };
}

function commonPrefix(a: Prefix, b: Prefix): Prefix {
  if (a.complete && b.complete && a.text === b.text) return a;
  let i = 0;
  while (i < a.text.length && i < b.text.length && a.text[i] === b.text[i]) i++;
  return { text: a.text.slice(0, i), complete: false };
}

/** `scheme://host/`, `scheme://host?` or `scheme://host#`: the part that picks the server is over. */
function fixesHost(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+[/?#]/i.test(text);
}

/** A reference that urljoin resolves against the base's host: a path, query or fragment. */
function isRelativeRef(text: string): boolean {
  if (/^[/\\]{2}/.test(text)) return false;
  // A path segment (or query/fragment) has begun before any ':' that could end a scheme.
  return /^[^:/?#\\]*[/?#]/.test(text) && !/^[/\\][/\\]/.test(text);
}

/**
 * True when the URL expression starts with constant text that fixes the scheme and host (as in
 * `f"https://partner.example.com/accounts/{account}"`): whatever is appended only picks the path,
 * query or fragment on that server.
 */
export function urlHasFixedHost(node: Node, module: PythonModule): boolean {
  return fixesHost(prefixOf(node, module, 0).text);
}

/**
 * Whether text a URL starts with keeps a redirect on the site: a path with its first segment begun
 * (`/account/`, not `/` nor `//`, which a browser reads as another host), a query or fragment of
 * the current page, or a fixed `scheme://host/`.
 */
export function staysOnSite(text: string): boolean {
  return /^\/[^/\\]/.test(text) || /^[?#]/.test(text) || fixesHost(text);
}

/**
 * True when a redirect target starts with text that keeps it on the site (a constant path, a
 * query, `url_for(...)` followed by a path or query, a fixed host): what follows only picks a page.
 */
export function redirectStaysOnSite(node: Node, module: PythonModule): boolean {
  const p = prefixOf(node, module, 0);
  return p.complete ? staysOnSite(p.text) || p.text === '/' : staysOnSite(p.text);
}

/**
 * The note of a flow step where a redirect target passed a check that looks only at what
 * `urlparse`/`urlsplit` call its host or scheme: an empty host is also what they find in
 * `///evil.example`, `/\evil.example` and `\\evil.example`, which browsers send to another host.
 */
const WEAK_CHECK = 'does not reject';

export function weakUrlCheckNote(check: string): string {
  return `the check \`${check}\` ${WEAK_CHECK} \`///evil.example\` or \`/\\evil.example\`, which urlparse reads as a path with no host and browsers as another host`;
}

/** The weak check a flow passed, as its step note says, or none. */
export function weakUrlCheck(notes: readonly string[]): string | undefined {
  return notes.find((n) => n.includes(`\` ${WEAK_CHECK} \`///`));
}
