import { calleeLabel, writtenCallee } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { forwardedArgument, forwardedTrue, forwardsArgument, placeOf } from '../../helpers/forwarded.js';
import {
  forwardedOrigin,
  ORIGIN_POLICY,
  originOf,
  reportByOrigin,
  worstOrigin,
  type Origin,
} from '../../helpers/origin.js';
import { reportedAtCallers } from '../../dataflow/sinks.js';
import { sinkArgument } from '../../models/concepts.js';
import { checkedSinks } from '../../models/select.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' command sinks by qualified callee. */
const SINKS = checkedSinks('command-execution');
/** Calls whose result a POSIX shell reads as one word, whatever the text. */
const SHELL_QUOTING: ReadonlySet<string> = new Set(['shlex.quote', 'shlex.join', 'pipes.quote']);

/**
 * The expressions that may name the program of an argument list: argv[0] of a literal, of the
 * list a name holds, of each branch of a choice, of the left side of `+`, of a list unpacked first.
 */
function programsOf(node: Node, module: PythonModule, depth = 0): Node[] {
  if (depth > 8) return [node];
  const parts = (n: Node) => n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const next = (n: Node | null | undefined): Node[] => (n ? programsOf(n, module, depth + 1) : []);
  switch (node.type) {
    case 'list':
    case 'tuple': {
      const first = parts(node)[0];
      if (!first) return [];
      return first.type === 'list_splat' ? next(parts(first)[0]) : [first];
    }
    case 'parenthesized_expression':
      return next(parts(node)[0]);
    case 'binary_operator':
      return next(node.childForFieldName('left'));
    case 'conditional_expression': {
      const [a, , b] = parts(node);
      return [...next(a), ...next(b)];
    }
    case 'identifier': {
      const bindings = module.scopeOf(node).lookup(node.text)?.bindings ?? [];
      const lists = bindings.flatMap((b) =>
        b.kind === 'value' &&
        ['list', 'tuple', 'binary_operator', 'conditional_expression', 'parenthesized_expression'].includes(
          b.value.type,
        )
          ? [b.value]
          : [],
      );
      return bindings.length && lists.length === bindings.length ? lists.flatMap(next) : [node];
    }
    default:
      return [node];
  }
}

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
    'choose the program, and run commands with the privileges of the service. Without a shell only the ' +
    'program matters; `shlex.quote()`d parts, `shutil.which("name")` and `sys.executable` are program text.' +
    ORIGIN_POLICY,
  fix:
    'Pass the command as a list of arguments with shell=False (the default) and a constant program; ' +
    'if a shell is unavoidable, quote every variable part with shlex.quote().',
  example: {
    bad: 'subprocess.run(f"ping -c 1 {host}", shell=True)',
    good: 'subprocess.run(["ping", "-c", "1", host], check=True)',
  },
  // Sinks are traced here: the finding's severity depends on where the command comes from.
  taint: { concepts: ['command-execution'], tracedBy: 'check' },
  check({ module, report, taint }) {
    // A wrapper's parameter handed on: its callers' calls are reported, where the command is built.
    const fromCallers = (command: Node, o: Origin, at: Node): boolean =>
      o.kind === 'attacker' && reportedAtCallers(taint, command, o.trace, at, module);
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
        const origin = originOf(command, module, taint, 78, { quoting: SHELL_QUOTING });
        if (fromCallers(command, origin, call.node)) continue;
        reportByOrigin(origin, taint, report, {
          node: call.node,
          head: (from) => `${label} runs a shell command${via} built from ${from}`,
          tail: 'shell metacharacters in it are executed.',
          flowNote: `reaches ${label} as the shell command`,
          unknownFrom: `non-constant \`${codeOf(command)}\``,
        });
        continue;
      }
      // Without a shell only the program choice matters: argv[0] of a list, or the string itself.
      const programs = programsOf(command, module);
      const origin = worstOrigin(programs.map((p) => originOf(p, module, taint, 78)));
      if (fromCallers(command, origin, call.node)) continue;
      const shown = programs.length === 1 ? programs[0] : command;
      reportByOrigin(origin, taint, report, {
        node: call.node,
        head: (from) => `${label} executes the program named by ${from}`,
        tail: 'whoever controls it chooses what runs.',
        flowNote: `reaches ${label} as the program to run`,
        unknownFrom: `non-constant \`${codeOf(shown)}\``,
      });
    }
    // Calls of project functions that hand the command on to a sink: reported at proven flows only
    // (a wrapper's own unknown parameter is reported inside it, once).
    for (const call of module.calls) {
      for (const fw of taint.forwards?.(call.node) ?? []) {
        const sink = fw.callee ? SINKS.get(fw.callee) : undefined;
        if (!sink || !forwardsArgument(fw, sink) || fw.san?.includes(78)) continue;
        const command = forwardedArgument(fw, call);
        if (!command) continue;
        const shellKeyword = typeof sink.shell === 'object' ? sink.shell.keyword : undefined;
        const shell =
          sink.shell === 'always' ||
          (shellKeyword !== undefined && forwardedTrue(fw.keywords[shellKeyword], call, module));
        const origin = shell
          ? forwardedOrigin(command, taint, 78)
          : worstOrigin(programsOf(command, module).map((p) => originOf(p, module, taint, 78)));
        if (origin.kind !== 'attacker' || fromCallers(command, origin, call.node)) continue;
        const label = `\`${writtenCallee(call)}\``;
        const via = ` through ${fw.label}${shell && shellKeyword ? ` with \`${shellKeyword}=True\`` : ''} (${placeOf(fw)})`;
        reportByOrigin(origin, taint, report, {
          node: call.node,
          head: (from) =>
            shell
              ? `${label} runs a shell command built from ${from}${via}`
              : `${label} executes the program named by ${from}${via}`,
          tail: shell ? 'shell metacharacters in it are executed.' : 'whoever controls it chooses what runs.',
          flowNote: `passed to ${label}`,
          then: {
            location: fw.location,
            note: `reaches ${fw.label} as ${shell ? 'the shell command' : 'the program to run'}`,
          },
          unknownFrom: `non-constant \`${codeOf(command)}\``,
        });
      }
    }
  },
});
