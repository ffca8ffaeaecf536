import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/header-injection',
  title: 'Response header set from untrusted data',
  cwe: 113,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['header'],
  description:
    'A response header value is taken from the request. With CR/LF in it a user can add headers (set ' +
    'cookies, change caching) or split the response on servers and proxies that do not reject them.',
  fix:
    'Reject or strip CR and LF from header values (and validate them against the expected format); for ' +
    'redirects use the framework redirect helper with a validated URL.',
  example: {
    bad: 'resp.headers["X-Request-Id"] = request.args["id"]',
    good: 'resp.headers["X-Request-Id"] = request.args["id"].replace("\\r", "").replace("\\n", "")',
  },
  taint: {
    concepts: ['http-response-header'],
    // A header set from what the person running the program passed (its command line, a playbook's
    // parameters) splits no one else's response: most such calls set an outgoing request's headers.
    trust: ['user', 'admin'],
    message: (hit) =>
      `${hit.sinkLabel} sets a response header from ${hit.sourceText}; line breaks in it add headers or split the response.`,
  },
});
