import type { Node } from '../../../parsing/parser.js';
import { enclosingFunction } from './functions.js';
import { literalWords } from './strings.js';

/**
 * What names say about the values they hold (a secret, a value that must be unpredictable) and
 * which names a value carries or is given: the variable, attribute, key or keyword it flows into.
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
  // An OAuth verifier (and a PKCE code verifier) proves who started the flow.
  'verifier',
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

/** Names of values that are secrets themselves (not metadata about them). */
const SECRET_VALUE_NAME =
  /(^|_)(pass(word|wd|phrase)?|pwd|secret|token|api_?key|apikey|private_?key|priv_?key|credentials?|auth_?key|access_?key|signing_?key|encryption_?key|client_secret|otp|pin|cvv|ssn)($|_)/i;
/**
 * Parts that turn a secret-looking name into metadata: password_length, token_type, has_password, an
 * LLM's `model_token_limit`/`num_tokens`, the `token_renewer_class` that fetches a token. (A
 * `session_key` is named as a lookup key more often than as a secret: it is not in the list above.) The
 * `token_scopes` a token grants and a secret's size in `bytes` name facts about the secret, and an `orm_token` or `token_record` names
 * the database object that holds it (logging it writes the object's repr).
 */
const SECRET_METADATA =
  /(^|_)(len|length|count|type|name|names|id|ids|uuid|uuids|usage|ref|url|uri|file|path|dir|field|policy|hint|expir\w*|expires|ttl|age|reset|required|valid|is|has|changed|set|hash|hashed|digest|min|max|prefix|label|header|endpoint|format|kind|scheme|mask|masked|redacted|strength|prompt|help|error|errors|attempts|index|updated|created|at|limit|limits|num|class|cls|renewer|provider|manager|factory|generator|handler|scope|scopes|permission|permissions|role|roles|bytes|bits|size|orm|obj|object|record|row|instance|entity)($|_)/i;

/** `resetToken` → `reset_Token`, `x-api-key` → `x_api_key`: words apart for `(^|_)word($|_)` patterns. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_');
}

/** Secret nouns a name may end with: what the value is, not what it belongs to. */
/**
 * Secret nouns a name may end with: what the value is, not what it belongs to. A `key` is a secret
 * only as one of the two-word forms (`api_key`, `private_key`), not a dict's or cache's key.
 */
const SECRET_HEAD =
  /^(pass(word|wd|phrase)?s?|pwd|secrets?|tokens?|apikeys?|credentials?|creds|otps?|pins?|cvv|ssn|(api|private|priv|auth|access|signing|sign|encryption|secret|hmac|jwt|master)_keys?)$/;
/** Words after the noun that still name the secret itself (`password_plain`, `otp_val`). */
const VALUE_SUFFIXES = /^(value|val|str|string|plain|plaintext|clear|cleartext|raw|b64|base64|hex|text)$/;

/**
 * Whether a name's head (its last word, or last two: `csrf_token`, `api_key`), after words that
 * still name the value itself (`_value`, `_hex`), matches `word` (a `^...$` pattern of one word or
 * two joined by `_`).
 */
export function headMatches(name: string, word: RegExp): boolean {
  const words = snakeCase(name)
    .toLowerCase()
    .split('_')
    .filter((w) => w !== '');
  while (words.length > 1 && VALUE_SUFFIXES.test(words[words.length - 1])) words.pop();
  const last = words[words.length - 1] ?? '';
  return word.test(last) || (words.length > 1 && word.test(`${words[words.length - 2]}_${last}`));
}

/** True when a variable or attribute name says it holds a secret value. */
export function isSecretValueName(name: string): boolean {
  const snake = snakeCase(name);
  // The head is the secret: in English the last noun says what the value is (`access_token`,
  // `user_password`); a `token_serial`, `token_issuer` or `pin_policy` is something about a secret.
  return SECRET_VALUE_NAME.test(snake) && !SECRET_METADATA.test(snake) && headMatches(snake, SECRET_HEAD);
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

/** The variable or attribute an expression's value is assigned to, if any (`x = ...`, `self.x = ...`). */
export function assignedName(node: Node): string | undefined {
  let n: Node | null = node;
  while (
    n?.parent &&
    ['parenthesized_expression', 'call', 'attribute', 'argument_list'].includes(n.parent.type)
  ) {
    if (n.parent.type === 'call' || n.parent.type === 'argument_list') break;
    n = n.parent;
  }
  const p = n?.parent;
  if (p?.type === 'assignment' && p.childForFieldName('right')?.id === n?.id) {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') return left.text;
    if (left?.type === 'attribute') return left.childForFieldName('attribute')?.text;
    if (left?.type === 'subscript') return left.childForFieldName('subscript')?.text.replace(/['"]/g, '');
  }
  if (p?.type === 'keyword_argument') return p.childForFieldName('name')?.text;
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
        names.push(literalWords(first));
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
