import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse, isConstantTrue, stringValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { templateEngineSettings } from '../../models/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import type { Confidence } from '../../../../core/index.js';
import { defineRule } from '../../../../rules/rule.js';
import { outputOf, type Output } from './output.js';

/** Jinja2's environments and templates by qualified callee, with their escaping setting. */
const ENGINES = new Map(
  templateEngineSettings('jinja2').flatMap((setting) => setting.calls.map((c) => [c, setting] as const)),
);

/** Calls that read a setting from the environment, with the position of their default. */
const ENV_READS = new Map([
  ['os.environ.get', 1],
  ['os.getenv', 1],
]);
/** Objects and calls that hold the application's configuration. */
const CONFIG = /(^|\.)(config|settings|conf|cfg|env)(\(\))?$/i;

export default defineRule({
  id: 'python/jinja2-autoescape-off',
  title: 'Jinja2 templates rendered without HTML escaping',
  cwe: 79,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['jinja2'],
  description:
    'A Jinja2 Environment or Template created directly (outside Flask, which turns escaping on) does not ' +
    'escape `{{ value }}` unless autoescape is enabled. Values containing `<script>` or attribute quotes ' +
    'are then inserted into HTML as markup: cross-site scripting. Only output that is HTML matters: ' +
    'templates of plain text, configuration or code are not reported.',
  fix:
    'Create the environment with autoescape=select_autoescape() (escapes .html/.xml templates) or ' +
    'autoescape=True, and mark trusted HTML explicitly with markupsafe.Markup.',
  example: {
    bad: 'env = Environment(loader=FileSystemLoader("templates"))\nenv.get_template("page.html")',
    good: 'env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const engine = call.callee ? ENGINES.get(call.callee) : undefined;
      if (!engine) continue;
      const autoescape = call.kwargs.get(engine.keyword);
      // How escaping is off: `autoescape=False`, left out, or read from configuration.
      let how: string;
      let confidence: Confidence;
      let reason: string;
      if (autoescape) {
        const configured = isConstantFalse(autoescape, module)
          ? undefined
          : configuredValue(autoescape, module);
        if (isConstantFalse(autoescape, module)) {
          how = `${engine.engine ? "sets up the application's Jinja2 environment with" : 'is created with'} \`${engine.keyword}=False\``;
          confidence = 'high';
          reason = `\`${engine.keyword}=False\` as written`;
        } else if (configured?.offByDefault === false) {
          continue; // on unless the operator turns it off
        } else if (configured) {
          how = `takes \`${engine.keyword}\` from configuration (\`${configured.source}\`)${configured.offByDefault ? ', off unless set' : ''}`;
          confidence = configured.offByDefault ? 'medium' : 'low';
          reason = configured.offByDefault
            ? `\`${engine.keyword}\` comes from \`${configured.source}\`, whose default is off`
            : `\`${engine.keyword}\` comes from \`${configured.source}\`, whose default is not visible here`;
        } else continue; // True, select_autoescape(), a callable
      } else {
        if (call.hasSplat || engine.escapesByDefault) continue;
        how = `is created without \`${engine.keyword}\`, which defaults to off`;
        confidence = 'medium';
        reason = `\`${engine.keyword}\` left at its default (off)`;
      }
      const output: Output = engine.rendersPages
        ? { kind: 'html', why: `it renders the application's web pages` }
        : outputOf(call, module, !!engine.oftenPlainText);
      if (output.kind === 'text') continue;
      if (output.kind === 'html') {
        report({
          node: call.node,
          confidence,
          confidenceReason: `${reason}; the output is HTML: ${output.why}`,
          message: `${callLabel(call, module)} ${how}, and its output is HTML (${output.why}): values rendered into it are not escaped.`,
        });
        continue;
      }
      report({
        node: call.node,
        severity: 'low',
        confidence: 'low',
        confidenceReason: `${reason}; nothing in the module shows whether the output is HTML or text`,
        message: `${callLabel(call, module)} ${how}: values rendered into HTML templates are not escaped (a risk only if its templates are HTML; none are named here).`,
      });
    }
  },
});

/**
 * A value read from configuration or the environment (`os.getenv("ESCAPE")`,
 * `bool(settings.ESCAPE_HTML)`, `config("ESCAPE", cast=bool, default=False)`), with whether its
 * default is visibly off.
 */
function configuredValue(
  node: Node,
  module: PythonModule,
  depth = 0,
): { source: string; offByDefault: boolean | undefined } | undefined {
  if (depth > 4) return undefined;
  if (node.type === 'identifier') {
    const value = module.singleValue(node);
    return value ? configuredValue(value, module, depth + 1) : undefined;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    const callee = fn ? (module.qualifiedName(fn) ?? fn.text) : '';
    if (['builtins.bool', 'builtins.int', 'builtins.str'].includes(callee) && args[0]) {
      return configuredValue(args[0], module, depth + 1);
    }
    const keyword = (name: string): Node | undefined =>
      args
        .find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
        ?.childForFieldName('value') ?? undefined;
    const position = ENV_READS.get(callee);
    if (position !== undefined) {
      const fallback = keyword('default') ?? args[position];
      return { source: codeOf(node), offByDefault: fallback ? isOff(fallback, module) : true };
    }
    if (
      CONFIG.test(callee) ||
      (fn?.type === 'attribute' && CONFIG.test(fn.childForFieldName('object')?.text ?? ''))
    ) {
      const fallback = keyword('default');
      return { source: codeOf(node), offByDefault: fallback ? isOff(fallback, module) : undefined };
    }
    return undefined;
  }
  if (node.type === 'attribute' || node.type === 'subscript') {
    const object = node.childForFieldName(node.type === 'attribute' ? 'object' : 'value');
    const q = object ? (module.qualifiedName(object) ?? object.text) : '';
    if (CONFIG.test(q) || q === 'os.environ') return { source: codeOf(node), offByDefault: undefined };
  }
  return undefined;
}

/** Whether a default is visibly off (`None`, `False`, `""`), visibly on, or not known (undefined). */
function isOff(fallback: Node, module: PythonModule): boolean | undefined {
  if (isConstantTrue(fallback, module)) return false;
  return isConstantFalse(fallback, module) || stringValue(fallback, module) === '' ? true : undefined;
}
