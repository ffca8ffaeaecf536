import { calleeLabel } from '../../helpers/calls.js';
import { unescapedParts, type MarkupCalls, type UnescapedPart } from '../../helpers/markup.js';
import { codeOf } from '../../helpers/messages.js';
import { isConstantish } from '../../helpers/constants.js';
import { fixedOrigin, fixedThroughCallers, OPERATOR_TRUST } from '../../helpers/origin.js';
import { filterParameterOf, insideTemplateFilter, templateArgument } from '../../helpers/template-filters.js';
import type { Node } from '../../../../parsing/parser.js';
import { evidenceOf } from '../../helpers/security.js';
import { describeSource, type TaintQuery, type TaintTrace } from '../../../../dataflow/index.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
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

/** The first part proven to come from a client's data, with its trace. */
function provenPart(
  parts: readonly UnescapedPart[],
  taint: TaintQuery,
): { part: UnescapedPart; trace: Extract<TaintTrace, { kind: 'tainted' }> } | undefined {
  for (const part of parts) {
    const trace = taint.trace(part.node, { cwe: 79 });
    if (trace.kind === 'tainted' && trace.sources.some((s) => !OPERATOR_TRUST.has(s.trust)))
      return { part, trace };
  }
  return undefined;
}

/** Where an unescaped part comes from, when no client's data is proven to reach it. */
type PartOrigin =
  | { kind: 'safe' }
  | { kind: 'filter'; filter: string; where?: string }
  | { kind: 'operator'; what: string }
  | { kind: 'unknown'; why: string };

function originOfPart(part: UnescapedPart, module: PythonModule, taint: TaintQuery): PartOrigin {
  const trace = taint.trace(part.node, { cwe: 79 });
  if (trace.kind === 'tainted')
    return { kind: 'operator', what: `operator input ${describeSource(trace.sources[0])}` };
  const input = filterParameterOf(part.node, module);
  if (input) {
    // What the project's templates pass it: literals their authors wrote are no page data.
    const given = templateArgument(input, module);
    const fallback = input.param.childForFieldName('value');
    const defaultIsConstant = !fallback || isConstantish(fallback, module);
    if ((given.kind === 'literal' || given.kind === 'uncalled') && defaultIsConstant) return { kind: 'safe' };
    return {
      kind: 'filter',
      filter: input.filter,
      where: given.kind === 'context' ? given.where : undefined,
    };
  }
  return fixedOrigin(fixedThroughCallers(part.node, module), module);
}

/** What the call does with the parts, for the message: "marks `x` as safe HTML". */
type Action = (parts: string, formatted: boolean) => string;

const MARKS: Action = (parts, formatted) =>
  formatted ? `marks HTML as safe after formatting ${parts} into it` : `marks ${parts} as safe HTML`;
const FORMATS: Action = (parts) =>
  `receives a format string built from ${parts} (only the later arguments are escaped)`;

/**
 * The finding for unescaped parts, by their origin: high with the flow when a client's data is
 * proven to reach one; medium for the inputs of a template filter or tag (page data the filter
 * must escape); low for an unknown origin; configuration only under `taint.operator-input: untrusted`.
 */
function finding(
  call: CallSite,
  parts: readonly UnescapedPart[],
  module: PythonModule,
  taint: TaintQuery,
  action: Action,
): ReportDescriptor | undefined {
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
  const origins = parts.map((part) => ({ part, origin: originOfPart(part, module, taint) }));
  const of = <K extends PartOrigin['kind']>(kind: K) =>
    origins.flatMap(({ part, origin }) =>
      origin.kind === kind ? [{ part, origin: origin as Extract<PartOrigin, { kind: K }> }] : [],
    );
  const inputs = of('filter');
  if (inputs.length) {
    const named = inputs.map((i) => i.part);
    const one = new Set(named.map((p) => codeOf(p.node, 40))).size === 1;
    const { filter, where } = inputs[0].origin;
    const passed = where ? ` (a template passes it a value of the page's context, at ${where})` : '';
    return {
      node: call.node,
      confidence: formatted ? 'medium' : 'low',
      confidenceReason: `${partList(named)} ${one ? 'is' : 'are'} read from the input of ${filter}${passed} and not escaped; the filter cannot know where the page data it is given comes from`,
      message: `${calleeLabel(call)} ${action(partList(named), formatted)} without escaping; ${one ? 'it is' : 'they are'} read from the input of ${filter}${passed}, page data whose origin a filter cannot know (Django asks filters to escape their input with \`conditional_escape\` before marking it safe), and markup in ${one ? 'it' : 'them'} reaches the page as is.`,
    };
  }
  const unknown = of('unknown');
  if (unknown.length) {
    const named = unknown.map((u) => u.part);
    const one = new Set(named.map((p) => codeOf(p.node, 40))).size === 1;
    const reason = `the origin is unknown: ${unknown[0].origin.why}`;
    return {
      node: call.node,
      severity: 'low',
      confidence: 'low',
      confidenceReason: reason,
      message: `${calleeLabel(call)} ${action(partList(named), formatted)} without escaping; ${reason}, and markup in ${one ? 'it' : 'them'} would reach the page as is.`,
    };
  }
  const operator = of('operator');
  if (!operator.length || taint.options.operatorInput !== 'untrusted') return undefined;
  const what = operator[0].origin.what;
  return {
    node: call.node,
    severity: 'low',
    confidence: 'medium',
    confidenceReason: `built from ${what}; reported because \`taint.operator-input\` is \`untrusted\` (the program runs with more privilege than whoever starts it)`,
    message: `${calleeLabel(call)} ${action(partList(operator.map((o) => o.part)), formatted)} without escaping; it comes from ${what}, and markup in it reaches the page as is.`,
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
    'string that was already interpolated with an f-string, `%` or `.format()`. Data proven to come from a ' +
    'request is reported with its path; the input of a template filter or tag is medium, since a filter ' +
    'cannot know where the page data it receives comes from and must escape it; configuration is reported ' +
    '(as low) only under `taint.operator-input: untrusted`; any other origin the analysis cannot see is low.',
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
      // The dataflow runs a filter registered by a call as a callback of the registration, with
      // values that are not the page data it receives: its constant and clean verdicts prove nothing.
      const inFilter = insideTemplateFilter(call.node, module);
      const safe = (node: Node): boolean => {
        if (evidenceOf(node, module, taint, 79) !== 'safe') return false;
        if (!inFilter || isConstantish(node, module)) return true;
        return !['constant', 'clean'].includes(taint.trace(node, { cwe: 79 }).kind);
      };
      if (MARK_SAFE.has(call.callee)) {
        const value = call.argument(0, 's', 'base');
        if (!value || safe(value)) continue;
        const evidence = evidenceOf(value, module, taint, 79);
        // A value proven to come from a request is python/xss's finding, with its path.
        if (evidence !== 'unknown' && evidence !== 'safe' && TRACED_BY_XSS.has(call.callee)) continue;
        const parts = unescapedParts(value, module, taint, MARKUP_CALLS, inFilter);
        if (!parts.length) continue;
        const found = finding(call, parts, module, taint, MARKS);
        if (found) report(found);
      } else if (FORMAT_HTML.has(call.callee)) {
        const format = call.argument(0, 'format_string');
        if (!format || safe(format)) continue;
        const parts = unescapedParts(format, module, taint, MARKUP_CALLS, inFilter).filter(
          (p) => p.formatted,
        );
        if (!parts.length) continue;
        const found = finding(call, parts, module, taint, FORMATS);
        if (found) report(found);
      }
    }
  },
});
