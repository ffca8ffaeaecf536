import { callLabel } from '../../helpers/calls.js';
import { constantValue } from '../../semantic/constant.js';
import { escapeRegExp } from '../../../../core/escape.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { assignedName } from '../../helpers/names.js';
import type { PythonCall, PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';

const SINKS = new Set(['tempfile.mktemp', 'os.tempnam', 'os.tmpnam']);
const OPENS = new Set(['builtins.open', 'io.open']);

/**
 * Whether the name is then created exclusively, as mkstemp does: `os.open(name, ... | O_EXCL)` or
 * `open(name, "x")` fail when another user created the file or a link first.
 */
function createdExclusively(call: PythonCall, module: PythonModule): boolean {
  const name = assignedName(call.node);
  const scope = enclosingFunction(call.node) ?? module.file.tree.rootNode;
  if (!name) return false;
  const flagsSet = (flags: string): boolean =>
    /\bO_EXCL\b/.test(flags) ||
    new RegExp(`\\b${escapeRegExp(flags)}\\s*\\|?=[^\\n]*\\bO_EXCL\\b`).test(scope.text);
  return module.calls.some((c) => {
    if (c.node.startIndex < call.node.endIndex || c.node.endIndex > scope.endIndex) return false;
    if (c.args[0]?.type !== 'identifier' || c.args[0].text !== name) return false;
    if (c.callee === 'os.open') {
      const flags = c.args[1] ?? c.kwargs.get('flags');
      return !!flags && flagsSet(flags.text);
    }
    const mode = c.args[1] ?? c.kwargs.get('mode');
    const m = mode ? constantValue(mode, module)?.value : undefined;
    return !!c.callee && OPENS.has(c.callee) && typeof m === 'string' && m.includes('x');
  });
}

export default defineRule({
  id: 'python/insecure-temp-file',
  title: 'Temporary file name created without the file',
  cwe: 377,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['mktemp', 'tempnam', 'tmpnam'],
  description:
    '`tempfile.mktemp()` (and the old `os.tempnam`/`os.tmpnam`) return a name that does not exist yet. ' +
    'Between that check and the moment the program creates the file, another local user can create it ' +
    'or a symlink with that name, and the program then writes into a file they control or truncates one ' +
    'of its own files.',
  fix:
    'Create the file and its name in one step: tempfile.NamedTemporaryFile(), tempfile.mkstemp() or ' +
    'tempfile.TemporaryDirectory().',
  example: {
    bad: 'path = tempfile.mktemp(suffix=".csv")\nwith open(path, "w") as f: ...',
    good: 'with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f: ...',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (!call.callee || !SINKS.has(call.callee) || createdExclusively(call, module)) continue;
      report({
        node: call.node,
        message: `${callLabel(call, module)} returns a file name without creating the file; another local user can create or symlink it before this program opens it.`,
      });
    }
  },
});
