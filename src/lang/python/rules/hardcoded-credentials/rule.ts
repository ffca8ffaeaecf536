import { isTestFile } from '../../test-files.js';
import { constantValue } from '../../semantic/constant.js';
import { codeOf } from '../../helpers/messages.js';
import { underMainGuard } from '../../helpers/module.js';
import { nameParts, type SecretKind, secretKindOfName, targetNames } from '../../helpers/names.js';
import { secretShape, type SecretShape } from '../../../../rules/secret-values.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Framework signing keys have their own rules (Django settings, Flask/Starlette apps). */
const FRAMEWORK_SIGNING_KEYS = new Set([
  'secret_key',
  'jwt_secret_key',
  'wtf_csrf_secret_key',
  'security_password_salt',
]);

const CWE_BY_KIND: Record<SecretKind, number> = { password: 259, key: 321, token: 798 };
const WHAT_BY_KIND: Record<SecretKind, string> = {
  password: 'password',
  key: 'cryptographic key',
  token: 'secret',
};

const PRIVATE_KEY = /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/;

/** A string literal node, before its value is computed: the cheap test that comes first. */
function isLiteral(node: Node | null | undefined): node is Node {
  return !!node && (node.type === 'string' || node.type === 'concatenated_string');
}

/** A literal string written in the source (not a name that refers to one). */
function literal(node: Node | null | undefined, module: PythonModule): string | undefined {
  if (!isLiteral(node)) return undefined;
  const v = constantValue(node, module);
  return typeof v?.value === 'string' ? v.value : undefined;
}

/**
 * Whether a literal's value may hold a PEM header. Decoding every string of a file costs more than
 * the rest of the rule; a value that says PRIVATE has it in its text unless an escape sequence or
 * the joint of two implicitly concatenated parts spells it.
 */
function mayHoldPrivateKey(node: Node): boolean {
  if (node.type === 'concatenated_string') return true;
  const text = node.text;
  return text.includes('PRIVATE') || text.includes('\\');
}

/**
 * Why the value looks like a real credential rather than a label, path, placeholder or setting, or
 * undefined. With the name it is bound to, a value that names the same secret (`SESSION_TOKEN =
 * "session_token"`) is a key.
 */
function credentialShape(value: string, kind: SecretKind, name?: string): SecretShape | undefined {
  const v = value.trim();
  // "X-Api-Key", "access_token", "password": the value is itself the name of a secret.
  if (secretKindOfName(v)) {
    if (name === undefined) return undefined;
    const words = new Set(nameParts(name));
    if (nameParts(v).some((w) => words.has(w))) return undefined;
  }
  return secretShape(v, kind === 'password');
}

function stripQuotes(text: string): string {
  return text.replace(/^[rbuf]*['"]+|['"]+$/gi, '');
}

/**
 * A dict literal that is data rather than configuration: a row of a table of several records
 * (`[{"code": ..., "secret": ...}, {...}]`, sample orders for a preview), or the URL arguments of
 * a link being built (`reverse(..., kwargs={"secret": ...})`): its values are examples or URL parts.
 */
function isSampleData(pair: Node): boolean {
  const dict = pair.parent;
  if (dict?.type !== 'dictionary') return false;
  const table = dict.parent;
  if (
    (table?.type === 'list' || table?.type === 'tuple') &&
    table.namedChildren.filter((c) => c?.type === 'dictionary').length >= 2
  )
    return true;
  const keyword = dict.parent?.type === 'keyword_argument' ? dict.parent : undefined;
  const call = keyword?.parent?.parent;
  const callee = call?.type === 'call' ? (call.childForFieldName('function')?.text ?? '') : '';
  return keyword?.childForFieldName('name')?.text === 'kwargs' && /(reverse|url|uri|link)\w*$/i.test(callee);
}

export default defineRule({
  id: 'python/hardcoded-credentials',
  title: 'Credential written in the source code',
  cwe: 798,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: [
    'pass',
    'pwd',
    'secret',
    'token',
    'key',
    'KEY',
    'cred',
    '://',
    'PRIVATE',
    'Pass',
    'Secret',
    'Token',
    'SECRET',
    'TOKEN',
    'PASS',
  ],
  description:
    'A password, API key, token or private key is a string literal in the code. Everyone who can read ' +
    'the repository, a build artifact or a leaked copy has it, it cannot be rotated without a release, ' +
    'and the same value usually ends up shared by every environment.',
  fix:
    'Read the secret at run time from the environment or a secret manager (os.environ["DB_PASSWORD"], ' +
    'Vault, AWS Secrets Manager) without a literal fallback, and rotate the value that was committed.',
  example: {
    bad: 'db = connect(host="db", user="app", password="S3cr3t!")',
    good: 'db = connect(host="db", user="app", password=os.environ["DB_PASSWORD"])',
  },
  check({ file, module, report }) {
    const reported = new Set<number>();
    const flag = (
      at: Node,
      valueNode: Node,
      subject: string,
      kind: SecretKind,
      value: string,
      name: string | undefined,
    ): void => {
      if (reported.has(valueNode.id)) return;
      const shape = credentialShape(value, kind, name);
      if (!shape) return;
      // A module's `__main__` block is its self-test or demo: a password there is a sample, as in
      // tests. A value in a known token format is real key material wherever it is.
      if (!shape.known && underMainGuard(at)) return;
      reported.add(valueNode.id);
      report({
        node: at,
        cwe: CWE_BY_KIND[kind],
        confidence: shape.known ? 'high' : 'medium',
        confidenceReason: shape.known
          ? `the value has the format of ${shape.reason}`
          : `name heuristic (\`${name ?? codeOf(at, 40)}\`) and a secret-like value: ${shape.reason}`,
        message: `${subject} a hard-coded ${WHAT_BY_KIND[kind]}; anyone who can read the source has it.`,
      });
    };
    // Test credentials are fixtures by convention; only real key material is reported there.
    const inTests = isTestFile(file.path);
    const named = (name: string): SecretKind | undefined =>
      inTests || FRAMEWORK_SIGNING_KEYS.has(name.toLowerCase()) ? undefined : secretKindOfName(name);
    const root = module.file.tree.rootNode;

    // Private keys come first: their kind is certain whatever the name. (Passwords inside URLs are
    // python/credentials-in-url.)
    for (const s of root.descendantsOfType(['string', 'concatenated_string'])) {
      if (!s || !mayHoldPrivateKey(s) || s.parent?.type === 'concatenated_string') continue;
      const value = literal(s, module);
      if (value === undefined) continue;
      if (PRIVATE_KEY.test(value)) {
        reported.add(s.id);
        report({
          node: s,
          cwe: 321,
          confidence: 'high',
          confidenceReason: 'the value is a PEM private key',
          message:
            'A private key is embedded in the source as a string literal; anyone with the source can impersonate its owner.',
        });
      }
    }

    for (const a of root.descendantsOfType('assignment')) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (!a || !left || !isLiteral(right)) continue;
      let value: string | undefined | null = null;
      for (const name of targetNames(left)) {
        const kind = named(name);
        if (!kind) continue;
        if (value === null) value = literal(right, module);
        if (value === undefined) break;
        flag(left, right, `\`${codeOf(left)}\` is assigned`, kind, value, name);
      }
    }
    for (const k of root.descendantsOfType('keyword_argument')) {
      const v = k?.childForFieldName('value');
      if (!isLiteral(v)) continue;
      const name = k?.childForFieldName('name')?.text;
      const kind = name ? named(name) : undefined;
      const value = kind && literal(v, module);
      if (k && kind && value !== undefined)
        flag(k, v, `Keyword argument \`${name}\` is given`, kind, value, name);
    }
    for (const p of root.descendantsOfType('pair')) {
      const key = p?.childForFieldName('key');
      const v = p?.childForFieldName('value');
      if (key?.type !== 'string' || !isLiteral(v) || isSampleData(p)) continue;
      const keyText = stripQuotes(key.text);
      const kind = keyText ? named(keyText) : undefined;
      const value = kind && literal(v, module);
      if (p && kind && value !== undefined)
        flag(key, v, `Dictionary key \`"${keyText}"\` maps to`, kind, value, keyText);
    }
    for (const d of root.descendantsOfType(['default_parameter', 'typed_default_parameter'])) {
      const v = d?.childForFieldName('value');
      if (!isLiteral(v)) continue;
      const name = d?.childForFieldName('name')?.text;
      const kind = name ? named(name) : undefined;
      const value = kind && literal(v, module);
      if (d && kind && value !== undefined)
        flag(d, v, `Parameter \`${name}\` defaults to`, kind, value, name);
    }
    for (const c of root.descendantsOfType('comparison_operator')) {
      if (!c) continue;
      const operands = c.namedChildren;
      const [l, r] = [operands[0], operands[1]];
      if (!l || !r || operands.length !== 2 || (!isLiteral(l) && !isLiteral(r))) continue;
      if (!c.children.some((o) => o?.type === '==' || o?.type === '!=')) continue;
      const right = literal(r, module);
      const [subject, lit] = right !== undefined ? [l, r] : [r, l];
      const name = targetNames(subject).at(-1) ?? (subject.type === 'call' ? undefined : subject.text);
      const kind = name ? named(name) : undefined;
      const value = kind && (right ?? literal(lit, module));
      if (kind && value !== undefined)
        flag(c, lit, `\`${codeOf(subject)}\` is compared with`, kind, value, name);
    }
    for (const call of module.calls) {
      // os.environ.get("DB_PASSWORD", "literal"): the fallback ships with the code.
      if (!call.callee || !['os.getenv', 'os.environ.get', 'os.environ.setdefault'].includes(call.callee))
        continue;
      const key = literal(call.args[0], module);
      const fallback = call.argument(1, 'default');
      const value = literal(fallback, module);
      const kind = key ? named(key) : undefined;
      if (kind && fallback && value !== undefined)
        flag(call.node, fallback, `\`${call.callee}("${key}", ...)\` falls back to`, kind, value, key);
    }
  },
});
