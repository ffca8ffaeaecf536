import { calleeLabel } from '../../helpers/calls.js';
import { isConstantish, stringValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { backtrackingIssues } from '../../semantic/regex.js';
import { defineRule } from '../../../../rules/rule.js';

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
    'almost matches. One request with a few dozen characters can then hold a worker for minutes (ReDoS).',
  fix: 'Rewrite the pattern so that each character can be matched in only one way (e.g. `(a+)+` → `a+`, `(.|\\s)*` → `[\\s\\S]*`), use possessive quantifiers or atomic groups (Python 3.11+), or limit the input length before matching.',
  example: {
    bad: 're.match(r"^(\\w+\\s?)*$", text)',
    good: 're.match(r"^\\w+(?:\\s\\w+)*\\s?$", text)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const m = /^(re|regex)\.(\w+)$/.exec(callee);
      if (!m || !(m[2] in SUBJECT)) continue;
      const patternNode = call.argument(0, 'pattern');
      const pattern = stringValue(patternNode, module);
      if (!patternNode || pattern === undefined) continue;
      const position = SUBJECT[m[2]];
      const subject = position >= 0 ? call.argument(position, 'string') : undefined;
      // A constant subject is not input.
      if (subject && isConstantish(subject, module)) continue;
      const verbose = /\b(re|regex)\.(X|VERBOSE)\b/.test(call.node.text);
      const issues = backtrackingIssues(pattern, verbose, m[2] === 'fullmatch');
      const issue = issues.find((i) => i.kind === 'exponential') ?? issues[0];
      if (!issue) continue;
      const use = subject
        ? `applies ${codeOf(patternNode, 50)} to non-constant \`${codeOf(subject, 40)}\``
        : `compiles ${codeOf(patternNode, 50)}`;
      report({
        node: call.node,
        severity: issue.kind === 'exponential' ? 'medium' : 'low',
        confidence: subject ? 'high' : 'medium',
        message: `${calleeLabel(call)} ${use}: ${issue.explanation}; a crafted input makes matching take ${issue.kind} time.`,
      });
    }
  },
});
