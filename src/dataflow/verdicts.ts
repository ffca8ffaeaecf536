/**
 * How a check's result reads as a condition, from what its own `return`s give back (language
 * neutral; each language's front end reads its returns into these kinds). A check answers either
 * with a verdict (`return true` where the value passes, `false` or a failed test where it does
 * not) or with what is wrong (`return 'name too long'`, `return new Error(...)`, an object of
 * errors, and nothing or `null` where all is well). Read by its name alone, `if (validate(x))`
 * would be taken for a pass in both cases, which the second kind answers the other way round.
 */

/** What one `return` of a check gives back. */
export type ReturnKind =
  /** `true`. */
  | 'true'
  /** A falsy constant: `false`, `null`, `undefined`, `0`, `''`, or no value (also falling off the end). */
  | 'falsy'
  /** A test whose result is a boolean: a comparison, a negation, a pattern's `test`, a predicate call. */
  | 'test'
  /** A value always truthy that is no boolean: a message, an error object, an object, a list. */
  | 'error'
  /** Anything else (a variable, a call of unknown result): the returns tell nothing. */
  | 'other';

const VERDICTS: ReadonlySet<ReturnKind> = new Set(['true', 'falsy', 'test']);

/** Whether a return gives a verdict: `true`, a falsy constant or a boolean test. */
export function isVerdict(kind: ReturnKind): boolean {
  return VERDICTS.has(kind);
}

/**
 * What `c ? a : b` gives back, by its two branches: their kind when the same, a test when both are
 * verdicts, otherwise nothing known.
 */
export function eitherKind(a: ReturnKind, b: ReturnKind): ReturnKind {
  if (a === b) return a;
  return isVerdict(a) && isVerdict(b) ? 'test' : 'other';
}

/**
 * `pass`: true where the value passed (`if (isAllowed(x))`); `error`: truthy where it failed
 * (`if (validate(x)) return res.status(400)...`, safe where falsy); `none`: the result decides
 * nothing (always truthy, always falsy, or a verdict on some paths and an error on others).
 */
export type Polarity = 'pass' | 'error' | 'none';

/** The polarity of a check by the kinds of its returns, or undefined when they tell nothing. */
export function polarityOf(kinds: readonly ReturnKind[]): Polarity | undefined {
  if (kinds.length === 0 || kinds.includes('other')) return undefined;
  const verdict = kinds.includes('true') || kinds.includes('test');
  const error = kinds.includes('error');
  const falsy = kinds.includes('falsy');
  if (verdict) return error ? 'none' : 'pass';
  return error && falsy ? 'error' : 'none';
}

/** One polarity for several functions a callee may be, or undefined when they disagree or tell nothing. */
export function jointPolarity(each: readonly (Polarity | undefined)[]): Polarity | undefined {
  const [first] = each;
  return first !== undefined && each.every((p) => p === first) ? first : undefined;
}
