import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/trust-boundary-violation',
  title: 'Request data stored in the session',
  cwe: 501,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  // Storing what the request chose harms nothing by itself: the defect, if any, is in later code
  // that trusts the session's value as one the application set. A suggestion unless configured.
  hygiene: true,
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
