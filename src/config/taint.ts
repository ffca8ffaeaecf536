import type { TaintOptions } from '../dataflow/index.js';
import type { Config } from './load.js';

/** The dataflow additions of a config's `taint:` section, as the engine takes them. */
export function taintOptions(config: Config): TaintOptions | undefined {
  const t = config.taint;
  if (!t) return undefined;
  return {
    ...(t.sources ? { sources: t.sources } : {}),
    ...(t.sanitizers ? { sanitizers: t.sanitizers } : {}),
    ...(t.sinks ? { sinks: t.sinks } : {}),
    ...(t['lower-trust-sources'] ? { lowerTrust: t['lower-trust-sources'] } : {}),
    ...(t['operator-input'] ? { operatorInput: t['operator-input'] } : {}),
    ...(t['admin-input'] ? { adminInput: t['admin-input'] } : {}),
  };
}
