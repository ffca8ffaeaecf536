import { codeOf, resolvedLabel } from '../../../rules/messages.js';
import type { JsCall, JsModule } from '../semantic/model.js';

/** How a call is named to the reader of a finding. */

/** The callee as written (`req` for an aliased `https.request`), with `new` for a constructor. */
export function writtenCallee(call: JsCall, max = 50): string {
  const written = codeOf(call.functionNode ?? call.node, max);
  return call.isNew ? `new ${written}` : written;
}

/**
 * "`https.request` (called as `req`)" when an alias hides the real callee; a callee of the reviewed
 * project (`src/http.client`) is shown as written, since its module path says nothing to the reader.
 */
export function callLabel(call: JsCall, module: JsModule): string {
  const local = call.callee === undefined || call.callee.startsWith(`${module.moduleName}.`);
  const resolved = local ? undefined : `${call.isNew ? 'new ' : ''}${call.callee}`;
  return resolvedLabel(resolved, writtenCallee(call));
}

/** Whether a canonical name is one of the names or a member of one (`got` and `got.post`). */
export function isUnder(name: string | undefined, roots: ReadonlySet<string>): boolean {
  if (name === undefined) return false;
  const dot = name.indexOf('.');
  return roots.has(name) || (dot > 0 && roots.has(name.slice(0, dot)));
}
