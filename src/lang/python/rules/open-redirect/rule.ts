import type { TaintSinkSpec } from '../../models/concepts.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { redirectStaysOnSite, weakUrlCheck } from '../../helpers/url-prefix.js';
import { CHECK_CALLS, CHECK_FUNCTIONS, URL_PARSERS, checkedArgument } from '../../models/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule, provenFlowReason } from '../../../../rules/rule.js';
import type { TaintHit } from '../../../../dataflow/sinks.js';

/** The target starts with a path, query or host that keeps the redirect on the site. */
function staysOnSite(call: CallSite, module: PythonModule, sink: TaintSinkSpec): boolean {
  const target = call.argument(sink.args?.[0] ?? 0, ...(sink.keywords ?? []));
  return (
    !!target &&
    (redirectStaysOnSite(target, module) ||
      checkedByEnclosingIf(target, call.node, module) ||
      fallsBackUnlessAllowed(target, call.node, module))
  );
}

/** The nodes of these types under `n`, without the nulls of the tree's lists. */
function under(n: Node, type: string): Node[] {
  return n.descendantsOfType(type).filter((x): x is Node => !!x);
}

/**
 * `if not allow: url = default` before `self.redirect(url)`, where `allow` was set from what
 * `urlparse(url)` found (its origin compared with the configured one, matched against a configured
 * pattern): the function falls back to a target of its own unless the parsed URL passed its check.
 * The dataflow follows no such flag; a check of the parsed host that it does follow (`if
 * parsed.netloc: url = "/"`) is judged as it is, weak or not.
 */
function fallsBackUnlessAllowed(target: Node, at: Node, module: PythonModule): boolean {
  SCHEME_BLIND.delete(nodeKey(at));
  if (target.type !== 'identifier') return false;
  let def: Node | null = at.parent;
  while (def && def.type !== 'function_definition') def = def.parent;
  if (!def) return false;
  const name = target.text;
  const assigns = under(def, 'assignment').flatMap((a) => {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    return left?.type === 'identifier' && right ? [{ left: left.text, right }] : [];
  });
  const mentions = (n: Node, names: ReadonlySet<string>): boolean =>
    (n.type === 'identifier' && names.has(n.text)) || under(n, 'identifier').some((i) => names.has(i.text));
  // `parsed = urlparse(url)`, then names computed from it (`origin = f"{parsed.scheme}://{parsed.netloc}"`).
  const derived = new Set<string>();
  for (const { left, right } of assigns) {
    const fn = right.type === 'call' ? right.childForFieldName('function') : null;
    const q = fn ? module.qualifiedName(fn) : undefined;
    const arg = right.childForFieldName('arguments')?.namedChildren[0];
    if (q && URL_PARSERS.has(q) && arg?.type === 'identifier' && arg.text === name) derived.add(left);
  }
  if (!derived.size) return false;
  const parsed = new Set(derived);
  for (const { left, right } of assigns) if (left !== name && mentions(right, derived)) derived.add(left);
  for (const s of under(def, 'if_statement')) {
    const condition = s.childForFieldName('condition');
    const flag = condition?.type === 'not_operator' ? condition.childForFieldName('argument') : null;
    if (flag?.type !== 'identifier' || !derived.has(flag.text) || s.endIndex > at.startIndex) continue;
    const body = s.childForFieldName('consequence');
    const fallsBack = under(body ?? s, 'assignment').some((a) => {
      const right = a.childForFieldName('right');
      return a.childForFieldName('left')?.text === name && !!right && !mentions(right, new Set([name]));
    });
    if (!fallsBack) continue;
    const blind = schemeBlindCheck(def, at, parsed, name);
    if (!blind) return true;
    SCHEME_BLIND.set(nodeKey(at), blind);
    return false;
  }
  return false;
}

/**
 * What the redirect's message says of a check that lets `scheme:///host` through, by call node id
 * (set when the rule's skip test looks at the call, read by its message), keyed by nodeKey.
 */
const SCHEME_BLIND = new Map<string, { check: Node; text: string }>();

function nodeKey(n: Node): string {
  return `${n.id}:${n.startIndex}:${n.text}`;
}

/** The parts of a condition: the nodes under an `if` condition, or in a boolean test. */
function inCondition(n: Node, def: Node): boolean {
  for (let up = n.parent; up && up.id !== def.id; up = up.parent) {
    if (up.type === 'boolean_operator' || up.type === 'not_operator' || up.type === 'comparison_operator')
      return true;
    if (up.parent?.type === 'if_statement' && up.parent.childForFieldName('condition')?.id === up.id)
      return true;
    if (up.type === 'assignment' || up.type === 'string' || up.type === 'call') return false;
  }
  return false;
}

/**
 * A test that takes the target for a path of the site when `urlparse` finds no host in it (`if
 * parsed.netloc or not parsed.path.startswith(base): ...fall back...`), without testing the
 * scheme `urlparse` found or the target's own first character: `https:///evil.example` parses as
 * scheme `https`, no host and path `/evil.example`, and a browser goes to evil.example. Returns the
 * explanation, or undefined when the function tests the scheme, handles the `:`, checks that the
 * target starts with `/`, or uses a library check.
 */
function schemeBlindCheck(
  def: Node,
  at: Node,
  parsed: ReadonlySet<string>,
  name: string,
): { check: Node; text: string } | undefined {
  const before = (n: Node): boolean => n.endIndex <= at.startIndex;
  const tests = (part: string): Node[] =>
    under(def, 'attribute').filter(
      (a) =>
        before(a) &&
        a.childForFieldName('attribute')?.text === part &&
        parsed.has(a.childForFieldName('object')?.text ?? '') &&
        inCondition(a, def),
    );
  const netloc = tests('netloc')[0];
  if (!netloc || tests('scheme').length > 0) return undefined;
  const text = def.text;
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const handled = new RegExp(
    `["']:["']\\s+(?:not\\s+)?in\\s+${n}\\b|\\b${n}\\.(?:partition|rpartition|split|rsplit|find|index|count)\\(\\s*["']:|` +
      `\\b${n}\\.startswith\\(\\s*["']/|\\b${n}\\[0\\]|url_has_allowed_host_and_scheme|is_safe_url|\\bre\\.\\w+\\(\\s*[^,]*,\\s*${n}\\b`,
  );
  if (handled.test(text)) return undefined;
  let check = netloc;
  while (check.parent && check.parent.type !== 'if_statement') check = check.parent;
  return {
    check,
    text:
      `the check before it keeps the URL when \`urlparse\` finds no host in it (\`${netloc.text}\`, line ${netloc.startPosition.row + 1}) ` +
      `and never tests the scheme: \`https:///evil.example\` parses as scheme \`https\` with no host and path \`/evil.example\`, ` +
      'and a browser goes to evil.example',
  };
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
    // A check that lets `https:///evil.example` through is reported where it is written.
    node: (hit) => SCHEME_BLIND.get(nodeKey(hit.node))?.check,
    skip: staysOnSite,
    skipReadsArgument: true,
    message: (hit) =>
      fromReferer(hit)
        ? `${hit.sinkLabel} redirects to the Referer header ${hit.sourceText}; a link from another site makes it send users back to that site.`
        : SCHEME_BLIND.has(nodeKey(hit.node))
          ? `${hit.sinkLabel} (line ${hit.node.startPosition.row + 1}) redirects to a URL taken from ${hit.sourceText}; ${SCHEME_BLIND.get(nodeKey(hit.node))?.text}.`
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
