import { calleeLabel } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksByCallee } from '../../models/index.js';
import { ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' command sinks by qualified callee. */
const SINKS = new Map([...sinksByCallee('command-execution')].filter(([, sink]) => !sink.untraced));

export default defineRule({
  id: 'python/os-command-injection',
  title: 'OS command built from non-constant data',
  cwe: 78,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['os', 'subprocess', 'commands', 'asyncio', 'pty'],
  description:
    'A shell command line (os.system, os.popen, subprocess with shell=True) or the program to execute is ' +
    'built at run time. If any part comes from a user, they can add shell syntax (`;`, `|`, `$(...)`) or ' +
    'choose the program, and run commands with the privileges of the service.' +
    ORIGIN_POLICY,
  fix:
    'Pass the command as a list of arguments with shell=False (the default) and a constant program; ' +
    'if a shell is unavoidable, quote every variable part with shlex.quote().',
  example: {
    bad: 'subprocess.run(f"ping -c 1 {host}", shell=True)',
    good: 'subprocess.run(["ping", "-c", "1", host], check=True)',
  },
  // Reports non-constant commands too, and for argv only its program: the check traces the sinks.
  taint: { concepts: ['command-execution'], tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const sink = call.callee ? SINKS.get(call.callee) : undefined;
      if (!sink) continue;
      const shellKeyword = typeof sink.shell === 'object' ? sink.shell.keyword : undefined;
      const shell =
        sink.shell === 'always' ||
        (shellKeyword !== undefined && isConstantTrue(call.kwargs.get(shellKeyword), module));
      const command = sinkArgument(call, sink);
      if (!command) continue;
      const label = calleeLabel(call);
      if (shell) {
        const via = shellKeyword ? ` with \`${shellKeyword}=True\`` : '';
        reportByOrigin(originOf(command, module, taint, 78), taint, report, {
          node: call.node,
          head: (from) => `${label} runs a shell command${via} built from ${from}`,
          tail: 'shell metacharacters in it are executed.',
          flowNote: `reaches ${label} as the shell command`,
          unknownFrom: `non-constant \`${codeOf(command)}\``,
        });
        continue;
      }
      // Without a shell only the program choice matters: argv[0] of a list, or the string itself.
      const isList = command.type === 'list' || command.type === 'tuple';
      const program = isList ? command.namedChildren.find((c) => c && c.type !== 'comment') : command;
      if (!program) continue;
      reportByOrigin(originOf(program, module, taint, 78), taint, report, {
        node: call.node,
        head: (from) => `${label} executes the program named by ${from}`,
        tail: 'whoever controls it chooses what runs.',
        flowNote: `reaches ${label} as the program to run`,
        unknownFrom: `non-constant \`${codeOf(program)}\``,
      });
    }
  },
});
