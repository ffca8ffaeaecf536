import { callLabel } from '../../helpers/calls.js';
import { defineRule } from '../../../../rules/rule.js';

const SINKS = new Set(['tempfile.mktemp', 'os.tempnam', 'os.tmpnam']);

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
      if (!call.callee || !SINKS.has(call.callee)) continue;
      report({
        node: call.node,
        message: `${callLabel(call, module)} returns a file name without creating the file; another local user can create or symlink it before this program opens it.`,
      });
    }
  },
});
