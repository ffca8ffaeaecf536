import { count, listCode } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { aggregate } from '../../../../rules/suggestions.js';
import { inMainFunction, isJsEntryPoint } from '../../helpers/suggestions.js';

/** `console` methods that write ordinary output; `console.warn` and `console.error` report problems on stderr. */
const OUTPUT_METHODS = new Set(['console.log', 'console.debug']);

export default defineRule({
  id: 'javascript/suggest-logging',
  title: '`console.log` diagnostics in library code',
  cwe: 1076,
  severity: 'low',
  confidence: 'medium',
  kind: 'suggestion',
  languages: ['javascript'],
  requires: ['console.'],
  description:
    'Diagnostics written with `console.log` or `console.debug` in library or application code (not a ' +
    'command-line program) cannot be filtered by level, redirected or silenced, carry no context, and ' +
    'are often debugging output left behind.',
  fix:
    "Report diagnostics through the project's logger (pino, winston, or the module logger the code " +
    'already uses) at a level that can be switched off, and remove debugging output.',
  example: {
    bad: 'console.log("loaded settings", settings);',
    good: 'logger.debug({ path }, "loaded settings");',
  },
  check({ module, report }) {
    if (isJsEntryPoint(module)) return;
    const sites = module.calls.filter(
      (c) => c.callee !== undefined && OUTPUT_METHODS.has(c.callee) && !inMainFunction(c.node),
    );
    const found = aggregate(sites);
    if (!found) return;
    const n = found.sites.length;
    const methods = [...new Set(found.sites.map((s) => s.callee ?? ''))];
    report({
      node: found.node,
      lines: found.lines,
      message: `${count(n, 'call')} to ${listCode(methods)} ${n === 1 ? 'writes' : 'write'} diagnostics from library code instead of a logger.`,
    });
  },
});
