/**
 * Conditions that prove a name safe on one branch: an anchored regular expression of word
 * characters (`/^\w+$/.test(x)`), membership in a constant list (`ALLOWED.includes(x)`), a type
 * test (`typeof x === 'number'`; `'string'` only for `TEXT_SAFE_CWES`), equality with a constant
 * (`x === 'a'`, `ctx.headers.host === 'example.com'`: the name or member path is that constant).
 * `whenTrue` says on which branch the name is safe.
 */
import type { Node } from '../../../parsing/parser.js';
import { escapeRegExp } from '../../../core/escape.js';
import { codeOf } from '../../../rules/messages.js';
import { stringLiteral } from '../semantic/constant.js';
import { safeAfter, sitePathPattern } from '../../../dataflow/url-prefix.js';
import { TEXT_SAFE_CWES } from '../models/library.js';
import type { JsModule } from '../semantic/model.js';
import { unwrap } from '../semantic/scope.js';
import { jointPolarity, type Polarity } from '../../../dataflow/verdicts.js';
import { checkPolarity } from './verdicts.js';

export interface Guard {
  /** A name, or a member path of one (`ctx.headers.host`) when `path` is set. */
  name: string;
  whenTrue: boolean;
  /** The weaknesses the name is safe for on that branch (default: all). */
  cwes?: readonly number[];
  /** The constant the name equals on that branch (`x === 'a'`): it becomes that value. */
  equals?: Node;
  /** `name` is a member path (letters, digits, `_`, `$` and dots), narrowed where it is read. */
  path?: boolean;
  /** The member path as written, for a path guard without `equals` (its value, made safe). */
  node?: Node;
  /**
   * A redirect check that proves less than it seems (`x.startsWith('/')` lets `//evil.example`
   * through): nothing is made safe, and the flow notes the check (see `weakRedirectCheck`).
   */
  weak?: { node: Node; note: string };
}

const WEAK_CHECK = 'lets through';

/** The note of the last weak redirect check on a flow, as `ownPathGuards` wrote it, or none. */
export function weakRedirectCheck(notes: readonly string[]): string | undefined {
  // The check nearest the sink: an earlier one may be on a path the value did not take here.
  return [...notes].reverse().find((n) => n.startsWith('the check `') && n.includes(`\` ${WEAK_CHECK} \``));
}

/** The text of a string literal without substitutions or escapes, else undefined. */
function stringText(n: Node): string | undefined {
  const parts = n.namedChildren;
  if (parts.some((c) => c.type !== 'string_fragment')) return undefined;
  return parts.map((c) => c.text).join('');
}

const LITERAL = /^(string|number|true|false|null)$/;
const PATH = /^[\w$]+(\.[\w$]+)+$/;

/** `x === 'a'`, `'a' == ctx.headers.host`, `x !== 1`: the name or member path and the constant. */
function equalityGuard(op: string, l: Node | null, r: Node | null): Guard[] {
  if (!l || !r || !/^[!=]==?$/.test(op)) return [];
  const [subject, constant] = LITERAL.test(r.type)
    ? [unwrap(l), r]
    : LITERAL.test(l.type)
      ? [unwrap(r), l]
      : [];
  if (
    !subject ||
    !constant ||
    (constant.type === 'string' && constant.namedChildren.some((c) => c.type !== 'string_fragment'))
  )
    return [];
  const whenTrue = op.startsWith('=');
  if (subject.type === 'identifier') return [{ name: subject.text, whenTrue, equals: constant }];
  if (subject.type === 'member_expression' && PATH.test(subject.text))
    return [{ name: subject.text, whenTrue, equals: constant, path: true }];
  return [];
}

/** An anchored pattern whose characters cannot spell a separator, a quote or shell syntax. */
export function safePattern(regex: Node): boolean {
  const pattern = regex.childForFieldName('pattern')?.text ?? '';
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return false;
  const body = pattern
    .slice(1, -1)
    .replace(/\\[wd]/g, '')
    .replace(/[a-zA-Z0-9_\-[\]+*{},?()]/g, '');
  return body === '' || /^(\\-)*$/.test(body);
}

/** The name of a function that checks what it is given (`isURLAllowed`, `validateHost`, `isSafePath`). */
const VALIDATOR = /valid|safe|allow|permit|whitelist|sanit/i;

/** Also a check's name when its returns say how it answers (`checkHost`, `verifyPath`). */
const CHECK_NAME = /check|verif/i;

/** The project functions a callee may be (their definitions), or undefined when it is none of the project's. */
export type Callees = (fn: Node) => readonly Node[] | undefined;

/** How a call's result reads as a condition, from the returns of the project functions it calls. */
function callPolarity(call: Node, callees?: Callees): Polarity | undefined {
  const fn = call.childForFieldName('function');
  const defs = fn && callees ? callees(fn) : undefined;
  return defs?.length ? jointPolarity(defs.map(checkPolarity)) : undefined;
}

/**
 * A call of a validator (`isURLAllowed(url, list)`, `policy.isAllowed(host)`), by its name as the
 * Python pack's project validators: the names it is given are safe where it passed. A project
 * function's returns say where that is (`checkPolarity`): where the result is true for one that
 * answers with a verdict, where it is falsy for one that answers with what is wrong
 * (`if (validateName(n)) return res.status(400).send(...)`), nowhere for one whose result decides
 * nothing. A callee of unknown returns is read by its name (true where it passed).
 */
function validatorCall(call: Node, module?: JsModule, callees?: Callees): Guard[] {
  const name = calleeName(call);
  if (!name) return [];
  const refused = refusedBy(name);
  if (refused === 'deny-list') return [];
  if (refused)
    return [
      ...checkedArguments(call).map((a) => guardOn(a, false, refused.cwes)),
      // `isPrivateHost(new URL(url).hostname)`: where the URL's host is not private, the URL is safe
      // to request.
      ...(refused.cwes?.includes(918) && module
        ? checkedArguments(call, true).flatMap((a) => {
            const url = urlOfHost(a, module);
            return url ? [guardOn(url, false, refused.cwes)] : [];
          })
        : []),
    ];
  const polarity = VALIDATOR.test(name) || CHECK_NAME.test(name) ? callPolarity(call, callees) : undefined;
  if (polarity === 'none' || (!polarity && !VALIDATOR.test(name))) return [];
  return checkedArguments(call).map((a) => guardOn(a, polarity !== 'error'));
}

/** The name a call is made by (`check` for `check(x)` and `policy.check(x)`), else undefined. */
function calleeName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'member_expression' ? fn.childForFieldName('property') : fn;
  return name && /^(identifier|property_identifier)$/.test(name.type) ? name.text : undefined;
}

/** A call's arguments a guard can name: names and member paths (`req.body`); with `any`, all of them. */
function checkedArguments(call: Node, any = false): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? [])
    .map((a) => unwrap(a))
    .filter((a) => any || a.type === 'identifier' || (a.type === 'member_expression' && PATH.test(a.text)));
}

/** The guard on a name or member path (see checkedArguments). */
function guardOn(n: Node, whenTrue: boolean, cwes?: readonly number[]): Guard {
  return {
    name: n.text,
    whenTrue,
    ...(cwes ? { cwes } : {}),
    ...(n.type === 'member_expression' ? { path: true, node: n } : {}),
  };
}

/**
 * What a check named for what it refuses proves where it is false, as the Python pack's project
 * predicates: a private, reserved, loopback or internal address (`isPrivateIp(host)`,
 * `ip.isLoopback(addr)`) is a place a request must not reach, so a value not found so is safe for
 * SSRF only; one not found invalid or unsafe (`isInvalidPath(p)`, `isUnsafeUrl(u)`) passed the check
 * for all a validator's would. A deny-list's (`isBlocked(url)`, `isForbidden`, `notAllowed`) proves
 * nothing: what it does not list may still be anything. Read before the validator names, which
 * `invalid`, `unsafe` and `disallowed` contain; a negated name (`isNotPrivate`) is none of these.
 */
export function refusedBy(name: string): { cwes?: readonly number[] } | 'deny-list' | undefined {
  if (
    /(^|[_a-z])(not|non|no)_?(private|reserved|loopback|link|internal|local|invalid|unsafe|blocked|black|forbidden|denied|banned)/i.test(
      name,
    )
  )
    return undefined;
  if (/blocked|black_?listed|(deny|block)_?list|forbidden|denied|banned|not_?allowed|disallowed/i.test(name))
    return 'deny-list';
  if (
    /private|reserved|loopback|link_?local|(internal|local)_?(ip|addr|address|host|hostname|network|net)\b/i.test(
      name,
    )
  )
    return { cwes: SSRF_CWES };
  if (/invalid|unsafe/i.test(name)) return {};
  return undefined;
}

const SSRF_CWES = [918];

/** How deep a host is followed back through names to the URL it was read from. */
const MAX_HOST_DEPTH = 3;

/**
 * The URL whose host an expression is (`new URL(url).hostname`, `parsed.host` with `const parsed =
 * new URL(url)`, `const { hostname } = new URL(url)`): the name or member path given to the parser.
 */
function urlOfHost(n: Node, module: JsModule, depth = 0): Node | undefined {
  if (depth > MAX_HOST_DEPTH) return undefined;
  if (n.type === 'member_expression') {
    const prop = n.childForFieldName('property')?.text;
    const object = n.childForFieldName('object');
    return prop && HOST_PARTS.has(prop) && object ? parsedUrl(unwrap(object), module, depth) : undefined;
  }
  if (n.type !== 'identifier') return undefined;
  const bindings = module.bindingsOf(n);
  const only = bindings?.length === 1 ? bindings[0] : undefined;
  if (only?.kind === 'value' && only.declaration !== 'assign')
    return urlOfHost(unwrap(only.value), module, depth + 1);
  if (only?.kind === 'property' && HOST_PARTS.has(only.key))
    return parsedUrl(unwrap(only.object), module, depth);
  return undefined;
}

const HOST_PARTS = new Set(['host', 'hostname']);

/** The URL a parsed URL was made from (`new URL(x)`, `url.parse(x)`, a name bound once to one). */
function parsedUrl(n: Node, module: JsModule, depth: number): Node | undefined {
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    return value && depth < MAX_HOST_DEPTH ? parsedUrl(unwrap(value), module, depth + 1) : undefined;
  }
  const fn =
    n.type === 'new_expression'
      ? n.childForFieldName('constructor')
      : n.type === 'call_expression'
        ? n.childForFieldName('function')
        : undefined;
  const q = fn ? (module.qualifiedName(fn) ?? fn.text) : undefined;
  if (!q || !/^(URL|url\.URL|url\.parse)$/.test(q)) return undefined;
  const arg = n.childForFieldName('arguments')?.namedChildren[0];
  const url = arg ? unwrap(arg) : undefined;
  return url && (url.type === 'identifier' || (url.type === 'member_expression' && PATH.test(url.text)))
    ? url
    : undefined;
}

/** Weaknesses a path checked to stay in a folder is safe for. */
const CONTAINED_CWES = [22, 23, 36, 73];

/** Functions whose result is a path with its `.` and `..` segments resolved, by canonical name. */
const RESOLVING =
  /^(path\.(posix\.|win32\.)?(resolve|normalize|join)|fs\.realpathSync(\.native)?|fs\.promises\.realpath|fs\/promises\.realpath)$/;

/** Whether a name is bound once to a resolved path (`const full = path.resolve(dir, name)`). */
function resolvedPath(name: Node, module: JsModule): boolean {
  let value = module.singleValue(name);
  value = value ? unwrap(value) : undefined;
  if (value?.type === 'await_expression') value = value.namedChildren[0];
  const fn = value?.type === 'call_expression' ? value.childForFieldName('function') : undefined;
  return !!fn && RESOLVING.test(module.qualifiedName(fn) ?? '');
}

/** The tests that all hold where a condition is `holds`: `a && b` true, `a || b` false, through `!`. */
function conjuncts(cond: Node, holds: boolean): { test: Node; holds: boolean }[] {
  const n = unwrap(cond);
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
    const arg = n.childForFieldName('argument');
    return arg ? conjuncts(arg, !holds) : [];
  }
  const op = n.type === 'binary_expression' ? n.childForFieldName('operator')?.text : undefined;
  if ((op === '&&' && holds) || (op === '||' && !holds)) {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    return l && r ? [...conjuncts(l, holds), ...conjuncts(r, holds)] : [];
  }
  return op === '&&' || op === '||' ? [] : [{ test: n, holds }];
}

/**
 * What one test says of where a redirect target leads: it starts with `/` (`x.startsWith('/')`,
 * `x[0] === '/'`), its second character is not `/` (`!x.startsWith('//')`) or not `\`
 * (`!x.startsWith('/\\')`, `!x.includes('\\')`), or several (`/^\/[^/\\]/.test(x)`).
 */
function ownPathFacts(test: Node, holds: boolean): { name: string; facts: string[] } | undefined {
  if (test.type === 'binary_expression') {
    // `x[0] === '/'`, `x.charAt(1) !== '/'`, `x[1] !== '\\'`
    const op = test.childForFieldName('operator')?.text ?? '';
    const l = unwrap(test.childForFieldName('left') ?? test);
    const r = test.childForFieldName('right');
    const char = r?.type === 'string' ? stringLiteral(r) : undefined;
    if (!/^[!=]==?$/.test(op) || !char) return undefined;
    const at = /^(\w+)(?:\[([01])\]|\.charAt\(([01])\))$/.exec(l.text);
    if (!at) return undefined;
    const equal = op.startsWith('=') === holds;
    const fact =
      at[2] === '0' || at[3] === '0'
        ? equal && char === '/'
          ? 'slash'
          : undefined
        : !equal && char === '/'
          ? 'no-slash'
          : !equal && char === '\\'
            ? 'no-backslash'
            : undefined;
    return fact ? { name: at[1], facts: [fact] } : undefined;
  }
  if (test.type !== 'call_expression') return undefined;
  const fn = test.childForFieldName('function');
  const arg = test.childForFieldName('arguments')?.namedChildren[0];
  if (fn?.type !== 'member_expression' || !arg) return undefined;
  const object = fn.childForFieldName('object');
  const method = fn.childForFieldName('property')?.text;
  if (method === 'test' && object?.type === 'regex' && holds && arg.type === 'identifier') {
    // With the `m` flag `^` also matches after a line break.
    if (object.childForFieldName('flags')?.text.includes('m')) return undefined;
    const site = sitePathPattern(object.childForFieldName('pattern')?.text ?? '', false);
    return site
      ? { name: arg.text, facts: ['slash', 'no-slash', ...(site.backslash ? ['no-backslash'] : [])] }
      : undefined;
  }
  if (object?.type !== 'identifier' || arg.type !== 'string') return undefined;
  const text = stringLiteral(arg);
  if (method === 'startsWith' && text === '/' && holds) return { name: object.text, facts: ['slash'] };
  if (method === 'startsWith' && text === '//' && !holds) return { name: object.text, facts: ['no-slash'] };
  if (method === 'startsWith' && text === '/\\' && !holds)
    return { name: object.text, facts: ['no-backslash'] };
  if (method === 'includes' && text === '\\' && !holds) return { name: object.text, facts: ['no-backslash'] };
  return undefined;
}

/**
 * A redirect target checked to be a path of this site: it starts with `/` and its next character
 * is neither `/` nor `\` (`if (!next.startsWith('/') || next.startsWith('//') ||
 * next.includes('\\')) return`). Browsers read `//host` and `/\host` as another site, so a check
 * that misses either proves nothing (`//evil.example` passes a lone `startsWith('/')`).
 */
function ownPathGuards(cond: Node): Guard[] {
  const guards: Guard[] = [];
  for (const whenTrue of [true, false]) {
    const facts = new Map<string, Set<string>>();
    const read = conjuncts(cond, whenTrue).map(({ test, holds }) => ({
      test,
      found: ownPathFacts(test, holds),
    }));
    // A name also tested in a way not read here: no claim of what the check lets through.
    const other = (name: string): boolean =>
      read.some(
        ({ test, found }) =>
          !found && new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(test.text),
      );
    for (const { found } of read) {
      if (!found) continue;
      const set = facts.get(found.name) ?? new Set<string>();
      for (const f of found.facts) set.add(f);
      facts.set(found.name, set);
    }
    for (const [name, set] of facts) {
      if (!set.has('slash')) continue;
      if (set.has('no-slash') && set.has('no-backslash')) {
        guards.push({ name, whenTrue, cwes: REDIRECT_CWES });
        continue;
      }
      if (other(name)) continue;
      const lets = set.has('no-slash') ? '/\\evil.example' : '//evil.example';
      const note = `the check \`${codeOf(unwrap(cond), 80)}\` ${WEAK_CHECK} \`${lets}\`, which browsers read as another site`;
      guards.push({ name, whenTrue, cwes: [], weak: { node: cond, note } });
    }
  }
  return guards;
}

const REDIRECT_CWES = [601];

/**
 * Guards of a condition; `module` resolves the names it tests (what a name is bound to), for the
 * guards that depend on it.
 */
export function guardsOf(cond: Node, module?: JsModule, callees?: Callees): Guard[] {
  return [...ownPathGuards(cond), ...testGuards(cond, module, 0, callees)];
}

/** A name for what went wrong (`err`, `error`, `validationErrors`, `invalid`). */
const ERROR_NAME = /^(e|err|errors?|invalid|fail(ed|ure)?|problems?)$|(Errors?|Invalid|Failure)$/i;

/** Names a test is read through at most (`const ok = a && b; if (ok)`, `b` itself a name of one). */
const MAX_HELD_TESTS = 3;

/**
 * The guards of the test a constant holds (`const allowed = isURLAllowed(url, list); if (allowed)`),
 * on the names it checked that are not assigned again between the test and the condition.
 */
function heldTestGuards(name: Node, module: JsModule, held: number, callees?: Callees): Guard[] {
  const value = module.singleValue(name);
  if (!value) return resultGuards(name, module, callees);
  if (held >= MAX_HELD_TESTS) return [];
  // `const error = validateHost(url); if (error) return;`: a validator that answers with what is
  // wrong holds the opposite verdict. The returns of a project function tell which it is; for
  // another, a name for what went wrong says so, and which names the result speaks of is unknown.
  let call = unwrap(value);
  if (call.type === 'await_expression' && call.namedChildren[0]) call = unwrap(call.namedChildren[0]);
  const answers = call.type === 'call_expression' && callPolarity(call, callees) !== undefined;
  if (!answers && ERROR_NAME.test(name.text)) return resultGuards(name, module, callees);
  const at = (g: Guard): Node | undefined =>
    value.descendantsOfType('identifier').find((i) => i.text === g.name) ?? undefined;
  return testGuards(value, module, held + 1, callees).filter((g) => {
    if (g.path || g.equals || g.weak) return false;
    const checked = at(g);
    const bindings = checked ? module.bindingsOf(checked) : undefined;
    return (
      !!bindings &&
      !bindings.some((b) => b.node.startIndex >= value.endIndex && b.node.startIndex < name.startIndex)
    );
  });
}

/** Names for the part of a check's result that holds what went wrong, if anything (`error`). */
const FAILED_PART = /^(e|err|error|invalid|fail(ed|ure)?|problem)$|(Error|Invalid|Failure)$/;

/** Names for the list of what went wrong, empty where the check passed (`errors.length`). */
const FAILURES_PART = /^(errors|problems|failures|issues)$|(Errors|Problems|Failures|Issues)$/;

/** Names for the part that says the check passed (`const { valid } = check(x)`, `result.success`). */
const PASSED_PART = /^(valid|isValid|ok|success|succeeded|allowed|isAllowed|passed)$/;

/** Keys of a check's result that hold the value it checked, as it gives it back (Joi's `value`). */
const CHECKED_VALUE_KEY = /^(value|data)$/;

/** What a check gave back, as a test reads it: the check's call, and the name of the part read. */
interface HeldResult {
  call: Node;
  label: string;
  /** The part is a member of the result (`{ error }`, `result.error`), not the whole of it. */
  member: boolean;
  /** The names bound beside it to the value the check gives back (`const { error, value } = ...`). */
  values: Node[];
}

/** A call, through `await` and parentheses, else undefined. */
function callOf(n: Node): Node | undefined {
  let v = unwrap(n);
  if (v.type === 'await_expression' && v.namedChildren[0]) v = unwrap(v.namedChildren[0]);
  return v.type === 'call_expression' ? v : undefined;
}

/** What a name or a member of a name holds of a check's result (see HeldResult). */
function heldResult(part: Node, module: JsModule): HeldResult | undefined {
  if (part.type === 'member_expression') {
    const object = unwrap(part.childForFieldName('object') ?? part);
    const key = part.childForFieldName('property')?.text;
    const value = object.type === 'identifier' ? module.singleValue(object) : undefined;
    const call = value ? callOf(value) : undefined;
    return call && key ? { call, label: key, member: true, values: [] } : undefined;
  }
  if (part.type !== 'identifier') return undefined;
  const bindings = module.bindingsOf(part);
  const only = bindings?.length === 1 ? bindings[0] : undefined;
  if (only?.kind === 'value' && only.declaration !== 'assign') {
    const call = callOf(only.value);
    return call ? { call, label: part.text, member: false, values: [] } : undefined;
  }
  if (only?.kind !== 'property' || only.key.includes('.')) return undefined;
  const call = callOf(only.object);
  if (!call) return undefined;
  // `const { error, value } = schema.validate(body)`: the names bound beside it to the checked value.
  let declarator: Node | null = only.node;
  while (declarator && declarator.type !== 'variable_declarator') declarator = declarator.parent;
  const values = (
    declarator
      ?.childForFieldName('name')
      ?.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']) ?? []
  )
    .filter((n): n is Node => !!n)
    .filter((n) => {
      const b = module.scopeOf(n).lookup(n.text)?.bindings;
      const one = b?.length === 1 ? b[0] : undefined;
      return one?.kind === 'property' && one.object === only.object && CHECKED_VALUE_KEY.test(one.key);
    });
  return { call, label: only.key, member: true, values };
}

/** Whether the name a guard would narrow (a member path's first name) is bound again between two nodes. */
function reboundBetween(n: Node, after: Node, before: Node, module: JsModule): boolean {
  let root = n;
  while (root.type === 'member_expression') root = unwrap(root.childForFieldName('object') ?? root);
  const bindings =
    root.type === 'identifier' || root.type === 'shorthand_property_identifier_pattern'
      ? module.scopeOf(root).lookup(root.text)?.bindings
      : undefined;
  return (
    !bindings ||
    bindings.some((b) => b.node.startIndex >= after.endIndex && b.node.startIndex < before.startIndex)
  );
}

/**
 * A test of what a check gave back, read by the names of its parts: `const { error } =
 * schema.validate(body); if (error) ...`, `result.error`, `const err = validateUrl(url)` of a check
 * whose returns are not the project's, `const { valid } = check(x)`, `result.success`, and the list
 * of what went wrong (`errors.length`, `Object.keys(errors).length` of `const errors =
 * validateForm(form)`). Where the part says the check passed, the names and member paths it was given
 * are safe, and so are the names bound beside it to the value it gives back (Joi's `value`). A
 * list of errors is always truthy: only its length says anything. The whole result of a project
 * check whose returns tell how it answers is read by them (heldTestGuards), not by its holder's name.
 */
function resultGuards(test: Node, module: JsModule | undefined, callees?: Callees): Guard[] {
  if (!module) return [];
  let part = unwrap(test);
  let length = false;
  if (part.type === 'member_expression' && part.childForFieldName('property')?.text === 'length') {
    length = true;
    part = unwrap(part.childForFieldName('object') ?? part);
    // `Object.keys(errors).length`
    const fn = part.type === 'call_expression' ? part.childForFieldName('function')?.text : undefined;
    if (fn && /^Object\.(keys|values|entries)$/.test(fn)) {
      const arg = part.childForFieldName('arguments')?.namedChildren[0];
      if (!arg) return [];
      part = unwrap(arg);
    }
  }
  const held = heldResult(part, module);
  if (!held) return [];
  const verdict = length
    ? FAILED_PART.test(held.label) || FAILURES_PART.test(held.label)
      ? 'failed'
      : undefined
    : FAILED_PART.test(held.label)
      ? 'failed'
      : PASSED_PART.test(held.label)
        ? 'passed'
        : undefined;
  const name = calleeName(held.call);
  if (!verdict || !name || !(VALIDATOR.test(name) || CHECK_NAME.test(name)) || refusedBy(name)) return [];
  if (!held.member && !length && callPolarity(held.call, callees) !== undefined) return [];
  return [...checkedArguments(held.call), ...held.values]
    .filter((n) => !reboundBetween(n, held.call, test, module))
    .map((n) => guardOn(n, verdict === 'passed'));
}

/**
 * `errors.length > 0` (or `!== 0`, `>= 1`): true where the list is not empty, as `errors.length`
 * is; `errors.length === 0` (or `< 1`, `<= 0`) the other way round.
 */
function lengthTest(op: string, l: Node, r: Node): 'nonzero' | 'zero' | undefined {
  const left = unwrap(l);
  if (left.type !== 'member_expression' || left.childForFieldName('property')?.text !== 'length')
    return undefined;
  if (r.type !== 'number') return undefined;
  const k = Number(r.text);
  if ((op === '>' && k === 0) || (/^!==?$/.test(op) && k === 0) || (op === '>=' && k === 1)) return 'nonzero';
  if ((/^===?$/.test(op) && k === 0) || (op === '<' && k === 1) || (op === '<=' && k === 0)) return 'zero';
  return undefined;
}

/** The guards each test of a condition proves alone (see guardsOf). */
function testGuards(cond: Node, module?: JsModule, held = 0, callees?: Callees): Guard[] {
  const n = unwrap(cond);
  // `if (await isAllowed(url))`: the verdict the promise holds.
  if (n.type === 'await_expression' && n.namedChildren[0])
    return testGuards(n.namedChildren[0], module, held, callees);
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
    const arg = n.childForFieldName('argument');
    return arg ? testGuards(arg, module, held, callees).map((g) => ({ ...g, whenTrue: !g.whenTrue })) : [];
  }
  if (n.type === 'identifier' && module) return heldTestGuards(n, module, held, callees);
  if (n.type === 'member_expression') return resultGuards(n, module, callees);
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    const arg = n.childForFieldName('arguments')?.namedChildren[0];
    const validated = validatorCall(n, module, callees);
    if (validated.length) return validated;
    if (fn?.type !== 'member_expression' || !arg) return [];
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('property')?.text;
    if (method === 'test' && object?.type === 'regex' && safePattern(object))
      return [{ name: arg.text, whenTrue: true }];
    // `url.startsWith('https://images.example.com/')`: a prefix that fixes the server (or begins a
    // path) makes the rest only pick a path there, as text built after it would (url-prefix.ts).
    if (method === 'startsWith' && object?.type === 'identifier' && arg?.type === 'string') {
      const prefix = stringText(arg);
      const cwes = prefix === undefined ? undefined : safeAfter(prefix);
      return cwes ? [{ name: object.text, whenTrue: true, cwes }] : [];
    }
    // `full.startsWith(base + path.sep)` where `full` is a resolved path (`path.resolve(base, name)`):
    // after `..` segments are resolved, a path that still begins with the folder stays in it.
    if (method === 'startsWith' && object?.type === 'identifier' && module && resolvedPath(object, module))
      return [{ name: object.text, whenTrue: true, cwes: CONTAINED_CWES }];
    // `name.includes('..')` (or `'../'`, `'..\\'`): where it is false, the name holds no parent
    // segment and stays in the folder it is joined to.
    if (method === 'includes' && object?.type === 'identifier' && arg.type === 'string') {
      return /^(['"])\.\.(\/|\\\\)?\1$/.test(arg.text)
        ? [{ name: object.text, whenTrue: false, cwes: CONTAINED_CWES }]
        : [];
    }
    // `ALLOWED.includes(x)`, `commands.includes(data.type)`: a name or member path on the list.
    const member = arg.type === 'member_expression' && PATH.test(arg.text);
    if (arg.type !== 'identifier' && !member) return [];
    if (
      (method === 'includes' || method === 'has') &&
      object &&
      /^(array|identifier|member_expression)$/.test(object.type)
    )
      return [{ name: arg.text, whenTrue: true, ...(member ? { path: true, node: arg } : {}) }];
    return [];
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text ?? '';
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (op === '&&' && l && r) {
      // `name && name.includes('..')` is false when the name is empty or the test is false: an
      // empty name is as harmless as a checked one, so the test's guards on it hold.
      const tested = unwrap(l).type === 'identifier' ? unwrap(l).text : undefined;
      const empty = testGuards(r, module, held, callees).filter(
        (g) => !g.whenTrue && g.name === tested && g.cwes,
      );
      return [
        ...[...testGuards(l, module, held, callees), ...testGuards(r, module, held, callees)].filter(
          (g) => g.whenTrue,
        ),
        ...empty,
      ];
    }
    if (op === '||' && l && r) {
      const left = testGuards(l, module, held, callees);
      const right = testGuards(r, module, held, callees);
      // `allowedByList || allowedByPattern` is true where either is: a name both sides check
      // (for all weaknesses, or the ones both name) is safe there too.
      const both = left.flatMap((a) => {
        const b = right.find((g) => g.whenTrue && g.name === a.name && !g.path && !g.equals && !g.weak);
        if (!a.whenTrue || a.path || a.equals || a.weak || !b) return [];
        const cwes = !a.cwes ? b.cwes : !b.cwes ? a.cwes : a.cwes.filter((c) => b.cwes!.includes(c));
        return [{ name: a.name, whenTrue: true, ...(cwes ? { cwes } : {}) }];
      });
      return [...[...left, ...right].filter((g) => !g.whenTrue), ...both];
    }
    const counted = l && r ? lengthTest(op, l, r) : undefined;
    if (counted && l) {
      const guards = resultGuards(l, module, callees);
      return counted === 'nonzero' ? guards : guards.map((g) => ({ ...g, whenTrue: !g.whenTrue }));
    }
    if (l?.type !== 'unary_expression' || !l.text.startsWith('typeof')) return equalityGuard(op, l, r);
    const name = l.childForFieldName('argument');
    const type = /^['"](number|boolean|string)['"]$/.exec(r?.text ?? '')?.[1];
    if (name?.type !== 'identifier' || !type) return [];
    // Text is still text: safe only where an object hurts.
    const cwes = type === 'string' ? { cwes: TEXT_SAFE_CWES } : {};
    return [{ name: name.text, whenTrue: op.startsWith('='), ...cwes }];
  }
  return [];
}
