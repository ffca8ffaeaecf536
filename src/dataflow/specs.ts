/**
 * What the taint engine knows about libraries, assembled from the models by concept (see
 * concepts.ts and the Python pack's models/): where untrusted data enters (sources), which calls
 * make it safe for some weaknesses (sanitizers) or prove it valid (guards), and how library calls
 * treat their arguments (summaries). Sinks are picked by rules by concept (see sinks.ts).
 *
 * The interpreter is still Python's alone, so this names the Python models; a second language's
 * front end will take its own.
 */
import type { Trust } from './concepts.js';
import type { SanitizerModel, SourceModel } from '../lang/python/models/concepts.js';
import type { ConfigSink } from '../lang/python/models/select.js';

export type { Trust } from './concepts.js';
export {
  CHECK_CALLS,
  CHECK_METHODS,
  CLEAN_CALLS,
  CLEAN_METHODS,
  EXTERNAL_DATA_CALLS,
  isClientEnvironKey,
  isEnvironAttribute,
  LOWER_TRUST_ATTRIBUTES,
  LOWER_TRUST_CALLS,
  LOWER_TRUST_METHODS,
  NON_CALLING_CALLS,
  NON_CALLING_MODULES,
  REQUEST_OBJECT_ATTRIBUTES,
  ROUTE_DECORATOR,
  SANITIZER_METHODS,
  SANITIZERS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
} from '../lang/python/models/index.js';

/** User-declared additions from the config file's `taint:` section: entries of the models' types. */
export interface TaintOptions {
  /** Extra sources: a qualified call or attribute, or a parameter name. */
  sources?: readonly SourceModel[];
  /** Extra sanitizers: a qualified call, safe for the listed CWEs (all when omitted). */
  sanitizers?: readonly SanitizerModel[];
  lowerTrust?: { [T in Exclude<Trust, 'user'>]?: boolean };
  /** Extra sinks: a qualified call (or `.method`), the argument position or keyword, and a concept or CWE. */
  sinks?: readonly ConfigSink[];
}
