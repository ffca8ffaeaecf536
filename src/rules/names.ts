/**
 * What names say about the values they hold, in every language: a secret (`api_key`, `password`),
 * a value that must be unpredictable (`reset_token`, `otp_code`). Words are split the same way for
 * snake_case, camelCase and kebab-case, so the judgement is the same for Python and JavaScript.
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

/**
 * Words that, anywhere in a name, make its value a part of a secret or a stand-in for one:
 * `PREFIX_LEGACY_API_KEY`, `TOKEN_SUFFIX_V2`, `CREDENTIAL_BLANKING_VALUE`, `REDACTED_PASSWORD`,
 * `DUMMY_TOKEN`, `PLACEHOLDER_SECRET`. A prefix is public (it tells the reader which kind of key
 * follows); a sentinel replaces the secret where it must not be shown.
 */
const STAND_IN_WORDS = new Set(
  (
    'prefix prefixes suffix suffixes placeholder placeholders sentinel blank blanked blanking redacted ' +
    'redaction redact mask masked masking dummy obfuscated'
  ).split(' '),
);

/**
 * Words before `token` that make it a marker rather than a credential: a pagination cursor
 * (`next_page_token`, `continuation_token`: it encodes a position in a listing) or a cancellation
 * marker (`cancelToken`: it tells a stale request from the latest one). Neither proves who someone is.
 */
const MARKER_TOKEN_QUALIFIERS = new Set(
  'page paging pagination continuation cursor cancel cancellation'.split(' '),
);

/** Whether `parts[i]`, a token word, is a marker by the word before it (see MARKER_TOKEN_QUALIFIERS). */
function markerToken(parts: readonly string[], i: number): boolean {
  return i > 0 && MARKER_TOKEN_QUALIFIERS.has(parts[i - 1]);
}

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
 * Names that describe a secret (`token_url`, `password_field`, `PASSWORD_MIN_LENGTH`, `is_password_set`),
 * and names of a part of one or a stand-in for one (`PREFIX_API_KEY`, `MASKED_TOKEN`), are not secrets.
 */
export function secretKindOfName(name: string): SecretKind | undefined {
  const parts = nameParts(name);
  if (parts.length === 0) return undefined;
  if (LABEL_WORDS.has(parts[parts.length - 1])) return undefined;
  if (parts.length > 1 && FLAG_WORDS.has(parts[0])) return undefined;
  if (parts.some((p) => STAND_IN_WORDS.has(p))) return undefined;
  let kind: SecretKind | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (PASSWORD_WORDS.has(p)) return 'password';
    if ((p === 'key' || p === 'keys') && i > 0 && KEY_QUALIFIERS.has(parts[i - 1])) kind = 'key';
    else if ((p === 'key' || p === 'keys') && i > 0 && CREDENTIAL_KEY_QUALIFIERS.has(parts[i - 1]))
      kind ??= 'token';
    else if (p === 'privatekey' || p === 'secretkey' || p === 'signingkey') kind = 'key';
    else if (TOKEN_WORDS.has(p) && !markerToken(parts, i)) kind ??= 'token';
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
    if ((p === 'token' || p === 'tokens') && markerToken(parts, i)) return false;
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

/** Names that say nothing of the value they hold (`key`, `rv`, `result`): the function then says it. */
const GENERIC_NAMES = new Set(
  'key value val result res rv ret out output s x v code data raw chars digits n'.split(' '),
);

/** Whether a name says nothing of the value it holds (`result`, `s`, `rv`). */
export function isGenericName(name: string): boolean {
  return GENERIC_NAMES.has(name);
}

/** `salt`, `make_salt`, `password_salt`: a name whose only secret word is a salt. */
function saltOnly(name: string): boolean {
  return /salt/i.test(name) && !isUnpredictableName(name.replace(/salt/gi, ''));
}

/**
 * The name that makes a random value a secret, from the names it is stored, passed or returned
 * under (`destinations`) and, when those are only generic (`key = ...`, `return rv`) or none, the
 * enclosing function's (`def keygen()`, `function newToken()`). Undefined when none does, and for a
 * salt, which only has to differ between hashes and is stored beside them: predicting it gains
 * nothing.
 */
export function unpredictableDestination(
  destinations: readonly string[],
  functionName: () => string | undefined,
): string | undefined {
  let name = destinations.find(isUnpredictableName);
  if (!name && destinations.every((d) => GENERIC_NAMES.has(d))) {
    const fn = functionName();
    if (fn && isUnpredictableName(fn)) name = fn;
  }
  return name === undefined || saltOnly(name) ? undefined : name;
}

/**
 * What a cookie that holds a session or a token is called: the name's head (last word, or last two)
 * says so (`sessionid`, `csrftoken`, `admin_access_token`, `remember_me`, `user_id`). A name that only
 * mentions one (`is_access_token_expired`, `last_login_method`, `user_id_insecure`) is about it.
 */
const SENSITIVE_COOKIE_HEAD =
  /^([a-z]*(session(_?id)?|sess?id|token|jwt)|sess|ses|sid|auth|remember|remember_me|credentials?|secret|identity|(api|access|refresh|auth)_?keys?|access|refresh|user_?id|uid)$/;

export function isSensitiveCookieName(name: string): boolean {
  return headMatches(name.replace(/[-.\s]+/g, '_').replace(/_?cookie(_name)?$/i, ''), SENSITIVE_COOKIE_HEAD);
}
