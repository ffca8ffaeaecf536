import { unescapedNodeReturns } from './template-nodes.js';
import { describeSource } from '../../../../dataflow/index.js';
import { isConstantFalse } from '../../helpers/constants.js';
import { ownReturns } from '../../helpers/functions.js';
import { TEMPLATE_ENGINES } from '../../models/index.js';
import { rendersMarkup, returnedTextContentType, sendsNoMarkup } from './content-type.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Values Flask serializes as an application/json response: dicts, lists, `jsonify(...)`, `x.json()`. */
const JSON_LITERALS = new Set(['dictionary', 'list', 'dictionary_comprehension', 'list_comprehension']);
/** String methods whose result is text built from their receiver and arguments. */
// `encode`: a framework that sends bytes (Twisted) gets the text's bytes.
const TEXT_METHODS = new Set([
  'format',
  'join',
  'replace',
  'strip',
  'lower',
  'upper',
  'title',
  'decode',
  'encode',
]);
const MAX_HOPS = 4;

/** `env.get_template(name).render(...)` of a template engine whose escaping is off. */
function rendersUnescaped(fn: Node, method: string, module: PythonModule): boolean {
  const engines = TEMPLATE_ENGINES.filter((e) => e.renderMethods.includes(method));
  if (engines.length === 0) return false;
  // The object the chain starts from: `env` in env.get_template(...).render.
  let root: Node | null = fn;
  while (
    root?.type === 'attribute' ||
    (root?.type === 'call' && root.childForFieldName('function')?.type === 'attribute')
  )
    root = root.type === 'attribute' ? root.childForFieldName('object') : root.childForFieldName('function');
  const made = root?.type === 'identifier' ? module.singleValue(root) : root;
  if (made?.type !== 'call') return false;
  const q = module.qualifiedName(made.childForFieldName('function') ?? made);
  const engine = engines.find((e) => q !== undefined && e.constructors.includes(q));
  if (!engine) return false;
  const setting = made
    .childForFieldName('arguments')
    ?.namedChildren.find(
      (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === engine.autoescapeKeyword,
    );
  const value = setting?.childForFieldName('value');
  return value ? isConstantFalse(value, module) : !engine.escapesByDefault;
}

/**
 * The text a view returns as its body: a string built in the view (a literal, `+`, `%`, an
 * f-string, `str.format`/`join`), a name bound to one, or a call of a function of the module that
 * returns one. Other calls' results are response objects (their constructors are sinks of their
 * own), files, redirects or data the framework serializes; dicts and lists are sent as JSON.
 */
function returnedText(node: Node, module: PythonModule, hops = 0): Node | undefined {
  if (hops > MAX_HOPS) return undefined;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return node;
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      return (op === '+' || op === '%') && left && !JSON_LITERALS.has(left.type) ? node : undefined;
    }
    case 'parenthesized_expression':
    case 'expression_list':
    case 'tuple': {
      // `return body, 200`: the body comes first.
      const first = node.namedChildren[0];
      return first ? returnedText(first, module, hops + 1) : undefined;
    }
    case 'identifier': {
      const found = module.scopeOf(node).lookup(node.text);
      const values = found?.bindings.flatMap((b) => (b.kind === 'value' ? [b.value] : [])) ?? [];
      return values.some((v) => returnedText(v, module, hops + 1)) ? node : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (!fn) return undefined;
      if (fn.type === 'attribute') {
        const method = fn.childForFieldName('attribute')?.text ?? '';
        return TEXT_METHODS.has(method) || rendersUnescaped(fn, method, module) ? node : undefined;
      }
      if (module.qualifiedName(fn) === 'builtins.str') return node;
      // A function of this module that returns text.
      const def = module.singleDefinition(fn);
      if (def?.type !== 'function_definition') return undefined;
      const returnsText = ownReturns(def).some((ret) => {
        const value = ret.firstNamedChild;
        return value && returnedText(value, module, hops + 1);
      });
      return returnsText ? node : undefined;
    }
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'python/xss',
  title: 'HTML response built from untrusted data',
  cwe: 79,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  description:
    'A response body, `Markup`/`mark_safe` value or template source is built from request data without ' +
    'escaping. A user who controls it can add `<script>` to the page and act in the browser of whoever ' +
    'views it (cross-site scripting).',
  fix:
    'Render through an autoescaping template (render_template with a .html file), or escape the value ' +
    'with markupsafe.escape / html.escape before building HTML; never mark user data as safe.',
  example: {
    bad: 'return "<h1>Hello " + request.args["name"] + "</h1>"',
    good: 'return render_template("hello.html", name=request.args["name"])',
  },
  taint: {
    concepts: ['http-response-body', 'safe-html', 'template-rendering'],
    what: 'HTML content',
    // A response body of another media type (JSON, plain text) is no HTML.
    skip: sendsNoMarkup,
    message: (hit) =>
      `${hit.sinkLabel} puts ${hit.sourceText} into the HTML without escaping; markup in it runs in the browser.`,
  },
  check({ file, module, taint, report }) {
    // A function has many returns: what its returned text is sent as is read once.
    const routes = new Map<number, string | undefined>();
    for (const ret of file.tree.rootNode.descendantsOfType('return_statement')) {
      const value = ret?.firstNamedChild;
      const def = ret?.closest('function_definition');
      if (!ret || !value || !def) continue;
      if (!routes.has(def.id)) routes.set(def.id, returnedTextContentType(def, module));
      const type = routes.get(def.id);
      if (type === undefined || !rendersMarkup(type)) continue;
      const text = returnedText(value, module);
      if (!text) continue;
      const trace = taint.trace(text, { cwe: 79 });
      if (trace.kind !== 'tainted') continue;
      report({
        node: ret,
        confidence: 'high',
        message: `The view \`${def.childForFieldName('name')?.text ?? '?'}\` returns HTML built from ${describeSource(trace.sources[0])} without escaping; markup in it runs in the browser.`,
        flow: taint.flowTo(trace, ret, 'returned as the HTML response'),
        sources: trace.sources,
      });
    }
    // Django template tags: a node's output goes into the page as it is.
    for (const { ret, where, returned, value } of unescapedNodeReturns(module, file.tree.rootNode)) {
      const built = returned === value ? '' : `\`${returned}\`, built from `;
      report({
        node: ret,
        severity: 'medium',
        confidence: 'medium',
        message:
          `The template tag ${where} returns ${built}\`${value}\`, a value of the template context, without ` +
          `\`conditional_escape\`: Django puts a tag's output into the page unescaped, so HTML in that value runs in the browser.`,
        confidenceReason:
          'the value is read from the template context, which holds whatever the view passed (often stored user content); the analysis does not follow it to a source',
      });
    }
  },
});
