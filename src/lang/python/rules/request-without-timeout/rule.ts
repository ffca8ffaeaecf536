import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';

const VERBS = 'get|post|put|delete|patch|head|options|request';
/** requests has no default timeout: a call without one can wait forever. */
const REQUESTS = new RegExp(
  `^requests(\\.api|\\.sessions?\\.Session\\(\\)|\\.Session\\(\\)|\\.session\\(\\))?\\.(${VERBS})$`,
);
/** httpx times out after 5 seconds unless told `timeout=None`. */
const HTTPX = new RegExp(`^httpx(\\.(Async)?Client\\(\\))?\\.(${VERBS}|stream)$|^httpx\\.(Async)?Client$`);

export default defineRule({
  id: 'python/request-without-timeout',
  title: 'HTTP request that can wait forever (no timeout)',
  cwe: 1088,
  severity: 'low',
  confidence: 'high',
  languages: ['python'],
  requires: ['requests', 'httpx'],
  description:
    '`requests` has no default timeout, and `httpx` has none when given `timeout=None`: if the server (or ' +
    'anything in between) stops answering, the call blocks forever. Each stuck call holds a worker thread or ' +
    'connection, so a slow or malicious endpoint can exhaust the service.',
  fix: 'Pass timeout= on every requests call (a (connect, read) tuple such as timeout=(3.05, 27)); with httpx keep the default or give a number.',
  example: {
    bad: 'requests.get(url)',
    good: 'requests.get(url, timeout=(3.05, 27))',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const timeout = call.kwargs.get('timeout');
      const isNone = timeout !== undefined && constantValue(timeout, module)?.value === null;
      if (REQUESTS.test(callee)) {
        if (timeout && !isNone) continue;
        if (!timeout && call.hasSplat) continue;
        report({
          node: call.node,
          message: `${calleeLabel(call)} is called ${isNone ? 'with `timeout=None`' : 'without `timeout=`'}; requests then waits for the server forever.`,
        });
      } else if (HTTPX.test(callee) && isNone) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} is called with \`timeout=None\`, which turns off httpx's default timeout; it waits for the server forever.`,
        });
      }
    }
  },
});
