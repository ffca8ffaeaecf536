import type { Node, SourceFile } from '../../../parsing/parser.js';
import { constantValue, type ConstValue } from '../semantic/constant.js';
import type { PythonModule } from '../semantic/scope.js';
import type { TaintQuery, TaintTrace } from '../../../dataflow/index.js';
import type { CookieFlag } from '../../../dataflow/concepts.js';
import { cookieSettings, sinksByMethod, sinksOf } from '../models/index.js';
import { isConstantish, stringValue } from './constants.js';
import { writtenCallee } from './calls.js';
import { codeOf } from './messages.js';
import { ownWrapperSetsFlag } from './cookie-wrappers.js';
import { importsAny, moduleAssignments, settingsKind } from './module.js';
import { carriedName } from './names.js';
import { isSensitiveCookieName } from '../../../rules/names.js';
import { secretShape } from '../../../rules/secret-values.js';
import { literalSuffix } from './strings.js';

/**
 * Security facts that several rules share: hard-coded secrets, cookie protections, predictable values, permission bits, and what the dataflow proves about a value.
 */

/** Where a hard-coded secret sits: the literal itself, or the default of an environment lookup. */
export interface HardcodedSecret {
  literal: Node;
  value: string;
  /** `os.environ.get('KEY', 'literal')`: the literal is used whenever the variable is unset. */
  fallback: boolean;
}

/** Environment lookups whose second argument or `default=` is used when the variable is missing. */
const ENV_LOOKUP = /(^os\.environ\.get|^os\.getenv|(^|\.)(env|config|get_env|getenv)|\.(str|get))$/;

/** A non-empty string literal used as a secret, directly or as an environment lookup's default. */
export function hardcodedSecret(value: Node, module: PythonModule): HardcodedSecret | undefined {
  const direct = stringValue(value, module);
  if (direct !== undefined)
    return direct.trim() ? { literal: value, value: direct, fallback: false } : undefined;
  if (value.type !== 'call') return undefined;
  const site = module.calls.find((c) => c.node.id === value.id);
  if (!site) return undefined;
  const name = site.callee ?? site.methodName ?? '';
  const written = site.node.childForFieldName('function')?.text ?? '';
  if (!ENV_LOOKUP.test(name) && !ENV_LOOKUP.test(written)) return undefined;
  const isEnvGet = name === 'os.environ.get' || name === 'os.getenv';
  const def = site.argument(isEnvGet ? 1 : -1, 'default');
  const text = stringValue(def, module);
  return def && text?.trim() ? { literal: def, value: text, fallback: true } : undefined;
}

/** Placeholders people write where a secret must be filled in later; still hard-coded, but say so. */
export function looksLikePlaceholder(value: string): boolean {
  return /^(<.*>|\$\{.*\}|\{\{.*\}\}|x+|\*+|changeme|change[-_ ]?me|todo|replace[-_ ]?me|secret|dummy|fake)$/i.test(
    value.trim(),
  );
}

/**
 * The whole words a cookie name built at run time certainly ends with (`'%s_auth_ses' % app` → "_auth_ses",
 * `f"{prefix}_session"` → "_session"): its head, as a constant name's is. A tail glued to the
 * placeholder (`f"{p}token"`) may end a longer word, so that word is left out; undefined when no word is left.
 */
function builtNameTail(key: Node, module: PythonModule): string | undefined {
  const words = literalSuffix(key, module).replace(/^[^-_.\s]*/, '');
  return /[a-z]/i.test(words) ? words : undefined;
}

/** The models' cookie-setting calls, by method name (the frameworks' `set_cookie` share one signature). */
const COOKIE_SETTERS = sinksByMethod('cookie-setting');
/** Packages whose import makes `SameSite=Lax` the default of the cookies a module sets. */
const LAX_DEFAULT_IMPORTS = sinksOf('cookie-setting').flatMap(
  (s) => s.sameSiteLaxByDefaultWhenImported ?? [],
);
/** The models' settings that turn each protection off for the frameworks' own cookies. */
const COOKIE_SETTINGS = {
  secure: cookieSettings('secure'),
  httponly: cookieSettings('httponly'),
  samesite: cookieSettings('samesite'),
} as const satisfies Record<CookieFlag, ReadonlySet<string>>;

/** A constant cookie value that does not look like a secret (`"true"`, `"1"`, `"dark"`, `""`). */
function isConstantNonSecret(value: Node, module: PythonModule): boolean {
  if (!isConstantish(value, module)) return false;
  const text = stringValue(value, module);
  return text === undefined || !secretShape(text);
}

/** Conditions that hold only on a developer's machine: `DOMAIN == "localhost"`, `if DEBUG:`. */
const DEVELOPMENT_CONDITION =
  /localhost|127\.0\.0\.1|\bDEBUG\b|\b(dev|development|local|testing)\b|\bENV(IRONMENT)?\s*==\s*['"](dev|development|local|test)/i;

/**
 * True when the statement runs only when a development condition holds: the `if` branch of `if
 * DOMAIN == "localhost":` (production takes the `else`), not the `else` and not `if not DEBUG:`.
 */
export function inDevelopmentBranch(node: Node): boolean {
  for (let n: Node | null = node; n?.parent; n = n.parent) {
    const p: Node = n.parent;
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
    if (p.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== n.id) continue;
    const condition = p.childForFieldName('condition');
    if (!condition || condition.type === 'not_operator' || /\bnot\b|!=/.test(condition.text)) continue;
    if (DEVELOPMENT_CONDITION.test(condition.text)) return true;
  }
  return false;
}

export interface CookieWeakness {
  node: Node;
  message: string;
  confidence?: 'high' | 'medium' | 'low';
  confidenceReason: string;
}

function flagIsWeak(flag: CookieFlag, value: ConstValue): boolean {
  if (flag === 'samesite')
    return value === null || value === false || (typeof value === 'string' && value.toLowerCase() === 'none');
  return value === false || value === 0 || value === null;
}

/**
 * Cookies set without one protection: `response.set_cookie(...)` for a cookie whose name (or value)
 * says it holds a session or token, and settings that turn the protection off for framework cookies.
 */
export function cookieWeaknesses(module: PythonModule, file: SourceFile, flag: CookieFlag): CookieWeakness[] {
  const out: CookieWeakness[] = [];
  const attr = flag === 'httponly' ? 'HttpOnly' : flag === 'secure' ? 'Secure' : 'SameSite';
  // Starlette and FastAPI default to SameSite=Lax.
  const laxDefault = flag === 'samesite' && importsAny(module, LAX_DEFAULT_IMPORTS);
  for (const call of module.calls) {
    const key = call.argument(0, 'key');
    const setter = call.methodName === undefined ? undefined : COOKIE_SETTERS.get(call.methodName);
    if (!setter || call.hasSplat || !key) continue;
    const value = call.argument(setter.args?.[0] ?? 0, ...(setter.keywords ?? []));
    const name = stringValue(key, module);
    const tail = name === undefined ? builtNameTail(key, module) : undefined;
    const valueName = value ? (carriedName(value) ?? '') : '';
    // The name says what the cookie holds; a built name by the words it ends with, as a constant one
    // does. Only a name whose words are all unknown leaves it to the value's name.
    const known = name ?? tail;
    const sensitive = isSensitiveCookieName(known ?? valueName);
    if (!sensitive || (flag === 'httponly' && known !== undefined && /csrf|xsrf/i.test(known))) continue;
    // Clearing a cookie (empty value) exposes nothing, and neither does a constant flag such as
    // `"true"` that the front end reads: the same for every user, it holds no secret.
    if (!value || isConstantNonSecret(value, module)) continue;
    const given = call.argument(setter.flagPositions[flag], flag);
    const label = name !== undefined ? `cookie '${name}'` : `cookie \`${codeOf(key, 50)}\``;
    const namedBy =
      name !== undefined
        ? `the cookie name '${name}'`
        : tail !== undefined
          ? `the cookie name ending '${tail}'`
          : `the value \`${valueName}\``;
    const because = `name heuristic: ${namedBy} says it holds a session or token, and its value is not a constant`;
    if (!given) {
      if (laxDefault || ownWrapperSetsFlag(call, module, flag)) continue;
      out.push({
        node: call.node,
        confidenceReason: because,
        message: `\`${writtenCallee(call)}\` sets ${label} without \`${flag}=\`; the browser sends it without the ${attr} attribute.`,
      });
      continue;
    }
    const v = constantValue(given, module);
    if (v && flagIsWeak(flag, v.value))
      out.push({
        node: call.node,
        confidenceReason: because,
        message: `\`${writtenCallee(call)}\` sets ${label} with \`${flag}=${given.text}\`, so it lacks the ${attr} protection.`,
      });
  }
  const weakSetting = (name: string, node: Node, valueNode: Node): void => {
    if (!COOKIE_SETTINGS[flag].has(name) || inDevelopmentBranch(node)) return;
    if (flag === 'secure' && followsHttpsSwitch(module, valueNode)) return;
    const v = constantValue(valueNode, module);
    if (v && flagIsWeak(flag, v.value))
      out.push({
        node,
        confidenceReason: 'a framework setting turns the protection off outside a development-only branch',
        message: `\`${name} = ${valueNode.text}\` turns off the ${attr} attribute of the framework's ${name.split('_')[0].toLowerCase()} cookie.`,
      });
  };
  if (settingsKind(file, module) === 'production')
    for (const a of moduleAssignments(module)) weakSetting(a.name, a.node, a.value);
  for (const n of file.tree.rootNode.descendantsOfType('assignment')) {
    const left = n?.childForFieldName('left');
    const right = n?.childForFieldName('right');
    if (
      n &&
      left?.type === 'subscript' &&
      right &&
      /(^|\.)config$/.test(left.childForFieldName('value')?.text ?? '')
    )
      weakSetting(stringValue(left.childForFieldName('subscript') ?? undefined, module) ?? '', n, right);
  }
  for (const call of module.calls)
    if (call.methodName === 'update' && /(^|\.)config$/.test(call.receiver?.text ?? ''))
      for (const [k, v] of call.kwargs) weakSetting(k, call.node, v);
  return out;
}

/** Django's setting that sends every plain-HTTP request to HTTPS. */
const HTTPS_REDIRECT_SETTINGS = new Set(['SECURE_SSL_REDIRECT']);

/**
 * `SESSION_COOKIE_SECURE = ENABLE_HTTPS` beside `SECURE_SSL_REDIRECT = ENABLE_HTTPS`: the flag is
 * the deployment's HTTPS switch, on wherever the site is served over HTTPS; off, the site runs on
 * plain HTTP, where a Secure cookie would not be sent back at all. The operator's choice, not a
 * cookie left without its attribute.
 */
function followsHttpsSwitch(module: PythonModule, value: Node): boolean {
  if (value.type !== 'identifier') return false;
  return moduleAssignments(module).some(
    (a) =>
      HTTPS_REDIRECT_SETTINGS.has(a.name) && a.value.type === 'identifier' && a.value.text === value.text,
  );
}

/** Calls that read the clock or the process id: predictable values. */
const TIME_SOURCES = new Set([
  'time.time',
  'time.time_ns',
  'time.monotonic',
  'time.perf_counter',
  'time.clock',
  'datetime.datetime.now',
  'datetime.datetime.utcnow',
  'datetime.datetime.today',
  'datetime.date.today',
  'os.getpid',
]);

/** True when the expression is derived from the clock or the process id. */
export function isTimeBased(node: Node, module: PythonModule): boolean {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const q = module.qualifiedName(n.childForFieldName('function') ?? n);
      if (q && TIME_SOURCES.has(q)) return true;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/** Values of the `stat` module's permission constants. */
const STAT_BITS: Record<string, number> = {
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
  S_IRWXG: 0o70,
  S_IRGRP: 0o40,
  S_IWGRP: 0o20,
  S_IXGRP: 0o10,
  S_IRWXO: 0o7,
  S_IROTH: 0o4,
  S_IWOTH: 0o2,
  S_IXOTH: 0o1,
};

/**
 * Permission bits an expression certainly sets: exact for constants (`0o777`, `stat.S_IWOTH | 0o644`),
 * and for `x | C` the bits of `C` even when `x` is not known (`st.st_mode | stat.S_IWOTH`).
 */
export function permissionBits(
  node: Node,
  module: PythonModule,
): { bits: number; exact: boolean } | undefined {
  const v = constantValue(node, module);
  if (v && typeof v.value === 'number' && Number.isInteger(v.value)) return { bits: v.value, exact: true };
  if (node.type === 'attribute' || node.type === 'identifier') {
    const q = module.qualifiedName(node);
    const m = q ? /^(?:stat|os)\.(S_I\w+)$/.exec(q) : null;
    if (m && m[1] in STAT_BITS) return { bits: STAT_BITS[m[1]], exact: true };
    const value = node.type === 'identifier' ? module.singleValue(node) : undefined;
    if (value) return permissionBits(value, module);
    return undefined;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? permissionBits(inner, module) : undefined;
  }
  if (node.type === 'unary_operator' && node.childForFieldName('operator')?.text === '~') {
    const a = node.childForFieldName('argument');
    const r = a ? permissionBits(a, module) : undefined;
    return r?.exact ? { bits: ~r.bits & 0o7777, exact: true } : undefined;
  }
  if (node.type === 'binary_operator') {
    const op = node.childForFieldName('operator')?.text;
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    const a = l ? permissionBits(l, module) : undefined;
    const b = r ? permissionBits(r, module) : undefined;
    if (op === '|' || op === '+') {
      if (a?.exact && b?.exact) return { bits: op === '|' ? a.bits | b.bits : a.bits + b.bits, exact: true };
      if (op === '|' && (a || b)) return { bits: (a?.bits ?? 0) | (b?.bits ?? 0), exact: false };
      return undefined;
    }
    if (op === '&' && a?.exact && b?.exact) return { bits: a.bits & b.bits, exact: true };
    if (op === '&' && (a?.exact || b?.exact)) return undefined;
    if (op === '^' && a?.exact && b?.exact) return { bits: a.bits ^ b.bits, exact: true };
  }
  return undefined;
}

/** What the dataflow engine proves about a value: constant/clean/sanitized, from a source, or unknown. */
export type Evidence = 'safe' | 'unknown' | Extract<TaintTrace, { kind: 'tainted' }>;

export function evidenceOf(node: Node, module: PythonModule, taint: TaintQuery, cwe: number): Evidence {
  if (isConstantish(node, module)) return 'safe';
  const t = taint.trace(node, { cwe });
  if (t.kind === 'tainted') return t;
  return t.kind === 'unknown' ? 'unknown' : 'safe';
}
