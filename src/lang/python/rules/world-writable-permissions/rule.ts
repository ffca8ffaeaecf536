import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { permissionBits } from '../../helpers/security.js';
import type { CallSite } from '../../semantic/scope.js';
import type { Confidence } from '../../../../core/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const OTHERS_WRITE = 0o002;

/** Where the mode is for each call, and whether the process umask still filters it. */
function modeArgument(call: CallSite): { mode: Node | undefined; umasked: boolean } | undefined {
  switch (call.callee) {
    case 'os.chmod':
    case 'os.lchmod':
    case 'os.fchmod':
      return { mode: call.argument(1, 'mode'), umasked: false };
    case 'os.open':
      return { mode: call.argument(2, 'mode'), umasked: true };
    case 'os.mkdir':
    case 'os.makedirs':
    case 'os.mkfifo':
      return { mode: call.argument(1, 'mode'), umasked: true };
    default:
      break;
  }
  if (call.callee === 'pathlib.Path().chmod' || call.callee === 'pathlib.Path().lchmod') {
    return { mode: call.argument(0, 'mode'), umasked: false };
  }
  if (call.callee === 'pathlib.Path().mkdir' || call.callee === 'pathlib.Path().touch') {
    return { mode: call.argument(0, 'mode'), umasked: true };
  }
  // `p.chmod(0o777)` on an object that cannot be resolved: a path in all but name.
  if (call.callee === undefined && call.methodName === 'chmod')
    return { mode: call.argument(0, 'mode'), umasked: false };
  return undefined;
}

export default defineRule({
  id: 'python/world-writable-permissions',
  title: 'File or directory made writable by every user',
  cwe: 732,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['chmod', 'os.open', 'mkdir', 'makedirs', 'mkfifo', 'touch'],
  description:
    'A mode with the "others may write" bit (0o002, stat.S_IWOTH, as in 0o666 or 0o777) lets every local ' +
    'account replace or edit the file: scripts and configuration can be changed to run code as this ' +
    'program, data can be tampered with.',
  fix:
    'Grant write access to the owner only (0o600 for files, 0o700 for directories, 0o644/0o755 when others ' +
    'must read), and share with a group rather than with everyone.',
  example: {
    bad: 'os.chmod(config_path, 0o777)',
    good: 'os.chmod(config_path, 0o600)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const site = modeArgument(call);
      if (!site?.mode) continue;
      const perm = permissionBits(site.mode, module);
      if (!perm || (perm.bits & OTHERS_WRITE) === 0) continue;
      const octal = `0o${(perm.bits & 0o7777).toString(8).padStart(3, '0')}`;
      const shown = perm.exact && site.mode.text !== octal ? ` (${octal})` : '';
      const confidence: Confidence | undefined = site.umasked
        ? 'low'
        : call.callee === undefined
          ? 'medium'
          : undefined;
      const umaskNote = site.umasked ? ' unless the process umask removes it (the usual 022 does)' : '';
      report({
        node: call.node,
        confidence,
        message: `${callLabel(call, module)} uses mode \`${codeOf(site.mode)}\`${shown}, which lets every user write to it${umaskNote}.`,
      });
    }
  },
});
