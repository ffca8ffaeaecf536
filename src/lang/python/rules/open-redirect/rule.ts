import type { TaintSinkSpec } from '../../models/concepts.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { redirectStaysOnSite } from '../../helpers/url-prefix.js';
import { defineRule } from '../../../../rules/rule.js';

/** The target starts with a path, query or host that keeps the redirect on the site. */
function staysOnSite(call: CallSite, module: PythonModule, sink: TaintSinkSpec): boolean {
  const target = call.argument(sink.args?.[0] ?? 0, ...(sink.keywords ?? []));
  return !!target && redirectStaysOnSite(target, module);
}

/**
 * The Referer header: a browser sends the page the user came from, which an attacker picks only by
 * linking to the site (or by a client other than a browser, which redirects no one).
 */
const REFERER = /referr?er/i;

export default defineRule({
  id: 'python/open-redirect',
  title: 'Redirect to a URL taken from the request',
  cwe: 601,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['redirect', 'Redirect'],
  description:
    'The application redirects to a URL that comes from the request (a `next` or `url` parameter). An ' +
    'attacker sends links to the trusted site that forward victims to a phishing page.',
  fix:
    'Redirect only to paths of the application: build the URL with url_for/reverse, or check the target ' +
    'with django.utils.http.url_has_allowed_host_and_scheme (or an allow-list) before redirecting.',
  example: {
    bad: 'return redirect(request.args.get("next"))',
    good: 'return redirect(url_for("index"))',
  },
  taint: {
    concepts: ['redirect'],
    skip: staysOnSite,
    message: (hit) =>
      REFERER.test(hit.trace.sources[0]?.label ?? '')
        ? `${hit.sinkLabel} redirects to the Referer header ${hit.sourceText}; a link from another site makes it send users back to that site.`
        : `${hit.sinkLabel} redirects to a URL taken from ${hit.sourceText}; a crafted link sends users to any site.`,
    confidence: (hit) => (REFERER.test(hit.trace.sources[0]?.label ?? '') ? 'medium' : 'high'),
  },
});
