import { defineRule } from '../../../../rules/rule.js';

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
    message: (hit) =>
      `${hit.sinkLabel} redirects to a URL taken from ${hit.sourceText}; a crafted link sends users to any site.`,
  },
});
