import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { nameParts, secretKindOfName, type SecretKind } from '../../../../rules/names.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { isPlaceholder, secretShape, type SecretShape } from '../../../../rules/secret-values.js';
import { isTestCode } from '../../files.js';
import { callLabel } from '../../helpers/calls.js';
import { optionAt } from '../../helpers/objects.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { propertyName, unwrap } from '../../semantic/scope.js';

const CWE_BY_KIND: Record<SecretKind, number> = { password: 259, key: 321, token: 798 };
const WHAT_BY_KIND: Record<SecretKind, string> = {
  password: 'password',
  key: 'cryptographic key',
  token: 'secret or token',
};
const PRIVATE_KEY = /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/;
/** The header followed by key material: a header alone (a test's stand-in, a format check) holds no key. */
const PRIVATE_KEY_BODY = /PRIVATE KEY( BLOCK)?-----\s*[A-Za-z0-9+/=\s]{40,}/;
/** An object key that is a name (`apiKey`, `'api-key'`), not a path or URL used as a key. */
const NAME_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Calls whose argument at a position, or option at a path, is a key or password by the API's own
 * definition: there the literal is a credential whatever it looks like.
 */
const API_SECRETS: readonly {
  callees: ReadonlySet<string>;
  at: number;
  path?: string[];
  kind: SecretKind;
  /** The value is a connection URL, whose password (`scheme://user:password@host`) is the secret. */
  url?: boolean;
}[] = [
  { callees: new Set(['jsonwebtoken.sign', 'jsonwebtoken.verify']), at: 1, kind: 'key' },
  { callees: new Set(['crypto.createHmac']), at: 1, kind: 'key' },
  { callees: new Set(['express-session', 'cookie-session']), at: 0, path: ['secret'], kind: 'key' },
  { callees: new Set(['cookie-parser']), at: 0, kind: 'key' },
  { callees: new Set(['sequelize', 'sequelize.Sequelize']), at: 2, kind: 'password' },
  {
    callees: new Set([
      'mongoose.connect',
      'mongoose.createConnection',
      'mongodb.MongoClient',
      'mongodb.MongoClient.connect',
      'sequelize',
      'sequelize.Sequelize',
      'ioredis',
      'knex',
    ]),
    at: 0,
    kind: 'password',
    url: true,
  },
  {
    callees: new Set(['pg.Pool', 'pg.Client']),
    at: 0,
    path: ['connectionString'],
    kind: 'password',
    url: true,
  },
  { callees: new Set(['redis.createClient']), at: 0, path: ['url'], kind: 'password', url: true },
];

/** The password of `scheme://user:password@host`. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/([^:@/\s]*):([^@/\s]+)@/i;

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A string written in the source: a quoted string or a template without substitutions. */
function literal(node: Node | null | undefined, module: JsModule): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type !== 'string' && n.type !== 'template_string') return undefined;
  if (n.type === 'template_string' && n.namedChildren.some((c) => c.type === 'template_substitution'))
    return undefined;
  return module.constantString(n);
}

/** Why the value looks like a real credential, or undefined; a value that names a secret is a key. */
function credentialShape(value: string, kind: SecretKind, name: string): SecretShape | undefined {
  const v = value.trim();
  // `'Contraseña'`, `'API-Schlüssel'`: letters beyond ASCII are a translation's prose, not a key.
  if (/[^ -~\t\n\r]/.test(v)) return undefined;
  if (secretKindOfName(v)) {
    const words = new Set(nameParts(name));
    if (nameParts(v).some((w) => words.has(w))) return undefined;
  }
  return secretShape(v, kind === 'password');
}

/** `process.env.X || 'literal'`: the literal is the fallback of a value read from the environment. */
function envFallback(literalNode: Node): Node | undefined {
  const up = literalNode.parent;
  if (
    up?.type !== 'binary_expression' ||
    !['||', '??'].includes(up.childForFieldName('operator')?.text ?? '')
  )
    return undefined;
  if (!up.childForFieldName('right')?.equals(literalNode)) return undefined;
  const left = up.childForFieldName('left');
  return left && /\bprocess\.env\b|\bconfig\b|\bget(Env|Config)?\(/i.test(left.text) ? up : undefined;
}

/** `[{ user: 'a', password: 'x' }, { ... }]`: a table of records is sample data. */
function inTable(pair: Node): boolean {
  const object = pair.parent;
  const array = object?.parent;
  return (
    object?.type === 'object' &&
    array?.type === 'array' &&
    array.namedChildren.filter((c) => c.type === 'object').length >= 2
  );
}

/** Keys under which a render call takes the values its template shows (`renderEmail({ data: {...} })`). */
const TEMPLATE_DATA_KEYS = new Set(['data', 'context', 'locals', 'props', 'variables', 'values', 'model']);
/** A call that renders a template: `res.render`, `ejs.renderFile`, a project's `renderEmail`. */
const RENDER_CALL = /^render([A-Z_]\w*)?$/;
/** The template engines' and Express's own: their locals follow the view or template (`render(view, locals)`). */
const RENDER_LOCALS = /^render(File)?$/;

/** The name a call's function is known by: the method of `a.b.render(...)`, or the function's own. */
function callName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  const f = fn ? unwrap(fn) : undefined;
  if (f?.type === 'identifier') return f.text;
  return f?.type === 'member_expression' ? propertyName(f.childForFieldName('property')) : undefined;
}

/**
 * `res.render('welcome', { password: '...' })`, `renderEmail({ template, data: { password: '...' } })`:
 * the object is what a template shows (the locals after the view, or the data option of a render
 * call), so its values are text for a reader (a preview's sample), not a credential the program
 * checks or sends. The render call's other options are judged as any object's.
 */
function templateData(pair: Node): boolean {
  const object = pair.parent;
  if (object?.type !== 'object') return false;
  const holder = object.parent;
  if (holder?.type === 'arguments') {
    const call = holder.parent;
    const at = holder.namedChildren.filter((c) => c.type !== 'comment').findIndex((c) => c.equals(object));
    return call?.type === 'call_expression' && at >= 1 && RENDER_LOCALS.test(callName(call) ?? '');
  }
  if (holder?.type !== 'pair' || !TEMPLATE_DATA_KEYS.has(propertyName(holder.childForFieldName('key')) ?? ''))
    return false;
  const options = holder.parent;
  const call =
    options?.type === 'object' && options.parent?.type === 'arguments' ? options.parent.parent : undefined;
  return call?.type === 'call_expression' && RENDER_CALL.test(callName(call) ?? '');
}

/**
 * The name a literal is bound to where it is written (a variable, property, object key, class
 * field, parameter default, or the other side of a comparison), looked through an environment
 * fallback, with the node to report.
 */
function boundName(node: Node): { name: string; fallback: boolean } | undefined {
  const fallback = envFallback(node);
  const at = fallback ?? node;
  const up = at.parent;
  if (!up) return undefined;
  let name: string | undefined;
  switch (up.type) {
    case 'variable_declarator':
      name =
        up.childForFieldName('name')?.type === 'identifier' ? up.childForFieldName('name')?.text : undefined;
      break;
    case 'assignment_expression':
    case 'assignment_pattern': {
      const left = unwrap(up.childForFieldName('left') ?? up);
      if (!up.childForFieldName('right')?.equals(at)) return undefined;
      name =
        left.type === 'identifier' || left.type === 'shorthand_property_identifier_pattern'
          ? left.text
          : left.type === 'member_expression'
            ? propertyName(left.childForFieldName('property'))
            : undefined;
      break;
    }
    case 'pair':
      if (!up.childForFieldName('value')?.equals(at) || inTable(up) || templateData(up)) return undefined;
      name = propertyName(up.childForFieldName('key'));
      if (name !== undefined && !NAME_KEY.test(name)) return undefined;
      break;
    case 'public_field_definition':
    case 'field_definition':
      name = propertyName(up.childForFieldName('name') ?? up.childForFieldName('property'));
      break;
    case 'required_parameter':
    case 'optional_parameter':
      name = up.childForFieldName('pattern')?.text;
      break;
    case 'binary_expression': {
      if (!['===', '==', '!==', '!='].includes(up.childForFieldName('operator')?.text ?? ''))
        return undefined;
      const other = up.childForFieldName('left')?.equals(at)
        ? up.childForFieldName('right')
        : up.childForFieldName('left');
      const o = other && unwrap(other);
      name =
        o?.type === 'identifier'
          ? o.text
          : o?.type === 'member_expression'
            ? propertyName(o.childForFieldName('property'))
            : undefined;
      break;
    }
    default:
      return undefined;
  }
  return name === undefined ? undefined : { name, fallback: fallback !== undefined };
}

export default defineRule({
  id: 'javascript/hardcoded-credentials',
  title: 'Hard-coded credentials',
  cwe: 798,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  description:
    'A password, key or token written in the source is known to everyone who can read the code, its ' +
    'history, the published package or the bundle; it cannot be rotated without a release, and every ' +
    'installation shares it. A signing key in the code lets anyone forge sessions and tokens.',
  fix:
    'Read the secret from the environment or a secret store at start-up (process.env.DB_PASSWORD), fail ' +
    'when it is missing, and rotate the value that was committed.',
  example: {
    bad: "const token = jwt.sign({ sub: user.id }, 'x9$kd83hf-sign-2021');",
    good: 'const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);',
  },
  check({ module, report, file }) {
    const tests = isTestCode(file.path);
    const reported = new Set<number>();
    const once = (r: ReportDescriptor): void => {
      if (reported.has(r.node.id)) return;
      reported.add(r.node.id);
      report(r);
    };
    for (const node of module.file.tree.rootNode.descendantsOfType(['string', 'template_string'])) {
      const value = literal(node, module);
      if (value === undefined || value.trim() === '') continue;
      if (PRIVATE_KEY.test(value) && PRIVATE_KEY_BODY.test(value)) {
        once({
          node,
          cwe: 321,
          message: `A private key (\`${PRIVATE_KEY.exec(value)?.[0]}\`) is written in the source: anyone with the code can use it.`,
        });
        continue;
      }
      if (tests) continue;
      const bound = boundName(node);
      const kind = bound && secretKindOfName(bound.name);
      if (!bound || !kind) continue;
      const shape = credentialShape(value, kind, bound.name);
      if (!shape) continue;
      once({
        node,
        cwe: CWE_BY_KIND[kind],
        confidence: bound.fallback || !shape.known ? 'medium' : 'high',
        confidenceReason: bound.fallback
          ? `the literal is the fallback used when the environment does not set the ${WHAT_BY_KIND[kind]}`
          : `the name \`${bound.name}\` says it is a ${WHAT_BY_KIND[kind]}, and the value is ${shape.reason}`,
        message: bound.fallback
          ? `\`${bound.name}\` falls back to a hard-coded ${WHAT_BY_KIND[kind]} (\`${codeOf(node, 24)}\`) when the environment does not set it: a deployment that forgets the variable runs with the value from the source.`
          : `\`${bound.name}\` is a hard-coded ${WHAT_BY_KIND[kind]} (\`${codeOf(node, 24)}\`): anyone who can read the code has it.`,
      });
    }
    if (tests) return;
    for (const call of module.calls) {
      for (const api of API_SECRETS)
        if (call.callee !== undefined && api.callees.has(call.callee)) checkApi(call, api);
    }

    function checkApi(call: JsCall, api: (typeof API_SECRETS)[number]): void {
      const argument = call.argument(api.at);
      if (!argument || (call.hasSpread && api.at > 0)) return;
      const target = api.path ? optionAt(argument, api.path, module)?.value : argument;
      if (!target) return;
      let node = unwrap(target);
      if (node.type === 'identifier') {
        const bound = module.singleValue(node);
        if (!bound) return;
        node = unwrap(bound);
      }
      // `secret: ['k1', 'k2']` (rotation lists of express-session, cookie-parser).
      const literals = node.type === 'array' ? node.namedChildren : [node];
      for (const l of literals) {
        const value = literal(l, module);
        if (value === undefined || value.trim() === '' || isPlaceholder(value)) continue;
        if (api.url) {
          // A password in a URL is judged as a password bound to a name is: `user:pass@` is a stand-in.
          const password = URL_PASSWORD.exec(value.trim())?.[2];
          if (password === undefined || !secretShape(decodeURIComponentSafe(password), true)) continue;
          once({
            node: unwrap(l),
            cwe: 259,
            confidenceReason: `${callLabel(call, module)} connects with the password written in the URL`,
            message: `The connection URL given to ${callLabel(call, module)} has a hard-coded password: anyone who can read the code can log in to the database with it.`,
          });
          continue;
        }
        const what = api.path
          ? `the \`${api.path.join('.')}\` option of ${callLabel(call, module)}`
          : `the ${WHAT_BY_KIND[api.kind]} given to ${callLabel(call, module)}`;
        once({
          node: unwrap(l),
          cwe: CWE_BY_KIND[api.kind],
          confidenceReason: `${callLabel(call, module)} takes a ${WHAT_BY_KIND[api.kind]} there`,
          message: `${what[0].toUpperCase()}${what.slice(1)} is hard-coded (\`${codeOf(l, 24)}\`): anyone who can read the code can ${api.kind === 'password' ? 'log in with it' : 'sign what the application trusts'}.`,
        });
      }
    }
  },
});
