import type { TaintSinkSpec } from '../../models/concepts.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';
import { operatorInputIsLow } from '../../helpers/operator.js';
import { urlHasFixedHost } from '../../helpers/url-prefix.js';

/** The URL argument starts with a constant `scheme://host/`: only the path or query varies (partial SSRF, not reported). */
function fixedHost(call: CallSite, module: PythonModule, sink: TaintSinkSpec): boolean {
  const url = call.argument(sink.args?.[0] ?? 0, 'url');
  return !!url && urlHasFixedHost(url, module);
}

export default defineRule({
  id: 'python/ssrf',
  title: 'Outgoing request to a URL taken from the request',
  cwe: 918,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['requests', 'urllib', 'httpx', 'aiohttp', 'http.client', 'httpclient'],
  description:
    'The server makes an HTTP request to a URL (or host) that comes from the user. They can make it ' +
    'reach internal services, cloud metadata endpoints or files, with the network position and ' +
    'credentials of the server (server-side request forgery).',
  fix:
    'Build the URL from a fixed base and validated parts; if the target must vary, check its scheme and ' +
    'host against an allow-list (after resolving it) before sending the request.',
  example: {
    bad: 'requests.get(request.args["url"], timeout=5)',
    good: 'requests.get(f"{API_BASE}/items/{int(item_id)}", timeout=5)',
  },
  taint: {
    concepts: ['outgoing-http-request'],
    skip: fixedHost,
    skipReadsArgument: true,
    ...operatorInputIsLow,
    message: (hit) =>
      `${hit.sinkLabel} sends a request to a URL built from ${hit.sourceText}; the user chooses which host the server contacts.`,
  },
});
