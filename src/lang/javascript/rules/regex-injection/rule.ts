import { describeSource } from '../../../../dataflow/query.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { writtenCallee } from '../../helpers/calls.js';

export default defineRule({
  id: 'javascript/regex-injection',
  title: 'Regular expression built from request data',
  cwe: 1333,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['RegExp'],
  description:
    'Request text is compiled as a regular expression (`new RegExp(req.query.q)`) without escaping. ' +
    'The client chooses the pattern: one like `(a+)+$` backtracks for minutes on the text it is matched ' +
    "against and blocks Node's single thread for every user (ReDoS); it can also match far more than " +
    'intended (`.*` in a search or an allow-list). Text escaped with `escape-string-regexp`, lodash ' +
    "`escapeRegExp` or the usual `s.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')` is not reported. High " +
    'confidence: the flow is proven.',
  fix: "Escape the text before building the pattern (`escapeStringRegexp(q)`, or `q.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')`), or match it as plain text with `includes`/`startsWith`.",
  example: {
    bad: "new RegExp(req.query.q, 'i')",
    good: "new RegExp(escapeStringRegexp(String(req.query.q)), 'i')",
  },
  taint: {},
  check({ module, taint, report }) {
    for (const call of module.calls) {
      const fn = call.functionNode;
      if (fn?.text !== 'RegExp' || module.bindingsOf(fn)) continue;
      const pattern = call.args[0];
      if (!pattern) continue;
      const trace = taint.trace(pattern, { cwe: 1333, trust: ['user', 'admin'] });
      if (trace.kind !== 'tainted') continue;
      const source = describeSource(trace.sources[0]);
      report({
        node: call.node,
        message:
          `\`${writtenCallee(call)}\` compiles \`${codeOf(pattern, 40)}\`, built from ${source}, as a regular ` +
          'expression without escaping: the client chooses a pattern that backtracks for minutes (blocking the ' +
          'event loop) or matches more than intended.',
        flow: taint.flowTo(trace, call.node, 'compiled as a regular expression'),
        sources: trace.sources,
      });
    }
  },
});
