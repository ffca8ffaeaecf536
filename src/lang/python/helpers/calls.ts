import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import { codeOf } from './messages.js';

/**
 * What a call is, for rules and messages: how its callee is named to the reader, and which calls
 * write to a log. Arguments are the call's own question: `call.argument(position, keyword)`.
 */

/** The name the callee is written with in source ("P" for an aliased Popen). */
function writtenCallee(call: CallSite): string {
  const fn = call.node.childForFieldName('function');
  return fn ? codeOf(fn, 50) : '?';
}

/** "`subprocess.Popen` (written `P`)" when an alias hides the real callee. */
export function calleeLabel(call: CallSite): string {
  const written = writtenCallee(call);
  const q = call.callee ?? written;
  const display = q.replace(/^builtins\./, '');
  return display === written ? `\`${display}\`` : `\`${display}\` (called as \`${written}\`)`;
}

/**
 * Like `calleeLabel`, but a callee resolved inside the reviewed project (`app.db().cursor().execute`)
 * is shown as written (`cursor.execute`): its dotted module path says nothing to the reader.
 */
export function callLabel(call: CallSite, module: PythonModule): string {
  const local = call.callee !== undefined && call.callee.startsWith(`${module.moduleName}.`);
  return local ? `\`${writtenCallee(call)}\`` : calleeLabel(call);
}

export const LOG_METHODS = new Set([
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

/** `logging.info(...)`, `logging.getLogger(...).info(...)`, `logger.info(...)`, `self.log.error(...)`. */
export function isLoggingCall(call: CallSite): boolean {
  if (!call.methodName || !LOG_METHODS.has(call.methodName)) return false;
  if (call.callee === `logging.${call.methodName}`) return true;
  if (call.callee?.startsWith('logging.getLogger().')) return true;
  if (call.callee?.startsWith('logging.') && call.callee !== `logging.${call.methodName}`) return false;
  return call.receiver !== undefined && LOGGER_NAME.test(call.receiver.text.replace(/\s+/g, ''));
}

/** The message argument of a logging call (`log(level, msg)` takes it second). */
export function logMessageArgument(call: CallSite): Node | undefined {
  return call.methodName === 'log' ? call.args[1] : (call.args[0] ?? call.kwargs.get('msg'));
}
