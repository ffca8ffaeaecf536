import type { Node } from '../../../parsing/parser.js';
import type { PythonModule } from '../semantic/scope.js';
import { decoratorExpression, decoratorsOf } from './functions.js';

/**
 * Template filters and tags: functions a template calls on page data (`{{ user|user_link }}`,
 * `{% tag book %}`). What they receive is whatever the template holds, so a filter cannot know
 * its input's origin; Django's documentation asks filters to escape their input
 * (`conditional_escape`) before they mark their output safe.
 */

/** Decorators that register the function they decorate: Django's Library, Flask's app and blueprints. */
const REGISTERING_DECORATOR = /(^|\.)(filter|simple_tag|inclusion_tag|template_filter|app_template_filter)$/;
/** Calls that register the function they are given: `register.filter("name", fn)`, `app.add_template_filter(fn)`. */
const REGISTERING_METHODS = new Set([
  'filter',
  'simple_tag',
  'inclusion_tag',
  'add_template_filter',
  'add_app_template_filter',
]);

const registered = new WeakMap<PythonModule, ReadonlySet<number>>();

/** Whether a function (a `def` or a `lambda`) is registered as a template filter or tag in its module. */
export function isTemplateFilter(fn: Node, module: PythonModule): boolean {
  if (fn.type === 'function_definition') {
    const decorated = decoratorsOf(fn).some((d) => {
      const e = decoratorExpression(d);
      const callee = e?.type === 'call' ? e.childForFieldName('function') : e;
      return callee !== null && callee !== undefined && REGISTERING_DECORATOR.test(callee.text);
    });
    if (decorated) return true;
  }
  let ids = registered.get(module);
  if (!ids) {
    ids = registeredFunctions(module);
    registered.set(module, ids);
  }
  return ids.has(fn.id);
}

/** The functions the module registers by a call or by assignment into a `filters` mapping. */
function registeredFunctions(module: PythonModule): Set<number> {
  const ids = new Set<number>();
  const add = (value: Node | null | undefined): void => {
    if (!value) return;
    if (value.type === 'lambda') ids.add(value.id);
    else if (value.type === 'identifier') {
      const def = module.singleDefinition(value);
      if (def?.type === 'function_definition') ids.add(def.id);
    }
  };
  const valuesOf = (args: Node | null | undefined): (Node | null)[] =>
    (args?.namedChildren ?? []).flatMap((a) =>
      a?.type === 'keyword_argument'
        ? [a.childForFieldName('value')]
        : a?.type === 'dictionary'
          ? a.namedChildren.map((p) => (p?.type === 'pair' ? p.childForFieldName('value') : null))
          : [a],
    );
  for (const call of module.calls) {
    const method = call.methodName;
    if (!method) continue;
    const args = call.node.childForFieldName('arguments');
    // env.filters.update(name=fn), env.filters.update({"name": fn})
    if (method === 'update' && /(^|\.)filters$/.test(call.receiver?.text ?? '')) valuesOf(args).forEach(add);
    else if (REGISTERING_METHODS.has(method)) valuesOf(args).forEach(add);
  }
  // env.filters["name"] = fn, app.jinja_env.filters["name"] = lambda text: ...
  for (const a of module.root.node.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const target = left?.type === 'subscript' ? left.childForFieldName('value') : undefined;
    if (target?.type === 'attribute' && target.childForFieldName('attribute')?.text === 'filters')
      add(a?.childForFieldName('right'));
  }
  return ids;
}

/**
 * The template filter or tag (in words: "template filter or tag `user_link`") whose input the value is read from: a parameter of a registered
 * function, or an attribute, item or method result read from one (`user.display_name`,
 * `book.authors.first().name`), also through names the function binds to such reads.
 */
export function filterInputOf(value: Node, module: PythonModule, depth = 0): string | undefined {
  let base: Node | null = value;
  while (base && ['attribute', 'subscript', 'call'].includes(base.type)) {
    if (base.type === 'call') {
      const fn = base.childForFieldName('function');
      // Only a method of the value (`x.first()`), not a function given it (`render(x)`).
      base = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    } else base = base.childForFieldName(base.type === 'attribute' ? 'object' : 'value');
  }
  if (base?.type !== 'identifier' || depth > 3) return undefined;
  const found = module.scopeOf(base).lookup(base.text);
  if (!found) return undefined;
  for (const b of found.bindings) {
    if (b.kind === 'value' && b.value.id !== value.id) {
      const via = filterInputOf(b.value, module, depth + 1);
      if (via) return via;
    }
    if (b.kind !== 'param') continue;
    const fn = b.node.parent?.parent;
    if (!fn || (fn.type !== 'function_definition' && fn.type !== 'lambda')) continue;
    if (isTemplateFilter(fn, module))
      return fn.type === 'lambda'
        ? 'a lambda registered as a template filter'
        : `template filter or tag \`${fn.childForFieldName('name')?.text ?? '?'}\``;
  }
  return undefined;
}

/** Whether the node is in the body of a template filter or tag (the innermost `def` or `lambda` around it). */
export function insideTemplateFilter(node: Node, module: PythonModule): boolean {
  for (let n = node.parent; n; n = n.parent)
    if (n.type === 'function_definition' || n.type === 'lambda') return isTemplateFilter(n, module);
  return false;
}
