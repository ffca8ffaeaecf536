import { describeSource, type TaintQuery, type TraceOptions } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { calleeLabel } from '../../helpers/calls.js';
import { isConstantish } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { backtrackingIssues, type BacktrackingIssue } from '../../../../rules/regex.js';
import type { PythonModule } from '../../semantic/scope.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { lexerRules, loopPatterns } from './lexer-tables.js';
import { wildcardReplacements, type WildcardReplacement } from './glob-wildcards.js';
import { patternValue } from './pattern-value.js';
import { attributePatterns } from './attribute-patterns.js';

/** Functions of `re` (and the compatible `regex` package) and the position of the searched text. */
const SUBJECT: Record<string, number> = {
  compile: -1,
  search: 1,
  match: 1,
  fullmatch: 1,
  findall: 1,
  finditer: 1,
  split: 1,
  sub: 2,
  subn: 2,
};

/** Methods of a compiled pattern and the position of the searched text. */
const METHOD_SUBJECT: Record<string, number> = {
  search: 0,
  match: 0,
  fullmatch: 0,
  findall: 0,
  finditer: 0,
  split: 0,
  sub: 1,
  subn: 1,
};

type Report = (descriptor: ReportDescriptor) => void;

export default defineRule({
  id: 'python/regex-catastrophic-backtracking',
  title: 'Regular expression with catastrophic backtracking',
  cwe: 1333,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['re', 'regex'],
  description:
    "Python's `re` engine backtracks. A pattern in which the same text can be matched in many ways, such as nested " +
    'repetition `(a+)+`, overlapping alternatives under a repetition `(a|a)*`, or a repetition whose body can be ' +
    'absorbed by an inner `.*` `(.*a){12}`, takes exponential (or high-polynomial) time on a crafted input that ' +
    'almost matches. Two neighbouring repetitions that match the same characters (`\\s*.*\\s*=`) take quadratic ' +
    'time. One request with a few dozen characters (or, for quadratic patterns, a few hundred kilobytes) can then ' +
    'hold a worker for minutes (ReDoS).',
  fix: 'Rewrite the pattern so that each character can be matched in only one way (e.g. `(a+)+` → `a+`, `(.|\\s)*` → `[\\s\\S]*`, `\\s*.*\\s*=` → `\\s*[^\\s=]*\\s*=`), use possessive quantifiers or atomic groups (Python 3.11+), or limit the input length before matching.',
  example: {
    bad: 're.match(r"^(\\w+\\s?)*$", text)',
    good: 're.match(r"^\\w+(?:\\s\\w+)*\\s?$", text)',
  },
  // Quadratic patterns are medium only where the dataflow proves request data is matched.
  taint: { tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const m = /^(re|regex)\.(\w+)$/.exec(callee);
      if (!m || !(m[2] in SUBJECT)) continue;
      const patternNode = call.argument(0, 'pattern');
      if (!patternNode) continue;
      const position = SUBJECT[m[2]];
      const subject = position >= 0 ? call.argument(position, 'string') : undefined;
      // A constant subject is not input.
      if (subject && isConstantish(subject, module)) continue;
      const verbose = /\b(re|regex)\.(X|VERBOSE)\b/.test(call.node.text);
      const subjects = (): Node[] => (subject ? [subject] : compiledSubjects(call.node, module));
      const confidence = subject ? 'high' : 'medium';
      const pattern = patternValue(patternNode, module);
      if (pattern === undefined) {
        // for pattern, token in RULES: re.compile(pattern): each entry of the table is checked where it is written.
        for (const entry of loopPatterns(patternNode, module) ?? []) {
          const text = patternValue(entry, module);
          const issue = text === undefined ? undefined : worstIssue(backtrackingIssues(text, verbose, false));
          if (!issue) continue;
          const what = `${codeOf(entry, 50)}, given to ${calleeLabel(call)} at line ${call.node.startPosition.row + 1}`;
          emit(report, taint, entry, issue, what, subjects, confidence);
        }
        continue;
      }
      const issue = worstIssue(backtrackingIssues(pattern, verbose, m[2] === 'fullmatch'));
      if (!issue) continue;
      const use = subject
        ? `applies ${codeOf(patternNode, 50)} to non-constant \`${codeOf(subject, 40)}\``
        : `compiles ${codeOf(patternNode, 50)}`;
      emit(report, taint, call.node, issue, `${calleeLabel(call)} ${use}`, subjects, confidence);
    }
    for (const w of wildcardReplacements(module)) reportWildcards(report, taint, w);
    for (const rule of lexerRules(module)) {
      const issue = worstIssue(backtrackingIssues(rule.pattern, rule.verbose, false));
      if (!issue) continue;
      emit(report, taint, rule.node, issue, `lexer rule ${codeOf(rule.node, 50)}`, () => [], 'medium');
    }
    const reported = (pattern: string): boolean =>
      !!worstIssue(backtrackingIssues(pattern, false, false)) ||
      !!worstIssue(backtrackingIssues(pattern, true, false));
    for (const attr of attributePatterns(module, reported)) {
      const issue = worstIssue(backtrackingIssues(attr.pattern, attr.verbose, false));
      if (issue) emit(report, taint, attr.node, issue, attr.what, () => [], 'medium');
    }
  },
});

/**
 * A glob turned into a pattern one wildcard at a time: the glob's author picks how many neighbouring
 * repetitions of any character the pattern has, and each one multiplies the ways to split the text.
 */
function reportWildcards(report: Report, taint: TaintQuery, w: WildcardReplacement): void {
  const glob = codeOf(w.escaped, 40);
  const what =
    `\`${codeOf(w.node, 60)}\` turns each \`*\` of the escaped \`${glob}\` into \`${w.replacement}\`: ` +
    `a glob with a run of wildcards (\`a*****b\`) becomes as many neighbouring \`${w.replacement}\` repetitions, ` +
    'which split the same text in a number of ways that grows as its length to the power of their count';
  const fix = ' (collapse each run of wildcards to one first)';
  const hit = taint.trace(w.escaped, { trust: ['user'] });
  if (hit.kind === 'tainted') {
    const source = describeSource(hit.sources[0]);
    report({
      node: w.node,
      severity: 'medium',
      confidence: 'high',
      confidenceReason: `the glob comes from ${source}`,
      message: `${what}; a glob from ${source} makes matching take exponential time${fix}.`,
      flow: taint.flowTo(hit, w.node, 'escaped and turned into a pattern'),
    });
    return;
  }
  report({
    node: w.node,
    severity: 'low',
    confidence: 'medium',
    message: `${what}; where users write the glob, matching takes exponential time${fix}.`,
  });
}

/** The largest length bound that keeps polynomial matching cheap (a million steps when quadratic). */
const SMALL_LENGTH = 1000;

/**
 * Whether the function compares the subject's length with a small constant before the match
 * (`if len(text) < 1000 and re.search(p, text)`, `if len(text) > 512: raise ...`).
 */
function lengthBounded(subject: Node, at: Node): boolean {
  const fn = enclosingFunction(at);
  if (!fn || subject.type !== 'identifier') return false;
  const bound = new RegExp(`^len\\(\\s*${subject.text}\\s*\\)\\s*(<|<=|>|>=)\\s*(\\d+)$`);
  return fn.descendantsOfType('comparison_operator').some((c) => {
    const m = c.startIndex < at.startIndex ? bound.exec(c.text) : null;
    return !!m && Number(m[2]) <= SMALL_LENGTH;
  });
}

function worstIssue(issues: BacktrackingIssue[]): BacktrackingIssue | undefined {
  return issues.find((i) => i.kind === 'exponential') ?? issues[0];
}

function emit(
  report: Report,
  taint: TaintQuery,
  node: Node,
  issue: BacktrackingIssue,
  what: string,
  subjects: () => Node[],
  confidence: 'high' | 'medium',
): void {
  const exponential = issue.kind === 'exponential';
  const time = exponential ? 'exponential' : 'polynomial (quadratic or worse)';
  // A quadratic pattern needs a long input: it matters where a request can supply one, and not
  // where the function has checked the text's length against a small bound first.
  const traced = (options: TraceOptions) =>
    exponential
      ? undefined
      : subjects()
          .filter((s) => !lengthBounded(s, node))
          .map((s) => taint.trace(s, options))
          .find((t) => t.kind === 'tainted');
  // Header values hold no line break (the server split the request at them; their sanitizer marks
  // say so for CWE-93): where only a line break can make the match backtrack, they cannot.
  const hit = traced(issue.needsLineBreak ? { trust: ['user'], cwe: 93 } : { trust: ['user'] });
  if (hit?.kind === 'tainted') {
    const source = describeSource(hit.sources[0]);
    report({
      node,
      severity: 'medium',
      confidence,
      confidenceReason: `the matched text comes from ${source}`,
      message: `${what}: ${issue.explanation}; matching ${source} takes ${time} time on a crafted input.`,
      flow: taint.flowTo(hit, node, 'matched by the pattern'),
    });
    return;
  }
  const oneLine = issue.needsLineBreak ? traced({ trust: ['user'] }) : undefined;
  if (oneLine?.kind === 'tainted') {
    report({
      node,
      severity: 'low',
      confidence,
      message: `${what}: ${issue.explanation}, but only a line break makes the match go back over them, and the matched ${describeSource(oneLine.sources[0])} holds none (a header value, or a line of text split at its line breaks); it matters only for text that can.`,
    });
    return;
  }
  report({
    node,
    severity: exponential ? 'medium' : 'low',
    confidence,
    message: `${what}: ${issue.explanation}; a crafted input makes matching take ${time} time.`,
  });
}

/**
 * The texts a compiled pattern is applied to in this module: `NAME = re.compile(...)` (a module
 * constant or a class attribute) and then `NAME.search(text)`, `self.NAME.match(text)`.
 */
function compiledSubjects(compile: Node, module: PythonModule): Node[] {
  const assignment = compile.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== compile.id)
    return [];
  const target = assignment.childForFieldName('left');
  const name =
    target?.type === 'identifier'
      ? target.text
      : target?.type === 'attribute'
        ? target.childForFieldName('attribute')?.text
        : undefined;
  if (!name) return [];
  const out: Node[] = [];
  for (const call of module.calls) {
    const fn = call.node.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const object = fn.childForFieldName('object');
    if (!(method in METHOD_SUBJECT) || !object) continue;
    const own =
      object.type === 'identifier'
        ? object.text === name
        : object.type === 'attribute' && object.childForFieldName('attribute')?.text === name;
    if (!own) continue;
    const s = call.argument(METHOD_SUBJECT[method], 'string');
    if (s) out.push(s);
  }
  return out;
}
