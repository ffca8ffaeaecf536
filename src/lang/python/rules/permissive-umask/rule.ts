import { constantValue } from '../../semantic/constant.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/permissive-umask',
  title: 'umask lets other users write new files',
  cwe: 276,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['umask'],
  description:
    '`os.umask()` sets the default permissions of every file and directory the process creates afterwards. A ' +
    'mask that does not remove write permission for other users (`0`, `0o000`, `0o001`, `0o004`, ...) makes them ' +
    'world-writable, so any local user can change or replace them.',
  fix: 'Use a mask that removes at least write access for others, such as 0o022, or 0o077 for private data.',
  example: {
    bad: 'os.umask(0)',
    good: 'os.umask(0o077)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee !== 'os.umask' || !call.args[0]) continue;
      const v = constantValue(call.args[0], module);
      if (typeof v?.value !== 'number' || (v.value & 0o002) !== 0) continue;
      if (restoresUmask(call.node)) continue;
      report({
        node: call.node,
        message: `\`${call.node.text}\` leaves write permission for other users in every file and directory created afterwards (mode 0o${(0o666 & ~v.value).toString(8)} for files, 0o${(0o777 & ~v.value).toString(8)} for directories).`,
      });
    }
  },
});

/** `old = os.umask(0); os.umask(old)`: the usual way to read the umask, restored at once. */
function restoresUmask(call: Node): boolean {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment') return false;
  const name = assignment.childForFieldName('left')?.text;
  const next = assignment.parent?.nextNamedSibling;
  return (
    name !== undefined &&
    next !== null &&
    next !== undefined &&
    new RegExp(`umask\\(\\s*${name}\\s*\\)`).test(next.text)
  );
}
