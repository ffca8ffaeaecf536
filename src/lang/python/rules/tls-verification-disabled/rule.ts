import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { attributeAssignments } from '../../helpers/module.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const HTTP_VERBS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'stream',
  'send',
  'ws_connect',
]);
/** Clients whose `verify=False` (or aiohttp's `ssl=False`) switches certificate checks off. */
const HTTP_LIBRARIES = /^(requests|httpx|aiohttp|urllib3)\b/;
const CLIENT_CONSTRUCTORS = new Set([
  'httpx.Client',
  'httpx.AsyncClient',
  'aiohttp.TCPConnector',
  'aiohttp.ClientSession',
  'urllib3.PoolManager',
  'urllib3.HTTPSConnectionPool',
  'urllib3.connection_from_url',
]);

function isCertNone(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const q = module.qualifiedName(node);
  if (q === 'ssl.CERT_NONE') return true;
  const text = node.text.replace(/['"]/g, '');
  return node.type === 'string' && (text === 'CERT_NONE' || text === 'NONE');
}

/** The keyword that turns verification off at this call, if any. */
function disablingKeyword(call: CallSite, module: PythonModule): string | undefined {
  const callee = call.callee ?? '';
  const isHttpLibrary = HTTP_LIBRARIES.test(callee);
  const isHttpMethod = call.methodName !== undefined && HTTP_VERBS.has(call.methodName);
  if (!isHttpLibrary && !isHttpMethod && !CLIENT_CONSTRUCTORS.has(callee)) return undefined;
  for (const k of ['verify', 'verify_ssl', 'ssl']) {
    const v = call.kwargs.get(k);
    if (v && isConstantFalse(v, module) && v.type !== 'none') return `${k}=${v.text}`;
  }
  if (isCertNone(call.kwargs.get('cert_reqs'), module))
    return `cert_reqs=${call.kwargs.get('cert_reqs')?.text}`;
  return undefined;
}

export default defineRule({
  id: 'python/tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  cwe: 295,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['verify', 'ssl', 'CERT_NONE', 'check_hostname'],
  description:
    'With certificate or host-name checks off, anyone on the network path (a Wi-Fi hotspot, a ' +
    'compromised router, a proxy) can present their own certificate, read the traffic, including ' +
    'credentials and tokens, and change the responses.',
  fix:
    'Keep verification on (the default). For a private CA pass its bundle: verify="/path/ca.pem" or ' +
    'ssl.create_default_context(cafile=...).',
  example: {
    bad: 'requests.get(url, verify=False)',
    good: 'requests.get(url, verify="/etc/ssl/internal-ca.pem")',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      const keyword = disablingKeyword(call, module);
      if (keyword) {
        const known = HTTP_LIBRARIES.test(callee) || CLIENT_CONSTRUCTORS.has(callee);
        report({
          node: call.node,
          confidence: known ? 'high' : 'medium',
          message: `${callLabel(call, module)} is called with \`${keyword}\`: the server certificate is not checked.`,
        });
      } else if (callee === 'ssl._create_unverified_context' || callee === 'ssl._create_stdlib_context') {
        report({
          node: call.node,
          message: `${callLabel(call, module)} creates an SSL context that checks neither the certificate nor the host name.`,
        });
      } else if (
        callee === 'ssl.wrap_socket' &&
        (!call.kwargs.has('cert_reqs') || isCertNone(call.kwargs.get('cert_reqs'), module))
      ) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} ${call.kwargs.has('cert_reqs') ? 'is called with `cert_reqs=ssl.CERT_NONE`' : 'defaults to `cert_reqs=CERT_NONE`'}: the peer certificate is not checked.`,
        });
      }
    }
    // The global default: ssl._create_default_https_context = ssl._create_unverified_context
    for (const a of attributeAssignments(module, '_create_default_https_context')) {
      if (module.qualifiedName(a.value) !== 'ssl._create_unverified_context') continue;
      report({
        node: a.node,
        message: `\`${codeOf(a.node)}\` turns off certificate checks for every HTTPS connection made with urllib.`,
      });
    }
    for (const a of attributeAssignments(module, 'verify')) {
      if (!isConstantFalse(a.value, module) || a.value.type === 'none') continue;
      report({
        node: a.node,
        confidence: module.qualifiedName(a.object)?.startsWith('requests.') ? 'high' : 'medium',
        message: `\`${codeOf(a.node)}\` turns off certificate checks for every request made through \`${codeOf(a.object)}\`.`,
      });
    }
    for (const a of attributeAssignments(module, 'check_hostname')) {
      if (!isConstantFalse(a.value, module)) continue;
      report({
        node: a.node,
        // HTTP libraries turn it off to match the host name themselves (urllib3 does).
        confidence: 'medium',
        message: `\`${codeOf(a.node)}\` stops checking that the certificate belongs to the host, so any valid certificate is accepted.`,
      });
    }
    for (const a of attributeAssignments(module, 'verify_mode')) {
      if (!isCertNone(a.value, module)) continue;
      report({
        node: a.node,
        message: `\`${codeOf(a.node)}\` accepts any certificate, including self-signed ones presented by an attacker.`,
      });
    }
  },
});
