import { constantValue } from '../../semantic/constant.js';
import { moduleAssignments, settingsKind } from '../../helpers/module.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/django-debug-enabled',
  title: 'Django DEBUG enabled in a settings module',
  cwe: 489,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['DEBUG'],
  description:
    'A Django settings module sets `DEBUG = True`. With debug on, any error page shows stack traces, local ' +
    'variables, settings and SQL queries to whoever triggers it, and Django keeps every query in memory. ' +
    'Settings modules named for development or tests (`settings/dev.py`, `local_settings.py`, ' +
    '`test_settings.py`) are not reported.',
  fix: 'Read DEBUG from the environment with a false default, and enable it only in development settings.',
  example: {
    bad: 'DEBUG = True',
    good: "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'",
  },
  check({ file, module, report }) {
    if (settingsKind(file, module) !== 'production') return;
    for (const a of moduleAssignments(module)) {
      if (a.name !== 'DEBUG' && a.name !== 'TEMPLATE_DEBUG') continue;
      const v = constantValue(a.value, module);
      if (!v || !v.value || Array.isArray(v.value)) continue;
      report({
        node: a.node,
        message: `\`${a.node.text}\` in settings module \`${file.path.split('/').pop()}\` turns on Django's debug mode: error pages show stack traces, local variables and settings to visitors.`,
      });
    }
  },
});
