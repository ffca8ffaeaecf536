import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { developmentOnly } from '../../helpers/development.js';
import { objectLiteral, objectProperties } from '../../helpers/objects.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

/** Middleware factories that take the `cors` package's options (`origin`, `credentials`). */
const CORS_FACTORIES = new Set(['cors', '@fastify/cors', 'fastify-cors']);
/** Where a request's own Origin header is read: `req.headers.origin`, `req.get('Origin')`. */
const REQUEST_ORIGIN =
  /^(req|request|ctx|ctx\.request)\.(headers?\.origin|headers?\[\s*['"]origin['"]\s*\]|(get|header)\(\s*['"]origin['"]\s*\))$/i;
const SET_HEADER = new Set(['setHeader', 'header', 'set', 'append', 'appendHeader']);
const ALLOW_ORIGIN = 'access-control-allow-origin';
const ALLOW_CREDENTIALS = 'access-control-allow-credentials';
/** Syntax that makes a decision: an origin callback containing one checks the origin. */
const DECISIONS = new Set([
  'if_statement',
  'ternary_expression',
  'switch_statement',
  'binary_expression',
  'call_expression',
]);

/** The function around a node, or the module's root. */
function enclosingFunction(node: Node): Node {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return node.tree.rootNode;
}

/** Whether the expression is the request's Origin header, alone or with a fallback (`|| '*'`). */
function isRequestOrigin(node: Node, module: JsModule): boolean {
  let n = unwrap(node);
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    if (!value) return false;
    n = unwrap(value);
  }
  if (n.type === 'binary_expression' && ['||', '??'].includes(n.childForFieldName('operator')?.text ?? ''))
    n = unwrap(n.childForFieldName('left') ?? n);
  return REQUEST_ORIGIN.test(n.text.replace(/\s+/g, ''));
}

/**
 * Why an `origin` option admits every origin, or undefined: `true` (the request's Origin is echoed),
 * or a callback that answers yes without looking (`(origin, cb) => cb(null, true)`).
 */
function admitsAny(value: Node, module: JsModule): string | undefined {
  const v = unwrap(value);
  if (module.constantValue(v) === true) return "echoes the request's own `Origin`";
  if (v.type === 'regex' && /^\/\.[*+]\/$/.test(v.text)) return 'matches every origin';
  if (!FUNCTION_TYPES.has(v.type)) return undefined;
  const params = v.childForFieldName('parameters')?.namedChildren ?? [];
  const origin = params[0]?.text;
  const callback = params[1]?.text;
  const body = v.childForFieldName('body');
  if (!body || !callback) return undefined;
  const calls = body.descendantsOfType('call_expression');
  const decisions = body.descendantsOfType([...DECISIONS]).filter((d) => d.type !== 'call_expression');
  if (decisions.length > 0 || calls.length !== 1) return undefined;
  const call = calls[0];
  if (call.childForFieldName('function')?.text !== callback) return undefined;
  const answer = call.childForFieldName('arguments')?.namedChildren[1];
  if (!answer) return undefined;
  if (module.constantValue(answer) === true || (origin !== undefined && answer.text === origin))
    return 'answers yes for every origin, without checking it';
  return undefined;
}

export default defineRule({
  id: 'javascript/cors-any-origin-with-credentials',
  title: 'CORS admits any origin with credentials',
  cwe: 942,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['credentials', 'Credentials'],
  description:
    'A CORS policy that echoes whatever origin asks and allows credentials lets every web site read the ' +
    "API's responses with the visitor's cookies: a page on any domain can fetch the user's data or act " +
    'as them.',
  fix:
    "List the origins that may call the API (cors({ origin: ['https://app.example.com'], credentials: true })), " +
    'or drop credentials for a public API.',
  example: {
    bad: 'app.use(cors({ origin: true, credentials: true }));',
    good: "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));",
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee !== undefined && CORS_FACTORIES.has(call.callee)) checkOptions(call, call.argument(0));
      else if (call.methodName === 'register' && call.argument(0)) {
        const plugin = module.qualifiedName(call.argument(0)!);
        if (plugin !== undefined && CORS_FACTORIES.has(plugin)) checkOptions(call, call.argument(1));
      } else if (call.methodName !== undefined && SET_HEADER.has(call.methodName)) checkHeader(call);
    }

    /** `cors({ origin: true, credentials: true })`, `fastify.register(cors, {...})`. */
    function checkOptions(call: JsCall, options: Node | undefined): void {
      const object = options && objectLiteral(options, module);
      if (!object) return;
      const properties = objectProperties(object, module);
      const origin = properties.get('origin');
      const credentials = properties.get('credentials');
      if (!origin || !credentials || module.constantValue(credentials.value) !== true) return;
      const why = admitsAny(origin.value, module);
      if (!why || developmentOnly(call.node, module)) return;
      report({
        node: origin.node,
        message: `\`${codeOf(origin.node)}\` in the options of ${callLabel(call, module)} ${why}, and \`credentials: true\` lets any site read responses sent with the user's cookies.`,
      });
    }

    /** `res.setHeader('Access-Control-Allow-Origin', req.headers.origin)` beside `...-Credentials: true`. */
    function checkHeader(call: JsCall): void {
      const [name, value] = call.args;
      if (!name || !value || module.constantString(name)?.toLowerCase() !== ALLOW_ORIGIN) return;
      if (!isRequestOrigin(value, module)) return;
      const fn = enclosingFunction(call.node);
      const credentials = module.calls.find(
        (c) =>
          c.node.startIndex >= fn.startIndex &&
          c.node.endIndex <= fn.endIndex &&
          c.methodName !== undefined &&
          SET_HEADER.has(c.methodName) &&
          c.argument(0) !== undefined &&
          module.constantString(c.argument(0)!)?.toLowerCase() === ALLOW_CREDENTIALS &&
          c.argument(1) !== undefined &&
          String(module.constantValue(c.argument(1)!)) === 'true',
      );
      // A policy installed only in a developer's run (a dev server's proxy) is not the deployed one.
      if (!credentials || developmentOnly(call.node, module)) return;
      report({
        node: call.node,
        message: `${callLabel(call, module)} sets \`Access-Control-Allow-Origin\` to the request's own Origin (\`${codeOf(value, 40)}\`) without checking it, and line ${credentials.node.startPosition.row + 1} allows credentials: any site can read responses sent with the user's cookies.`,
      });
    }
  },
});
