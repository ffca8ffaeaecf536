/**
 * Django template tags written as a `template.Node` subclass: what `render(self, context)` returns
 * goes into the page as it is (Django escapes variables, not a tag's output), so a value the tag
 * resolves from the context (`self.value.resolve(context)`, `context["name"]`) must pass through
 * `conditional_escape` first, as Django's documentation on custom tags asks. A tag that returns
 * such a value as text (`force_str(value)`, `f"<b>{value}</b>"`) puts whatever HTML the page's data
 * holds into the page.
 */
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';
import { codeOf } from '../../helpers/messages.js';

/** Django's template node base class, as its modules export it. */
const NODE_BASES = new Set(['django.template.Node', 'django.template.base.Node']);

/** Calls that turn a value into its text without escaping it. */
const AS_TEXT = new Set([
  'builtins.str',
  'django.utils.encoding.force_str',
  'django.utils.encoding.force_text',
  'django.utils.encoding.smart_str',
  'django.utils.encoding.smart_text',
]);

/** Names whose presence in `render` shows the tag escapes (or decides by the autoescape setting). */
const ESCAPING = /\b(conditional_escape|escape|format_html|autoescape|escapejs|urlize|linebreaks)\b/;

export interface UnescapedReturn {
  ret: Node;
  /** The class and method: "`IncludeBlockNode.render`". */
  where: string;
  /** The returned expression: its code. */
  returned: string;
  /** The context value in it: its name or read in the code. */
  value: string;
}

function isNodeClass(cls: Node, module: PythonModule): boolean {
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  return bases.some((b) => b !== null && NODE_BASES.has(module.qualifiedName(b) ?? ''));
}

/** `x.resolve(context)`, `context["k"]`, `context.get("k")`: a value read from the template context. */
function readsContext(node: Node, context: string): boolean {
  if (node.type === 'subscript') return node.childForFieldName('value')?.text === context;
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'attribute') return false;
  const method = fn.childForFieldName('attribute')?.text;
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  if (method === 'resolve') return args[0]?.text === context;
  return method === 'get' && fn.childForFieldName('object')?.text === context;
}

/** The context value an expression returns as text, if any: its code. */
function returnedContextValue(
  node: Node,
  render: Node,
  context: string,
  module: PythonModule,
  depth = 0,
): string | undefined {
  if (depth > 3) return undefined;
  const inner = (n: Node | null | undefined): string | undefined =>
    n ? returnedContextValue(n, render, context, module, depth + 1) : undefined;
  if (readsContext(node, context)) return node.text;
  switch (node.type) {
    case 'identifier': {
      // A name bound once in `render`, to a read of the context.
      const found = module.scopeOf(node).lookup(node.text);
      if (found?.scope.node.id !== render.id || found.bindings.length !== 1) return undefined;
      const only = found.bindings[0];
      return only?.kind === 'value' && readsContext(only.value, context) ? node.text : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const q = fn ? module.qualifiedName(fn) : undefined;
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      return q && AS_TEXT.has(q) && args.length === 1 ? inner(args[0]) : undefined;
    }
    case 'string':
      for (const part of node.namedChildren) {
        if (part?.type !== 'interpolation') continue;
        const found = inner(part.namedChildren[0]);
        if (found) return found;
      }
      return undefined;
    case 'binary_operator':
      return node.childForFieldName('operator')?.type === '+'
        ? (inner(node.childForFieldName('left')) ?? inner(node.childForFieldName('right')))
        : undefined;
    case 'parenthesized_expression':
      return inner(node.namedChildren[0]);
    default:
      return undefined;
  }
}

/** The returns of template nodes' `render` methods that hand a context value to the page unescaped. */
export function unescapedNodeReturns(module: PythonModule, root: Node): UnescapedReturn[] {
  const out: UnescapedReturn[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    if (!cls || !isNodeClass(cls, module)) continue;
    for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
      if (stmt?.type !== 'function_definition' || stmt.childForFieldName('name')?.text !== 'render') continue;
      const params = (stmt.childForFieldName('parameters')?.namedChildren ?? []).filter(
        (p): p is Node => p !== null && p.type === 'identifier',
      );
      const context = params[1]?.text;
      if (!context || ESCAPING.test(stmt.childForFieldName('body')?.text ?? '')) continue;
      for (const ret of stmt.descendantsOfType('return_statement')) {
        const value = ret?.firstNamedChild;
        if (!ret || !value || ret.closest('function_definition')?.id !== stmt.id) continue;
        const found = returnedContextValue(value, stmt, context, module);
        if (found)
          out.push({
            ret,
            where: `\`${cls.childForFieldName('name')?.text ?? '?'}.render\``,
            returned: codeOf(value),
            value: found,
          });
      }
    }
  }
  return out;
}
