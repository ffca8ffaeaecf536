import { writtenCallee } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { importsAny } from '../../helpers/module.js';
import { evidenceOf } from '../../helpers/security.js';
import { isBuiltString } from '../../helpers/strings.js';
import { describeSource } from '../../../../dataflow/index.js';
import { defineRule } from '../../../../rules/rule.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksOf } from '../../models/index.js';

/** The models' remote commands: methods such as paramiko's `exec_command`. */
const SINKS = new Map(
  sinksOf('remote-command-execution').flatMap((sink) =>
    (sink.calls ?? []).filter((c) => c.startsWith('.')).map((c) => [c.slice(1), sink] as const),
  ),
);
/**
 * Remote commands known by their qualified callee (Fabric's `Connection().run`): task files build
 * these from their own parameters all the time, so only a command that request data reaches is
 * reported.
 */
const QUALIFIED = new Map(
  sinksOf('remote-command-execution').flatMap((sink) =>
    (sink.calls ?? []).filter((c) => !c.startsWith('.')).map((c) => [c, sink] as const),
  ),
);

export default defineRule({
  id: 'python/ssh-command-injection',
  title: 'Remote shell command over SSH built from non-constant data',
  cwe: 78,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['exec_command', 'fabric'],
  description:
    "paramiko's `exec_command()` and Fabric's `Connection.run()`/`sudo()` hand their string to the remote user's shell. When the command is built from " +
    'variables, shell syntax in them (`;`, `|`, `$(...)`) runs further commands on the remote host with the ' +
    'privileges of the SSH account.',
  fix: 'Keep the command constant and pass data another way (stdin, a file), or quote every variable part with shlex.quote().',
  example: {
    bad: 'client.exec_command(f"tail -n 100 {log_file}")',
    good: 'client.exec_command(f"tail -n 100 {shlex.quote(log_file)}")',
  },
  // Reports non-constant commands too: the check traces the sinks.
  taint: { concepts: ['remote-command-execution'], tracedBy: 'check' },
  check({ module, report, taint }) {
    const paramiko = importsAny(module, ['paramiko']);
    for (const call of module.calls) {
      const qualified = call.callee !== undefined ? QUALIFIED.get(call.callee) : undefined;
      const sink = qualified ?? (paramiko && call.methodName ? SINKS.get(call.methodName) : undefined);
      if (!sink) continue;
      const command = sinkArgument(call, sink);
      if (!command || /shlex\.quote|pipes\.quote|shlex\.join/.test(command.text)) continue;
      const e = evidenceOf(command, module, taint, 78);
      if (e === 'safe') continue;
      if (e !== 'unknown') {
        report({
          node: call.node,
          confidence: 'high',
          message: `\`${writtenCallee(call, 40)}\` runs a remote shell command built from ${describeSource(e.sources[0])}; shell metacharacters in it run on the remote host.`,
          flow: taint.flowTo(e, call.node, `reaches ${call.methodName ?? 'the call'} as the remote command`),
        });
        continue;
      }
      if (qualified) continue;
      report({
        node: call.node,
        confidence: isBuiltString(command) ? 'high' : 'medium',
        message: `\`${writtenCallee(call, 40)}\` runs remote shell command \`${codeOf(command, 50)}\`, which is not a constant; shell metacharacters in it run on the remote host.`,
      });
    }
  },
});
