import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/xpath-injection',
  title: 'XPath query built from untrusted data',
  cwe: 643,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['xml', 'xpath', 'lxml', 'XPATH', '"//', "'//"],
  description:
    "An XPath expression is built from request data (or from an agent tool's argument, which a language " +
    'model chose). Quotes and operators in it change the query: a user can select nodes they should not ' +
    'see, or make a login check always true.',
  fix:
    'Pass user values as XPath variables (`tree.xpath("//user[@name=$name]", name=value)`) instead of ' +
    'formatting them into the expression, or validate them against a strict pattern. Where the API takes ' +
    'no variables (Selenium, Playwright), quote the value as an XPath string literal that escapes its ' +
    'quotes (`concat()` when it holds both kinds).',
  example: {
    bad: 'tree.xpath("//user[@name=\'" + request.args["name"] + "\']")',
    good: 'tree.xpath("//user[@name=$name]", name=request.args["name"])',
  },
  taint: {
    concepts: ['xpath-query'],
    message: (hit) =>
      `${hit.sinkLabel} evaluates an XPath expression built from ${hit.sourceText}; quotes and operators in it change the query.`,
  },
});
