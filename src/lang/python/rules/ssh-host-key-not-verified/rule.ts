import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';

const POLICIES = /^paramiko(\.client)?\.(AutoAddPolicy|WarningPolicy)$/;
const ASYNCSSH = new Set([
  'asyncssh.connect',
  'asyncssh.connect_reverse',
  'asyncssh.SSHClientConnectionOptions',
]);

export default defineRule({
  id: 'python/ssh-host-key-not-verified',
  title: 'SSH connection accepts unknown host keys',
  cwe: 295,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['Policy', 'known_hosts'],
  description:
    "An SSH client accepts a server's host key that it has never seen (paramiko `AutoAddPolicy` or " +
    '`WarningPolicy`, asyncssh `known_hosts=None`). A man in the middle can then present its own key, read the ' +
    'session, capture passwords and run commands in the name of the client.',
  fix: 'Load known host keys (client.load_system_host_keys() or load_host_keys(path)) and keep the default RejectPolicy; for asyncssh pass a known_hosts file.',
  example: {
    bad: 'client.set_missing_host_key_policy(paramiko.AutoAddPolicy())',
    good: 'client.load_system_host_keys()\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.methodName === 'set_missing_host_key_policy' && call.args[0]) {
        const q = module.qualifiedName(call.args[0])?.replace(/\(\)$/, '');
        if (!q || !POLICIES.test(q)) continue;
        const policy = q.split('.').pop();
        report({
          node: call.node,
          message: `\`${call.node.childForFieldName('function')?.text}(${call.args[0].text})\` ${policy === 'AutoAddPolicy' ? 'silently trusts' : 'only warns about, then trusts,'} any host key the server presents; a man in the middle is not detected.`,
        });
      } else if (call.callee && ASYNCSSH.has(call.callee)) {
        const kh = call.kwargs.get('known_hosts');
        if (kh && constantValue(kh, module)?.value === null)
          report({
            node: call.node,
            message: `${calleeLabel(call)} is called with \`known_hosts=None\`, which disables host key checking; a man in the middle is not detected.`,
          });
      }
    }
  },
});
