import { isTestFile } from '../../test-files.js';
import { isLoggingCall, logMessageArgument } from '../../helpers/calls.js';
import { count } from '../../helpers/messages.js';
import { isEntryPoint, underMainGuard } from '../../helpers/module.js';
import { aggregate, lineOf } from '../../helpers/suggestions.js';
import type { CallSite } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

type Habit = 'eager' | 'print' | 'basicConfig';

const isString = (n: Node | null | undefined): boolean =>
  n?.type === 'string' || n?.type === 'concatenated_string';

/** How a log message is formatted before the call, or undefined when the logger formats it. */
function eagerFormatting(message: Node): string | undefined {
  if (message.type === 'string' && message.namedChildren.some((c) => c?.type === 'interpolation'))
    return 'f-string';
  if (message.type === 'binary_operator') {
    const op = message.childForFieldName('operator')?.text;
    const left = message.childForFieldName('left');
    const right = message.childForFieldName('right');
    if (op === '%' && isString(left)) return '`%`';
    if (op === '+' && (isString(left) || isString(right))) return '`+`';
  }
  if (message.type === 'call') {
    const fn = message.childForFieldName('function');
    if (
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'format' &&
      isString(fn.childForFieldName('object'))
    )
      return '`.format()`';
  }
  return undefined;
}

const DIAGNOSTIC_WORDS =
  /\b(error|warn(ing)?|debug|fail(ed|ure|s)?|exception|could not|cannot|can't|unable|retry(ing)?|traceback)\b/i;

/** A print that reports a problem rather than producing the program's output. */
function isDiagnosticPrint(call: CallSite): boolean {
  if (call.kwargs.get('file')?.text.replace(/\s+/g, '') === 'sys.stderr') return true;
  if (call.args.some((a) => DIAGNOSTIC_WORDS.test(a.text))) return true;
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'except_clause') return true;
    if (n.type === 'function_definition') break;
  }
  return false;
}

const DESCRIBE: Record<Habit, (n: number, detail: string) => string> = {
  eager: (n, detail) =>
    `${count(n, 'logging call')} ${n === 1 ? 'formats its' : 'format their'} message eagerly with ${detail}`,
  print: (n) => `${count(n, '`print` call')} ${n === 1 ? 'reports' : 'report'} diagnostics from library code`,
  basicConfig: () => '`logging.basicConfig` configures the root logger from library code',
};

const ADVICE: Record<Habit, string> = {
  eager:
    'Pass the values as arguments (`logger.info("user %s", name)`) so they are formatted only when the record is emitted.',
  print:
    'Report diagnostics through a module logger (`logger = logging.getLogger(__name__)`) instead of print.',
  basicConfig:
    'Leave `logging.basicConfig` to the application entry point so that applications keep control of logging.',
};

export default defineRule({
  id: 'python/suggest-logging',
  title: 'Logging habits: eager messages, print diagnostics, basicConfig in a library',
  cwe: 1076,
  severity: 'low',
  confidence: 'medium',
  kind: 'suggestion',
  languages: ['python'],
  requires: ['log', 'print'],
  description:
    'Log messages built with f-strings, `%` or `.format()` inside the logging call are formatted even ' +
    'when the level is disabled and defeat grouping of identical messages; diagnostics written with ' +
    '`print` in library code cannot be filtered, redirected or silenced; `logging.basicConfig` called ' +
    'from a library module configures the root logger for every application that imports it.',
  fix: Object.values(ADVICE).join(' '),
  example: {
    bad: 'logger.info(f"loaded {count} rows from {path}")',
    good: 'logger.info("loaded %d rows from %s", count, path)',
  },
  check({ module, report }) {
    const sites: { node: Node; habit: Habit; detail: string }[] = [];
    const library = !isEntryPoint(module) && !isTestFile(module.file.path);
    for (const call of module.calls) {
      if (isLoggingCall(call)) {
        const message = logMessageArgument(call);
        const how = message && eagerFormatting(message);
        if (how) sites.push({ node: call.node, habit: 'eager', detail: how });
      } else if (library && !underMainGuard(call.node, { orInMainFunction: true })) {
        if (call.callee === 'builtins.print' && isDiagnosticPrint(call))
          sites.push({ node: call.node, habit: 'print', detail: '' });
        if (call.callee === 'logging.basicConfig')
          sites.push({ node: call.node, habit: 'basicConfig', detail: '' });
      }
    }
    const found = aggregate(sites);
    if (!found) return;
    const habits = (['eager', 'print', 'basicConfig'] as const).filter((h) =>
      found.sites.some((s) => s.habit === h),
    );
    const parts = habits.map((h) => {
      const of = found.sites.filter((s) => s.habit === h);
      const lines = [...new Set(of.map((s) => lineOf(s.node)))];
      const details = [...new Set(of.map((s) => s.detail))].map((d) =>
        d === 'f-string' ? (of.length === 1 ? 'an f-string' : 'f-strings') : d,
      );
      const detail =
        details.length > 1
          ? `${details.slice(0, -1).join(', ')} or ${details[details.length - 1]}`
          : details[0];
      const where = habits.length > 1 ? ` (${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')})` : '';
      return DESCRIBE[h](of.length, detail) + where;
    });
    report({
      node: found.node,
      lines: found.lines,
      message: `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
      fix: habits.map((h) => ADVICE[h]).join(' '),
    });
  },
});
