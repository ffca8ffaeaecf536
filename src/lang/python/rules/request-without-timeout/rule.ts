import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';
import { HTTP_CLIENTS } from '../../models/index.js';

/** The models' HTTP client calls, by whether a request without a timeout waits forever. */
const clientOf = (wait: 'none' | 'finite', withClients: boolean): ReadonlyMap<string, string> =>
  new Map(
    HTTP_CLIENTS.filter((c) => c.defaultTimeout === wait).flatMap((c) =>
      [...c.requestCalls, ...(withClients ? (c.clientCalls ?? []) : [])].map(
        (call) => [call, c.name] as const,
      ),
    ),
  );
/** No default timeout: a call without one can wait forever (requests). */
const WITHOUT_DEFAULT = clientOf('none', false);
/** A default timeout, turned off by `timeout=None` on a request or a client (httpx). */
const WITH_DEFAULT = clientOf('finite', true);

export default defineRule({
  id: 'python/request-without-timeout',
  title: 'HTTP request that can wait forever (no timeout)',
  cwe: 1088,
  severity: 'low',
  confidence: 'high',
  languages: ['python'],
  hygiene: true,
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
      const waitsForever = WITHOUT_DEFAULT.get(callee);
      const withDefault = WITH_DEFAULT.get(callee);
      if (waitsForever) {
        if (timeout && !isNone) continue;
        if (!timeout && call.hasSplat) continue;
        report({
          node: call.node,
          message: `${calleeLabel(call)} is called ${isNone ? 'with `timeout=None`' : 'without `timeout=`'}; ${waitsForever} then waits for the server forever.`,
        });
      } else if (withDefault && isNone) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} is called with \`timeout=None\`, which turns off ${withDefault}'s default timeout; it waits for the server forever.`,
        });
      }
    }
  },
});
