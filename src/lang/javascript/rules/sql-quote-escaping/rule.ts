import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import type { JsModule } from '../../semantic/model.js';
import { unwrap } from '../../semantic/scope.js';

/** Text that names SQL: a statement keyword written in capitals, or the word itself. */
const SQL_MODULE = /\b(SELECT|INSERT|UPDATE|DELETE|WHERE)\b|sql/i;

/** A negated class that leaves out `'` (or a look-behind that refuses one) just before a `'`. */
const RUN_SKIPPING = /(\[\^[^\]]*'[^\]]*\]\)?|\(\?<!')'/;

/** The replacement puts two quotes where the pattern matched one (`''`, `$1''`, `$&'`). */
function doubles(replacement: string): boolean {
  return replacement.replace(/\$\d+/g, '').includes("''") || /\$&'|'\$&/.test(replacement);
}

/** A regex's source matches a `'` somewhere (not only inside a class that excludes it). */
function matchesQuote(source: string): boolean {
  return source.replace(/\[\^[^\]]*\]/g, '').includes("'");
}

/** Why this replacement leaves quotes undoubled, or nothing when it doubles them all. */
function flaw(pattern: Node, replacement: string, module: JsModule): string | undefined {
  if (!doubles(replacement)) return undefined;
  const p = unwrap(pattern);
  if (p.type === 'regex') {
    const source = p.childForFieldName('pattern')?.text ?? '';
    const flags = p.childForFieldName('flags')?.text ?? '';
    if (!matchesQuote(source)) return undefined;
    if (!flags.includes('g')) {
      // Anchored, it can only match once anyway (`/^'/` fixes the first character on purpose).
      if (source.startsWith('^') || /(^|[^\\])\$$/.test(source)) return undefined;
      return 'the regex has no `g` flag, so only the first quote is doubled';
    }
    if (RUN_SKIPPING.test(source))
      return "the pattern needs a character other than `'` before each quote, so in a run of quotes (`''`) every second one stays single";
    return undefined;
  }
  const text = module.constantString(p);
  if (text === "'") return 'a string pattern replaces only its first occurrence';
  return undefined;
}

export default defineRule({
  id: 'javascript/sql-quote-escaping',
  title: 'SQL quotes doubled only in part',
  cwe: 89,
  severity: 'high',
  confidence: 'medium',
  confidenceReason: 'matched in the code as written; the escaped text is not followed to a query',
  languages: ['javascript'],
  requires: ["''"],
  description:
    "Code that escapes text for a SQL string literal by doubling single quotes (`'` to `''`) with " +
    '`replace`, but misses some: a string pattern (`s.replace("\'", "\'\'")`) and a regex without the ' +
    '`g` flag replace only the first quote; a pattern that needs another character before the quote ' +
    "(`/([^'])'/g`) leaves every second quote of a run single. The quote left single ends the " +
    'literal, and what follows is SQL the author of the text wrote. Reported in modules that name ' +
    'SQL, at the `replace` call.',
  fix: "Double every quote (`s.replace(/'/g, \"''\")` or `replaceAll`), or better, pass the text as a bound parameter (`$1`, `?`) and leave escaping to the driver.",
  example: {
    bad: "const literal = `'${name.replace(\"'\", \"''\")}'`;",
    good: "db.query('SELECT * FROM users WHERE name = $1', [name]);",
  },
  check({ module, report }) {
    if (!SQL_MODULE.test(module.file.text)) return;
    for (const call of module.calls) {
      if (call.methodName !== 'replace' || call.args.length !== 2) continue;
      const [pattern, replacementArg] = call.args;
      const replacement = module.constantString(replacementArg);
      if (replacement === undefined) continue;
      const why = flaw(pattern, replacement, module);
      if (!why) continue;
      const fn = call.functionNode && unwrap(call.functionNode);
      const at = fn?.childForFieldName('property') ?? call.node;
      report({
        node: at,
        message: `\`.replace(${codeOf(pattern, 30)}, ${codeOf(replacementArg, 20)})\` escapes single quotes for a SQL string literal by doubling them, but ${why}: a quote left single ends the literal, and the rest of the text runs as SQL.`,
      });
    }
  },
});
