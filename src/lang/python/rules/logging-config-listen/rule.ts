import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/logging-config-listen',
  title: 'logging.config.listen() accepts configurations without verification',
  cwe: 94,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['listen'],
  description:
    '`logging.config.listen()` opens a socket (port 9030 by default) and applies any logging configuration sent ' +
    "to it. A configuration can name classes and callables to instantiate (`'()': 'os.system'`), so whoever can " +
    'connect, including every local user and anything that can reach the port, can run code in the process. The ' +
    '`verify` argument is the only protection.',
  fix: 'Do not use listen() in production; if you must, pass verify= a function that checks a signature (HMAC) of the received bytes and returns None on failure.',
  example: {
    bad: 'thread = logging.config.listen(9999)',
    good: 'thread = logging.config.listen(9999, verify=check_hmac_signature)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee !== 'logging.config.listen' || call.hasSplat) continue;
      if (call.kwargs.has('verify') || call.args.length >= 2) continue;
      report({
        node: call.node,
        message: `${calleeLabel(call)} applies any logging configuration sent to its socket without \`verify=\`; a configuration can instantiate arbitrary callables, so anyone who can connect runs code.`,
      });
    }
  },
});
