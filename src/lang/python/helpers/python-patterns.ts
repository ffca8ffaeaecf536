import type { Node } from '../../../parsing/parser.js';
import { constantValue } from '../semantic/constant.js';
import { calleeLabel, codeOf } from './helpers.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';

/**
 * Shared shapes that several Python rules look for: what a name says about the value it holds,
 * strings assembled at run time, permission bits and the context a call's result flows into.
 */

/** Lower-case words of an identifier: `resetTokenURL` → [reset, token, url], `API_KEY` → [api, key]. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Last words that make a name describe a secret rather than hold one (`token_url`, `password_field`). */
const LABEL_WORDS = new Set(
  (
    'url uri endpoint field fields name names header headers param params template label prompt message msg ' +
    'text help hint regex re pattern format fmt path file filename dir type length len size min max count ' +
    'policy validator validators id env var variable setting settings attr attribute column col cookie prefix ' +
    'suffix expiry expires expiration ttl timeout age lifetime scope scopes algorithm alg algorithms mode style ' +
    'class kind route view handler reset changed required enabled form input widget error errors hash hashes ' +
    'hasher hashers location loc service backend backends provider schema key_name description desc title ' +
    'placeholder question rules strength complexity characters chars index idx status state result results ' +
    'option options choice choices action method methods flag flags mask masked visible display'
  ).split(' '),
);

/** First words that make a name a flag or a counter (`is_password_set`, `num_tokens`). */
const FLAG_WORDS = new Set([
  'is',
  'has',
  'use',
  'uses',
  'enable',
  'enabled',
  'require',
  'requires',
  'num',
  'n',
  'no',
  'show',
  'allow',
  'max',
  'min',
  'should',
  'check',
  'get',
  'validate',
  'verify',
]);

export type SecretKind = 'password' | 'key' | 'token';

/** Words that name a secret on their own, and pairs that do (`api key`, `private key`). */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'pw', 'pword']);
const TOKEN_WORDS = new Set(
  'secret secrets token apikey credential credentials creds accesskey authkey'.split(' '),
);
/** `<qualifier>_key` names a cryptographic key; `api_key`, `access_key` name credentials. */
const KEY_QUALIFIERS = new Set(
  'secret private priv signing sign encryption enc crypt crypto aes hmac jwt master fernet cipher session'.split(
    ' ',
  ),
);
const CREDENTIAL_KEY_QUALIFIERS = new Set('api access auth client license app'.split(' '));

/**
 * What kind of secret a variable, attribute, key or parameter name says it holds, or undefined.
 * Names that describe a secret (`token_url`, `password_field`, `PASSWORD_MIN_LENGTH`, `is_password_set`)
 * are not secrets.
 */
export function secretKindOfName(name: string): SecretKind | undefined {
  const parts = nameParts(name);
  if (parts.length === 0) return undefined;
  if (LABEL_WORDS.has(parts[parts.length - 1])) return undefined;
  if (parts.length > 1 && FLAG_WORDS.has(parts[0])) return undefined;
  let kind: SecretKind | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (PASSWORD_WORDS.has(p)) return 'password';
    if ((p === 'key' || p === 'keys') && i > 0 && KEY_QUALIFIERS.has(parts[i - 1])) kind = 'key';
    else if ((p === 'key' || p === 'keys') && i > 0 && CREDENTIAL_KEY_QUALIFIERS.has(parts[i - 1]))
      kind ??= 'token';
    else if (p === 'privatekey' || p === 'secretkey' || p === 'signingkey') kind = 'key';
    else if (TOKEN_WORDS.has(p)) kind ??= 'token';
  }
  return kind;
}

/** Words that make a random value a secret: tokens, keys, nonces, salts, one-time codes, session ids. */
const RANDOM_SECRET_WORDS = new Set([
  'token',
  'tokens',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'nonce',
  'salt',
  'otp',
  'totp',
  'hotp',
  'pin',
  'csrf',
  'xsrf',
  'apikey',
  'sessionid',
  'sid',
  'iv',
  'key',
  'keys',
  'session',
  'captcha',
  'passcode',
  'keygen',
  'genkey',
]);
/** `key` words that are not secrets (`sort_key`, `cache_key`). */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  'sort',
  'cache',
  'lookup',
  'primary',
  'foreign',
  'partition',
  'dict',
  'row',
  'map',
  'group',
  'idempotency',
  'shard',
  'hash',
  'order',
  'random',
]);
const CODE_QUALIFIERS = new Set([
  'verification',
  'verify',
  'reset',
  'confirm',
  'confirmation',
  'activation',
  'auth',
  'login',
  'mfa',
  'twofa',
  '2fa',
  'invite',
  'invitation',
  'recovery',
  'access',
  'security',
  'one',
  'sms',
  'email',
]);

/** True when a name says its value must be unpredictable (`reset_token`, `make_salt`, `otp_code`). */
export function isUnpredictableName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0 || LABEL_WORDS.has(parts[parts.length - 1])) return false;
  return parts.some((p, i) => {
    if (p === 'key' || p === 'keys')
      return !(i > 0 && NON_SECRET_KEY_QUALIFIERS.has(parts[i - 1])) && parts.length > 1;
    if (p === 'code' || p === 'codes') return parts.some((q) => CODE_QUALIFIERS.has(q));
    if (p === 'session') return parts.includes('id') || parts.includes('key') || parts.includes('token');
    return RANDOM_SECRET_WORDS.has(p);
  });
}

/** The innermost enclosing `def`, if any. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

const STATEMENT_TYPES = new Set([
  'expression_statement',
  'return_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'function_definition',
  'class_definition',
  'module',
  'block',
  'assert_statement',
]);

/**
 * The names a value is given on its way to the statement that holds it: the assigned variable,
 * attribute or subscript key, a keyword argument, a dictionary key, and, when the value is returned,
 * the enclosing function. Innermost first.
 */
export function destinationNames(node: Node): string[] {
  const names: string[] = [];
  let n: Node = node;
  while (n.parent && !STATEMENT_TYPES.has(n.parent.type)) {
    const p: Node = n.parent;
    if (p.type === 'keyword_argument' && p.childForFieldName('value')?.id === n.id) {
      const k = p.childForFieldName('name')?.text;
      if (k) names.push(k);
    } else if (p.type === 'pair' && p.childForFieldName('value')?.id === n.id) {
      const k = p.childForFieldName('key');
      if (k) names.push(k.text.replace(/^[rbuf]*['"]+|['"]+$/gi, ''));
    } else if (p.type === 'assignment' || p.type === 'augmented_assignment') {
      const left = p.childForFieldName('left');
      if (left && left.id !== n.id) names.push(...targetNames(left));
    } else if (p.type === 'argument_list') {
      // Key-value calls name the value by their first argument: set_cookie("sid", v), cache.set("otp", v).
      const first = p.namedChildren.find((c) => c && c.type !== 'comment');
      if (first?.type === 'string' && first.id !== n.id && !first.descendantsOfType('interpolation').length) {
        names.push(literalText(first));
      }
    } else if (p.type === 'named_expression') {
      const k = p.childForFieldName('name')?.text;
      if (k) names.push(k);
    }
    n = p;
  }
  if (n.parent?.type === 'return_statement' || n.type === 'return_statement') {
    const fn = enclosingFunction(n);
    const name = fn?.childForFieldName('name')?.text;
    if (name) names.push(name);
  }
  return names;
}

/** Names written by an assignment target: `x`, `self.x`, `d["x"]`, `a, b`. */
export function targetNames(target: Node): string[] {
  switch (target.type) {
    case 'identifier':
      return [target.text];
    case 'attribute': {
      const a = target.childForFieldName('attribute')?.text;
      return a ? [a] : [];
    }
    case 'subscript': {
      const s = target.childForFieldName('subscript');
      return s ? [s.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '')] : [];
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
      return target.namedChildren.flatMap((c) => (c ? targetNames(c) : []));
    default:
      return [];
  }
}

/** Identifiers, attribute names and constant subscript keys an expression reads (`user.password.encode()` → user, password, encode). */
export function namesRead(node: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'identifier') out.push(n.text);
    else if (n.type === 'string' && n.parent?.type === 'subscript')
      out.push(n.text.replace(/^[rbuf]*['"]+|['"]+$/gi, ''));
    else if (n.type === 'keyword_argument') {
      const v = n.childForFieldName('value');
      if (v) visit(v);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return out;
}

/** How a string was assembled at run time, for messages: "an f-string", "`%` formatting", ... */
export type StringBuild =
  'an f-string' | '`%` formatting' | '`+` concatenation' | '`.format()`' | '`.join()`' | '`.replace()`';

/**
 * How an expression builds a string from non-constant parts, or undefined when it is a constant or
 * not a string built in place. A name bound in the same scope to such an expression (or extended with
 * `+=`) counts as built.
 */
export function dynamicStringBuild(node: Node, module: PythonModule, depth = 0): StringBuild | undefined {
  if (depth > 4 || constantValue(node, module)) return undefined;
  switch (node.type) {
    case 'string':
      return node.namedChildren.some((c) => c?.type === 'interpolation') ? 'an f-string' : undefined;
    case 'concatenated_string':
      return node.namedChildren.some((c) => c && dynamicStringBuild(c, module, depth + 1))
        ? 'an f-string'
        : undefined;
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? dynamicStringBuild(inner, module, depth + 1) : undefined;
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return undefined;
      if (op === '%' && isStringish(left, module)) {
        // "KILL %d" % thread_id: numeric conversions cannot carry quotes or keywords.
        const fmt = constantValue(left, module)?.value;
        if (typeof fmt === 'string' && onlyNumericConversions(fmt)) return undefined;
        return '`%` formatting';
      }
      if (op === '+' && (isStringish(left, module) || isStringish(right, module))) return '`+` concatenation';
      return undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute') return undefined;
      const method = fn.childForFieldName('attribute')?.text;
      const object = fn.childForFieldName('object');
      if (!object) return undefined;
      const args = node.childForFieldName('arguments');
      const argsConstant = (args?.namedChildren ?? []).every((a) => {
        if (!a) return true;
        const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
        return v ? constantValue(v, module) !== undefined : false;
      });
      if (method === 'format' && isStringish(object, module) && !argsConstant) return '`.format()`';
      if (method === 'join' && isStringish(object, module) && !argsConstant) return '`.join()`';
      if (method === 'replace' && isStringish(object, module) && !argsConstant) return '`.replace()`';
      return undefined;
    }
    case 'identifier': {
      const found = module.scopeOf(node).lookup(node.text);
      if (!found) return undefined;
      for (const b of found.bindings) {
        if (b.kind === 'value') {
          const how = dynamicStringBuild(b.value, module, depth + 1);
          if (how) return how;
        } else if (b.kind === 'opaque' && b.node.type === 'augmented_assignment') {
          const right = b.node.childForFieldName('right');
          if (right && !constantValue(right, module)) return '`+` concatenation';
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** True when every `%` conversion in a format string is numeric (`%d`, `%5.2f`, `%(n)x`). */
function onlyNumericConversions(format: string): boolean {
  const specs = format.match(/%(\([^)]*\))?[#0 +-]*(\*|\d+)?(\.(\*|\d+))?[hlL]?[a-zA-Z%]/g) ?? [];
  return specs.every((spec) => /[diouxXeEfFgG%]$/.test(spec));
}

/** A string literal (even with interpolations) or an expression built from one. */
function isStringish(node: Node, module: PythonModule): boolean {
  if (node.type === 'string' || node.type === 'concatenated_string') return true;
  const v = constantValue(node, module);
  if (v && typeof v.value === 'string') return true;
  if (node.type === 'binary_operator') {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    return Boolean((l && isStringish(l, module)) || (r && isStringish(r, module)));
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? isStringish(inner, module) : false;
  }
  return false;
}

/** The literal text parts of a string expression (interpolations left out), for keyword checks. */
export function literalText(node: Node): string {
  return node
    .descendantsOfType(['string_content'])
    .map((c) => c?.text ?? '')
    .join(' ');
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
    if (node.type === 'identifier') {
      const found = module.scopeOf(node).lookup(node.text);
      const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
      if (b?.kind === 'value') return permissionBits(b.value, module);
    }
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

/** The call's callee as a name when it is resolved, else the attribute chain as written. */
export function calleeOrWritten(call: CallSite): string {
  return call.callee ?? call.node.childForFieldName('function')?.text ?? '';
}

/** True when the expression is a constant Python treats as true (`True`, `1`), following names bound once. */
export function isConstantTrue(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const v = constantValue(node, module);
  if (!v) return false;
  return Array.isArray(v.value) ? v.value.length > 0 : Boolean(v.value);
}

/** True when the expression is the constant `False`, `0` or `None`. */
export function isConstantFalse(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const v = constantValue(node, module);
  return v !== undefined && (v.value === false || v.value === 0 || v.value === null);
}

/** True inside `if __name__ == "__main__":`. */
export function underMainGuard(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'if_statement') {
      const cond = n.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
      if (/^__name__==['"]__main__['"]$|^['"]__main__['"]==__name__$/.test(cond)) return true;
    }
  }
  return false;
}

/** Assignments `target = value` in the module whose target is an attribute named `attribute`. */
export function attributeAssignments(
  module: PythonModule,
  attribute: string,
): { target: Node; object: Node; value: Node; node: Node }[] {
  const out: { target: Node; object: Node; value: Node; node: Node }[] = [];
  for (const a of module.file.tree.rootNode.descendantsOfType('assignment')) {
    if (!a) continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'attribute' || !right) continue;
    const object = left.childForFieldName('object');
    if (left.childForFieldName('attribute')?.text !== attribute || !object) continue;
    out.push({ target: left, object, value: right, node: a });
  }
  return out;
}

/**
 * Like `calleeLabel`, but a callee resolved inside the reviewed project (`app.db().cursor().execute`)
 * is shown as written (`cursor.execute`): its dotted module path says nothing to the reader.
 */
export function callLabel(call: CallSite, module: PythonModule): string {
  const local = call.callee !== undefined && call.callee.startsWith(`${module.moduleName}.`);
  if (!local) return calleeLabel(call);
  const fn = call.node.childForFieldName('function');
  return `\`${fn ? codeOf(fn, 50) : '?'}\``;
}
