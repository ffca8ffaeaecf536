import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import { codeOf, resolvedLabel } from './messages.js';

/**
 * What a call is, for rules and messages: how its callee is named to the reader, and which calls
 * write to a log. Arguments are the call's own question: `call.argument(position, keyword)`.
 */

/** The callee as written in the source ("P" for an aliased Popen), shortened for a message. */
export function writtenCallee(call: CallSite, max = 50): string {
  return codeOf(call.node.childForFieldName('function') ?? call.node, max);
}

/** "`subprocess.Popen` (called as `P`)" when an alias hides the real callee. */
export function calleeLabel(call: CallSite): string {
  // An item of a library's registry reads `engines[...]` (see PythonModule's itemMethod).
  const callee = call.callee?.replace(/^builtins\./, '').replaceAll('.__getitem__()', '[...]');
  return resolvedLabel(callee, writtenCallee(call));
}

/**
 * Like `calleeLabel`, but a callee resolved inside the reviewed project (`app.db().cursor().execute`)
 * is shown as written (`cursor.execute`): its dotted module path says nothing to the reader.
 */
export function callLabel(call: CallSite, module: PythonModule): string {
  const local = call.callee !== undefined && call.callee.startsWith(`${module.moduleName}.`);
  return local ? `\`${writtenCallee(call)}\`` : calleeLabel(call);
}

const LOG_METHODS = new Set([
  'debug',
  'info',
  'warning',
  'warn',
  'error',
  'exception',
  'critical',
  'fatal',
  'log',
]);

/** Receivers that hold a logger by naming convention (`logger`, `log`, `self._log`, `LOG`). */
const LOGGER_NAME = /(^|\.)_?(logger|log|_logger|logging)$/i;
/** The wide reading also takes names that only end in one (`audit_log`, `request_logger`). */
const WIDE_LOGGER_NAME = /(^|[._])(log|logger|_log|_logger|logging)$/i;
const WIDE_LOGGING_MODULES = /^(logging|structlog|loguru)(\.|$)/;

/**
 * A log method (`info`, `error`, ...) called on a logger: `logging.info(...)`,
 * `logging.getLogger(...).info(...)`, `logger.info(...)`, `self.log.error(...)`.
 *
 * `wide` also takes structlog and loguru, any object of the `logging` module, and receivers whose
 * name only ends in a logger's (`audit_log`). secret-in-log asks it that way: a call too many costs
 * one look at its arguments, a logger missed hides a leaked secret. The suggestion rules, which ask
 * people to change their logging, keep to the narrow reading.
 */
export function isLoggingCall(call: CallSite, options: { wide?: boolean } = {}): boolean {
  const method = call.methodName;
  if (!method || !LOG_METHODS.has(method)) return false;
  const callee = call.callee ?? '';
  if (options.wide) {
    // A receiver resolved to a logger (`logging.getLogger()`, `loguru.logger`) makes the callee one too.
    if (WIDE_LOGGING_MODULES.test(callee)) return true;
    return call.receiver !== undefined && WIDE_LOGGER_NAME.test(call.receiver.text);
  }
  if (callee === `logging.${method}` || callee.startsWith('logging.getLogger().')) return true;
  if (callee.startsWith('logging.')) return false;
  return call.receiver !== undefined && LOGGER_NAME.test(call.receiver.text.replace(/\s+/g, ''));
}

/** The message argument of a logging call (`log(level, msg)` takes it second). */
export function logMessageArgument(call: CallSite): Node | undefined {
  return call.methodName === 'log' ? call.args[1] : call.argument(0, 'msg');
}
