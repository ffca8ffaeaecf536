import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/os-command-injection',
  title: 'OS command built from request data',
  cwe: 78,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['child_process', 'shelljs'],
  description:
    'A shell command line (`child_process.exec`/`execSync`, `shelljs.exec`, or `spawn`/`execFile` with ' +
    '`shell: true`) is built from data of an HTTP request. The client can add shell syntax (`;`, `|`, ' +
    '`$(...)`) and run commands with the privileges of the service. The command line the operator gives ' +
    '(`process.argv`) is reported only when `taint.operator-input` is `untrusted`. High confidence: the flow ' +
    'from the request to the shell is proven.',
  fix: 'Run the program with `execFile`/`spawn` and an argument array, without a shell, and a constant program.',
  example: {
    bad: 'exec(`ping -c 1 ${req.query.host}`)',
    good: "execFile('ping', ['-c', '1', req.query.host])",
  },
  taint: { concepts: ['command-execution'] },
});
