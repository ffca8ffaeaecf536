import { stringValue } from '../../helpers/constants.js';
import { enclosingFunction } from '../../helpers/functions.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';

/**
 * What a template engine's output is, as far as its module shows: autoescape matters only where the
 * output is HTML (a page, an HTML e-mail). `html` and `text` carry the evidence, for the message.
 */
export type Output = { kind: 'html'; why: string } | { kind: 'text'; why: string } | { kind: 'unknown' };

/** Template names of HTML and XML documents (`page.html`, `feed.xml.j2`). */
const HTML_NAME = /\.(x?html?|xml|svg)(\.(j2|jinja2?|tmpl|tpl|template))?$/i;
/** Template names of other documents: plain text, markup languages, configuration, code. */
const TEXT_NAME =
  /\.(txt|text|md|markdown|rst|adoc|cfg|conf|ini|toml|ya?ml|json|env|py|js|ts|vue|css|sh|sql|csv|tex|properties|service)(\.(j2|jinja2?|tmpl|tpl|template))?$/i;
/** An HTML tag in a template's source. */
const HTML_TAG = /<(!doctype|[a-z][a-z0-9]*)(\s[^<>]*)?\/?>/i;
/**
 * A `Content-Type` line in the template itself, naming a type that is not HTML: the template writes
 * a raw HTTP response or an e-mail whose body a client shows as text, tags and all.
 */
const TEXT_CONTENT_TYPE = /^content-type:\s*(?!text\/html|application\/xhtml)[\w.+-]+\/[\w.+-]+/im;
/** Environment settings that replace the `{{ }}` delimiters: code generation, not web pages. */
const DELIMITERS = ['variable_start_string', 'block_start_string'];
/** Methods of an environment that load a template by name. */
const LOADS = new Set(['get_template', 'select_template', 'get_or_select_template']);
const MARKUP = new Set(['markupsafe.Markup', 'jinja2.Markup', 'jinja2.utils.Markup', 'flask.Markup']);

/** The output of what `call` makes: an Environment (`isTemplate` false) or a Template. */
export function outputOf(call: CallSite, module: PythonModule, isTemplate: boolean): Output {
  if (isTemplate) {
    const source = stringValue(call.argument(0, 'source'), module);
    if (source !== undefined) {
      const declared = TEXT_CONTENT_TYPE.exec(source);
      if (declared) return { kind: 'text', why: `its source declares \`${declared[0].trim()}\`` };
      return HTML_TAG.test(source)
        ? { kind: 'html', why: 'its source has HTML tags' }
        : { kind: 'text', why: 'its constant source has no HTML markup' };
    }
    const target = renderTarget(call.node);
    if (target && /html/i.test(target)) return { kind: 'html', why: `the output goes to \`${target}\`` };
    return { kind: 'unknown' };
  }
  const names = loadedNames(call, module);
  const html = names.find((n) => HTML_NAME.test(n));
  if (html) return { kind: 'html', why: `it loads \`${html}\`` };
  if (names.length && names.every((n) => TEXT_NAME.test(n))) {
    return { kind: 'text', why: `it loads only non-HTML templates (\`${names[0]}\`)` };
  }
  const delimiter = DELIMITERS.find((k) => call.kwargs.has(k));
  if (delimiter)
    return {
      kind: 'text',
      why: `it replaces the \`{{ }}\` delimiters (\`${delimiter}\`), as code generators do`,
    };
  if (module.calls.some((c) => c.callee !== undefined && MARKUP.has(c.callee))) {
    return { kind: 'html', why: 'its module marks HTML as safe with `Markup`' };
  }
  return { kind: 'unknown' };
}

/** The name the rendered text of `Template(...).render(...)` is assigned to or passed as. */
function renderTarget(template: Node): string | undefined {
  const attribute = template.parent;
  const render = attribute?.type === 'attribute' ? attribute.parent : undefined;
  if (!render || render.type !== 'call' || attribute?.childForFieldName('attribute')?.text !== 'render') {
    return undefined;
  }
  const parent = render.parent;
  if (parent?.type === 'assignment') return parent.childForFieldName('left')?.text;
  if (parent?.type === 'keyword_argument') return parent.childForFieldName('name')?.text;
  return undefined;
}

/**
 * The constant names of the templates an environment loads in this module: through the name it is
 * bound to, or the names the results of the function that returns it are bound to.
 */
function loadedNames(call: CallSite, module: PythonModule): string[] {
  // The calls whose value a handle holds: the constructor, or the calls of the function returning it.
  const made = new Set<number>([call.node.id]);
  if (call.node.parent?.type === 'return_statement') {
    const fn = enclosingFunction(call.node)?.childForFieldName('name')?.text;
    for (const c of module.calls) if (fn && c.functionNode?.text === fn) made.add(c.node.id);
  }
  const holds = (receiver: Node): boolean => {
    if (receiver.type === 'identifier') {
      const bindings = module.scopeOf(receiver).lookup(receiver.text)?.bindings ?? [];
      return bindings.some((b) => b.kind === 'value' && made.has(b.value.id));
    }
    // `self.env = Environment(...)`: by the text of the attribute it was assigned to.
    return [...made].some((id) => {
      const c = module.calls.find((x) => x.node.id === id);
      const parent = c?.node.parent;
      return parent?.type === 'assignment' && parent.childForFieldName('left')?.text === receiver.text;
    });
  };
  const names: string[] = [];
  for (const c of module.calls) {
    if (!c.methodName || !LOADS.has(c.methodName) || !c.receiver || !holds(c.receiver)) continue;
    const arg = c.argument(0, 'name', 'names', 'template_name_or_list');
    const items = arg && (arg.type === 'list' || arg.type === 'tuple') ? arg.namedChildren : [arg];
    for (const item of items) {
      const name = item ? stringValue(item, module) : undefined;
      if (name) names.push(name);
    }
  }
  return names;
}
