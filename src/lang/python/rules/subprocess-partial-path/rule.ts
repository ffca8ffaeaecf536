import { calleeLabel } from '../../helpers/calls.js';
import { elementsOf, stringValue } from '../../helpers/constants.js';
import { sinksByCallee } from '../../models/index.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' calls that look a program named without a directory up in PATH, with its position. */
const PATH_SEARCHING: ReadonlyMap<string, number> = new Map(
  [...sinksByCallee('command-execution')].flatMap(([callee, sink]) =>
    sink.searchesPath ? [[callee, sink.programArg ?? 0] as const] : [],
  ),
);

export default defineRule({
  id: 'python/subprocess-partial-path',
  title: 'Program started by a bare name looked up in PATH',
  cwe: 426,
  severity: 'low',
  confidence: 'low',
  languages: ['python'],
  hygiene: true,
  requires: ['subprocess', 'os.', 'asyncio'],
  description:
    'A program is started by a name without a directory (`subprocess.run(["git", ...])`), so the operating system ' +
    'looks it up in the PATH of the running process, and on Windows also in the current directory. Where that ' +
    'environment or working directory can be influenced (setuid helpers, services started with a user-writable ' +
    'PATH, tools run inside untrusted checkouts on Windows), another program of the same name runs instead. In ' +
    'most services the PATH is trusted, hence low severity and low confidence.',
  fix: 'Use an absolute path for programs run in privileged or untrusted contexts, or resolve it once with shutil.which() against a fixed PATH.',
  example: {
    bad: 'subprocess.run(["git", "pull"], check=True)',
    good: 'GIT = shutil.which("git", path="/usr/bin:/bin")\nsubprocess.run([GIT, "pull"], check=True)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const position = call.callee === undefined ? undefined : PATH_SEARCHING.get(call.callee);
      if (position === undefined) continue;
      const command = call.args[position] ?? call.kwargs.get('args');
      if (!command) continue;
      // A command line run through a shell is the shell's business (and os-command-injection's).
      const shell = call.kwargs.get('shell');
      if (shell && stringValue(shell, module) === undefined && shell.text === 'True') continue;
      const list = elementsOf(command);
      const programNode = list.length ? list[0] : command;
      const program = stringValue(programNode, module);
      // Only constant names: non-constant programs are os-command-injection's concern.
      if (program === undefined) continue;
      const name = list.length ? program : program.trim().split(/\s+/)[0];
      if (!name || /[\\/]/.test(name) || /^[a-zA-Z]:/.test(name)) continue;
      report({
        node: call.node,
        message: `${calleeLabel(call)} starts \`${name}\` by bare name, so whichever \`${name}\` comes first in PATH (or the working directory on Windows) runs.`,
      });
    }
  },
});
