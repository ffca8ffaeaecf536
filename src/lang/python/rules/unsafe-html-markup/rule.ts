import { calleeLabel } from '../../helpers/calls.js';
import { resolveValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { evidenceOf } from '../../helpers/security.js';
import { isBuiltString } from '../../helpers/strings.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';
import { checkedSinks } from '../../models/select.js';

/** The models' calls that mark HTML safe, those traced by python/xss and the others. */
const MARKUP = [...checkedSinks('safe-html', 'all')];
/** Calls that mark their argument as safe HTML, so templates no longer escape it. */
const MARK_SAFE = new Set(MARKUP.flatMap(([callee, sink]) => (sink.escapesArguments ? [] : [callee])));
/** Calls that escape the arguments they format in, but not the format string. */
const FORMAT_HTML = new Set(MARKUP.flatMap(([callee, sink]) => (sink.escapesArguments ? [callee] : [])));

/** Calls whose result is escaped or sanitized HTML. */
const ESCAPING = new Set([
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'django.utils.html.format_html_join',
  'django.utils.html.json_script',
  'django.utils.html.strip_tags',
  'django.template.loader.render_to_string',
  'django.shortcuts.render_to_string',
  'html.escape',
  'markupsafe.escape',
  'flask.escape',
  'flask.render_template',
  'jinja2.escape',
  'bleach.clean',
  'bleach.linkify',
  'nh3.clean',
]);

function isEscaped(written: Node, module: PythonModule): boolean {
  const node = resolveValue(written, module);
  if (node.type !== 'call') return false;
  const q = module.qualifiedName(node.childForFieldName('function') ?? node);
  return q !== undefined && (ESCAPING.has(q) || /\.escape$/.test(q));
}

export default defineRule({
  id: 'python/unsafe-html-markup',
  title: 'Non-constant HTML marked safe, bypassing auto-escaping',
  cwe: 79,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['mark_safe', 'Safe', 'Markup', 'format_html'],
  description:
    "Django's `mark_safe()`/`SafeString` and MarkupSafe's `Markup()` tell the template engine that a string is " +
    'already HTML, so auto-escaping skips it. When that string is built from variables, any markup in them ' +
    'reaches the page as is (cross-site scripting). `format_html()` escapes its arguments, but not a format ' +
    'string that was already interpolated with an f-string, `%` or `.format()`.',
  fix: 'Build the HTML with `format_html("<b>{}</b>", value)` (Django) or `Markup("<b>{}</b>").format(value)` (MarkupSafe), which escape every argument, or escape the variable parts first.',
  example: {
    bad: 'return mark_safe(f"<b>{user.name}</b>")',
    good: 'return format_html("<b>{}</b>", user.name)',
  },
  // Queries the project's dataflow only to leave values proven to come from a request to python/xss.
  taint: { tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      if (!call.callee) continue;
      if (MARK_SAFE.has(call.callee)) {
        const value = call.argument(0, 's', 'base');
        if (!value || isEscaped(value, module)) continue;
        const e = evidenceOf(value, module, taint, 79);
        if (e === 'safe') continue;
        // A value proven to come from a request is python/xss's finding, with its path.
        if (e !== 'unknown') continue;
        const built = isBuiltString(value);
        report({
          node: call.node,
          message: `${calleeLabel(call)} marks non-constant \`${codeOf(value)}\` as safe HTML${built ? ' after formatting variables into it' : ''}; markup in it is not escaped.`,
        });
      } else if (FORMAT_HTML.has(call.callee)) {
        const format = call.argument(0, 'format_string');
        if (!format || !isBuiltString(format) || evidenceOf(format, module, taint, 79) === 'safe') continue;
        report({
          node: call.node,
          message: `${calleeLabel(call)} receives a format string already built from variables (\`${codeOf(format)}\`); only the later arguments are escaped.`,
        });
      }
    }
  },
});
