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

/** The parameter of a registered template filter or tag a value is read from, with how the filter is named in words. */
export interface FilterInput {
  /** In words: "template filter or tag `user_link`". */
  filter: string;
  fn: Node;
  /** The parameter node (`name`, `name=default`, `*args`, `**kwargs`). */
  param: Node;
}

/**
 * The parameter of a template filter or tag (in words: "template filter or tag `user_link`") whose
 * input the value is read from: a parameter of a registered function, or an attribute, item or
 * method result read from one (`user.display_name`, `book.authors.first().name`), also through
 * names the function binds to such reads.
 */
export function filterParameterOf(value: Node, module: PythonModule, depth = 0): FilterInput | undefined {
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
      const via = filterParameterOf(b.value, module, depth + 1);
      if (via) return via;
    }
    if (b.kind !== 'param') continue;
    const fn = b.node.parent?.parent;
    if (!fn || (fn.type !== 'function_definition' && fn.type !== 'lambda')) continue;
    if (isTemplateFilter(fn, module))
      return {
        fn,
        param: b.node,
        filter:
          fn.type === 'lambda'
            ? 'a lambda registered as a template filter'
            : `template filter or tag \`${fn.childForFieldName('name')?.text ?? '?'}\``,
      };
  }
  return undefined;
}

/** A name a function is registered under, as a tag or a filter. */
interface Registration {
  name: string;
  kind: 'tag' | 'filter';
  /** A tag whose first parameter is the template's context (`takes_context=True`). */
  takesContext: boolean;
}

/** The string a registration call names the function with: its first positional string, or `name=`. */
function registeredName(call: Node | undefined): string | undefined {
  for (const a of call?.childForFieldName('arguments')?.namedChildren ?? []) {
    const value =
      a?.type === 'keyword_argument'
        ? a.childForFieldName('name')?.text === 'name'
          ? a.childForFieldName('value')
          : null
        : a;
    if (value?.type === 'string') {
      const text = /^[rbuRBU]*(['"])(\w+)\1$/.exec(value.text);
      if (text) return text[2];
    }
  }
  return undefined;
}

function takesContext(call: Node | undefined): boolean {
  return (call?.childForFieldName('arguments')?.namedChildren ?? []).some(
    (a) =>
      a?.type === 'keyword_argument' &&
      a.childForFieldName('name')?.text === 'takes_context' &&
      a.childForFieldName('value')?.type === 'true',
  );
}

/** Django's and Flask's names of the registration, as the kind of use in templates. */
function kindOf(method: string): 'tag' | 'filter' | undefined {
  if (method === 'simple_tag' || method === 'inclusion_tag') return 'tag';
  if (/filter$/.test(method)) return 'filter';
  return undefined;
}

/** The names (and kinds) a function is registered under: by its decorators, or by a call given it. */
function registrationsOf(fn: Node, module: PythonModule): Registration[] {
  const own = fn.childForFieldName('name')?.text;
  const out: Registration[] = [];
  for (const d of decoratorsOf(fn)) {
    const e = decoratorExpression(d);
    const call = e?.type === 'call' ? e : undefined;
    const callee = call ? call.childForFieldName('function') : e;
    const kind = kindOf(callee?.text.replace(/^.*\./, '') ?? '');
    const name = registeredName(call) ?? own;
    if (kind && name && callee && REGISTERING_DECORATOR.test(callee.text))
      out.push({ name, kind, takesContext: takesContext(call) });
  }
  for (const call of module.calls) {
    const kind = kindOf(call.methodName ?? '');
    const args = call.node.childForFieldName('arguments')?.namedChildren ?? [];
    const given = args.some((a) => a?.type === 'identifier' && module.singleDefinition(a)?.id === fn.id);
    const name = registeredName(call.node) ?? own;
    if (kind && given && name) out.push({ name, kind, takesContext: takesContext(call.node) });
  }
  return out;
}

/** What the project's templates pass a filter's or tag's parameter. */
export type TemplateArgument =
  /** No template was read: the uses are not known. */
  | { kind: 'unknown' }
  /** Every use passes a literal, or leaves the parameter to its default. */
  | { kind: 'literal'; calls: number }
  /** The templates never use the filter or tag. */
  | { kind: 'uncalled' }
  /** A use passes a value of the page's context (a variable, an attribute of one, a filtered value). */
  | { kind: 'context'; where: string };

/** The template slots (see templates/syntax.ts `TemplateUse`) that give a parameter its value. */
function slotsOf(param: Node, fn: Node, registration: Registration): (slot: string) => boolean {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).filter(
    (p): p is Node => p !== null && p.type !== 'comment',
  );
  const nameOf = (p: Node): string | undefined =>
    (p.type === 'identifier'
      ? p
      : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'))
    )?.text;
  const skip = registration.kind === 'tag' && registration.takesContext ? 1 : 0;
  const keywordOnly = params.findIndex(
    (p) => p.type === 'keyword_separator' || p.type === 'list_splat_pattern',
  );
  const index = params.findIndex((p) => p.id === param.id);
  const position = index - skip;
  const positional = keywordOnly < 0 || index < keywordOnly;
  const named = new Set(params.map(nameOf));
  const own = nameOf(param);
  if (param.type === 'list_splat_pattern')
    return (slot) => slot === '*' || (/^#\d+$/.test(slot) && Number(slot.slice(1)) >= position);
  if (param.type === 'dictionary_splat_pattern')
    return (slot) => slot === '*' || (slot.startsWith('=') && !named.has(slot.slice(1)));
  return (slot) =>
    slot === '*' || slot === `=${own}` || (positional && position >= 0 && slot === `#${position}`);
}

/** What the project's templates pass the parameter of a registered filter or tag. */
export function templateArgument(input: FilterInput, module: PythonModule): TemplateArgument {
  const calls = module.templateCalls;
  if (!calls || input.fn.type !== 'function_definition') return { kind: 'unknown' };
  const registrations = registrationsOf(input.fn, module);
  if (!registrations.length) return { kind: 'unknown' };
  const params = input.fn.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type !== 'comment');
  // A tag's context (`takes_context=True`) is the page's whole context, whatever the uses pass.
  if (registrations.some((r) => r.kind === 'tag' && r.takesContext) && params?.[0]?.id === input.param.id)
    return { kind: 'unknown' };
  let uses = 0;
  for (const r of registrations) {
    const use = calls.uses[r.name]?.[r.kind];
    if (!use) continue;
    uses += use.calls;
    const gives = slotsOf(input.param, input.fn, r);
    const slot = Object.keys(use.dynamic).find(gives);
    if (slot !== undefined) return { kind: 'context', where: use.dynamic[slot] };
  }
  // Templates left unread may pass it page data: neither the literals seen nor no use at all say it is constant.
  if (calls.partial) return { kind: 'unknown' };
  return uses ? { kind: 'literal', calls: uses } : { kind: 'uncalled' };
}

/** Whether the node is in the body of a template filter or tag (the innermost `def` or `lambda` around it). */
export function insideTemplateFilter(node: Node, module: PythonModule): boolean {
  for (let n = node.parent; n; n = n.parent)
    if (n.type === 'function_definition' || n.type === 'lambda') return isTemplateFilter(n, module);
  return false;
}
