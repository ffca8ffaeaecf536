import { cookieWeaknesses } from '../../helpers/security.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/cookie-without-httponly',
  title: 'Session or token cookie readable by JavaScript (no HttpOnly)',
  cwe: 1004,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['set_cookie', 'COOKIE_'],
  description:
    'A cookie that holds a session or token is set without `httponly=True` (or SESSION_COOKIE_HTTPONLY is turned ' +
    'off). Any script running in the page, including one injected through cross-site scripting, can read it with ' +
    '`document.cookie` and send it elsewhere. CSRF cookies, which JavaScript must read, are not reported.',
  fix: 'Pass `httponly=True` for cookies that scripts do not need to read.',
  example: {
    bad: "resp.set_cookie('auth_token', token, secure=True)",
    good: "resp.set_cookie('auth_token', token, secure=True, httponly=True, samesite='Strict')",
  },
  check({ file, module, report }) {
    for (const w of cookieWeaknesses(module, file, 'httponly')) report(w);
  },
});
