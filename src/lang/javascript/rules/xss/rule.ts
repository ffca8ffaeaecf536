import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import type { JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

/** Methods of a response that write its body. */
const BODY_METHODS = new Set(['send', 'write', 'end']);
/** What a response object is called: Express's and Node's `res`, Fastify's `reply`. */
const RESPONSE = /^(res|response|reply|resp)$/;
/** Koa's body: `ctx.body = ...`, `ctx.response.body = ...`, `this.body = ...` in Koa 1. */
const KOA_BODY = /^(ctx|context|this)(\.response)?\.body$/;
/** An HTML tag (or comment, doctype) in literal text. */
const TAG = /<(!|\/?[a-zA-Z][a-zA-Z0-9-]*[\s>/])/;
/**
 * A statement of the handler that declares the response HTML: `res.type('html')`,
 * `res.set('Content-Type', 'text/html')`, `res.setHeader`/`writeHead` with it, `ctx.type = 'html'`.
 */
const HTML_TYPE =
  /\.(type|contentType)\(\s*['"`](text\/)?html|['"`]content-type['"`]\s*[,:]\s*['"`]text\/html|\.type\s*=\s*['"`](text\/)?html/i;

/** Literal text with a tag among the parts a response body is built from (through names bound once). */
function visiblyHtml(node: Node, module: JsModule, hops = 0): boolean {
  const n = unwrap(node);
  if (hops > 4) return false;
  switch (n.type) {
    case 'template_string':
      return n.children.some((c) => c.type === 'string_fragment' && TAG.test(c.text));
    case 'string':
      return TAG.test(n.text);
    case 'binary_expression': {
      if (n.childForFieldName('operator')?.text !== '+') return false;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      return (!!l && visiblyHtml(l, module, hops + 1)) || (!!r && visiblyHtml(r, module, hops + 1));
    }
    case 'identifier': {
      const bindings = module.bindingsOf(n) ?? [];
      return bindings.some((b) => b.kind === 'value' && visiblyHtml(b.value, module, hops + 1));
    }
    default:
      return false;
  }
}

/** The function around a node (the handler), or the module. */
function enclosingFunction(node: Node): Node {
  let n: Node | null = node.parent;
  while (n && !FUNCTION_TYPES.has(n.type)) n = n.parent;
  return n ?? node.tree.rootNode;
}

interface Site {
  node: Node;
  body: Node;
  label: string;
}

/** Every write of a response body: `res.send(x)`/`write`/`end`, `reply.send(x)`, Koa's `ctx.body = x`. */
function bodyWrites(module: JsModule): Site[] {
  const out: Site[] = [];
  for (const call of module.calls) {
    const method = call.methodName;
    const receiver = call.receiver && unwrap(call.receiver);
    if (!method || !BODY_METHODS.has(method) || !receiver) continue;
    // `res.status(200).send(x)`: the response the chain starts from.
    let root = receiver;
    while (root.type === 'call_expression') {
      const fn = root.childForFieldName('function');
      const obj = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
      if (!obj) break;
      root = unwrap(obj);
    }
    const body = call.args[0];
    if (!body || !RESPONSE.test(root.text)) continue;
    out.push({ node: call.node, body, label: `\`${codeOf(call.functionNode ?? call.node, 40)}\`` });
  }
  if (!module.file.text.includes('.body')) return out;
  for (const n of module.file.tree.rootNode.descendantsOfType('assignment_expression')) {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left && right && KOA_BODY.test(left.text.replace(/\s+/g, '')))
      out.push({ node: n, body: right, label: `\`${codeOf(left, 40)} =\`` });
  }
  return out;
}

export default defineRule({
  id: 'javascript/xss',
  title: 'Request data in an HTML response',
  cwe: 79,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['send', 'write', 'end', '.body', 'SafeString'],
  description:
    'Request data is written unescaped into a response the browser renders as HTML: `res.send`, ' +
    '`res.write`, `res.end`, Fastify `reply.send` or Koa `ctx.body =` given text built from literal ' +
    'HTML (a tag in a string or template) and request data, or any request text in a handler that ' +
    "declares the response HTML (`res.type('html')`, a `Content-Type: text/html` header, `ctx.type = " +
    "'html'`); and `new Handlebars.SafeString(...)` of request data, which a template then outputs " +
    'unescaped. Script in the data runs in the page. Text whose type is not declared and that holds ' +
    'no tag is not reported (Express would send it as HTML, but whether it is a page is unknown), nor ' +
    'objects sent as JSON. HTML-escaped values (`escape-html`, `he`, lodash `escape`, `validator.escape`, ' +
    'DOMPurify), numbers and `encodeURIComponent` are safe.',
  fix: 'Render pages with a template engine that escapes (`res.render` with `<%= %>`, `{{ }}`), or escape each value with `escape-html`; send data as JSON with `res.json`.',
  example: {
    bad: 'res.send(`<h1>Hello ${req.query.name}</h1>`)',
    good: 'res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`)',
  },
  taint: {
    concepts: ['safe-html'],
    message: (hit) =>
      `${hit.sinkLabel} marks text built from ${hit.sourceText} as safe HTML: a template outputs it unescaped and script in it runs in the page.`,
  },
  check({ module, taint, report }) {
    if (taint.sourceFree) return;
    const htmlHandlers = new Map<number, boolean>();
    for (const site of bodyWrites(module)) {
      const body = unwrap(site.body);
      if (body.type === 'object' || body.type === 'array') continue;
      const fn = enclosingFunction(site.node);
      let declared = htmlHandlers.get(fn.id);
      if (declared === undefined) htmlHandlers.set(fn.id, (declared = HTML_TYPE.test(fn.text)));
      const literal = visiblyHtml(site.body, module);
      if (!literal && !declared) continue;
      const trace: TaintTrace = taint.trace(site.body, { cwe: 79, trust: ['user', 'admin'] });
      if (trace.kind !== 'tainted') continue;
      const why = literal ? 'HTML built from' : 'a response the handler declares HTML, with';
      report({
        node: site.node,
        message:
          `${site.label} writes ${why} ${describeSource(trace.sources[0])} unescaped (\`${codeOf(site.body, 50)}\`): ` +
          'markup and script in it run in the browser.',
        flow: taint.flowTo(trace, site.node, `written into the HTML response by ${site.label}`),
        sources: trace.sources,
      });
    }
  },
});
