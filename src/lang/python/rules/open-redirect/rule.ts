import type { TaintSinkSpec } from '../../models/concepts.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { redirectStaysOnSite, weakUrlCheck } from '../../helpers/url-prefix.js';
import { CHECK_CALLS, CHECK_FUNCTIONS, checkedArgument } from '../../models/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule, provenFlowReason } from '../../../../rules/rule.js';
import type { TaintHit } from '../../../../dataflow/sinks.js';

/** The target starts with a path, query or host that keeps the redirect on the site. */
function staysOnSite(call: CallSite, module: PythonModule, sink: TaintSinkSpec): boolean {
  const target = call.argument(sink.args?.[0] ?? 0, ...(sink.keywords ?? []));
  return !!target && (redirectStaysOnSite(target, module) || checkedByEnclosingIf(target, call.node, module));
}

/** The call is true whenever the condition is: it is the condition, or a part of an `and` of it. */
function holdsWhenTrue(call: Node, condition: Node | null): boolean {
  let n: Node = call;
  while (n.id !== condition?.id) {
    const up = n.parent;
    if (!up) return false;
    const and = up.type === 'boolean_operator' && up.childForFieldName('operator')?.text === 'and';
    if (!and && up.type !== 'parenthesized_expression') return false;
    n = up;
  }
  return true;
}

/**
 * `if is_safe_url(request.args.get("next")): return redirect(request.args.get("next"))`: the same
 * expression (a read of the request, not a name the dataflow follows) passed a redirect check in
 * the condition of an `if` the redirect is in.
 */
function checkedByEnclosingIf(target: Node, at: Node, module: PythonModule): boolean {
  if (target.type === 'identifier') return false;
  const text = target.text.replace(/\s+/g, '');
  for (let n: Node | null = at; n; n = n.parent) {
    const branch = n.parent;
    if (branch?.type !== 'if_statement' || branch.childForFieldName('consequence')?.id !== n.id) continue;
    const condition = branch.childForFieldName('condition');
    for (const check of condition?.descendantsOfType('call') ?? []) {
      const fn = check?.childForFieldName('function');
      if (!check || !fn || !holdsWhenTrue(check, condition)) continue;
      const q = module.qualifiedName(fn);
      const shortName = fn.text.split('.').pop() ?? '';
      const byName = CHECK_FUNCTIONS.get(shortName);
      const at = byName?.arg ?? (q ? CHECK_CALLS.get(q) : undefined);
      const arg = at !== undefined ? checkedArgument(check, at, byName ? shortName : (q ?? '')) : undefined;
      if (arg && arg.text.replace(/\s+/g, '') === text) return true;
    }
  }
  return false;
}

/**
 * The Referer header: a browser sends the page the user came from, which an attacker picks only by
 * linking to the site (or by a client other than a browser, which redirects no one).
 */
const REFERER = /referr?er/i;

function fromReferer(hit: TaintHit): boolean {
  return REFERER.test(hit.trace.sources[0]?.label ?? '');
}

/** `: the check ... does not reject ...` when the flow passed a check of the parsed host only. */
function weakCheckText(hit: TaintHit): string {
  const weak = weakUrlCheck(hit.flow.map((s) => s.note));
  return weak ? ` (${weak})` : '';
}

export default defineRule({
  id: 'python/open-redirect',
  title: 'Redirect to a URL taken from the request',
  cwe: 601,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['redirect', 'Redirect'],
  description:
    'The application redirects to a URL that comes from the request (a `next` or `url` parameter). An ' +
    'attacker sends links to the trusted site that forward victims to a phishing page.',
  fix:
    'Redirect only to paths of the application: build the URL with url_for/reverse, or check the target ' +
    'with django.utils.http.url_has_allowed_host_and_scheme (or an allow-list) before redirecting.',
  example: {
    bad: 'return redirect(request.args.get("next"))',
    good: 'return redirect(url_for("index"))',
  },
  taint: {
    concepts: ['redirect'],
    skip: staysOnSite,
    skipReadsArgument: true,
    message: (hit) =>
      fromReferer(hit)
        ? `${hit.sinkLabel} redirects to the Referer header ${hit.sourceText}; a link from another site makes it send users back to that site.`
        : `${hit.sinkLabel} redirects to a URL taken from ${hit.sourceText}; a crafted link sends users to any site${weakCheckText(hit)}.`,
    // At worst it sends users back to the page that linked to the site: not worth a medium defect.
    severity: (hit) => (fromReferer(hit) ? 'low' : undefined),
    confidence: (hit) => (fromReferer(hit) ? 'low' : 'high'),
    confidenceReason: (hit) =>
      fromReferer(hit)
        ? `proven flow from the Referer header ${hit.sourceText}, which a browser sets to the page the user came from`
        : provenFlowReason(hit.flow),
  },
});
