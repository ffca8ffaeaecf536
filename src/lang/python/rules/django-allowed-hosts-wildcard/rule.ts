import { constantValue } from '../../semantic/constant.js';
import { moduleAssignments, settingsKind } from '../../helpers/module.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/django-allowed-hosts-wildcard',
  title: "Django ALLOWED_HOSTS accepts any host ('*')",
  cwe: 183,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['ALLOWED_HOSTS'],
  description:
    "`ALLOWED_HOSTS` containing `'*'` turns off Django's Host header validation. Django then builds absolute " +
    'URLs (password-reset links, redirects, `request.build_absolute_uri()`) from whatever Host a client sends, ' +
    'which enables password-reset poisoning and web-cache poisoning.',
  fix: 'List the exact host names the site serves (a leading dot allows subdomains) and read them from configuration.',
  example: {
    bad: "ALLOWED_HOSTS = ['*']",
    good: "ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', 'example.com').split(',')",
  },
  check({ file, module, report }) {
    if (settingsKind(file, module) !== 'production') return;
    for (const a of moduleAssignments(module)) {
      if (a.name !== 'ALLOWED_HOSTS') continue;
      const v = constantValue(a.value, module);
      const hosts = v && Array.isArray(v.value) ? v.value : typeof v?.value === 'string' ? [v.value] : [];
      if (!hosts.includes('*')) continue;
      report({
        node: a.node,
        message: `\`${a.node.text.replace(/\s+/g, ' ')}\` accepts any Host header, so Django builds absolute URLs from a host the client chooses.`,
      });
    }
  },
});
