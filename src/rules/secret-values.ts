/**
 * What a string value says about itself: whether it looks like a secret (a known token format, or
 * enough length and mixed characters to be a password or a random key) rather than a label, a
 * placeholder, a flag or configuration syntax. A suspicious name alone (`TOKEN_PREFIX = 'tok_'`,
 * `"change_password": "1/m/user"`) is not evidence of a secret; the value has to agree.
 */

/** Token formats of well-known providers: the value is a credential whatever it is called. */
const KNOWN_FORMATS: readonly [RegExp, string][] = [
  [/^(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}$/, 'AWS access key id'],
  [/^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}$/, 'GitHub token'],
  [/^github_pat_[A-Za-z0-9_]{50,}$/, 'GitHub fine-grained token'],
  [/^glpat-[A-Za-z0-9_-]{20,}$/, 'GitLab token'],
  [/^xox[abposre]-\d+-[A-Za-z0-9-]{8,}$/, 'Slack token'],
  [/^(sk|pk|rk)_(live|test)_[A-Za-z0-9]{16,}$/, 'Stripe key'],
  [/^whsec_[A-Za-z0-9]{24,}$/, 'Stripe webhook secret'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'Google API key'],
  [/^SG\.[\w-]{16,}\.[\w-]{16,}$/, 'SendGrid key'],
  [/^sk-(proj-|ant-)?[A-Za-z0-9_-]{32,}$/, 'API secret key'],
  [/^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}$/, 'JSON Web Token'],
];

/**
 * The prefixes of those formats: a value that has one but not the body the format requires
 * (`sk_test_123`, `whsec_123`, `ghp_xxx`) is a stand-in for a key, as in a mock service.
 */
const KNOWN_PREFIX =
  /^((sk|pk|rk)_(live|test)_|whsec_|(ghp|gho|ghu|ghs|ghr)_|github_pat_|glpat-|xox[abposre]-|AIza|SG\.|sk-(proj-|ant-)?)/;

/** Values written where a secret must be filled in later, and flags: no secret in them. */
const PLACEHOLDER =
  /^[<{[(].*[>}\])]$|\$\{|\{\{|%\(|%s|^(x+|\*+|\.+|-+|#+|0+)$|change[-_ ]?me|replace[-_ ]?me|placeholder|example|dummy|redacted|sentinel|blank|fixme|todo|your[-_ ]|^(none|null|nil|undefined|empty|secret|password|token|test|testing|true|false|yes|no|on|off|demo|default)$/i;

/** Whether a value is written where a secret must be filled in later (`changeme`, `<password>`, `${KEY}`), or is a flag. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

/**
 * A short value that ends where something is joined to it (`n8n_api_`, `tok-`): the public prefix
 * that says which kind of key follows, not a key. Random key material ends in a separator by chance
 * only, and is longer.
 */
const PREFIX_VALUE = /^.{1,15}[_-]$/;

/** Words joined by `_`, `-`, `.` or spaces, without digits: `DEMO_KEY`, `input`, `xoxb-valid`. */
const WORDS_ONLY = /^[A-Za-z]+([_\-. :/]+[A-Za-z]+)*$/;

/** Configuration syntax: rate limits (`5/m/ip,1/m/key`), durations, sizes, versions, host:port, colours. */
const CONFIG_SYNTAX =
  /^(\d+\/[a-z]+(\/[a-z]+)?)(\s*,\s*\d+\/[a-z]+(\/[a-z]+)?)*$|^\d+(\.\d+)*\s*[a-z]{0,3}$|^v?\d+(\.\d+)+$|^[\w.-]+:\d{2,5}$|^#[0-9a-f]{3,8}$/i;

/** URLs, dotted module paths and file paths name where something is, not what it is. */
const LOCATION =
  /^[a-z][a-z0-9+.-]*:\/\/|^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$|^(\/|~\/|\.\.?\/|[A-Za-z]:\\)|\.(pem|key|crt|cer|der|p12|pfx|txt|json|ya?ml|cfg|conf|ini|env|toml|html?)$/i;

/**
 * Regular-expression syntax: a negated or quantified character class, a group extension, a class
 * escape under a quantifier (`[^()<>@,;:]+`, `(?:...)`, `\\d+`). Grammar constants such as an RFC
 * `token` pattern are named like credentials; a secret has none of these shapes.
 */
const REGEX_SYNTAX = /\[\^|\[[^\]]+\][+*?{]|\(\?[:=!<P]|\\[dswDSW][+*?{]/;

export interface SecretShape {
  /** A known provider format: a credential whatever its name says. */
  known: boolean;
  /** Why the value looks like a secret, as a phrase for the finding's confidence reason. */
  reason: string;
}

function characterClasses(v: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
}

/** Shannon entropy of the value, in bits per character. */
export function entropy(v: string): number {
  const counts = new Map<string, number>();
  for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / v.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** `bar:bar`, `test/test`, `admin:admin`: the same word twice is a stand-in, not a secret. */
function repeated(v: string): boolean {
  const parts = v.split(/[:/@|,;]/).filter(Boolean);
  return parts.length > 1 && parts.every((p) => p === parts[0]);
}

/** `abcdef...xyz0123456789`: an alphabet or keyboard run, so mostly consecutive characters. */
function sequential(v: string): boolean {
  let steps = 0;
  for (let i = 1; i < v.length; i++) if (v.charCodeAt(i) - v.charCodeAt(i - 1) === 1) steps++;
  return steps >= (v.length - 1) / 2;
}

/**
 * Whether a string value looks like a secret, and why. A known token format counts whatever its
 * length; otherwise the value needs at least 8 characters (6 for a password) with letters mixed
 * with digits or symbols, or 16 characters of high entropy, and must not be a placeholder, a key's
 * prefix (short, ending in `_` or `-`; not for a password), a label made of words, configuration
 * syntax, a URL or a path.
 */
export function secretShape(value: string, password = false): SecretShape | undefined {
  const v = value.trim();
  for (const [format, what] of KNOWN_FORMATS) if (format.test(v)) return { known: true, reason: `a ${what}` };
  if (KNOWN_PREFIX.test(v)) return undefined;
  if (v.length < (password ? 6 : 8) || /\s/.test(v) || PLACEHOLDER.test(v)) return undefined;
  // A password may end in `_` as any character; keys and tokens are issued with a prefix.
  if (!password && PREFIX_VALUE.test(v)) return undefined;
  if (
    WORDS_ONLY.test(v) ||
    CONFIG_SYNTAX.test(v) ||
    LOCATION.test(v) ||
    REGEX_SYNTAX.test(v) ||
    repeated(v) ||
    sequential(v)
  )
    return undefined;
  const distinct = new Set(v).size;
  if (distinct < 4) return undefined;
  const classes = characterClasses(v);
  const letters = /[A-Za-z]/.test(v);
  if (v.length >= 16 && entropy(v) >= 3.5 && (classes >= 2 || /^[0-9a-f]+$/i.test(v)))
    return { known: false, reason: `${v.length} random-looking characters` };
  if (letters && classes >= 2 && /[\d\W_]/.test(v.replace(/[_\-.]/g, '')))
    return { known: false, reason: `${v.length} characters mixing ${describeClasses(v)}` };
  return undefined;
}

function describeClasses(v: string): string {
  const parts: string[] = [];
  if (/[A-Za-z]/.test(v)) parts.push('letters');
  if (/\d/.test(v)) parts.push('digits');
  if (/[^A-Za-z0-9]/.test(v)) parts.push('symbols');
  return parts.join(', ').replace(/, ([^,]+)$/, ' and $1');
}
