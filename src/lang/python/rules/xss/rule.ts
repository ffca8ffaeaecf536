import { decoratorExpression, decoratorsOf } from '../../helpers/functions.js';
import { describeSource } from '../../../../dataflow/index.js';
import { ROUTE_DECORATOR, sinksOf } from '../../models/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Expressions that build text: what a view returns as an HTML body. */
const BUILDS_TEXT = new Set(['binary_operator', 'string', 'concatenated_string', 'identifier', 'call']);

/** Values Flask serializes as an application/json response: dicts, lists, `jsonify(...)`, `x.json()`. */
const JSON_LITERALS = new Set(['dictionary', 'list', 'dictionary_comprehension', 'list_comprehension']);
/** The models' calls whose response body is JSON. */
const JSON_RESPONSES: ReadonlySet<string> = new Set(
  sinksOf('http-response-body').flatMap((s) => (s.contentType === 'application/json' ? (s.calls ?? []) : [])),
);

function isJsonValue(node: Node, module: PythonModule, hops = 0): boolean {
  if (hops > 8) return false;
  if (JSON_LITERALS.has(node.type)) return true;
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (!fn) return false;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'json') return true;
    return JSON_RESPONSES.has(module.qualifiedName(fn) ?? '');
  }
  if (node.type === 'identifier') {
    const found = module.scopeOf(node).lookup(node.text);
    const values = found?.bindings.map((b) => (b.kind === 'value' ? b.value : undefined)) ?? [];
    return values.length > 0 && values.every((v) => !!v && isJsonValue(v, module, hops + 1));
  }
  return false;
}

function isRoute(def: Node): boolean {
  return decoratorsOf(def).some((d) => {
    const expr = decoratorExpression(d);
    const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    return !!callee && ROUTE_DECORATOR.test(callee.text);
  });
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
    // A response body of another content type (JSON) is no HTML.
    skip: (_call, _module, sink) => 'contentType' in sink && sink.contentType !== 'text/html',
    message: (hit) =>
      `${hit.sinkLabel} puts ${hit.sourceText} into the HTML without escaping; markup in it runs in the browser.`,
  },
  check({ file, module, taint, report }) {
    // A function has many returns: its decorators are read once.
    const routes = new Map<number, boolean>();
    // A Flask view returning a string sends it as text/html.
    for (const ret of file.tree.rootNode.descendantsOfType('return_statement')) {
      const value = ret?.firstNamedChild;
      if (!ret || !value || !BUILDS_TEXT.has(value.type)) continue;
      const def = ret.closest('function_definition');
      if (!def) continue;
      let route = routes.get(def.id);
      if (route === undefined) routes.set(def.id, (route = isRoute(def)));
      if (!route) continue;
      if (isJsonValue(value, module)) continue;
      const trace = taint.trace(value, { cwe: 79 });
      if (trace.kind !== 'tainted') continue;
      report({
        node: ret,
        confidence: 'high',
        message: `The view \`${def.childForFieldName('name')?.text ?? '?'}\` returns HTML built from ${describeSource(trace.sources[0])} without escaping; markup in it runs in the browser.`,
        flow: taint.flowTo(trace, ret, 'returned as the HTML response'),
      });
    }
  },
});
