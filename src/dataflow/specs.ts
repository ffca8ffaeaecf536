/**
 * What the user adds to the dataflow: the config's `taint:` section as the engine hands it to each
 * language's front end, which reads the entries as its own models' (see concepts.ts).
 */
import type { DeclaredSanitizer, DeclaredSink, DeclaredSource, LowerTrust } from './concepts.js';

export type { Trust } from './concepts.js';

/** User-declared additions from the config file's `taint:` section. */
export interface TaintOptions {
  /** Extra sources: a qualified call or attribute, or a parameter name. */
  sources?: readonly DeclaredSource[];
  /** Extra sanitizers: a qualified call, safe for the listed CWEs (all when omitted). */
  sanitizers?: readonly DeclaredSanitizer[];
  lowerTrust?: { [T in LowerTrust]?: boolean };
  /**
   * Whether the operator (command line, prompts, environment, configuration) may attack the
   * program: `untrusted` when it runs with more privilege than whoever starts it (setuid, a service
   * acting on a less privileged user's arguments). Default `trusted`: injection rules do not report it.
   */
  operatorInput?: 'trusted' | 'untrusted';
  /**
   * Whether administrators may attack the program: request data of handlers only administrators
   * reach. Default `trusted`: their flows are reported low (privileges required); `untrusted`
   * treats them as any client's.
   */
  adminInput?: 'trusted' | 'untrusted';
  /** Extra sinks: a qualified call (or `.method`), the argument position or keyword, and a concept or CWE. */
  sinks?: readonly DeclaredSink[];
}
