import { calleeLabel } from '../../helpers/calls.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { codeOf } from '../../helpers/messages.js';
import { fixedOrigin, fixedThroughCallers, ORIGIN_POLICY, reportByOrigin } from '../../helpers/origin.js';
import { evidenceOf } from '../../helpers/security.js';
import { literalPrefix } from '../../helpers/strings.js';
import { defineRule } from '../../../../rules/rule.js';
import { sinkArgument } from '../../models/concepts.js';
import { checkedSinks } from '../../models/select.js';

/** The models' calls that open a URL of any scheme, those traced by python/ssrf and the others. */
const ANY_SCHEME = [...checkedSinks('outgoing-http-request', 'all')].filter(
  ([, sink]) => sink.schemes === 'any',
);
const OPENERS = new Map(ANY_SCHEME.filter(([, sink]) => !sink.sentLater));
/** Requests built to be opened later: `urlopen(Request(url))` opens the Request's URL. */
const REQUEST = new Set(ANY_SCHEME.flatMap(([callee, sink]) => (sink.sentLater ? [callee] : [])));

export default defineRule({
  id: 'python/urlopen-unrestricted-scheme',
  title: 'urllib opens a non-constant URL of any scheme, including file://',
  cwe: 73,
  severity: 'medium',
  confidence: 'low',
  languages: ['python'],
  requires: ['urlopen', 'urlretrieve', 'URLopener', 'build_opener'],
  description:
    '`urllib.request.urlopen()`, `urlretrieve()` and the URLopener classes accept `file://` (and `ftp://`) as well ' +
    'as HTTP(S) URLs. When the URL is not a constant and its scheme is not checked, whoever chooses it can make the ' +
    'program read local files such as `file:///etc/passwd` or application secrets and, where the response is ' +
    'returned, disclose them.' +
    ORIGIN_POLICY,
  fix: 'Check the scheme before opening (urlparse(url).scheme in ("http", "https")), build the URL from a constant https:// prefix, or use an HTTP-only client such as requests or httpx.',
  example: {
    bad: 'data = urllib.request.urlopen(url).read()',
    good: 'if urllib.parse.urlparse(url).scheme not in ("http", "https"):\n    raise ValueError(url)\ndata = urllib.request.urlopen(url, timeout=10).read()',
  },
  // Queries the project's dataflow only to leave URLs proven to come from a request to python/ssrf.
  taint: { tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const opener = call.callee ? OPENERS.get(call.callee) : undefined;
      if (!opener) continue;
      let url = sinkArgument(call, opener);
      if (!url) continue;
      // urlopen(Request(url, ...)): look at the Request's URL.
      if (
        url.type === 'call' &&
        REQUEST.has(module.qualifiedName(url.childForFieldName('function') ?? url) ?? '')
      ) {
        const inner = url
          .childForFieldName('arguments')
          ?.namedChildren.find((a) => a && a.type !== 'comment');
        if (!inner || inner.type === 'keyword_argument') continue;
        url = inner;
      }
      if (evidenceOf(url, module, taint, 918) !== 'unknown') continue;
      if (/^(https?|ftp):\/\/./i.test(literalPrefix(url, module))) continue;
      // A scheme check in the same function (startswith("http"), urlparse(...).scheme) restricts it.
      const fn = enclosingFunction(call.node);
      if (fn && /\.scheme\b|startswith\(\s*\(?\s*f?["']https?/.test(fn.text)) continue;
      reportByOrigin(fixedOrigin(fixedThroughCallers(url, module), module), taint, report, {
        node: call.node,
        head: (from) => `${calleeLabel(call)} opens a URL built from ${from} without a scheme check`,
        tail: 'a `file://` URL reads local files.',
        flowNote: 'opened as a URL',
        unknownFrom: `non-constant \`${codeOf(url, 40)}\``,
      });
    }
  },
});
