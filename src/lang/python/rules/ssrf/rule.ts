import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';
import { urlHasFixedHost } from './fixed-host.js';

/** The URL argument starts with a constant `scheme://host/`: only the path or query varies (partial SSRF, not reported). */
const fixedHost =
  (position: number) =>
  (call: CallSite, module: PythonModule): boolean => {
    const url = call.argument(position, 'url');
    return !!url && urlHasFixedHost(url, module);
  };

const URL_FIRST = [
  'requests.get',
  'requests.post',
  'requests.put',
  'requests.patch',
  'requests.delete',
  'requests.head',
  'requests.options',
  'requests.Session().get',
  'requests.Session().post',
  'httpx.get',
  'httpx.post',
  'httpx.put',
  'httpx.patch',
  'httpx.delete',
  'httpx.head',
  'httpx.stream',
  'httpx.Client().get',
  'httpx.Client().post',
  'httpx.AsyncClient().get',
  'httpx.AsyncClient().post',
  'urllib.request.urlopen',
  'urllib.request.Request',
  'urllib.request.urlretrieve',
  'urllib2.urlopen',
  'aiohttp.ClientSession().get',
  'aiohttp.ClientSession().post',
  'http.client.HTTPConnection',
  'http.client.HTTPSConnection',
];

export default defineRule({
  id: 'python/ssrf',
  title: 'Outgoing request to a URL taken from the request',
  cwe: 918,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['requests', 'urllib', 'httpx', 'aiohttp', 'http.client'],
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
    sinks: [
      { calls: URL_FIRST, args: [0], keywords: ['url', 'host'], what: 'URL', unless: fixedHost(0) },
      {
        calls: [
          'requests.request',
          'httpx.request',
          'urllib3.PoolManager().request',
          'requests.Session().request',
        ],
        args: [1],
        keywords: ['url'],
        what: 'URL',
        unless: fixedHost(1),
      },
    ],
    message: (hit) =>
      `${hit.sinkLabel} sends a request to a URL built from ${hit.sourceText}; the user chooses which host the server contacts.`,
  },
});
