/**
 * Rules' view of a project wrapper's call (see dataflow/forwards.ts): whether the wrapper hands the
 * caller's value to a sink's dangerous argument, and what the inner call's flags are for this caller.
 */
import type { ForwardedCall, ForwardedValue } from '../../../dataflow/query.js';
import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import { isConstantTrue } from './constants.js';
import { sinkPosition } from '../models/concepts.js';

/** Whether the inner call receives the value where a sink reads it (its first modelled argument or a keyword). */
export function forwardsArgument(
  fw: ForwardedCall,
  sink: { args?: readonly number[]; keywords?: readonly string[] },
): boolean {
  if (fw.arg.keyword !== undefined) return (sink.keywords ?? []).includes(fw.arg.keyword);
  return fw.arg.index === sinkPosition(sink);
}

/** The caller's argument for the wrapper parameter that is handed on. */
export function forwardedArgument(fw: ForwardedCall, call: CallSite): Node | undefined {
  return call.argument(fw.param.index, fw.param.name);
}

/** Whether an inner call's keyword is `True` for this call: as written, from this caller, or by the wrapper's default. */
export function forwardedTrue(v: ForwardedValue | undefined, call: CallSite, module: PythonModule): boolean {
  if (!v) return false;
  if ('c' in v) return v.c === true;
  const given = call.argument(v.param.index, v.param.name);
  if (given) return isConstantTrue(given, module);
  return v.default?.c === true;
}

export { placeOf } from '../../../dataflow/forwards.js';
