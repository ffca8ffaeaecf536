import { calleeLabel } from '../../helpers/calls.js';
import { unescapedParts, type MarkupCalls, type UnescapedPart } from '../../helpers/markup.js';
import { codeOf } from '../../helpers/messages.js';
import { evidenceOf } from '../../helpers/security.js';
import { describeSource, type TaintQuery, type TaintTrace } from '../../../../dataflow/index.js';
import type { CallSite } from '../../semantic/scope.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { checkedSinks } from '../../models/select.js';

/** The models' calls that mark HTML safe, those traced by python/xss and the others. */
const MARKUP = [...checkedSinks('safe-html', 'all')];
/** Calls that mark their argument as safe HTML, so templates no longer escape it. */
const MARK_SAFE = new Set(MARKUP.flatMap(([callee, sink]) => (sink.escapesArguments ? [] : [callee])));
/** Calls that escape the arguments they format in, but not the format string. */
const FORMAT_HTML = new Set(MARKUP.flatMap(([callee, sink]) => (sink.escapesArguments ? [callee] : [])));
/** Those python/xss traces: a value proven to come from a request there is its finding. */
const TRACED_BY_XSS = new Set(checkedSinks('safe-html').keys());
/** Markup built by these calls is judged at their own call, once. */
const MARKUP_CALLS: MarkupCalls = {
  safe: new Set([...MARK_SAFE, ...FORMAT_HTML]),
  escapesFormatting: new Set(MARKUP.flatMap(([callee, sink]) => (sink.escapesFormatting ? [callee] : []))),
};

/** "`a`", "`a` and `b`", "`a`, `b` and 2 more" */
function partList(parts: readonly UnescapedPart[]): string {
  const names = [...new Set(parts.map((p) => `\`${codeOf(p.node, 40)}\``))];
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more`;
}

/** The first part proven to come from a source, with its trace. */
function provenPart(
  parts: readonly UnescapedPart[],
  taint: TaintQuery,
): { part: UnescapedPart; trace: Extract<TaintTrace, { kind: 'tainted' }> } | undefined {
  for (const part of parts) {
    const trace = taint.trace(part.node, { cwe: 79 });
    if (trace.kind === 'tainted') return { part, trace };
  }
  return undefined;
}

/** What the call does with the parts, for the message: "marks `x` as safe HTML". */
type Action = (parts: string, formatted: boolean) => string;

const MARKS: Action = (parts, formatted) =>
  formatted ? `marks HTML as safe after formatting ${parts} into it` : `marks ${parts} as safe HTML`;
const FORMATS: Action = (parts) =>
  `receives a format string built from ${parts} (only the later arguments are escaped)`;

/**
 * The finding for unescaped parts: high with the flow when one is proven to come from a source,
 * else lower, saying the origin is unknown (medium when the data is formatted into markup).
 */
function finding(
  call: CallSite,
  parts: readonly UnescapedPart[],
  taint: TaintQuery,
  action: Action,
): ReportDescriptor {
  const formatted = parts.some((p) => p.formatted);
  const proven = provenPart(parts, taint);
  if (proven) {
    const what = `\`${codeOf(proven.part.node, 40)}\``;
    return {
      node: call.node,
      confidence: 'high',
      message: `${calleeLabel(call)} ${action(what, formatted)} without escaping it; it comes from ${describeSource(proven.trace.sources[0])}, and markup in it runs in the browser.`,
      flow: taint.flowTo(proven.trace, call.node, 'marked as safe HTML'),
      sources: proven.trace.sources,
    };
  }
  const one = new Set(parts.map((p) => codeOf(p.node, 40))).size === 1;
  return {
    node: call.node,
    confidence: formatted ? 'medium' : 'low',
    confidenceReason: `origin unknown: ${partList(parts)} ${one ? 'is' : 'are'} neither constant nor escaped, and no source is proven to reach ${one ? 'it' : 'them'}${formatted ? '' : '; marked safe as is, as a wrapper of markup does'}`,
    message: `${calleeLabel(call)} ${action(partList(parts), formatted)} without escaping; where ${one ? 'it comes' : 'they come'} from is unknown (no source or caller in the project shows it), and markup in ${one ? 'it' : 'them'} would reach the page as is.`,
  };
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
        if (!value) continue;
        const evidence = evidenceOf(value, module, taint, 79);
        if (evidence === 'safe') continue;
        // A value proven to come from a request is python/xss's finding, with its path.
        if (evidence !== 'unknown' && TRACED_BY_XSS.has(call.callee)) continue;
        const parts = unescapedParts(value, module, taint, MARKUP_CALLS);
        if (!parts.length) continue;
        report(finding(call, parts, taint, MARKS));
      } else if (FORMAT_HTML.has(call.callee)) {
        const format = call.argument(0, 'format_string');
        if (!format || evidenceOf(format, module, taint, 79) === 'safe') continue;
        const parts = unescapedParts(format, module, taint, MARKUP_CALLS).filter((p) => p.formatted);
        if (!parts.length) continue;
        report(finding(call, parts, taint, FORMATS));
      }
    }
  },
});
