import { posix } from 'node:path';
import { describeSource, type TaintQuery, type TaintTrace } from '../../../../dataflow/query.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { objectLiteral, objectProperties, optionAt } from '../../helpers/objects.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { unwrap } from '../../semantic/scope.js';
import {
  engineOfPath,
  TEMPLATE_EXTENSIONS,
  unescapedOutputs,
  type TemplateEngine,
  type TemplateOutput,
} from '../../templates/outputs.js';
import { upward, viewCandidates } from '../../templates/views.js';

/** A response or context object whose `render(view, locals)` renders a view (Express, koa-views, koa-ejs). */
const VIEW_RECEIVER = /^(res|response|ctx|context|this)$/;
/** Fastify's point-of-view: `reply.view(view, data)`. */
const REPLY = /^(reply|res)$/;

/** Calls that render a template file: the path first, the data second. */
const FILE_RENDERS = new Set(['ejs.renderFile', 'pug.renderFile', 'jade.renderFile', 'nunjucks.render']);
/** Calls that compile a template file into a function the data is given to. */
const FILE_COMPILES = new Set(['pug.compileFile', 'jade.compileFile']);
/** Calls that render template text given in place: the text first, the data second, with the engine. */
const TEXT_RENDERS: Readonly<Record<string, TemplateEngine>> = {
  'ejs.render': 'ejs',
  'pug.render': 'pug',
  'jade.render': 'pug',
  'mustache.render': 'handlebars',
  'nunjucks.renderString': 'nunjucks',
};
/** Calls that compile template text into a function the data is given to. */
const TEXT_COMPILES: Readonly<Record<string, TemplateEngine>> = {
  'ejs.compile': 'ejs',
  'pug.compile': 'pug',
  'jade.compile': 'pug',
  'handlebars.compile': 'handlebars',
};

/** An expression of a template, on one line and cut short for a message. */
function short(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A template a render call prints, and how sure the path is. */
interface Rendered {
  /** How the message names it: a path from the file's folder, or "the template text". */
  name: string;
  outputs: readonly TemplateOutput[];
  /** The path was worked out exactly (the folder from `__dirname`, the extension known). */
  exact: boolean;
}

interface RenderSite {
  call: JsCall;
  data: Node;
  template: Rendered;
}

/** `path.join(__dirname, 'a', 'b')`, `__dirname + '/a/b'`: the path from the file's folder; undefined otherwise. */
function fromDirname(node: Node, module: JsModule, hops = 0): string | undefined {
  const n = unwrap(node);
  if (n.type === 'identifier' && hops < 3) {
    const value = module.singleValue(n);
    return value ? fromDirname(value, module, hops + 1) : undefined;
  }
  if (n.type === 'call_expression') {
    const callee = module.qualifiedName(n.childForFieldName('function')!);
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    if (!/^path\.(join|resolve)$/.test(callee ?? '') || args[0]?.text !== '__dirname') return undefined;
    const parts = args.slice(1).map((a) => module.constantString(a));
    if (parts.some((p) => p === undefined || p.startsWith('/'))) return undefined;
    return posix.normalize(posix.join('.', ...(parts as string[])));
  }
  if (n.type === 'binary_expression' && n.childForFieldName('left')?.text === '__dirname') {
    const rest = module.constantString(n.childForFieldName('right')!);
    return rest?.startsWith('/') ? posix.normalize(`.${rest}`) : undefined;
  }
  return undefined;
}

/** Where this module says its views are and which extension they take (`app.set`, koa-views). */
function viewSettings(module: JsModule): { dir?: string; exactDir: boolean; ext?: string } {
  let dir: string | undefined;
  let exactDir = false;
  let ext: string | undefined;
  for (const call of module.calls) {
    const [a0, a1] = call.args;
    if (call.methodName === 'set' && a0 && a1) {
      const key = module.constantString(a0);
      if (key === 'views') {
        const exact = fromDirname(a1, module);
        const text = exact ?? module.constantString(a1);
        if (text !== undefined) [dir, exactDir] = [text, exact !== undefined];
      } else if (key === 'view engine') ext = module.constantString(a1) ?? ext;
    } else if (call.callee === 'koa-views' && a0) {
      const exact = fromDirname(a0, module);
      if (exact !== undefined) [dir, exactDir] = [exact, true];
      const options = a1 ? objectLiteral(a1, module) : undefined;
      const extension = options && objectProperties(options, module).get('extension');
      if (extension) ext = module.constantString(extension.value) ?? ext;
    }
  }
  return { ...(dir !== undefined ? { dir } : {}), exactDir, ...(ext !== undefined ? { ext } : {}) };
}

/** The first of the candidate paths whose template was read for this file. */
function firstRead(module: JsModule, candidates: readonly string[], exact: boolean): Rendered | undefined {
  for (const rel of candidates) {
    const outputs = module.templateOutputs(rel);
    if (outputs) return { name: rel, outputs, exact };
  }
  return undefined;
}

/** The view `res.render(name)` renders: in the configured folder when exact, else a `views/` folder up the tree. */
function resolveView(
  module: JsModule,
  name: string,
  settings: ReturnType<typeof viewSettings>,
): Rendered | undefined {
  const known =
    engineOfPath(name) !== undefined ||
    (settings.ext !== undefined && Object.hasOwn(TEMPLATE_EXTENSIONS, settings.ext));
  const exts =
    settings.ext !== undefined && Object.hasOwn(TEMPLATE_EXTENSIONS, settings.ext)
      ? [settings.ext]
      : Object.keys(TEMPLATE_EXTENSIONS);
  if (settings.dir !== undefined && settings.exactDir)
    return firstRead(module, viewCandidates(name, [settings.dir], exts), known);
  const dirs = [settings.dir ?? 'views'];
  return firstRead(
    module,
    viewCandidates(
      name,
      upward().flatMap((up) => dirs.map((d) => posix.join(up, d))),
      exts,
    ),
    false,
  );
}

/** A template file named by a path expression: exact from `__dirname`, else relative to a folder up the tree. */
function resolveFile(module: JsModule, pathNode: Node): Rendered | undefined {
  const exact = fromDirname(pathNode, module);
  if (exact !== undefined) return firstRead(module, [exact], true);
  const text = module.constantString(pathNode);
  if (text === undefined || text.startsWith('/')) return undefined;
  return firstRead(
    module,
    viewCandidates(
      text,
      [...upward(), ...upward().map((u) => posix.join(u, 'views'))],
      Object.keys(TEMPLATE_EXTENSIONS),
    ),
    false,
  );
}

/** Template text given in place (a constant), with its outputs. */
function inlineTemplate(
  module: JsModule,
  textNode: Node | undefined,
  engine: TemplateEngine,
): Rendered | undefined {
  const text = textNode && module.constantString(textNode);
  if (text === undefined) return undefined;
  return { name: 'the template text', outputs: unescapedOutputs(engine, text), exact: true };
}

/** `compile(x)(data)` or `const t = compile(x); t(data)`: the compiling call. */
function compiledBy(call: JsCall, module: JsModule): Node | undefined {
  let fn: Node | undefined = call.functionNode ? unwrap(call.functionNode) : undefined;
  if (fn?.type === 'identifier') {
    const v = module.singleValue(fn);
    fn = v ? unwrap(v) : undefined;
  }
  return fn?.type === 'call_expression' ? fn : undefined;
}

/** Every call of the module that renders a template it can read, with the data given to it. */
function renderSites(module: JsModule): RenderSite[] {
  const out: RenderSite[] = [];
  let settings: ReturnType<typeof viewSettings> | undefined;
  const byCall = new Map(module.calls.map((c) => [c.node.id, c]));
  for (const call of module.calls) {
    const [a0, a1] = call.args;
    let template: Rendered | undefined;
    let data = a1;
    const receiver = call.receiver && unwrap(call.receiver).text;
    if (
      a0 &&
      receiver !== undefined &&
      ((call.methodName === 'render' && VIEW_RECEIVER.test(receiver)) ||
        (call.methodName === 'view' && REPLY.test(receiver)))
    ) {
      const name = module.constantString(a0);
      if (name !== undefined) template = resolveView(module, name, (settings ??= viewSettings(module)));
    } else if (call.callee !== undefined && FILE_RENDERS.has(call.callee) && a0) {
      template = resolveFile(module, a0);
    } else if (call.callee !== undefined && Object.hasOwn(TEXT_RENDERS, call.callee)) {
      template = inlineTemplate(module, a0, TEXT_RENDERS[call.callee]);
    } else {
      // A compiled template called with its data.
      const compile = compiledBy(call, module);
      const inner = compile && byCall.get(compile.id);
      if (!inner?.callee) continue;
      const [source] = inner.args;
      if (FILE_COMPILES.has(inner.callee) && source) template = resolveFile(module, source);
      else if (Object.hasOwn(TEXT_COMPILES, inner.callee))
        template = inlineTemplate(module, source, TEXT_COMPILES[inner.callee]);
      data = a0;
    }
    if (template?.outputs.length && data) out.push({ call, data, template });
  }
  return out;
}

/** `nunjucks.configure(..., { autoescape: false })` in the module: Nunjucks prints every output raw. */
function nunjucksWithoutAutoescape(module: JsModule): boolean {
  return module.calls.some(
    (c) =>
      c.callee === 'nunjucks.configure' &&
      c.args.some((a) => {
        const p = optionAt(a, ['autoescape'], module);
        return p !== undefined && module.constantValue(p.value) === false;
      }),
  );
}

/** The properties an output reads below its local: `post.title` reads `title` of `post`. */
function memberPath(output: TemplateOutput): string[] {
  const m = new RegExp(`(?:^|[^.\\w$])${output.local.replace(/\$/g, '\\$')}((?:\\.[\\w$]+)*)`).exec(
    output.expr,
  );
  return m?.[1] ? m[1].slice(1).split('.') : [];
}

/**
 * What of a local's value an output prints, traced: down the properties it reads while the value
 * is an object literal, then the value itself, or (an object written in place) any of its
 * properties' values.
 */
function printedTrace(
  taint: TaintQuery,
  module: JsModule,
  value: Node,
  path: readonly string[],
  depth: number,
): Extract<TaintTrace, { kind: 'tainted' }> | undefined {
  const object = objectLiteral(value, module);
  if (object && path.length) {
    const next = objectProperties(object, module).get(path[0]);
    if (next) return printedTrace(taint, module, next.value, path.slice(1), depth);
  }
  const trace = taint.trace(value, { cwe: 79 });
  if (trace.kind === 'tainted') return trace;
  if (!object || depth > 2) return undefined;
  for (const p of objectProperties(object, module).values()) {
    const inner = printedTrace(taint, module, p.value, [], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

export default defineRule({
  id: 'javascript/template-unescaped-output',
  title: 'Request data printed unescaped by a template',
  cwe: 79,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['render', 'compile', 'view('],
  description:
    'A server-side template prints a value without HTML escaping, and the render call gives it request ' +
    'data: EJS `<%- x %>`, Pug `!{x}`, `!=` and `attr!=x`, Handlebars and Mustache `{{{x}}}` and `{{& x}}`, ' +
    'Nunjucks `| safe`, `{% autoescape false %}` and every output after `nunjucks.configure({ autoescape: false })` in the module. Render calls: Express `res.render(view, locals)` (the view ' +
    "in the folder `app.set('views', ...)` names, else a `views/` folder beside the code or above it, with " +
    "the extension of `app.set('view engine', ...)` or the name), Koa's `ctx.render`, Fastify's `reply.view`, " +
    '`ejs.renderFile`, `pug.renderFile`/`compileFile`, `nunjucks.render`, and template text given in place ' +
    '(`ejs.render`, `pug.render`, `Handlebars.compile(text)(data)`, `Mustache.render`, ' +
    '`nunjucks.renderString`). The template files are read as data, never run. The finding is at the render ' +
    'call and names the template, its line and the local. Confidence is high when the template path is ' +
    'worked out exactly (from `__dirname` and a known extension), medium when a `views/` folder was ' +
    'looked for; a view whose path is not a constant is not reported. Template text built from request ' +
    'data is template injection (`javascript/template-injection`), not this rule.',
  fix: 'Print request data with the escaping output (`<%= x %>`, `#{x}`, `{{x}}`), or escape it before it is rendered raw (`escape-html`, DOMPurify for markup you must keep).',
  example: {
    bad: "res.render('profile', { bio: req.body.bio }) // views/profile.ejs: <%- bio %>",
    good: "res.render('profile', { bio: req.body.bio }) // views/profile.ejs: <%= bio %>",
  },
  // Reads the dataflow in its check.
  taint: {},
  check({ module, taint, report }) {
    if (taint.sourceFree) return;
    const autoescapeOff = nunjucksWithoutAutoescape(module);
    for (const site of renderSites(module)) {
      const object = objectLiteral(site.data, module);
      if (!object) continue;
      const properties = objectProperties(object, module);
      const seen = new Set<string>();
      for (const output of site.template.outputs) {
        if (output.unlessAutoescape && !autoescapeOff) continue;
        const property = properties.get(output.local);
        if (!property || seen.has(output.local)) continue;
        const trace = printedTrace(taint, module, property.value, memberPath(output), 0);
        if (!trace) continue;
        seen.add(output.local);
        const where = `${site.template.name}${site.template.exact ? '' : ' (found by its name)'}`;
        const label = codeOf(site.call.node, 50);
        report({
          node: site.call.node,
          confidence: site.template.exact ? 'high' : 'medium',
          confidenceReason: site.template.exact
            ? `template path worked out exactly; proven flow from ${describeSource(trace.sources[0])}`
            : `template found by its name in a views folder; proven flow from ${describeSource(trace.sources[0])}`,
          message:
            `\`${label}\` passes \`${output.local}\` built from ${describeSource(trace.sources[0])} to ` +
            `${where}, which prints it unescaped at line ${output.line} (\`${short(output.expr)}\`): ` +
            'markup and script in it run in the browser.',
          flow: taint.flowTo(
            trace,
            site.call.node,
            `rendered raw as \`${output.local}\` by ${site.template.name}, line ${output.line}`,
          ),
          sources: trace.sources,
        });
      }
    }
  },
});
