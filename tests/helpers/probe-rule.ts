import { defineRule, type Rule } from '../../src/rules/rule.js';

/**
 * A rule for tests of the machinery around rules: it reports every call whose callee resolves to one
 * of the given qualified names, so that tests do not change when the real rules do.
 */
export function probeRule(...callees: string[]): Rule {
  return defineRule({
    id: 'python/test-probe',
    title: 'Test probe',
    cwe: 78,
    severity: 'high',
    confidence: 'high',
    languages: ['python'],
    description: 'Reports the probed calls.',
    fix: 'None.',
    check({ module, report }) {
      for (const call of module.calls) {
        if (call.callee && callees.includes(call.callee)) {
          report({ node: call.node, message: `call to \`${call.callee}\` (probe)` });
        }
      }
    },
  });
}
