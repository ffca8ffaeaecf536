import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksByCallee } from '../../models/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import { ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';

/** The models' code evaluation sinks by qualified callee. */
const SINKS = sinksByCallee('code-evaluation');

/**
 * `eval` and `exec` are dynamic evaluation calls: CWE-95 names exactly them. `compile` only turns
 * text into a code object that runs later by other means, which is the broader CWE-94.
 */
const CWE = { eval: 95, exec: 95, compile: 94 };
const VERB = { eval: 'evaluates', exec: 'executes', compile: 'compiles' };

/** `compile(ast.Module(...))`: a tree built by the program, not text someone else wrote. */
function isSyntaxTree(code: Node, module: PythonModule): boolean {
  const value = code.type === 'identifier' ? module.singleValue(code) : code;
  return value?.type === 'call' && /^ast\./.test(module.qualifiedName(value) ?? '');
}

function isRunBy(node: Node, module: PythonModule): boolean {
  const outer = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  const fn = outer?.type === 'call' ? outer.childForFieldName('function') : null;
  const q = fn ? module.qualifiedName(fn) : undefined;
  const mode = q ? SINKS.get(q)?.mode : undefined;
  return mode === 'eval' || mode === 'exec';
}

export default defineRule({
  id: 'python/code-injection',
  title: 'Python code built from non-constant data is evaluated',
  cwe: 95,
  severity: 'critical',
  confidence: 'medium',
  languages: ['python'],
  requires: ['eval', 'exec', 'compile'],
  description:
    '`eval`, `exec` and `compile` run Python source text. When that text is built at run time, whoever ' +
    'controls any part of it runs arbitrary code in the service, with its files, credentials and network. ' +
    'Restricting `globals`/`__builtins__` is no sandbox: object introspection escapes it.' +
    ORIGIN_POLICY,
  fix:
    'Do not evaluate data as code: parse literals with ast.literal_eval() or json.loads(), and map names ' +
    'to functions with an explicit dictionary of allowed operations.',
  example: {
    bad: 'value = eval(request.args["expr"])',
    good: 'value = ast.literal_eval(request.args["expr"])',
  },
  // Reports non-constant code too, and one finding for eval(compile(...)): the check traces the sinks.
  taint: { concepts: ['code-evaluation'], tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const sink = call.callee ? SINKS.get(call.callee) : undefined;
      if (!sink) continue;
      const cwe = CWE[sink.mode];
      const what = VERB[sink.mode];
      const code = sinkArgument(call, sink);
      if (!code || constantValue(code, module)) continue;
      if (isSyntaxTree(code, module)) continue;
      // eval(compile(text, ...)): one finding, on the call that runs the code.
      if (sink.mode === 'compile' && isRunBy(call.node, module)) continue;
      const label = callLabel(call, module);
      reportByOrigin(originOf(code, module, taint, cwe), taint, report, {
        node: call.node,
        cwe,
        head: (from) => `${label} ${what} Python code built from ${from}`,
        tail: 'whoever controls that text runs arbitrary code.',
        flowNote: `reaches ${label} as Python code`,
        unknownFrom: `non-constant \`${codeOf(code)}\``,
      });
    }
  },
});
