import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/log-injection',
  title: 'Log entry written with untrusted data',
  cwe: 117,
  severity: 'low',
  confidence: 'high',
  languages: ['python'],
  requires: ['log'],
  description:
    'Request data is written to a log without removing line breaks. A user can add fake log lines ' +
    '(a forged "login succeeded" entry) or break the format that log readers and alerting rely on.',
  fix:
    'Remove or escape CR and LF before logging user data (value.replace("\\r", "").replace("\\n", "")), ' +
    'or use a structured (JSON) log formatter that escapes values.',
  example: {
    bad: 'logger.info("login failed for %s", request.form["user"])',
    good: 'logger.info("login failed for %r", request.form["user"].replace("\\n", ""))',
  },
  taint: {
    concepts: ['logging'],
    message: (hit) =>
      `${hit.sinkLabel} logs ${hit.sourceText} with its line breaks; a user can forge log entries.`,
  },
});
