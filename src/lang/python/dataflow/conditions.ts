/**
 * Conditions and guards: a condition's truth when it is constant, and the names it proves safe on
 * each branch (`x in ALLOWED`, `re.fullmatch(p, x)`, `x.isdigit()`, `is_valid(x)`).
 */
import { cloneLocals, joinLocals, type Locals } from '../../../dataflow/locals.js';
import { staysOnSite, weakUrlCheckNote } from '../helpers/url-prefix.js';
import { INJECTION_CWES } from '../../../dataflow/concepts.js';
import { sitePathPattern, withLead } from '../../../dataflow/url-prefix.js';
import { CHECK_CALLS, CHECK_FUNCTIONS, CHECK_METHODS, URL_PARSERS, checkedArgument } from './specs.js';
import { UNKNOWN, isTainted, sanitize, withStep, type Step, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { evalExpr } from './expressions.js';
import type { Interpreter, Frame } from './interpreter.js';
import { truthy } from './literals.js';
import { setLocals } from './statements.js';
import { modelClasses } from './stored.js';
import { named, field, typeOf, textOf, fields } from './syntax.js';
import { jointPolarity } from '../../../dataflow/verdicts.js';
import { checkPolarity } from './verdicts.js';
import { weakValidatorSteps } from './validator-steps.js';

/**
 * What a condition gives each branch: its truth when constant, the states refined for each branch,
 * and the attributes of names (`recipe.file_path`) a project check in it proved on each branch
 * (a check called directly, through `not` and parentheses). Names are narrowed in the states; an
 * attribute is narrowed by the caller, where only that branch goes on (`if not
 * is_path_allowed(recipe.file_path): raise ...`, see control-flow.ts).
 */
export interface ConditionResult {
  truth: boolean | undefined;
  then: Locals;
  else: Locals;
  attributes?: { then: readonly Guarded[]; else: readonly Guarded[] };
}

/** Evaluates a condition: its truth when constant, and the states refined for each branch. */
export function evalCondition(it: Interpreter, node: Node, frame: Frame, st: Locals): ConditionResult {
  setLocals(frame, st);
  if (node.type === 'parenthesized_expression') {
    const inner = named(node)[0];
    if (inner) return evalCondition(it, inner, frame, st);
  }
  if (node.type === 'not_operator') {
    const arg = field(node, 'argument');
    if (arg) {
      const r = evalCondition(it, arg, frame, st);
      return {
        truth: r.truth === undefined ? undefined : !r.truth,
        then: r.else,
        else: r.then,
        ...(r.attributes ? { attributes: { then: r.attributes.else, else: r.attributes.then } } : {}),
      };
    }
  }
  if (node.type === 'boolean_operator') {
    const op = field(node, 'operator')?.text;
    const l = field(node, 'left');
    const r = field(node, 'right');
    if (l && r) {
      const a = evalCondition(it, l, frame, st);
      if (op === 'and') {
        if (a.truth === false) return { truth: false, then: a.then, else: a.else };
        const b = evalCondition(it, r, frame, cloneLocals(a.then));
        const truth = a.truth === true ? b.truth : b.truth === false ? false : undefined;
        const els = joinLocals([a.else, b.else]) ?? a.else;
        // `if settings.CLOUD and is_private_url(url): reject`: the check is skipped only where the
        // application's own setting says so, never by the client's choice.
        if (a.truth === undefined && isSetting(it, l, frame, st)) {
          setLocals(frame, cloneLocals(a.then));
          for (const g of guardedNames(it, unwrapped(r), frame)) {
            const cur = g.positive || g.weak ? undefined : els.get(g.name);
            if (cur) els.set(g.name, sanitize(cur, g.cwe));
          }
          setLocals(frame, b.then);
        }
        return sitePaths(node, { truth, then: b.then, else: els });
      }
      if (a.truth === true) return { truth: true, then: a.then, else: a.else };
      const b = evalCondition(it, r, frame, cloneLocals(a.else));
      const truth = a.truth === false ? b.truth : b.truth === true ? true : undefined;
      return sitePaths(node, { truth, then: joinLocals([a.then, b.then]) ?? b.then, else: b.else });
    }
  }
  const v = evalExpr(it, node, frame, st);
  const after = frame.env.vars;
  let truth: boolean | undefined;
  if (v.c) truth = truthy(v.c.v);
  else if (!v.t && !v.unk && v.o?.length && v.o.every((id) => it.heap.get(id)?.kind === 'instance'))
    truth = true;
  // The condition's value is known: a project check called in it is not run a second time.
  const guarded = guardedNames(it, node, frame, v);
  // What a check called here proves of attributes of names, on each branch (not by a flag).
  const attributes = node.type === 'call' ? guarded.filter((g) => g.name.includes('.') && !g.weak) : [];
  if (guarded.length === 0 && node.type === 'identifier') guarded.push(...flagGuards(it, node, frame, v));
  const lead = truth === undefined ? leadChecked(it, node, frame) : undefined;
  // `if not name: return name`: a falsy value ("", 0, None, an empty container) holds no data.
  const emptied = truth === undefined && node.type === 'identifier' && v.t ? textOf(node) : undefined;
  if ((guarded.length === 0 && !lead && !emptied) || truth !== undefined)
    return { truth, then: after, else: after };
  const then = cloneLocals(after);
  const els = cloneLocals(after);
  const falsy = emptied ? els.get(emptied) : undefined;
  if (emptied && falsy) {
    const { t: _data, ...rest } = falsy;
    els.set(emptied, rest);
  }
  if (lead) {
    const cur = then.get(lead.name);
    if (cur) then.set(lead.name, withLead(cur, lead.text));
  }
  for (const g of guarded) {
    const target = g.positive ? then : els;
    const cur = target.get(g.name);
    if (!cur) continue;
    // A weak URL check: the value stays a redirect target, and its flow says which check it passed.
    const checked = g.weak
      ? withStep(
          (g.steps ?? []).reduce((v, s) => withStep(v, s), cur),
          it.step(frame.mod, g.weak, weakUrlCheckNote(textOf(g.weak))),
        )
      : cur;
    target.set(g.name, sanitize(checked, g.cwe));
  }
  return {
    truth,
    then,
    else: els,
    ...(attributes.length
      ? {
          attributes: {
            then: attributes.filter((g) => g.positive),
            else: attributes.filter((g) => !g.positive),
          },
        }
      : {}),
  };
}

function unwrapped(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && named(n)[0]) n = named(n)[0];
  return n;
}

/** Reads of the process environment by a constant name (`os.getenv("STRICT")`, `os.environ["STRICT"]`). */
const ENVIRONMENT_READS = new Set(['os.getenv', 'os.environ.get']);

/**
 * A condition on the application's own state (`is_cloud`, `settings.STRICT`, `not config.debug`,
 * `mode == "cloud"`, `not os.getenv("ALLOW_PRIVATE")`): names, attributes, the deployment's
 * environment read by a constant name, and comparisons with constants, none of it from a request.
 */
export function isSetting(it: Interpreter, node: Node, frame: Frame, st: Locals): boolean {
  const n = unwrapped(node);
  const mod = it.mods(frame.mod).module;
  const constant = (x: Node | null | undefined): boolean => x?.type === 'string' || x?.type === 'none';
  const simple = (x: Node): boolean => {
    const u = unwrapped(x);
    if (u.type === 'not_operator') {
      const arg = field(u, 'argument');
      return !!arg && simple(arg);
    }
    if (u.type === 'comparison_operator') return named(u).every((o) => simple(o));
    if (u.type === 'call') {
      const fn = field(u, 'function');
      const args = named(field(u, 'arguments') ?? u);
      return (
        !!fn && ENVIRONMENT_READS.has(mod.qualifiedName(fn) ?? '') && args.length > 0 && args.every(constant)
      );
    }
    if (u.type === 'subscript') {
      const value = field(u, 'value');
      return !!value && mod.qualifiedName(value) === 'os.environ' && constant(field(u, 'subscript'));
    }
    return ['identifier', 'attribute', 'string', 'integer', 'true', 'false', 'none'].includes(u.type);
  };
  if (!simple(n)) return false;
  setLocals(frame, st);
  return !isTainted(evalExpr(it, n, frame, st));
}

/** What a check of where a URL leads proves it safe for: a redirect, a request. */
const URL_CWES = [601, 918];

/** A name a condition proves safe on one branch (for some CWEs only, when given). */
export interface Guarded {
  name: string;
  positive: boolean;
  cwe?: readonly number[];
  /** The check, when it proves less than where a redirect leads (see WEAK_URL_CWES). */
  weak?: Node;
  /** Steps inside a weak validator of the project, before the check's own (see validator-steps.ts). */
  steps?: readonly Step[];
}

/**
 * What a check of only the host or scheme `urlparse` finds proves: that no request goes to another
 * server, but not where a redirect leads (`///evil.example` and `/\evil.example` have no host).
 */
const WEAK_URL_CWES = [918];

/** What a project's URL validator that looks only at the parsed host or scheme proves. */
const WEAK_VALIDATOR_CWES = INJECTION_CWES.filter((c) => c !== 601);

/** `x.startswith(prefix)`: the receiver's name and the prefix argument. */
function startsWith(node: Node): { name: string; prefix: Node } | undefined {
  if (node.type !== 'call') return undefined;
  const fn = field(node, 'function');
  const recv = fn?.type === 'attribute' ? field(fn, 'object') : null;
  const prefix = named(field(node, 'arguments') ?? node)[0];
  if (!recv || recv.type !== 'identifier' || field(fn, 'attribute')?.text !== 'startswith' || !prefix)
    return undefined;
  return { name: textOf(recv), prefix };
}

/** `x.startswith("/")` with a constant prefix: where it holds, x begins with that text. */
function leadChecked(it: Interpreter, node: Node, frame: Frame): { name: string; text: string } | undefined {
  const prefixed = startsWith(node);
  if (!prefixed) return undefined;
  const p = evalExpr(it, prefixed.prefix, frame, frame.env.vars);
  return typeof p.c?.v === 'string' && p.c.v ? { name: prefixed.name, text: p.c.v } : undefined;
}

/** The tests that all hold where a condition is `holds`: `a and b` true, `a or b` false, through `not`. */
function conjuncts(node: Node, holds: boolean): { test: Node; holds: boolean }[] {
  const n = unwrapped(node);
  if (n.type === 'not_operator') {
    const arg = field(n, 'argument');
    return arg ? conjuncts(arg, !holds) : [];
  }
  if (n.type !== 'boolean_operator') return [{ test: n, holds }];
  const op = field(n, 'operator')?.text;
  const l = field(n, 'left');
  const r = field(n, 'right');
  if (!l || !r || (op === 'and') !== holds) return [];
  return [...conjuncts(l, holds), ...conjuncts(r, holds)];
}

/**
 * The names a condition proves to be paths of this site where it is `holds`: each starts with `/`
 * and not with `//` (`x.startswith("/") and not x.startswith("//")`, or on the false branch of
 * `not x.startswith("/") or x.startswith(("//", "/\\"))`). Django, Flask and Starlette
 * percent-encode a backslash in the Location they send, so `/\host` does not lead elsewhere there.
 */
function sitePathNames(node: Node, holds: boolean): string[] {
  const quoted = (n: Node, re: RegExp): boolean => n.type === 'string' && re.test(textOf(n));
  const slash = new Set<string>();
  const double = new Set<string>();
  for (const c of conjuncts(node, holds)) {
    const prefixed = startsWith(c.test);
    if (!prefixed) continue;
    const tested = prefixed.prefix.type === 'tuple' ? named(prefixed.prefix) : [prefixed.prefix];
    if (c.holds && quoted(prefixed.prefix, /^[rbu]*(['"])\/\1$/i)) slash.add(prefixed.name);
    if (!c.holds && tested.some((t) => quoted(t, /^[rbu]*(['"])\/\/\1$/i))) double.add(prefixed.name);
  }
  return [...slash].filter((name) => double.has(name));
}

/** A condition's branches with the names it proves to be paths of this site made safe there. */
function sitePaths(
  node: Node,
  r: { truth: boolean | undefined; then: Locals; else: Locals },
): { truth: boolean | undefined; then: Locals; else: Locals } {
  for (const [branch, holds] of [
    [r.then, true],
    [r.else, false],
  ] as const) {
    for (const name of sitePathNames(node, holds)) {
      const cur = branch.get(name);
      if (cur) branch.set(name, sanitize(cur, URL_CWES));
    }
  }
  return r;
}

/**
 * `urlparse(x).netloc` (also through `parts = urlsplit(x)`, or a name bound once to it): the name of the URL whose host part
 * is read.
 */
function urlHostOf(it: Interpreter, node: Node, frame: Frame): string | undefined {
  const mod = it.mods(frame.mod).module;
  // `host = urlparse(url).hostname`, bound once: the same host.
  if (node.type === 'identifier') {
    const bound = mod.singleValue(node);
    return bound?.type === 'attribute' ? urlHostOf(it, bound, frame) : undefined;
  }
  if (node.type !== 'attribute' || !/^(netloc|hostname)$/.test(field(node, 'attribute')?.text ?? ''))
    return undefined;
  let parsed = field(node, 'object');
  if (parsed?.type === 'identifier') parsed = mod.singleValue(parsed) ?? null;
  const fn = parsed?.type === 'call' ? field(parsed, 'function') : null;
  const q = fn ? mod.qualifiedName(fn) : undefined;
  let url = parsed ? named(field(parsed, 'arguments') ?? parsed)[0] : undefined;
  // `urlparse(state["next"][0])`: an item of a name, read with constant keys.
  while (url?.type === 'subscript' && isConstantKey(field(url, 'subscript')))
    url = field(url, 'value') ?? undefined;
  return q && URL_PARSERS.has(q) && url?.type === 'identifier' ? textOf(url) : undefined;
}

/** Calls that keep the host they get: the address it resolves to, the address object it parses. */
const HOST_RESOLVERS = new Set([
  'socket.gethostbyname',
  'ipaddress.ip_address',
  'ipaddress.IPv4Address',
  'ipaddress.IPv6Address',
]);

/**
 * The URL whose host an expression is: `urlparse(url).hostname` (see urlHostOf), a name bound once
 * to it (`host = parsed.hostname`), or the address it resolves to (`socket.gethostbyname(host)`,
 * `ipaddress.ip_address(...)`, bound to a name or not). A check of that address is one of the URL.
 */
function urlOfCheckedHost(
  it: Interpreter,
  node: Node | null | undefined,
  frame: Frame,
  depth = 0,
): string | undefined {
  if (!node || depth > 4) return undefined;
  const host = urlHostOf(it, node, frame);
  if (host) return host;
  const mod = it.mods(frame.mod).module;
  if (node.type === 'identifier') {
    const bound = mod.singleValue(node);
    return bound ? urlOfCheckedHost(it, bound, frame, depth + 1) : undefined;
  }
  if (node.type !== 'call') return undefined;
  const fn = field(node, 'function');
  const q = fn ? mod.qualifiedName(fn) : undefined;
  const arg = named(field(node, 'arguments') ?? node)[0];
  return q && HOST_RESOLVERS.has(q) ? urlOfCheckedHost(it, arg, frame, depth + 1) : undefined;
}

function isConstantKey(key: Node | null | undefined): boolean {
  return key?.type === 'string' || key?.type === 'integer';
}

/** The host the request was sent to (`request.host`, `request.get_host()`, the netloc of `request.host_url`). */
const REQUEST_HOST = /(?:^|\.)(?:host|get_host\(\))$|host\w*\.netloc$/;

/** Whether a constant is the empty text or a collection holding it. */
function holdsEmpty(v: unknown): boolean {
  return v === '' || (Array.isArray(v) && v.some((x) => x === ''));
}

/** What a containment check of a normalised path proves it safe for: leaving its directory. */
const PATH_CWES = [22, 73];

/** Calls whose result has no `..` segment left: a containment check of it means what it says. */
const PATH_NORMALISERS = new Set(['os.path.realpath', 'os.path.abspath', 'os.path.normpath']);

/**
 * The name a containment check covers, when the checked path is normalised (`..` resolved): the
 * name itself when bound once to `os.path.realpath(...)`, `abspath`, `normpath` or `<path>.resolve()`;
 * the argument of such a call checked in place (`os.path.realpath(x).startswith(root)`). A joined
 * path that was not normalised passes a prefix check with `root/../etc` in it.
 */
function normalisedPathName(it: Interpreter, node: Node, frame: Frame): string | undefined {
  const mod = it.mods(frame.mod).module;
  const normalises = (n: Node | null | undefined): Node | undefined => {
    if (n?.type !== 'call') return undefined;
    const fn = field(n, 'function');
    const q = fn ? mod.qualifiedName(fn) : undefined;
    if (q && PATH_NORMALISERS.has(q)) return named(field(n, 'arguments') ?? n)[0] ?? undefined;
    if (fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'resolve')
      return field(fn, 'object') ?? undefined;
    return undefined;
  };
  if (node.type === 'identifier') return normalises(mod.singleValue(node)) ? textOf(node) : undefined;
  const inner = normalises(node);
  return inner?.type === 'identifier' ? textOf(inner) : undefined;
}

/**
 * A containment check of a normalised path against a root the request did not choose:
 * `p.startswith(ROOT)`, `p.is_relative_to(ROOT)`, `os.path.commonpath([ROOT, p]) == ROOT` (and
 * `commonprefix`, whose character-wise weakness `python/path-prefix-check` reports). The name it
 * proves, and whether the check holds on the true branch.
 */
function pathContained(it: Interpreter, node: Node, frame: Frame): Guarded | undefined {
  const mod = it.mods(frame.mod).module;
  const own = (n: Node): boolean => !isTainted(evalExpr(it, n, frame, frame.env.vars));
  if (node.type === 'call') {
    const fn = field(node, 'function');
    const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    const recv = fn?.type === 'attribute' ? field(fn, 'object') : null;
    const root = named(field(node, 'arguments') ?? node)[0];
    if (!recv || !root || (method !== 'startswith' && method !== 'is_relative_to')) return undefined;
    const name = normalisedPathName(it, recv, frame);
    return name && own(root) ? { name, positive: true, cwe: PATH_CWES } : undefined;
  }
  if (node.type !== 'comparison_operator') return undefined;
  const ops = fields(node, 'operators').map((o) => textOf(o));
  const operands = named(node);
  if (operands.length !== 2 || (ops[0] !== '==' && ops[0] !== '!=')) return undefined;
  const common = operands.findIndex((o) => {
    const fn = o.type === 'call' ? field(o, 'function') : null;
    const q = fn ? mod.qualifiedName(fn) : undefined;
    return q === 'os.path.commonpath' || q === 'os.path.commonprefix';
  });
  if (common < 0 || !own(operands[1 - common])) return undefined;
  const list = named(field(operands[common], 'arguments') ?? operands[common])[0];
  if (list?.type !== 'list' && list?.type !== 'tuple') return undefined;
  const paths = named(list);
  const checked = paths.map((p) => normalisedPathName(it, p, frame));
  const at = checked.findIndex((n) => n !== undefined);
  if (at < 0 || !paths.every((p, i) => i === at || own(p))) return undefined;
  return { name: checked[at] as string, positive: ops[0] === '==', cwe: PATH_CWES };
}

/**
 * Names a condition proves safe: `x in ALLOWED`, `re.fullmatch(p, x)`, `x.isdigit()`, `is_valid(x)`.
 * `value` is the condition's value when the caller has already evaluated it (or, for a flag, the
 * value the call it was assigned from returned): a project check's call is then not run again.
 */
export function guardedNames(it: Interpreter, node: Node, frame: Frame, value?: Val): Guarded[] {
  const mod = it.mods(frame.mod).module;
  // `if urlparse(x).netloc:` is false for a path of this site.
  const host = urlHostOf(it, node, frame);
  if (host) {
    const weak = weakHostCheck(node);
    return [{ name: host, positive: false, cwe: weak ? WEAK_URL_CWES : URL_CWES, weak }];
  }
  const contained = pathContained(it, node, frame);
  if (contained) return [contained];
  // `ip_address(gethostbyname(urlparse(url).hostname)).is_private`: true for every private,
  // loopback and link-local address; where it is false (or `is_global` true), the URL's host is a
  // public address.
  const addressTest = node.type === 'attribute' ? field(node, 'attribute')?.text : undefined;
  if (addressTest === 'is_private' || addressTest === 'is_global') {
    const url = urlOfCheckedHost(it, field(node, 'object'), frame);
    if (url) return [{ name: url, positive: addressTest === 'is_global', cwe: WEAK_URL_CWES }];
  }
  if (node.type === 'comparison_operator') {
    const ops = fields(node, 'operators').map((o) => textOf(o).replace(/\s+/g, ' '));
    const operands = named(node);
    const hostOf = operands.length === 2 ? urlHostOf(it, operands[0], frame) : undefined;
    if (hostOf && ['==', '!=', 'in', 'not in'].includes(ops[0])) {
      // Compared with a known host, an allow-list or '': anything the client did not choose.
      const rhs = evalExpr(it, operands[1], frame, frame.env.vars);
      const positive = ops[0] === '==' || ops[0] === 'in';
      // Equal to '' (or in a list with ''): no more than the host is empty.
      const weak = !isTainted(rhs) && rhs.c && holdsEmpty(rhs.c.v) ? weakHostCheck(node) : undefined;
      if (weak) return [{ name: hostOf, positive, cwe: WEAK_URL_CWES, weak }];
      // The host the browser sent the request to is the site's own for the user redirected.
      if (!isTainted(rhs) || REQUEST_HOST.test(textOf(operands[1]).replace(/\s+/g, '')))
        return [{ name: hostOf, positive, cwe: URL_CWES }];
    }
    if (operands.length === 2 && operands[0].type === 'identifier') {
      const rhs = evalExpr(it, operands[1], frame, frame.env.vars);
      // A collection the request did not fill (constants, the application's configuration, what
      // the application stored): a member of it is one of the application's own values.
      const ownSet = !rhs.t || rhs.t.every((f) => f.src.stored);
      if ((ops[0] === 'in' || ops[0] === 'not in') && ownSet)
        return [{ name: operands[0].text, positive: ops[0] === 'in' }];
      // Equal to a value the request did not write (a constant, a stored record's field).
      if ((ops[0] === '==' || ops[0] === '!=') && ownSet)
        return [{ name: operands[0].text, positive: ops[0] === '==' }];
    }
    if (operands.length === 2 && operands[0].type === 'call' && (ops[0] === 'is not' || ops[0] === '!=')) {
      if (operands[1].type === 'none') return guardedNames(it, operands[0], frame);
    }
    // `found is not None` where `found = next((r for r in OWN if r.key == x), None)`.
    if (operands.length === 2 && operands[1].type === 'none' && (ops[0] === 'is not' || ops[0] === 'is')) {
      const name = foundIn(it, operands[0], frame);
      if (name) return [{ name, positive: ops[0] === 'is not' }];
    }
    return [];
  }
  const found = foundIn(it, node, frame);
  if (found) return [{ name: found, positive: true }];
  if (node.type === 'call') {
    const fn = field(node, 'function');
    const args = named(field(node, 'arguments') ?? node).filter((a) => typeOf(a) !== 'keyword_argument');
    if (!fn) return [];
    if (fn.type === 'attribute') {
      const m = field(fn, 'attribute')?.text ?? '';
      const recv = field(fn, 'object');
      const rq = recv ? mod.qualifiedName(recv) : undefined;
      const recvIsModule = rq !== undefined && !rq.includes('(');
      if (!recvIsModule && (m === 'fullmatch' || m === 'match') && args[0]?.type === 'identifier') {
        // A compiled pattern: `PATTERN.fullmatch(x)`.
        const pattern = recv ? evalExpr(it, recv, frame, frame.env.vars) : UNKNOWN;
        if (m === 'fullmatch' || !pattern.t) return [{ name: args[0].text, positive: true }];
      }
      if (CHECK_METHODS.has(m) && m !== 'fullmatch' && recv?.type === 'identifier' && !recvIsModule)
        return [{ name: textOf(recv), positive: true }];
    }
    // `url.startswith(BASE_URL)`: a prefix that keeps it on a site of the application's choosing.
    const prefixed = startsWith(node);
    if (prefixed) {
      // A tuple of prefixes (`startswith(("http://", "https://"))`) is a container, not a constant:
      // each of them must keep the URL on a site.
      const t = prefixed.prefix.type;
      const listed = t === 'tuple' || t === 'list' ? named(prefixed.prefix) : [prefixed.prefix];
      const fixed =
        listed.length > 0 &&
        listed.every((e) => {
          const p = evalExpr(it, e, frame, frame.env.vars);
          const texts = p.c ? (Array.isArray(p.c.v) ? p.c.v : [p.c.v]) : undefined;
          return texts
            ? texts.every((x) => typeof x === 'string' && x !== '/' && staysOnSite(x))
            : !isTainted(p);
        });
      if (fixed) return [{ name: prefixed.name, positive: true, cwe: URL_CWES }];
    }
    // `any(r.key == x for r in OWN)`: x equals one of the application's own values.
    const gen = field(node, 'arguments');
    if (mod.qualifiedName(fn) === 'builtins.any' && gen?.type === 'generator_expression') {
      const name = equalToMember(it, gen, field(gen, 'body'), frame);
      if (name) return [{ name, positive: true }];
    }
    const shortName = textOf(fn).split('.').pop() ?? '';
    const byName = CHECK_FUNCTIONS.get(shortName);
    const checked = byName ? checkedArgument(node, byName.arg, shortName) : undefined;
    if (byName && checked?.type === 'identifier')
      return [{ name: textOf(checked), positive: true, cwe: byName.cwe }];
    const q = mod.qualifiedName(fn);
    const at = q ? CHECK_CALLS.get(q) : undefined;
    if (q && at !== undefined && at >= 0) {
      const pat = args[0] ? evalExpr(it, args[0], frame, frame.env.vars) : undefined;
      const subject = checkedArgument(node, at, q);
      // `re.match(r"/[^/\\]", x)`: a path of this site (see sitePathNames); not with MULTILINE,
      // where `^` also matches after a line break.
      const site =
        q === 're.match' && typeof pat?.c?.v === 'string' && !/\bM(ULTILINE)?\b/.test(textOf(node))
          ? sitePathPattern(pat.c.v, true)
          : undefined;
      if (site && subject?.type === 'identifier')
        return [{ name: textOf(subject), positive: true, cwe: URL_CWES }];
      if (q === 're.match' && !(typeof pat?.c?.v === 'string' && /(\$|\\Z)$/.test(pat.c.v))) return [];
      if (q === 'builtins.isinstance') {
        const t = args[1]?.text ?? '';
        // `isinstance(obj, Language)` with a database model: a row, not the client's text
        // (`redirect(obj)` goes to its `get_absolute_url()`), whatever chose it.
        const cls = args[1] ? evalExpr(it, args[1], frame, frame.env.vars) : undefined;
        const row = !!cls?.o?.length && modelClasses(it, cls).length === cls.o.length;
        if (!row && !/^(int|float|bool|\(int, float\)|uuid\.UUID|UUID)$/.test(t)) return [];
      }
      if (subject?.type === 'identifier') return [{ name: textOf(subject), positive: true }];
    }
    // A project validator: a function of the project whose result is a clean boolean. Only a name
    // that says it checks (or what it refuses) makes one, so no other call is evaluated here.
    if (!refusedBy(shortName) && !VALIDATOR_NAME.test(shortName)) return [];
    const cv = evalExpr(it, fn, frame, frame.env.vars);
    if (cv.fns?.some((f) => f.kind === 'fn')) {
      const r = value ?? evalExpr(it, node, frame, frame.env.vars);
      // Its result may be unknown (a library's match object compared with None) but carries no data.
      // A name that says what it finds is the danger (`is_private_url(url)`) proves it on false.
      const refused = r.t ? undefined : refusedBy(shortName);
      if (refused === 'deny-list') return [];
      // A check that answers with what is wrong (`return "too long"`, `None` when all is well)
      // passed where its result is falsy; one whose result decides nothing proves nothing.
      const polarity = jointPolarity(
        cv.fns.map((f) =>
          f.kind === 'fn' && f.def.type === 'function_definition' ? checkPolarity(f.def) : undefined,
        ),
      );
      if (polarity === 'none' && !refused) return [];
      const answers = polarity === 'error' && !refused;
      if (refused)
        return [
          ...args
            .filter((a) => a.type === 'identifier')
            .map((a) => ({ name: textOf(a), positive: false, ...(refused.cwe ? { cwe: refused.cwe } : {}) })),
          // `is_private_hostname(urlparse(url).hostname)`: where the URL's host is not private, the
          // URL is safe to request.
          ...(refused.cwe?.includes(918)
            ? args.flatMap((a) => {
                const url = urlOfCheckedHost(it, a, frame);
                return url ? [{ name: url, positive: false, cwe: WEAK_URL_CWES }] : [];
              })
            : []),
        ];
      // The message of one that answers with what is wrong may quote the value it refused.
      if ((!r.t || answers) && VALIDATOR_NAME.test(shortName)) {
        const weakFn = cv.fns.find((f) => f.kind === 'fn' && looksOnlyAtParsedHost(f.def));
        // A name, or an attribute of a name (`recipe.file_path`, see ConditionResult.attributes).
        return args.flatMap((a, i) =>
          a.type !== 'identifier' && !attributeOfName(a)
            ? []
            : [
                {
                  name: textOf(a),
                  positive: !answers,
                  ...(weakFn?.kind === 'fn'
                    ? {
                        cwe: WEAK_VALIDATOR_CWES,
                        weak: node,
                        steps: weakValidatorSteps(it, weakFn, weakFn.self !== undefined, i, frame.mod, a),
                      }
                    : {}),
                },
              ],
        );
      }
    }
  }
  return [];
}

/** `x.attr`: an attribute of a name. */
function attributeOfName(n: Node): boolean {
  return n.type === 'attribute' && field(n, 'object')?.type === 'identifier';
}

/** A project function named for the check it makes (`is_valid_url`, `check_path`, `url_is_safe`). */
const VALIDATOR_NAME = /valid|safe|allow|check|is_|ok|permit|whitelist|sanit/i;

/** Calls that hold a regular expression's match: what a parser reads groups from. */
const REGEX_MATCHING = new Set(['match', 'fullmatch', 'search']);

/**
 * `ok = url_has_allowed_host_and_scheme(url, ...)` then `if ok:`: a flag assigned once, in the
 * same function, from a check proves on its branches what the check would, provided that no name
 * the check proves safe is bound anywhere after the flag's assignment (the flag would then speak
 * of an older value). Only a call, not a comparison or a boolean expression, is read so, and not a
 * regular expression's match.
 */
function flagGuards(it: Interpreter, node: Node, frame: Frame, value: Val): Guarded[] {
  const module = it.mods(frame.mod).module;
  const scope = module.scopeOf(node);
  const found = scope.lookup(textOf(node));
  const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (only?.kind !== 'value' || only.value.type !== 'call' || only.node.startIndex > node.startIndex)
    return [];
  if (module.scopeOf(only.node) !== scope) return [];
  // `m = PATTERN.match(text)` then `if m:` holds a match object a parser reads groups from, not a
  // verdict on the whole text: no guard.
  const fn = field(only.value, 'function');
  const callee = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
  if (callee && REGEX_MATCHING.has(callee)) return [];
  const assignedAt = only.node.startIndex;
  // The flag holds what the call returned: the call is not run again.
  return guardedNames(it, only.value, frame, value).filter((g) => {
    const bindings = scope.lookup(g.name)?.bindings ?? [];
    return bindings.every((b) => b.node.startIndex < assignedAt);
  });
}

/**
 * What a project predicate named for what it rejects proves when it returns false: a private,
 * reserved or loopback address (`is_private_url(url)`, `is_reserved_ip(host)`) is a target a
 * request must not reach, so a value it does not find so is safe for SSRF only; a value not found
 * invalid or unsafe passed the check for everything a validator's would. A deny-list's
 * (`is_blocked(url)`, `is_blacklisted`, `is_forbidden`) proves nothing: what it does not list may
 * still be anything. Checked before the validator names, which `invalid` and `unsafe` contain.
 */
function refusedBy(fnName: string): { cwe?: readonly number[] } | 'deny-list' | undefined {
  if (
    /(^|_)(not|non|no)_?(private|reserved|loopback|link|internal|local|invalid|unsafe|blocked|black|forbidden|denied|banned)/i.test(
      fnName,
    )
  )
    return undefined;
  if (
    /private|reserved|loopback|link_?local|(internal|local)_?(ip|addr|address|host|network|net)/i.test(fnName)
  )
    return { cwe: [918] };
  if (/invalid|unsafe/i.test(fnName)) return {};
  if (/blocked|black_?listed|forbidden|denied|banned|not_?allowed|disallowed/i.test(fnName))
    return 'deny-list';
  return undefined;
}

/**
 * `found` bound once to `next((r for r in OWN if r.key == x), None)`: when it is found, x equals a
 * value of a collection the request did not fill (the application's own releases, a configured
 * list); the name it proves.
 */
function foundIn(it: Interpreter, node: Node, frame: Frame): string | undefined {
  if (node.type !== 'identifier') return undefined;
  const mod = it.mods(frame.mod).module;
  const value = mod.singleValue(node);
  const fn = value?.type === 'call' ? field(value, 'function') : null;
  if (!value || !fn || mod.qualifiedName(fn) !== 'builtins.next') return undefined;
  const args = field(value, 'arguments');
  const gen = args?.type === 'generator_expression' ? args : args ? named(args)[0] : undefined;
  if (gen?.type !== 'generator_expression') return undefined;
  const test = named(gen).find((c) => c.type === 'if_clause');
  return test ? equalToMember(it, gen, named(test)[0], frame) : undefined;
}

/**
 * A generator over one collection the request did not fill whose test is `<member part> == x`
 * (or `x == ...`): the name x, which the test proves equal to one of the collection's values.
 */
function equalToMember(
  it: Interpreter,
  gen: Node,
  test: Node | null | undefined,
  frame: Frame,
): string | undefined {
  const clauses = named(gen).filter((c) => c.type === 'for_in_clause');
  if (!test || test.type !== 'comparison_operator' || clauses.length !== 1) return undefined;
  const loopVar = field(clauses[0], 'left');
  const collection = field(clauses[0], 'right');
  const ops = fields(test, 'operators').map((o) => textOf(o));
  const operands = named(test);
  if (!loopVar || !collection || ops.length !== 1 || ops[0] !== '==' || operands.length !== 2)
    return undefined;
  const bound = new Set(loopVar.type === 'identifier' ? [textOf(loopVar)] : named(loopVar).map(textOf));
  const usesLoopVar = (n: Node): boolean =>
    (n.type === 'identifier' && bound.has(textOf(n))) || named(n).some(usesLoopVar);
  const [a, b] = operands;
  const subject =
    a.type === 'identifier' && !bound.has(textOf(a)) && usesLoopVar(b)
      ? a
      : b.type === 'identifier' && !bound.has(textOf(b)) && usesLoopVar(a)
        ? b
        : undefined;
  if (!subject) return undefined;
  return isTainted(evalExpr(it, collection, frame, frame.env.vars)) ? undefined : textOf(subject);
}

/**
 * Whether code that checks the parsed host also deals with some form `urlparse` reads as a path with
 * no host, or decides by more than the host: a regular expression or a library check, the path
 * resolved against the site's routes (`resolve(parts.path)`), a backslash (`url.replace("\\",
 * "%5C")`) or a run of leading slashes (`startswith("///")`, `lstrip("/")`). Its author thought of
 * those forms; a check that does not is weak beyond doubt.
 */
function rejectsBrowserForms(text: string): boolean {
  if (
    /\b(?:re\.\w+|\w+\.(?:match|search|fullmatch)|url_has_allowed_host_and_scheme|is_safe_url|resolve)\s*\(/.test(
      text,
    )
  )
    return true;
  return /\\\\/.test(text) || /(["'])\/\/+\1|\.l?strip\(\s*(["'])\//.test(text);
}

/**
 * A URL validator of the project that decides by the host or scheme `urlparse`/`urlsplit` find
 * (`if parts.netloc or parts.scheme: return False`) and by nothing that rejects the other forms.
 */
function looksOnlyAtParsedHost(def: Node): boolean {
  const text = codeText(def);
  return /\.(?:netloc|scheme|hostname)\b/.test(text) && !rejectsBrowserForms(text);
}

/** A check of the parsed host whose function does not deal with the forms it misses: the check, or none. */
function weakHostCheck(node: Node): Node | undefined {
  let def: Node | null = node.parent;
  while (def && def.type !== 'function_definition') def = def.parent;
  return def && rejectsBrowserForms(codeText(def)) ? undefined : node;
}

/** The text of a function without its comments. */
function codeText(def: Node): string {
  let text = textOf(def);
  for (const c of def.descendantsOfType('comment')) if (c) text = text.replace(textOf(c), '');
  return text;
}
