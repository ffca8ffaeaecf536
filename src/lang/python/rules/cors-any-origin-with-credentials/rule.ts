import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { dictEntries, isConstantTrue, stringValue } from '../../helpers/constants.js';
import { moduleAssignments } from '../../helpers/module.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const FLASK_CORS = new Set([
  'flask_cors.CORS',
  'flask_cors.cross_origin',
  'quart_cors.cors',
  'quart_cors.route_cors',
]);
const CORS_MIDDLEWARE = new Set([
  'starlette.middleware.cors.CORSMiddleware',
  'fastapi.middleware.cors.CORSMiddleware',
]);

/** True when an origins value admits every origin: '*', ['*'], a '.*' pattern. */
function anyOrigin(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const v = constantValue(node, module);
  const list = v === undefined ? [] : Array.isArray(v.value) ? v.value : [v.value];
  return list.some(
    (o) => typeof o === 'string' && /^(\*|\.\*|\^?\.\*\$?|.*\(\.\*\).*|https?:\/\/\.\*)$/.test(o),
  );
}

export default defineRule({
  id: 'python/cors-any-origin-with-credentials',
  title: 'CORS allows any origin together with credentials',
  cwe: 942,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['CORS', 'cors'],
  description:
    'The CORS configuration admits every origin and also allows credentials. Browsers refuse a literal `*` with ' +
    'credentials, so Flask-CORS, Starlette/FastAPI and django-cors-headers answer with the requesting origin ' +
    'instead: any web site the user visits can then send authenticated requests to the API and read the responses ' +
    "with the user's cookies.",
  fix: 'List the trusted origins explicitly when credentials are allowed; keep the wildcard only for public, cookie-less endpoints.',
  example: {
    bad: "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)",
    good: "app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_credentials=True)",
  },
  check({ module, report }) {
    const flag = (call: CallSite, what: string): void =>
      report({
        node: call.node,
        message: `${calleeLabel(call)} ${what} and allows credentials; any site can make authenticated requests and read the responses.`,
      });
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      if (FLASK_CORS.has(callee)) {
        const credentials = isConstantTrue(
          call.argument(-1, 'supports_credentials', 'allow_credentials'),
          module,
        );
        const origins = call.argument(-1, 'origins', 'allow_origin');
        const resources = call.kwargs.get('resources');
        // Flask-CORS allows every origin unless `origins` (top level or per resource) says otherwise.
        if (resources) {
          for (const [path, options] of dictEntries(resources, module)) {
            const opts = dictEntries(options, module);
            const cred = credentials || isConstantTrue(opts.get('supports_credentials'), module);
            const any = opts.has('origins')
              ? anyOrigin(opts.get('origins'), module)
              : !origins || anyOrigin(origins, module);
            if (cred && any) flag(call, `admits every origin for \`${path}\``);
          }
          continue;
        }
        if (credentials && (!origins || anyOrigin(origins, module)))
          flag(
            call,
            origins ? `admits every origin (\`${origins.text}\`)` : 'admits every origin (the default)',
          );
        continue;
      }
      const isMiddleware = CORS_MIDDLEWARE.has(callee);
      const viaArg =
        (call.methodName === 'add_middleware' || /(^|\.)Middleware$/.test(callee)) &&
        call.args[0] !== undefined &&
        CORS_MIDDLEWARE.has(module.qualifiedName(call.args[0]) ?? '');
      if (!isMiddleware && !viaArg) continue;
      if (!isConstantTrue(call.kwargs.get('allow_credentials'), module)) continue;
      const origins = call.kwargs.get('allow_origins');
      const regex = call.kwargs.get('allow_origin_regex');
      if (anyOrigin(origins, module)) flag(call, `admits every origin (\`allow_origins=${origins?.text}\`)`);
      else if (regex && /^\^?\.\*\$?$/.test(stringValue(regex, module) ?? ''))
        flag(call, `admits every origin (\`allow_origin_regex=${regex.text}\`)`);
    }
    // django-cors-headers: both settings in the same module.
    const assignments = moduleAssignments(module);
    const credentials = assignments.find(
      (a) => a.name === 'CORS_ALLOW_CREDENTIALS' && isConstantTrue(a.value, module),
    );
    if (!credentials) return;
    for (const a of assignments) {
      const all =
        ((a.name === 'CORS_ALLOW_ALL_ORIGINS' || a.name === 'CORS_ORIGIN_ALLOW_ALL') &&
          isConstantTrue(a.value, module)) ||
        (a.name === 'CORS_ALLOWED_ORIGIN_REGEXES' && anyOrigin(a.value, module));
      if (all)
        report({
          node: a.node,
          message: `\`${a.node.text}\` with \`${credentials.node.text}\` (line ${credentials.node.startPosition.row + 1}) lets any site make authenticated requests and read the responses.`,
        });
    }
  },
});
