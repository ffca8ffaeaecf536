import { codeOf } from '../../helpers/messages.js';
import { moduleAssignments, settingsKind } from '../../helpers/module.js';
import { hardcodedSecret } from '../../helpers/security.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/django-hardcoded-secret-key',
  title: 'Django SECRET_KEY hard-coded in settings',
  cwe: 321,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['SECRET_KEY'],
  description:
    "Django's `SECRET_KEY` signs sessions (with the signed-cookie backend), password-reset tokens, messages " +
    'and anything passed to `django.core.signing`. A key written in the settings file is shared by everyone ' +
    'with the source (and its history): they can forge those tokens, and with pickle-based serializers run code. ' +
    'A literal given as the default of an environment lookup is used whenever the variable is unset.',
  fix: 'Read SECRET_KEY from the environment or a secrets manager without a literal fallback, and rotate the key that was committed.',
  example: {
    bad: "SECRET_KEY = 'django-insecure-3k$9w@x!'",
    good: "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
  },
  check({ file, module, report }) {
    if (settingsKind(file, module) !== 'production') return;
    for (const a of moduleAssignments(module)) {
      if (a.name !== 'SECRET_KEY' && a.name !== 'SECRET_KEY_FALLBACKS') continue;
      const secret = hardcodedSecret(a.value, module);
      if (!secret) continue;
      report({
        node: a.node,
        confidence: secret.fallback ? 'medium' : 'high',
        message: secret.fallback
          ? `\`${a.name}\` falls back to the literal ${codeOf(secret.literal, 24)} when the environment variable is unset; anyone with the source can forge signed data.`
          : `\`${a.name}\` is the literal ${codeOf(secret.literal, 24)} in the settings module; anyone with the source can forge sessions, password-reset tokens and signed data.`,
      });
    }
  },
});
