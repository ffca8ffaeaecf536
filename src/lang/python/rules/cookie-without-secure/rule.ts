import { cookieWeaknesses } from '../../helpers/security.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/cookie-without-secure',
  title: 'Session or token cookie set without the Secure attribute',
  cwe: 614,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['set_cookie', 'COOKIE_'],
  description:
    'A cookie that holds a session or token is set without `secure=True` (or a framework setting such as ' +
    '`SESSION_COOKIE_SECURE = False` turns it off). The browser then also sends it over plain HTTP, where anyone on ' +
    'the network path can read it and take over the session.',
  fix: 'Pass `secure=True` when setting the cookie (and serve the site over HTTPS only); set SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE to True in production.',
  example: {
    bad: "resp.set_cookie('session_id', sid, httponly=True, samesite='Lax')",
    good: "resp.set_cookie('session_id', sid, secure=True, httponly=True, samesite='Lax')",
  },
  check({ file, module, report }) {
    for (const w of cookieWeaknesses(module, file, 'secure')) report(w);
  },
});
