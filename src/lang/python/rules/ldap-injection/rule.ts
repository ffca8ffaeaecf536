import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/ldap-injection',
  title: 'LDAP filter built from untrusted data',
  cwe: 90,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['ldap'],
  description:
    'An LDAP search filter is built from request data. Characters such as `*`, `(`, `)` and `|` change ' +
    'the filter: a user can match every entry, bypass a password check or read attributes of others.',
  fix:
    'Escape every value put into a filter with ldap.filter.escape_filter_chars (python-ldap) or ' +
    'ldap3.utils.conv.escape_filter_chars, or validate it against a strict pattern first.',
  example: {
    bad: 'conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + request.args["user"] + ")")',
    good: 'conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(request.args["user"]))',
  },
  taint: {
    concepts: ['ldap-query'],
    message: (hit) =>
      `${hit.sinkLabel} searches with an LDAP filter built from ${hit.sourceText}; filter syntax in it changes which entries match.`,
  },
});
