import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/code-injection',
  title: 'Code evaluated from request data',
  cwe: 95,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['eval', 'Function', 'vm', 'setTimeout', 'setInterval'],
  description:
    'Request data reaches a call that compiles it as JavaScript: `eval`, `new Function`/`Function(...)`, ' +
    "`vm`'s `runInNewContext`/`runInThisContext`/`runInContext`/`Script`, or `setTimeout`/`setInterval` " +
    'given a string. The client runs code in the server process (`vm` is no sandbox). High confidence: ' +
    'the flow is proven.',
  fix: 'Parse data with `JSON.parse` or a real parser; choose behaviour from a constant table of functions.',
  example: { bad: 'eval(req.query.expr)', good: 'JSON.parse(req.query.value)' },
  taint: { concepts: ['code-evaluation'] },
});
