import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { describeSource, type TaintTrace } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Calls whose first argument is a command line run by a shell. */
const SHELL_SINKS = new Set([
  'os.system',
  'os.popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'commands.getoutput',
  'commands.getstatusoutput',
  'asyncio.create_subprocess_shell',
]);

/** Calls that run a shell only with `shell=True`, else execute argv directly. */
const SUBPROCESS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
]);

/** Calls that execute a program chosen by their first argument(s) without a shell. */
const EXEC_SINKS = new Set([
  'os.execl',
  'os.execle',
  'os.execlp',
  'os.execlpe',
  'os.execv',
  'os.execve',
  'os.execvp',
  'os.execvpe',
  'os.spawnl',
  'os.spawnle',
  'os.spawnlp',
  'os.spawnlpe',
  'os.spawnv',
  'os.spawnve',
  'os.spawnvp',
  'os.spawnvpe',
  'os.posix_spawn',
  'os.posix_spawnp',
  'asyncio.create_subprocess_exec',
  'pty.spawn',
]);

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
  // The checks below query the project's dataflow; declaring `taint` marks the rule as using it.
  taint: { sinks: [] },
  check({ module, report, taint }) {
    /** Proven flows are reported with their path; proven-safe values are not reported. */
    const evidence = (node: Node): 'safe' | 'unknown' | Extract<TaintTrace, { kind: 'tainted' }> => {
      if (constantValue(node, module)) return 'safe';
      const t = taint.trace(node, { cwe: 78 });
      if (t.kind === 'tainted') return t;
      return t.kind === 'unknown' ? 'unknown' : 'safe';
    };
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const isSubprocess = SUBPROCESS.has(callee);
      const shell =
        SHELL_SINKS.has(callee) || (isSubprocess && isConstantTrue(call.kwargs.get('shell'), module));
      const command = call.argument(0, isSubprocess ? 'args' : 'command', 'cmd');
      if (!command) continue;
      if (shell) {
        const e = evidence(command);
        if (e === 'safe') continue;
        const via = isSubprocess ? ' with `shell=True`' : '';
        if (e !== 'unknown') {
          report({
            node: call.node,
            confidence: 'high',
            message: `${calleeLabel(call)} runs a shell command${via} built from ${describeSource(e.sources[0])}; shell metacharacters in it are executed.`,
            flow: taint.flowTo(e, call.node, `reaches ${calleeLabel(call)} as the shell command`),
          });
          continue;
        }
        report({
          node: call.node,
          message: `${calleeLabel(call)} runs a shell command${via} built from non-constant \`${codeOf(command)}\`; shell metacharacters in it are executed.`,
        });
        continue;
      }
      if (!isSubprocess && !EXEC_SINKS.has(callee)) continue;
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
