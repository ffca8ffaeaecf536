import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { cookiesWithFlagOff } from '../../helpers/cookies.js';

export default defineRule({
  id: 'javascript/cookie-without-httponly',
  title: 'Session cookie readable by scripts',
  cwe: 1004,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['httpOnly'],
  description:
    'A session or token cookie set with `httpOnly: false` can be read by any script on the page: one ' +
    'cross-site scripting flaw anywhere on the site then hands the session to the attacker.',
  fix: 'Leave httpOnly on (drop `httpOnly: false`, or set `httpOnly: true`) for session and token cookies.',
  example: {
    bad: "res.cookie('session', id, { httpOnly: false, secure: true });",
    good: "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'lax' });",
  },
  check({ module, report }) {
    for (const f of cookiesWithFlagOff(module, 'httpOnly')) {
      report({
        node: f.node,
        message: `\`${codeOf(f.node)}\` lets page scripts read ${f.cookie}: a cross-site scripting flaw can steal the session.`,
      });
    }
  },
});
