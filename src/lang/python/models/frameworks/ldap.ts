import { defineModel, sanitizers } from '../concepts.js';

/** python-ldap and ldap3. */
export default defineModel({
  name: 'ldap',
  sinks: [
    {
      // python-ldap's LDAPObject
      concept: 'ldap-query',
      calls: ['.search_s', '.search_st', '.search_ext', '.search_ext_s', '.search_subtree_s'],
      args: [2],
      keywords: ['filterstr'],
    },
    {
      // ldap3's Connection and its paged search; `re.search` shares the name.
      concept: 'ldap-query',
      calls: ['.search', '.paged_search'],
      args: [1],
      keywords: ['search_filter'],
      notCallee: /^(re|regex)\./,
    },
  ],
  sanitizers: sanitizers(
    [90],
    ['ldap.filter.escape_filter_chars', 'ldap3.utils.conv.escape_filter_chars', 'ldap.dn.escape_dn_chars'],
  ),
});
