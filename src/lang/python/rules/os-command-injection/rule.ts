import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { sinkArgument } from '../../models/concepts.js';
import { checkedSinks } from '../../models/select.js';
import { describeSource, type TaintTrace } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' command sinks by qualified callee. */
const SINKS = checkedSinks('command-execution');

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
    'choose the program, and run commands with the privileges of the service.',
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
    /** Proven flows are reported with their path; proven-safe values are not reported. */
    const evidence = (node: Node): 'safe' | 'unknown' | Extract<TaintTrace, { kind: 'tainted' }> => {
      if (constantValue(node, module)) return 'safe';
      const t = taint.trace(node, { cwe: 78 });
      if (t.kind === 'tainted') return t;
      return t.kind === 'unknown' ? 'unknown' : 'safe';
    };
    for (const call of module.calls) {
      const sink = call.callee ? SINKS.get(call.callee) : undefined;
      if (!sink) continue;
      const shellKeyword = typeof sink.shell === 'object' ? sink.shell.keyword : undefined;
      const shell =
        sink.shell === 'always' ||
        (shellKeyword !== undefined && isConstantTrue(call.kwargs.get(shellKeyword), module));
      const command = sinkArgument(call, sink);
      if (!command) continue;
      if (shell) {
        const e = evidence(command);
        if (e === 'safe') continue;
        const via = shellKeyword ? ` with \`${shellKeyword}=True\`` : '';
        if (e !== 'unknown') {
          report({
            node: call.node,
            confidence: 'high',
            message: `${calleeLabel(call)} runs a shell command${via} built from ${describeSource(e.sources[0])}; shell metacharacters in it are executed.`,
            flow: taint.flowTo(e, call.node, `reaches ${calleeLabel(call)} as the shell command`),
            sources: e.sources,
          });
          continue;
        }
        report({
          node: call.node,
          message: `${calleeLabel(call)} runs a shell command${via} built from non-constant \`${codeOf(command)}\`; shell metacharacters in it are executed.`,
        });
        continue;
      }
      // Without a shell only the program choice matters: argv[0] of a list, or the string itself.
      const isList = command.type === 'list' || command.type === 'tuple';
      const program = isList ? command.namedChildren.find((c) => c && c.type !== 'comment') : command;
      if (!program) continue;
      const e = evidence(program);
      if (e === 'safe') continue;
      if (e !== 'unknown') {
        report({
          node: call.node,
          confidence: 'high',
          message: `${calleeLabel(call)} executes the program named by ${describeSource(e.sources[0])}; whoever controls it chooses what runs.`,
          flow: taint.flowTo(e, call.node, `reaches ${calleeLabel(call)} as the program to run`),
          sources: e.sources,
        });
        continue;
      }
      report({
        node: call.node,
        severity: 'medium',
        confidence: 'low',
        message: isList
          ? `${calleeLabel(call)} executes the program named by non-constant \`${codeOf(program)}\`; whoever controls it chooses what runs.`
          : `${calleeLabel(call)} executes a program named by non-constant \`${codeOf(command)}\`; whoever controls it chooses what runs.`,
      });
    }
  },
});
