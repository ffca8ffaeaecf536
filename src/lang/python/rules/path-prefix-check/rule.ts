import { codeOf } from '../../helpers/messages.js';
import { describeSource } from '../../../../dataflow/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Calls whose result is a normalised path, which never ends with a separator (but for the root). */
const NORMALISING = new Set([
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'posixpath.normpath',
]);
const MAX_HOPS = 3;

/** The value a name holds when bound once in its scope (through a few names). */
function valueOf(node: Node, module: PythonModule): Node {
  let n = node;
  for (let i = 0; i < MAX_HOPS && n.type === 'identifier'; i++) {
    const v = module.singleValue(n);
    if (!v) break;
    n = v;
  }
  return n.type === 'parenthesized_expression' ? (n.namedChildren[0] ?? n) : n;
}

/** `os.path.realpath(d)`, or `str(Path(d).resolve())`: a directory written without a trailing separator. */
function normalisedPath(node: Node, module: PythonModule): boolean {
  const v = valueOf(node, module);
  if (v.type !== 'call') return false;
  const fn = v.childForFieldName('function');
  const q = fn ? module.qualifiedName(fn) : undefined;
  if (q !== undefined && NORMALISING.has(q)) return true;
  // str(p.resolve()), str(p.absolute())
  if (q === 'builtins.str') {
    const inner = v.childForFieldName('arguments')?.namedChildren[0];
    const method = inner?.type === 'call' ? inner.childForFieldName('function') : null;
    return (
      method?.type === 'attribute' &&
      /^(resolve|absolute)$/.test(method.childForFieldName('attribute')?.text ?? '')
    );
  }
  return false;
}

/** Whether an expression is a path a check is about: a normalised path, or a join or `+` of one. */
function pathLike(node: Node, module: PythonModule): boolean {
  const v = valueOf(node, module);
  if (normalisedPath(v, module)) return true;
  if (v.type === 'binary_operator') {
    const left = v.childForFieldName('left');
    return !!left && pathLike(left, module);
  }
  if (v.type === 'call') {
    const fn = v.childForFieldName('function');
    return !!fn && module.qualifiedName(fn) === 'os.path.join';
  }
  return false;
}

export default defineRule({
  id: 'python/path-prefix-check',
  title: 'Path containment checked by string prefix',
  cwe: 22,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['startswith', 'commonprefix'],
  description:
    'A path is kept inside a directory by comparing strings: `path.startswith(root)` with a normalised ' +
    '`root` (which has no trailing separator), or `os.path.commonprefix`, which compares character by ' +
    'character. `/srv/data-private/x` starts with `/srv/data`, so a path into a sibling directory whose ' +
    'name extends the root passes the check.',
  fix:
    'Compare path components: `os.path.commonpath([root, path]) == root`, `Path(path).is_relative_to(root)` ' +
    '(both resolved first), or `path.startswith(root + os.sep)`.',
  example: {
    bad: 'if not os.path.realpath(target).startswith(os.path.realpath(root)):',
    good: 'if os.path.commonpath([root, os.path.realpath(target)]) != root:',
  },
  // Medium only where the checked path is proven to hold request data; a weak check of a path the
  // program made (a fresh uuid file name) is low.
  taint: { tracedBy: 'check' },
  check({ module, report, taint }) {
    const flag = (at: Node, checked: readonly Node[], message: string, reason: string): void => {
      const trace = checked.map((n) => taint.trace(n, { trust: ['user'] })).find((t) => t.kind === 'tainted');
      if (trace?.kind === 'tainted') {
        report({
          node: at,
          confidence: 'high',
          confidenceReason: `${reason}; the path comes from ${describeSource(trace.sources[0])}`,
          message,
          flow: taint.flowTo(trace, at, 'checked by string prefix'),
          sources: trace.sources,
        });
        return;
      }
      report({
        node: at,
        severity: 'low',
        confidence: 'medium',
        confidenceReason: `${reason}; the checked path is not shown to come from a request`,
        message,
      });
    };
    for (const call of module.calls) {
      if (call.callee === 'os.path.commonprefix') {
        const list = call.args[0];
        flag(
          call.node,
          list ? list.namedChildren.filter((c): c is Node => c !== null) : [],
          `\`${codeOf(call.node, 60)}\` compares paths character by character: a sibling directory whose name starts with the same characters passes as inside.`,
          'os.path.commonprefix compares characters, not path components',
        );
        continue;
      }
      if (call.methodName !== 'startswith' || !call.receiver) continue;
      const prefix = call.args[0];
      if (!prefix || prefix.type === 'tuple' || !normalisedPath(prefix, module)) continue;
      if (!pathLike(call.receiver, module)) continue;
      flag(
        call.node,
        [call.receiver],
        `\`${codeOf(call.node, 60)}\` checks containment by string prefix; \`${codeOf(prefix, 30)}\` has no trailing separator, so a sibling directory whose name extends it passes as inside.`,
        'both sides are paths and the prefix is normalised, so it has no trailing separator',
      );
    }
  },
});
