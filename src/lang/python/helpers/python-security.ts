import type { Node, SourceFile } from '../../../parsing/parser.js';
import { constantValue, type ConstValue } from '../semantic/constant.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import type { TaintQuery, TaintTrace } from '../../../dataflow/index.js';
import type { CookieFlag } from '../../../dataflow/concepts.js';
import { sinkArgument, type SinkOf } from '../models/concepts.js';
import { cookieSettings, sinksOf } from '../models/index.js';

/**
 * Small facts about Python code that several security rules share: which files are settings or
 * tests, module-level assignments, the name an expression carries, statically known strings.
 */

/** Settings meant for a developer's machine or the test run, where debug values are expected. */
const DEV_SETTINGS = /(^|[/_.-])(dev|devel|development|local|test|tests|testing|ci|debug)([/_.-]|$)/i;

/**
 * 'production' for a Django-style settings module (`settings.py`, `settings/<x>.py`, `*_settings.py`
 * or a module that assigns INSTALLED_APPS/ROOT_URLCONF/MIDDLEWARE), 'development' when its name says
 * it is for development or tests, undefined for other modules.
 */
export function settingsKind(
  file: SourceFile,
  module: PythonModule,
): 'production' | 'development' | undefined {
  const path = file.path.replace(/\\/g, '/');
  const base = path.split('/').pop() ?? '';
  const named = /settings/i.test(base) || /(^|\/)settings\/[^/]+\.py$/.test(path);
  const assignsDjango = moduleAssignments(module).some((a) =>
    ['INSTALLED_APPS', 'ROOT_URLCONF', 'MIDDLEWARE', 'WSGI_APPLICATION'].includes(a.name),
  );
  if (!named && !assignsDjango) return undefined;
  const stem = path
    .replace(/\.pyi?$/, '')
    .split('/')
    .slice(-2)
    .join('/');
  return DEV_SETTINGS.test(stem.replace(/settings/gi, '')) ? 'development' : 'production';
}

export interface NameAssignment {
  name: string;
  /** The assigned expression. */
  value: Node;
  /** The assignment node. */
  node: Node;
  /** `+=` rather than `=`. */
  augmented: boolean;
}

/** `NAME = value` statements at module level, including those nested in module-level if/try blocks. */
export function moduleAssignments(module: PythonModule): NameAssignment[] {
  const out: NameAssignment[] = [];
  collectAssignments(module.root.node, out);
  return out;
}

/** `NAME = value` statements directly in a class body. */
export function classAssignments(classNode: Node): NameAssignment[] {
  const out: NameAssignment[] = [];
  const body = classNode.childForFieldName('body');
  if (body) collectAssignments(body, out);
  return out;
}

const NESTING = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'finally_clause',
  'block',
  'with_statement',
]);

function collectAssignments(node: Node, out: NameAssignment[]): void {
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'expression_statement') {
      for (const s of c.namedChildren) {
        if (s?.type !== 'assignment' && s?.type !== 'augmented_assignment') continue;
        let left = s.childForFieldName('left');
        let value = s.childForFieldName('right');
        // A = B = value: every target takes the final value.
        while (value?.type === 'assignment') {
          if (left?.type === 'identifier')
            out.push({ name: left.text, value, node: s, augmented: s.type !== 'assignment' });
          left = value.childForFieldName('left');
          value = value.childForFieldName('right');
        }
        if (left?.type === 'identifier' && value)
          out.push({ name: left.text, value, node: s, augmented: s.type === 'augmented_assignment' });
      }
    } else if (NESTING.has(c.type)) {
      collectAssignments(c, out);
    }
  }
}

/** The value of a node when it is a statically known string (constant folding, see constant.ts). */
export function stringValue(node: Node | undefined, module: PythonModule): string | undefined {
  if (!node) return undefined;
  const v = constantValue(node, module);
  return typeof v?.value === 'string' ? v.value : undefined;
}

/**
 * True when the expression's value does not depend on run-time data: constantValue() plus
 * `"...".format(<constants>)` (also with `*[...]`/`**{...}` of constants), `"..." % <constants>`,
 * dict/list/tuple literals of constants, and names whose every binding is such a value (a name
 * assigned in both branches of an `if`, extended with `+= "literal"`, or unpacked from a constant tuple).
 */
export function isConstantish(node: Node, module: PythonModule): boolean {
  return constantish(node, module, { seen: new Set(), budget: 500 });
}

/** Names already on the path, and how many more bindings may be visited (long rebinding chains). */
interface Walk {
  seen: Set<number>;
  budget: number;
}

function constantish(node: Node, module: PythonModule, walk: Walk): boolean {
  if (constantValue(node, module)) return true;
  const inner = (n: Node | null | undefined): boolean => !!n && constantish(n, module, walk);
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format' || !args)
        return false;
      if (!inner(fn.childForFieldName('object'))) return false;
      return args.namedChildren.every((a) => {
        if (!a || a.type === 'comment') return true;
        const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
        if (v?.type === 'list_splat' || v?.type === 'dictionary_splat') return inner(v.namedChildren[0]);
        return inner(v);
      });
    }
    case 'binary_operator':
      return (
        ['%', '+'].includes(node.childForFieldName('operator')?.text ?? '') &&
        inner(node.childForFieldName('left')) &&
        inner(node.childForFieldName('right'))
      );
    case 'parenthesized_expression':
      return inner(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'list':
    case 'tuple':
    case 'set':
      return node.namedChildren.every((c) => !c || c.type === 'comment' || inner(c));
    case 'dictionary':
      return node.namedChildren.every(
        (p) =>
          !p ||
          p.type === 'comment' ||
          (p.type === 'pair' && inner(p.childForFieldName('key')) && inner(p.childForFieldName('value'))),
      );
    case 'identifier':
      return everyBindingConstant(node, module, walk);
    default:
      return false;
  }
}

function everyBindingConstant(name: Node, module: PythonModule, walk: Walk): boolean {
  const found = module.scopeOf(name).lookup(name.text);
  if (!found) return false;
  return found.bindings.every((b) => {
    if (walk.seen.has(b.node.id)) return true; // a cycle through `x += ...` adds nothing new
    // Past the budget the value counts as unknown: not proven constant.
    if (--walk.budget < 0) return false;
    walk.seen.add(b.node.id);
    try {
      if (b.kind === 'value') return constantish(b.value, module, walk);
      if (b.kind !== 'opaque') return false;
      const n = b.node;
      if (n.type === 'augmented_assignment')
        return constantish(n.childForFieldName('right') ?? n, module, walk);
      // a, b = ("x", "y"): unpacking a constant tuple.
      let p: Node | null = n.parent;
      while (p && (p.type === 'pattern_list' || p.type === 'tuple_pattern')) p = p.parent;
      if (p?.type === 'assignment' && p.childForFieldName('left')?.id !== n.id) {
        const right = p.childForFieldName('right');
        return !!right && constantish(right, module, walk);
      }
      return false;
    } finally {
      walk.seen.delete(b.node.id);
    }
  });
}

/** True when a string is built at run time by formatting or concatenation (f-string, %, +, .format). */
export function isBuiltString(node: Node): boolean {
  if (node.type === 'string') return node.namedChildren.some((c) => c?.type === 'interpolation');
  if (node.type === 'concatenated_string')
    return node.namedChildren.some((c) => c !== null && isBuiltString(c));
  if (node.type === 'binary_operator')
    return ['+', '%'].includes(node.childForFieldName('operator')?.text ?? '');
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    return (
      fn?.type === 'attribute' &&
      ['format', 'join', 'replace'].includes(fn.childForFieldName('attribute')?.text ?? '')
    );
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return !!inner && isBuiltString(inner);
  }
  return false;
}

/**
 * The name an expression carries for naming heuristics: `token`, `self.token` and `request.headers["X-Token"]`
 * all give the last meaningful name ("token", "X-Token"); `f()` gives "f".
 */
export function carriedName(node: Node): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      if (key?.type === 'string') return key.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, '');
      const value = node.childForFieldName('value');
      return value ? carriedName(value) : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      return fn ? carriedName(fn) : undefined;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? carriedName(inner) : undefined;
    }
    default:
      return undefined;
  }
}

/** The innermost function definition that contains the node. */
export function enclosingFunction(node: Node): Node | undefined {
  let n: Node | null = node.parent;
  while (n) {
    if (n.type === 'function_definition') return n;
    n = n.parent;
  }
  return undefined;
}

/** Decorators applied to a function or class definition. */
export function decoratorsOf(definition: Node): Node[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c): c is Node => c?.type === 'decorator');
}

/** The expression of a decorator (`@a.b(x)` → the call `a.b(x)`). */
export function decoratorExpression(decorator: Node): Node | undefined {
  return decorator.namedChildren.find((c) => c && c.type !== 'comment') ?? undefined;
}

/** One pattern per list of prefixes: rules ask with the same few lists on every file. */
const importPatterns = new Map<string, RegExp>();

/** True when the module imports any module whose dotted name starts with one of the prefixes. */
export function importsAny(module: PythonModule, prefixes: readonly string[]): boolean {
  const key = prefixes.join('|');
  let pattern = importPatterns.get(key);
  if (!pattern) {
    // One scan of the text with an alternation finds what one scan per prefix found.
    const names = prefixes.map((p) => p.replace(/\./g, '\\.')).join('|');
    pattern = new RegExp(`^\\s*(from|import)\\s+(?:${names})\\b`, 'm');
    importPatterns.set(key, pattern);
  }
  return prefixes.length > 0 && pattern.test(module.file.text);
}

/** A call's argument given by position or keyword, with the keyword winning as Python binds it. */
export function arg(call: CallSite, position: number, keyword: string): Node | undefined {
  return call.kwargs.get(keyword) ?? (position >= 0 ? call.args[position] : undefined);
}

/** Elements of a list, tuple or set literal. */
export function elementsOf(node: Node): Node[] {
  if (!['list', 'tuple', 'set'].includes(node.type)) return [];
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** Pairs of a dict literal, keyed by their constant string key. */
export function dictEntries(node: Node, module: PythonModule): Map<string, Node> {
  const out = new Map<string, Node>();
  if (node.type !== 'dictionary') return out;
  for (const p of node.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = stringValue(p.childForFieldName('key') ?? undefined, module);
    const v = p.childForFieldName('value');
    if (k !== undefined && v) out.set(k, v);
  }
  return out;
}

/** The value of a name bound once in scope (`opts = {...}; f(options=opts)`), else the node itself. */
export function resolveValue(node: Node, module: PythonModule): Node {
  if (node.type !== 'identifier') return node;
  const found = module.scopeOf(node).lookup(node.text);
  if (found?.bindings.length === 1 && found.bindings[0].kind === 'value') return found.bindings[0].value;
  return node;
}

/** Calls that read the clock or the process id: predictable values. */
export const TIME_SOURCES = new Set([
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

export function isConstValue(v: { value: ConstValue } | undefined): v is { value: ConstValue } {
  return v !== undefined;
}

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
  const def = site.kwargs.get('default') ?? (isEnvGet ? site.args[1] : undefined);
  const text = stringValue(def, module);
  return def && text?.trim() ? { literal: def, value: text, fallback: true } : undefined;
}

/** Placeholders people write where a secret must be filled in later; still hard-coded, but say so. */
export function looksLikePlaceholder(value: string): boolean {
  return /^(<.*>|\$\{.*\}|\{\{.*\}\}|x+|\*+|changeme|change[-_ ]?me|todo|replace[-_ ]?me|secret|dummy|fake)$/i.test(
    value.trim(),
  );
}

/** Cookie names that carry a session, login or token and so need every protection. */
const SENSITIVE_COOKIE =
  /(sess|sid\b|token|auth|jwt|login|remember|access|refresh|credential|secret|api[_-]?key|user[_-]?id|identity)/i;

/** The models' cookie-setting calls, by method name (the frameworks' `set_cookie` share one signature). */
const COOKIE_SETTERS: ReadonlyMap<string, SinkOf<'cookie-setting'>> = new Map(
  sinksOf('cookie-setting').flatMap((s) =>
    (s.calls ?? []).filter((c) => c.startsWith('.')).map((c) => [c.slice(1), s] as const),
  ),
);
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

export interface CookieWeakness {
  node: Node;
  message: string;
  confidence?: 'high' | 'medium' | 'low';
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
    const key = call.kwargs.get('key') ?? call.args[0];
    const setter = call.methodName === undefined ? undefined : COOKIE_SETTERS.get(call.methodName);
    if (!setter || call.hasSplat || !key) continue;
    const value = sinkArgument(call, setter);
    const name = stringValue(key, module);
    const valueName = value ? (carriedName(value) ?? '') : '';
    const sensitive = name !== undefined ? SENSITIVE_COOKIE.test(name) : SENSITIVE_COOKIE.test(valueName);
    if (!sensitive || (flag === 'httponly' && name !== undefined && /csrf|xsrf/i.test(name))) continue;
    // Clearing a cookie (empty value) exposes nothing.
    if (!value || stringValue(value, module) === '') continue;
    const given = call.kwargs.get(flag) ?? call.args[setter.flagPositions[flag]];
    const label = name !== undefined ? `cookie '${name}'` : `cookie \`${codeText(key)}\``;
    if (!given) {
      if (laxDefault) continue;
      out.push({
        node: call.node,
        message: `\`${codeText(call.node.childForFieldName('function') ?? call.node)}\` sets ${label} without \`${flag}=\`; the browser sends it without the ${attr} attribute.`,
      });
      continue;
    }
    const v = constantValue(given, module);
    if (v && flagIsWeak(flag, v.value))
      out.push({
        node: call.node,
        message: `\`${codeText(call.node.childForFieldName('function') ?? call.node)}\` sets ${label} with \`${flag}=${given.text}\`, so it lacks the ${attr} protection.`,
      });
  }
  const weakSetting = (name: string, node: Node, valueNode: Node): void => {
    if (!COOKIE_SETTINGS[flag].has(name)) return;
    const v = constantValue(valueNode, module);
    if (v && flagIsWeak(flag, v.value))
      out.push({
        node,
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

function codeText(node: Node): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 50 ? `${t.slice(0, 49)}…` : t;
}

/** Names of values that are secrets themselves (not metadata about them). */
const SECRET_VALUE_NAME =
  /(^|_)(pass(word|wd|phrase)?|pwd|secret|token|api_?key|apikey|private_?key|priv_?key|credentials?|auth_?key|access_?key|signing_?key|encryption_?key|session_?key|client_secret|otp|pin|cvv|ssn)($|_)/i;
/** Parts that turn a secret-looking name into metadata: password_length, token_type, has_password. */
const SECRET_METADATA =
  /(^|_)(len|length|count|type|name|names|id|ids|uuid|uuids|usage|ref|url|uri|file|path|dir|field|policy|hint|expir\w*|expires|ttl|age|reset|required|valid|is|has|changed|set|hash|hashed|digest|min|max|prefix|label|header|endpoint|format|kind|scheme|mask|masked|redacted|strength|prompt|help|error|errors|attempts|index|updated|created|at)($|_)/i;

/** True when a variable or attribute name says it holds a secret value. */
export function isSecretValueName(name: string): boolean {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_');
  return SECRET_VALUE_NAME.test(snake) && !SECRET_METADATA.test(snake);
}

/**
 * The text a string value certainly starts with: a constant's whole value, the literal part of an f-string
 * before its first interpolation, the left side of a `+` concatenation.
 */
export function literalPrefix(node: Node, module: PythonModule): string {
  const whole = stringValue(node, module);
  if (whole !== undefined) return whole;
  if (node.type === 'string') {
    let out = '';
    for (const c of node.namedChildren) {
      if (c?.type === 'interpolation') break;
      if (c?.type === 'string_content') out += c.text;
    }
    return out;
  }
  if (node.type === 'concatenated_string') {
    const first = node.namedChildren[0];
    return first ? literalPrefix(first, module) : '';
  }
  if (
    node.type === 'binary_operator' &&
    ['+', '%'].includes(node.childForFieldName('operator')?.text ?? '')
  ) {
    const l = node.childForFieldName('left');
    return l ? literalPrefix(l, module) : '';
  }
  if (node.type === 'call') {
    // "/tmp/{}.txt".format(x)
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
    if (object && fn?.childForFieldName('attribute')?.text === 'format')
      return literalPrefix(object, module).split('{')[0];
  }
  return '';
}

/** What the dataflow engine proves about a value: constant/clean/sanitized, from a source, or unknown. */
export type Evidence = 'safe' | 'unknown' | Extract<TaintTrace, { kind: 'tainted' }>;

export function evidenceOf(node: Node, module: PythonModule, taint: TaintQuery, cwe: number): Evidence {
  if (isConstantish(node, module)) return 'safe';
  const t = taint.trace(node, { cwe });
  if (t.kind === 'tainted') return t;
  return t.kind === 'unknown' ? 'unknown' : 'safe';
}
