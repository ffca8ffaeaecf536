import type { Node } from '../../../parsing/parser.js';
import { isSensitiveCookieName } from '../../../rules/names.js';
import type { JsModule } from '../semantic/model.js';
import { callLabel } from './calls.js';
import { optionAt } from './objects.js';

/**
 * Session and login cookies whose options turn a protection off in so many words (`httpOnly: false`,
 * `secure: false`): express-session's `cookie` options, cookie-session's options, and
 * `res.cookie(name, value, options)` for a cookie whose name says it holds a session or a token.
 * A flag left out is not reported: the defaults differ between the libraries and their versions.
 */

export type CookieFlag = 'httpOnly' | 'secure';

export interface CookieFinding {
  /** The `flag: false` property. */
  node: Node;
  /** What the cookie is, for the message (`the session cookie of \`express-session\``). */
  cookie: string;
}

export function cookiesWithFlagOff(module: JsModule, flag: CookieFlag): CookieFinding[] {
  const out: CookieFinding[] = [];
  const off = (value: Node): boolean => module.constantValue(value) === false;
  for (const call of module.calls) {
    const options =
      call.callee === 'express-session' || call.callee === 'cookie-session' ? call.argument(0) : undefined;
    if (options) {
      const path = call.callee === 'express-session' ? ['cookie', flag] : [flag];
      const property = optionAt(options, path, module);
      if (property && off(property.value))
        out.push({ node: property.node, cookie: `the session cookie of ${callLabel(call, module)}` });
      continue;
    }
    if (call.methodName !== 'cookie' || call.args.length < 3 || call.hasSpread) continue;
    const name = module.constantString(call.args[0]);
    // The CSRF token's cookie is read by the page's script: it must not be httpOnly.
    if (name === undefined || !isSensitiveCookieName(name)) continue;
    if (flag === 'httpOnly' && /csrf|xsrf/i.test(name)) continue;
    const property = optionAt(call.args[2], [flag], module);
    if (property && off(property.value)) out.push({ node: property.node, cookie: `the \`${name}\` cookie` });
  }
  return out;
}
