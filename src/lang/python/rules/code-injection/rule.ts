import { constantValue } from '../../semantic/constant.js';
import { callLabel, writtenCallee } from '../../helpers/calls.js';
import { forwardedArgument, forwardsArgument, placeOf } from '../../helpers/forwarded.js';
import { importsAny } from '../../helpers/module.js';
import { reportedAtCallers } from '../../dataflow/sinks.js';
import { codeOf } from '../../helpers/messages.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksByCallee, sinksByMethod } from '../../models/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { forwardedOrigin, ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';
import { dataFrameEvidence } from './dataframe.js';
import { compiledForCheckedRun, namesChecked } from './code-objects.js';

/** The models' code evaluation sinks by qualified callee. */
const SINKS = sinksByCallee('code-evaluation');
/** ...and by method name, on receivers whose type the code seldom shows (a DataFrame's `.query`). */
const METHOD_SINKS = sinksByMethod('code-evaluation');

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

/** What pandas does with an expression: its `python` engine and `@name` references reach Python objects. */
const PANDAS_TAIL =
  'pandas resolves its names and attributes as Python objects (`@` references, the `python` engine), so ' +
  'whoever controls that text runs arbitrary code.';
const GUESSED =
  'a proven flow from a client request; the receiver is taken for a pandas DataFrame because the module ' +
  'imports pandas and nothing resolves it to another type';

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
  requires: ['eval', 'exec', 'compile', 'query'],
  description:
    '`eval`, `exec` and `compile` run Python source text. When that text is built at run time, whoever ' +
    'controls any part of it runs arbitrary code in the service, with its files, credentials and network. ' +
    'Restricting `globals`/`__builtins__` is no sandbox: object introspection escapes it. pandas ' +
    '(`pandas.eval`, `DataFrame.query`, `DataFrame.eval`) evaluates expressions whose names reach Python ' +
    'objects: a DataFrame query is reported when a client request is proven to reach it.' +
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
      const named = call.callee ? SINKS.get(call.callee) : undefined;
      const method = named || !call.methodName ? undefined : METHOD_SINKS.get(call.methodName);
      const sink = named ?? method;
      if (!sink) continue;
      const cwe = CWE[sink.mode];
      const what = VERB[sink.mode];
      const code = sinkArgument(call, sink);
      if (!code || constantValue(code, module)) continue;
      const evidence = method && dataFrameEvidence(call, module, method, code);
      if (method && !evidence) continue;
      if (isSyntaxTree(code, module)) continue;
      // A code object whose names, nested ones included, are checked against an allow-list first.
      if (
        named &&
        (sink.mode === 'compile'
          ? compiledForCheckedRun(call.node, module)
          : namesChecked(code, call.node, module))
      )
        continue;
      // eval(compile(text, ...)): one finding, on the call that runs the code.
      if (sink.mode === 'compile' && isRunBy(call.node, module)) continue;
      const origin = originOf(code, module, taint, cwe);
      // A parameter a project wrapper hands on unchanged: its callers' calls are reported (below).
      if (origin.kind === 'attacker' && reportedAtCallers(taint, code, origin.trace, call.node, module))
        continue;
      // A pandas expression (the sinks that name their language) built from values the analysis
      // cannot see is how the API is meant to be used (`df.query(f"{column} > @limit")`): only a
      // proven flow makes it a finding.
      if (sink.what && origin.kind === 'unknown') continue;
      const label = callLabel(call, module);
      const language = sink.what ? `a ${sink.what}` : 'Python code';
      // Only the module's import of pandas says the receiver is a DataFrame: the flow is proven, the sink less so.
      const guessed = (d: ReportDescriptor): void =>
        report(d.confidence === 'high' ? { ...d, confidence: 'medium', confidenceReason: GUESSED } : d);
      reportByOrigin(origin, taint, evidence === 'imported' ? guessed : report, {
        node: call.node,
        cwe,
        head: (from) => `${label} ${what} ${language} built from ${from}`,
        tail: sink.what ? PANDAS_TAIL : 'whoever controls that text runs arbitrary code.',
        flowNote: `reaches ${label} as ${language}`,
        unknownFrom: `non-constant \`${codeOf(code)}\``,
      });
    }
    // Calls of project functions that hand the text on to an evaluation: reported at proven flows.
    for (const call of module.calls) {
      for (const fw of taint.forwards?.(call.node) ?? []) {
        const named = fw.callee ? SINKS.get(fw.callee) : undefined;
        const method = named || !fw.method ? undefined : METHOD_SINKS.get(fw.method);
        const sink = named ?? method;
        if (!sink || !forwardsArgument(fw, sink)) continue;
        const cwe = CWE[sink.mode];
        if (fw.san?.includes(cwe)) continue;
        // A DataFrame's method: the inner call's receiver is not resolved to another library, and
        // this module works with pandas (the wrapper's own module is not in view here).
        if (method && (fw.callee !== undefined || !importsAny(module, ['pandas']))) continue;
        const code = forwardedArgument(fw, call);
        if (!code) continue;
        const origin = forwardedOrigin(code, taint, cwe);
        if (origin.kind !== 'attacker') continue;
        if (reportedAtCallers(taint, code, origin.trace, call.node, module)) continue;
        const label = `\`${writtenCallee(call)}\``;
        const language = sink.what ? `a ${sink.what}` : 'Python code';
        const guessed = (d: ReportDescriptor): void =>
          report(d.confidence === 'high' ? { ...d, confidence: 'medium', confidenceReason: GUESSED } : d);
        reportByOrigin(origin, taint, method ? guessed : report, {
          node: call.node,
          cwe,
          head: (from) =>
            `${label} hands text built from ${from} to ${fw.label} (${placeOf(fw)}), which ${VERB[sink.mode]} it as ${language}`,
          tail: sink.what ? PANDAS_TAIL : 'whoever controls that text runs arbitrary code.',
          flowNote: `passed to ${label}`,
          then: { location: fw.location, note: `reaches ${fw.label} as ${language}` },
          unknownFrom: `non-constant \`${codeOf(code)}\``,
        });
      }
    }
  },
});
