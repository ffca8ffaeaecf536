import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { jsBacktrackingIssues, type BacktrackingIssue } from '../../../../rules/regex.js';
import { defineRule } from '../../../../rules/rule.js';
import { OWN_FILE_READS } from '../../models/library.js';
import type { JsModule } from '../../semantic/model.js';
import { unwrap } from '../../semantic/scope.js';

/** Methods of a pattern that match the text given as their first argument. */
const PATTERN_METHODS = new Set(['test', 'exec']);
/** Methods of text that take a pattern as their first argument. */
const TEXT_METHODS = new Set(['match', 'matchAll', 'replace', 'replaceAll', 'search', 'split']);

interface Pattern {
  node: Node;
  source: string;
  flags: string;
}

/** A regex literal or `new RegExp('constant', 'flags')`, looked through a name bound once to one. */
function patternOf(node: Node, module: JsModule): Pattern | undefined {
  let n = unwrap(node);
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    if (!value) return undefined;
    n = unwrap(value);
  }
  if (n.type === 'regex')
    return {
      node: n,
      source: n.childForFieldName('pattern')?.text ?? '',
      flags: n.childForFieldName('flags')?.text ?? '',
    };
  if (n.type !== 'new_expression' && n.type !== 'call_expression') return undefined;
  const callee = n.childForFieldName('constructor') ?? n.childForFieldName('function');
  if (callee?.text !== 'RegExp' || module.bindingsOf(callee)) return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren ?? [];
  const text = args[0] && module.constantString(args[0]);
  if (text === undefined) return undefined;
  const flags = args[1] ? module.constantString(args[1]) : '';
  if (flags === undefined) return undefined;
  return { node: n, source: text.replace(/\//g, '\\/'), flags };
}

/** `Assets.getText` of a global `Assets` (one the module does not bind), else undefined. */
function globalMember(fn: Node, module: JsModule): string | undefined {
  const object = fn.type === 'member_expression' ? fn.childForFieldName('object') : null;
  if (object?.type !== 'identifier' || module.bindingsOf(object)) return undefined;
  return fn.text;
}

/**
 * Whether the text is a file the application ships, read by a constant path (`OWN_FILE_READS`),
 * directly or through a name bound once to the read (`const css = Assets.getText('theme.css')`).
 */
function ownFileText(node: Node, module: JsModule): boolean {
  let n = unwrap(node);
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    if (!value) return false;
    n = unwrap(value);
  }
  if (n.type === 'await_expression' && n.namedChildren[0]) n = unwrap(n.namedChildren[0]);
  if (n.type !== 'call_expression') return false;
  const fn = n.childForFieldName('function');
  if (!fn || !OWN_FILE_READS.has(module.qualifiedName(fn) ?? globalMember(fn, module) ?? '')) return false;
  const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
  return args.length > 0 && args.every((a) => module.constantString(a) !== undefined);
}

function worst(issues: BacktrackingIssue[]): BacktrackingIssue | undefined {
  return issues.find((i) => i.kind === 'exponential') ?? issues[0];
}

export default defineRule({
  id: 'javascript/regex-catastrophic-backtracking',
  title: 'Regular expression with catastrophic backtracking',
  cwe: 1333,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['test', 'exec', 'match', 'replace', 'search', 'split'],
  description:
    "JavaScript's regular-expression engine backtracks, and Node runs it on the one thread that serves " +
    'every request. A pattern in which the same text can be matched in many ways, such as nested ' +
    'repetition `(a+)+`, overlapping alternatives under a repetition `(a|a)*`, or a repetition whose body an ' +
    'inner `.*` can absorb, takes exponential time on a crafted input that almost matches; two neighbouring ' +
    'repetitions of the same characters (`\\s*.*\\s*=`) take quadratic time. Reported where the pattern (a ' +
    "literal, or `new RegExp('constant')`) is applied to non-constant text: `re.test(x)`, `re.exec(x)`, " +
    '`x.match(re)`, `x.replace(re, ...)`, `x.split(re)`, `x.search(re)`; not to a file the application ships, read by ' +
    "a constant path (Meteor's `Assets.getText('theme.css')`). Quadratic patterns are medium only " +
    'where request data is proven to be the text, low otherwise.',
  fix: 'Rewrite the pattern so that each character can be matched in only one way (`(a+)+` → `a+`, `(.|\\s)*` → `[\\s\\S]*`), or limit the length of the input before matching.',
  example: { bad: '/^(\\w+\\s?)*$/.test(name)', good: '/^\\w+(?:\\s\\w+)*\\s?$/.test(name)' },
  taint: {},
  check({ module, taint, report }) {
    const reported = new Set<number>();
    for (const call of module.calls) {
      const method = call.methodName;
      const receiver = call.receiver;
      if (!method || !receiver) continue;
      let patternNode: Node | undefined;
      let subject: Node | undefined;
      if (PATTERN_METHODS.has(method)) {
        patternNode = receiver;
        subject = call.args[0];
      } else if (TEXT_METHODS.has(method)) {
        patternNode = call.args[0];
        subject = receiver;
      }
      if (!patternNode || !subject) continue;
      const pattern = patternOf(patternNode, module);
      if (!pattern) continue;
      // A constant text is not input, nor a file the application ships.
      if (unwrap(subject).type === 'string' || module.constantString(subject) !== undefined) continue;
      if (ownFileText(subject, module)) continue;
      const issue = worst(jsBacktrackingIssues(pattern.source, pattern.flags));
      if (!issue) continue;
      const exponential = issue.kind === 'exponential';
      const trace: TaintTrace = taint.trace(subject, { trust: ['user', 'admin'] });
      if (reported.has(pattern.node.id) && trace.kind !== 'tainted') continue;
      reported.add(pattern.node.id);
      const time = exponential ? 'exponential' : 'polynomial (quadratic or worse)';
      const use = `\`${codeOf(call.node, 60)}\` applies \`${codeOf(pattern.node, 50)}\` to \`${codeOf(subject, 40)}\``;
      if (trace.kind === 'tainted') {
        const source = describeSource(trace.sources[0]);
        report({
          node: call.node,
          severity: 'medium',
          confidenceReason: `the matched text comes from ${source}`,
          message: `${use}: ${issue.explanation}; matching ${source} takes ${time} time on a crafted input and blocks the event loop.`,
          flow: taint.flowTo(trace, call.node, 'matched by the pattern'),
          sources: trace.sources,
        });
        continue;
      }
      report({
        node: call.node,
        severity: exponential ? 'medium' : 'low',
        message: `${use}: ${issue.explanation}; a crafted input makes matching take ${time} time and blocks the event loop.`,
      });
    }
  },
});
