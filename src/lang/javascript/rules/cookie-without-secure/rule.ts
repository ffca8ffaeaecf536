import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { cookiesWithFlagOff } from '../../helpers/cookies.js';

export default defineRule({
  id: 'javascript/cookie-without-secure',
  title: 'Session cookie sent over plain HTTP',
  cwe: 614,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['secure'],
  description:
    'A session or token cookie set with `secure: false` is also sent over plain HTTP: anyone on the ' +
    'network path (a Wi-Fi hotspot, a proxy) who sees one such request can take over the session.',
  fix:
    "Set `secure: true` in production (behind a TLS-terminating proxy also `app.set('trust proxy', 1)`), " +
    "or derive it from the environment: secure: process.env.NODE_ENV === 'production'.",
  example: {
    bad: 'app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } }));',
    good: 'app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: true } }));',
  },
  check({ module, report }) {
    for (const f of cookiesWithFlagOff(module, 'secure')) {
      report({
        node: f.node,
        message: `\`${codeOf(f.node)}\` lets the browser send ${f.cookie} over plain HTTP, where anyone on the network path can read it and take over the session.`,
      });
    }
  },
});
