import { isTestFile } from '../../test-files.js';
import { isConstantish } from '../../helpers/constants.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { codeOf } from '../../helpers/messages.js';
import { describeSource } from '../../../../dataflow/index.js';
import { importsAny } from '../../helpers/module.js';
import { carriedName, headMatches, snakeCase } from '../../helpers/names.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Names of values an attacker tries to guess byte by byte. */
const SECRET_COMPARAND =
  /(^|_)(signature|mac|hmac|token|api_?key|apikey|secret|otp|csrf_?token|auth_?code|reset_?code|verification_?code|confirmation_?code)($|_)/i;
/** The secret words as a name's head (see headMatches). */
const SECRET_HEAD =
  /^(signature|sig|mac|hmac|digest|token|api_key|apikey|secret|otp|csrf_token|auth_code|reset_code|verification_code|confirmation_code|code|key|password|hash)$/;
/** A bare `token` is also a lexer or parser token; it counts only in modules doing web, auth or crypto work. */
const SECURITY_MODULES = [
  'flask',
  'django',
  'fastapi',
  'starlette',
  'jwt',
  'jose',
  'hmac',
  'hashlib',
  'secrets',
  'itsdangerous',
  'werkzeug',
  'requests',
  'aiohttp',
  'tornado',
  'pyramid',
  'bottle',
  'falcon',
];
const NOT_SECRET =
  /(^|_)(type|types|len|length|size|count|name|kind|id|url|expires?|expir\w*|prefix|scheme|algorithm|alg|method|version|format|verify|obj|required|enabled|addr|address|hwaddr|rsa|ecdsa|plaintext|sha\d*|hs\d+|rs\d+|es\d+)($|_)/i;

/**
 * `hmac.new(...).hexdigest()`, `h.digest()` of an HMAC, `hmac.digest(...)`: computed MACs. Plain hashes of
 * public data (file checksums) leak nothing secret through timing and are not counted.
 */
function isDigestCall(n: Node, module: PythonModule): boolean {
  if (n.type !== 'call') return false;
  const fn = n.childForFieldName('function');
  const q = fn ? module.qualifiedName(fn) : undefined;
  return q !== undefined && /^hmac\.(new\(\)\.(hex)?digest|HMAC\(\)\.(hex)?digest|digest)$/.test(q);
}

/** ALL_CAPS names (`SIGNATURE_HMAC`, `signal.SIGINT`, `ffi.NULL`) are constants by convention. */
function isNamedConstant(n: Node): boolean {
  const name = carriedName(n);
  if (
    n.type === 'subscript' ||
    name === undefined ||
    !/^_*[A-Z][A-Z0-9_]*$/.test(name) ||
    !/[A-Z]{2}/.test(name)
  )
    return false;
  // An error or status code (libvirt.VIR_ERR_NO_SECRET, TOKEN_INVALID) names a secret, is not one.
  if (/(^|_)(ERR|ERROR|NO|NOT|INVALID|MISSING|UNKNOWN|BAD)(_|$)/.test(name)) return true;
  // settings.API_KEY is a configured secret, not a constant of the program.
  return !SECRET_COMPARAND.test(name);
}

function isSecretOperand(n: Node, module: PythonModule, securityModule: () => boolean): boolean {
  if (isDigestCall(n, module)) return true;
  if (n.type === 'call') return false; // len(token), token.count(...)
  const name = carriedName(n);
  if (name === undefined || !SECRET_COMPARAND.test(snakeCase(name)) || NOT_SECRET.test(snakeCase(name)))
    return false;
  // The secret must be what the name is (`client_secret`), not what it is about (`token_issuer`).
  if (!headMatches(name, SECRET_HEAD)) return false;
  return securityModule() || !/^token$/i.test(name);
}

/**
 * Names of values that are not secrets, whatever the other side is: a parser's delimiter (`next_token !=
 * termination_delimiter`), a user or other object (`user != request.user`).
 */
const NOT_SECRET_OTHER =
  /(^|_)(delim\w*|separator|sep|terminator|punct\w*|quote|bracket|eof|eol|keyword|operator|char|symbol|user|users|owner|author|member|account|obj|object|instance|node|self|cls)$/i;

/** `SECRET_KEY`, `settings.API_KEY`, `app.config["SECRET_KEY"]`: configuration, not request input. */
function isConfiguration(n: Node): boolean {
  const name = carriedName(n);
  return name !== undefined && /^_*[A-Z][A-Z0-9_]*$/.test(name) && /[A-Z]{2}/.test(name);
}

/**
 * `Model.token_hash`, `TokenType.client_secret`: an attribute of a class. An ORM model's column
 * compared with `==` builds a query (`select(M).where(M.token_hash == h)`: the database compares,
 * by index), and an enumeration's member is a constant; neither is a secret compared in Python.
 */
function isClassAttribute(n: Node): boolean {
  if (n.type !== 'attribute') return false;
  const obj = n.childForFieldName('object');
  return obj?.type === 'identifier' && /^_*[A-Z]/.test(obj.text) && /[a-z]/.test(obj.text);
}

/** Calls whose result is a value whose signature was just checked (itsdangerous, Django signing). */
const VERIFYING_CALL = /(^|\.)(unsign|unsign_object|verify_signature|verify_token|decode_token)$/;
const SIGNING_LOADS =
  /(^|\.)(signing|signer|serializer|serializers?)\.loads$|(signer|serializer)\w*\.loads$/i;
/** Lookups that raise when nothing matches: the value they were given was authenticated. */
const RAISING_LOOKUP = /(^|\.)(get_object_or_404|get_or_404|first_or_404|one_or_404)$/;

function statementsBefore(fn: Node, at: Node, type: string): Node[] {
  return fn.descendantsOfType(type).filter((n): n is Node => !!n && n.endIndex <= at.startIndex);
}

function exits(block: Node | null): boolean {
  return !!block?.descendantsOfType(['return_statement', 'raise_statement']).length;
}

/**
 * True when the operand was authenticated before the comparison, so a guess never reaches it: it
 * came out of a signature check (`token = signer.unsign(signed)`), or an earlier lookup keyed by it
 * rejected unknown values (`project = for_api_key(key); if project is None: return ...`).
 */
function alreadyVerified(operand: Node, at: Node): boolean {
  if (operand.type !== 'identifier') return false;
  const fn = enclosingFunction(at);
  if (!fn) return false;
  const name = operand.text;
  for (const a of statementsBefore(fn, at, 'assignment')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (right?.type !== 'call') continue;
    const callee = right.childForFieldName('function')?.text ?? '';
    if (left?.text === name && (VERIFYING_CALL.test(callee) || SIGNING_LOADS.test(callee))) return true;
    const args = right.childForFieldName('arguments');
    // The operand itself as an argument: `for_api_key(key)`, not `handler.key` nor `key = cast(key)`.
    const passed = !!args
      ?.descendantsOfType('identifier')
      .some((i) => i?.text === name && i.parent?.childForFieldName('attribute')?.id !== i.id);
    if (!passed || left?.type !== 'identifier' || left.text === name) continue;
    if (RAISING_LOOKUP.test(callee)) return true;
    const result = left.text;
    const rejected = statementsBefore(fn, at, 'if_statement').some((i) => {
      if (i.startIndex < a.endIndex) return false;
      const cond = i.childForFieldName('condition')?.text ?? '';
      const tests = new RegExp(`^(not\\s+${result}|${result}\\s+is\\s+None)$`).test(cond.trim());
      return tests && exits(i.childForFieldName('consequence'));
    });
    if (rejected) return true;
  }
  return false;
}

/** The alternatives of an `or` chain or a conditional expression (`a or b`, `a if c else b`). */
function alternatives(n: Node): Node[] {
  if (n.type === 'parenthesized_expression')
    return n.namedChildren[0] ? alternatives(n.namedChildren[0]) : [n];
  if (n.type === 'boolean_operator' && n.childForFieldName('operator')?.text === 'or') {
    const parts = [n.childForFieldName('left'), n.childForFieldName('right')];
    return parts.flatMap((p) => (p ? alternatives(p) : []));
  }
  if (n.type === 'conditional_expression') {
    const [then, , otherwise] = n.namedChildren;
    return [then, otherwise].flatMap((p) => (p ? alternatives(p) : []));
  }
  return [n];
}

/**
 * `secret = update.secret or stored_secret` then `secret != stored_secret`: a new value that falls
 * back to the one it is compared with (every binding of the name does). A client that sends nothing
 * makes the two equal, so the comparison cannot tell one who knows the stored secret from one who
 * does not: it asks whether the value changed (to revalidate, to save), and is no guess's check.
 */
function fallsBackTo(operand: Node, other: Node, module: PythonModule): boolean {
  const target = other.text.replace(/\s+/g, '');
  const fallback = (value: Node): boolean =>
    alternatives(value).some((alt) => alt.id !== value.id && alt.text.replace(/\s+/g, '') === target);
  if (operand.type !== 'identifier') return fallback(operand);
  const found = module.scopeOf(operand).lookup(operand.text);
  return !!found?.bindings.length && found.bindings.every((b) => b.kind === 'value' && fallback(b.value));
}

export default defineRule({
  id: 'python/timing-unsafe-comparison',
  title: 'Secret, token or MAC compared with == (not constant-time)',
  cwe: 208,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['==', '!='],
  description:
    'A signature, MAC, digest or token is compared with `==` or `!=`. String and bytes comparison stops at the first ' +
    'differing byte, so the response time tells an attacker how many leading bytes of a guess are right, and a ' +
    'valid value can be found byte by byte.',
  fix: 'Compare secrets with hmac.compare_digest(a, b) (or secrets.compare_digest), which takes the same time whatever the inputs.',
  example: {
    bad: 'if hmac.new(key, body, "sha256").hexdigest() == signature:',
    good: 'if hmac.compare_digest(hmac.new(key, body, "sha256").hexdigest(), signature):',
  },
  // A finding is medium only where the dataflow proves a request value is compared.
  taint: { tracedBy: 'check' },
  check({ file, module, report, taint }) {
    if (isTestFile(file.path)) return;
    // Scanning the imports costs more than the rest of the check: only a bare `token` needs it.
    let imports: boolean | undefined;
    const web = (): boolean => (imports ??= importsAny(module, SECURITY_MODULES));
    for (const cmp of file.tree.rootNode.descendantsOfType('comparison_operator')) {
      if (!cmp) continue;
      const operands = cmp.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      const ops = cmp.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
      if (operands.length !== 2 || ops.length !== 1 || (ops[0] !== '==' && ops[0] !== '!=')) continue;
      const [a, b] = operands;
      if (isConstantish(a, module) || isConstantish(b, module) || isNamedConstant(a) || isNamedConstant(b))
        continue;
      if (isClassAttribute(a) || isClassAttribute(b)) continue;
      // self.signature == other.signature: structural equality of two objects, not a secret check.
      if (
        carriedName(a) !== undefined &&
        carriedName(a) === carriedName(b) &&
        a.type === b.type &&
        a.type === 'attribute'
      )
        continue;
      const secret = isSecretOperand(a, module, web) ? a : isSecretOperand(b, module, web) ? b : undefined;
      if (!secret) continue;
      // device.mac == vif.address: a network card's MAC address, not a message authentication code.
      const other = secret === a ? b : a;
      if (/^mac$/i.test(carriedName(secret) ?? '') && /addr/i.test(carriedName(other) ?? '')) continue;
      if (NOT_SECRET_OTHER.test(snakeCase(carriedName(other) ?? ''))) continue;
      // SECRET_KEY == default_settings.SECRET_KEY: a start-up check of the configuration, no guess in it.
      if (isConfiguration(a) && isConfiguration(b)) continue;
      if (alreadyVerified(a, cmp) || alreadyVerified(b, cmp)) continue;
      if (fallsBackTo(a, b, module) || fallsBackTo(b, a, module)) continue;
      const computed = isDigestCall(a, module) || isDigestCall(b, module);
      // A guess must reach the comparison for its timing to tell anything: one side from a request.
      const guess = [other, secret]
        .map((n) => taint.trace(n, { trust: ['user'] }))
        .find((t) => t.kind === 'tainted');
      const what = computed ? 'a computed digest' : `\`${secret.text.slice(0, 40)}\``;
      const line = cmp.text.replace(/\s+/g, ' ').slice(0, 90);
      if (guess?.kind === 'tainted') {
        report({
          node: cmp,
          confidence: computed ? 'high' : 'medium',
          confidenceReason: computed
            ? `one side is a computed HMAC digest, the other comes from ${describeSource(guess.sources[0])}`
            : `the compared value comes from ${describeSource(guess.sources[0])}; name heuristic: \`${codeOf(secret, 40)}\` names a secret`,
          message: `\`${line}\` compares ${what} with ${describeSource(guess.sources[0])} using \`${ops[0]}\`, which returns as soon as a byte differs; the timing reveals how much of a guess is right.`,
          flow: taint.flowTo(guess, cmp, `compared with \`${ops[0]}\``),
        });
        continue;
      }
      report({
        node: cmp,
        severity: 'low',
        confidence: 'low',
        confidenceReason: `name heuristic: \`${codeOf(secret, 40)}\` names a secret; neither side is shown to come from a request`,
        message: `\`${line}\` compares ${what} with \`${ops[0]}\`, which returns as soon as a byte differs; if a client can send guesses, the timing reveals how much of one is right.`,
      });
    }
  },
});
