import { cookieWeaknesses } from '../../helpers/security.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/cookie-without-samesite',
  title: 'Session or token cookie without a SameSite policy',
  cwe: 1275,
  severity: 'low',
  confidence: 'medium',
  languages: ['python'],
  requires: ['set_cookie', 'COOKIE_'],
  description:
    'A cookie that holds a session or token is set without `samesite=` (Flask and Django then send no SameSite ' +
    "attribute) or with `samesite='None'`. Cross-site requests then carry it, which is what cross-site request " +
    'forgery relies on. Current browsers treat a missing attribute as Lax, so the severity is low; an explicit None ' +
    'removes that protection everywhere.',
  fix: "Pass samesite='Lax' (or 'Strict' for cookies never needed on cross-site navigation).",
  example: {
    bad: "resp.set_cookie('session_id', sid, secure=True, httponly=True)",
    good: "resp.set_cookie('session_id', sid, secure=True, httponly=True, samesite='Lax')",
  },
  check({ file, module, report }) {
    for (const w of cookieWeaknesses(module, file, 'samesite')) report(w);
  },
});
