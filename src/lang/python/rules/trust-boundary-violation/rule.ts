import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/trust-boundary-violation',
  title: 'Request data stored in the session',
  cwe: 501,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['session'],
  description:
    'A value from the request is stored in the server-side session without validation. Code that later ' +
    'reads the session trusts it as if the application had set it (a role, a user id, a verified flag), ' +
    'mixing trusted and untrusted data.',
  fix:
    'Validate the value (type, allow-list, ownership) before storing it, or keep request data out of ' +
    'the session and store only what the application derived itself.',
  example: {
    bad: 'session["role"] = request.form["role"]',
    good: 'session["role"] = "admin" if user.is_admin else "user"',
  },
  taint: {
    concepts: ['session-store'],
    message: (hit) =>
      `${hit.sinkLabel} stores ${hit.sourceText} in the session unchecked; later code trusts it as data the application set.`,
  },
});
