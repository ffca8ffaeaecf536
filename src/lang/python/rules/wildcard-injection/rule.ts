import { calleeLabel } from '../../helpers/calls.js';
import { resolveValue } from '../../helpers/constants.js';
import { sinksByCallee } from '../../models/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' command calls: those that always run a shell, and those with a `shell` keyword. */
const COMMANDS = sinksByCallee('command-execution');

/** Programs with options that run commands or change ownership, so a file named like an option is dangerous. */
const OPTION_SENSITIVE = new Set(['tar', 'chown', 'chmod', 'chgrp', 'rsync', 'zip', '7z', 'scp']);

/** The literal text of a command, with interpolated parts replaced by NUL. */
function commandText(node: Node): string | undefined {
  if (node.type === 'string') {
    let out = '';
    for (const c of node.namedChildren) {
      if (c?.type === 'string_content' || c?.type === 'escape_sequence') out += c.text;
      else if (c?.type === 'interpolation') out += '\0';
    }
    return out;
  }
  if (node.type === 'concatenated_string')
    return node.namedChildren.map((c) => (c ? (commandText(c) ?? '\0') : '')).join('');
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    return `${(l && commandText(l)) ?? '\0'}${(r && commandText(r)) ?? '\0'}`;
  }
  return undefined;
}

/** The first `<program> ... <glob>` in a shell command line whose glob can expand to an option. */
function riskyWildcard(command: string): { program: string; glob: string } | undefined {
  for (const segment of command.split(/&&|\|\||[;|&\n]/)) {
    const words = segment.trim().match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
    let i = 0;
    while (i < words.length && /^(sudo|nice|nohup|env|\w+=\S*|-\S+)$/.test(words[i])) i++;
    const program = (words[i] ?? '').split('/').pop() ?? '';
    if (!OPTION_SENSITIVE.has(program)) continue;
    for (const w of words.slice(i + 1)) {
      if (w === '--') break; // end of options: later names are never options
      if (/^['"]/.test(w)) continue;
      // "./*" and "/dir/*" expand to names that start with "." or "/", never with "-".
      if (w.includes('*') && !/^(\.{0,2}\/|~\/|\0)/.test(w)) return { program, glob: w };
    }
  }
  return undefined;
}

export default defineRule({
  id: 'python/wildcard-injection',
  title: 'Shell wildcard passed to tar/chown/chmod/rsync',
  cwe: 155,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['*'],
  description:
    'A shell command runs `tar`, `chown`, `chmod`, `rsync` or a similar program on a bare wildcard such as `*`. The ' +
    'shell expands it to the file names in the directory, and a file named like an option (`--checkpoint-action=exec=sh x.sh` ' +
    'for tar, `--reference=owned` for chown, `-e sh x.sh` for rsync) is read as one. Whoever can create files there ' +
    'runs commands or changes ownership with the privileges of the script.',
  fix: 'Put `--` before the wildcard, write it as `./*` so every name starts with `./`, or list the files in Python and pass them as an argument list without a shell.',
  example: {
    bad: 'os.system("cd /srv/uploads && tar czf /backup/u.tgz *")',
    good: 'os.system("cd /srv/uploads && tar czf /backup/u.tgz -- *")',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const sink = call.callee === undefined ? undefined : COMMANDS.get(call.callee);
      if (!sink) continue;
      const shell =
        sink.shell === 'always' ||
        (typeof sink.shell === 'object' && /^True$/.test(call.kwargs.get(sink.shell.keyword)?.text ?? ''));
      if (!shell) continue;
      const command = call.argument(0, 'args', 'cmd');
      if (!command) continue;
      const text = commandText(resolveValue(command, module));
      const risky = text === undefined ? undefined : riskyWildcard(text);
      if (!risky) continue;
      report({
        node: call.node,
        message: `${calleeLabel(call)} runs \`${risky.program}\` on the shell wildcard \`${risky.glob}\`; a file named like a ${risky.program} option in that directory is taken as one.`,
      });
    }
  },
});
