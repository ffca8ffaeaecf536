import { constantValue } from '../../../analysis/constant.js';
import { codeOf } from '../../../analysis/helpers.js';
import { callLabel } from '../../../analysis/python-patterns.js';
import type { PythonModule } from '../../../analysis/scope/python.js';
import type { Node } from '../../../parsing/parser.js';
import { defineRule } from '../../rule.js';

/**
 * `eval` and `exec` are dynamic evaluation calls: CWE-95 names exactly them. `compile` only turns
 * text into a code object that runs later by other means, which is the broader CWE-94.
 */
const SINKS: Record<string, { cwe: number; what: string }> = {
  'builtins.eval': { cwe: 95, what: 'evaluates' },
  'builtins.exec': { cwe: 95, what: 'executes' },
  'builtins.compile': { cwe: 94, what: 'compiles' },
};

/** `compile(ast.Module(...))`: a tree built by the program, not text someone else wrote. */
function isSyntaxTree(code: Node, module: PythonModule): boolean {
  let value: Node | undefined = code;
  if (code.type === 'identifier') {
    const found = module.scopeOf(code).lookup(code.text);
    const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    value = b?.kind === 'value' ? b.value : undefined;
  }
  return value?.type === 'call' && /^ast\./.test(module.qualifiedName(value) ?? '');
}

function isRunBy(node: Node, module: PythonModule): boolean {
  const outer = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  const fn = outer?.type === 'call' ? outer.childForFieldName('function') : null;
  const q = fn ? module.qualifiedName(fn) : undefined;
  return q === 'builtins.eval' || q === 'builtins.exec';
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
    'Restricting `globals`/`__builtins__` is no sandbox: object introspection escapes it.',
  fix:
    'Do not evaluate data as code: parse literals with ast.literal_eval() or json.loads(), and map names ' +
    'to functions with an explicit dictionary of allowed operations.',
  example: {
    bad: 'value = eval(request.args["expr"])',
    good: 'value = ast.literal_eval(request.args["expr"])',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const sink = call.callee ? SINKS[call.callee] : undefined;
      if (!sink) continue;
      const code = call.args[0] ?? call.kwargs.get('source') ?? call.kwargs.get('expression');
      if (!code || constantValue(code, module)) continue;
      if (isSyntaxTree(code, module)) continue;
      // eval(compile(text, ...)): one finding, on the call that runs the code.
      if (call.callee === 'builtins.compile' && isRunBy(call.node, module)) continue;
      report({
        node: call.node,
        cwe: sink.cwe,
        message: `${callLabel(call, module)} ${sink.what} Python code from non-constant \`${codeOf(code)}\`; whoever controls that text runs arbitrary code.`,
      });
    }
  },
});
