/**
 * The bounds that keep the analysis finite and its cost proportional to the project: call depth,
 * loop unrolling and fixpoint rounds, evaluation steps per entry point and per line of the project.
 */

/** Nesting of calls followed into the project's functions. */
export const MAX_DEPTH = 12;
/** Iterations of a loop over a known sequence (or with a constant condition) run one by one. */
export const MAX_UNROLL = 40;
/** Rounds of a loop run to a fixpoint when its iterations are not known. */
export const MAX_FIXPOINT = 4;
/** Rounds of callers of functions that return source data (see runEntryPoints). */
export const MAX_CALLER_ROUNDS = 8;
/** Evaluation steps of one entry point. */
export const ROOT_BUDGET = 20_000;
/** Evaluation steps of the whole project, per line of its code. */
export const PROJECT_STEPS_PER_LINE = 8;
/**
 * Share of the project's budget the roots that read back what others stored always have left (see
 * runEntryPoints): on a large project the entry points may spend all of the rest first.
 */
export const LATER_ROOTS_SHARE = 0.25;
/** Entry points' worth of steps a project gets however small it is. */
export const MIN_PROJECT_ROOTS = 8;
/** Nesting of expressions evaluated at once (inter-procedural calls included) before giving up on a value. */
export const MAX_EVAL_DEPTH = 250;
/** Nesting of constant lists folded into one constant. */
export const MAX_CONST_DEPTH = 32;
/**
 * Share of a root's budget a call must begin with for its running out of budget to count as the
 * function being too big for a root (see call-summaries.ts).
 */
export const EXHAUSTING_CALL_SHARE = 0.5;
/** Steps a call must take for a later call with arguments no more tainted to use its summary. */
export const SUMMARY_MIN_STEPS = 200;
