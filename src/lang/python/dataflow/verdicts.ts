/**
 * How a project check's result reads as a condition, from its own `return`s (see
 * `dataflow/verdicts.ts`): `def validate_name(n): if len(n) > 64: return "too long"` answers with
 * what is wrong (and `None` when all is well), so `if validate_name(n): return error(...)` proves the
 * name valid where the result is falsy, not where it is truthy.
 */
import type { Node } from '../../../parsing/parser.js';
import {
  eitherKind,
  isVerdict,
  polarityOf,
  type Polarity,
  type ReturnKind,
} from '../../../dataflow/verdicts.js';
import { ownReturns } from '../helpers/functions.js';
import { field, named, textOf } from './syntax.js';

/** Functions and methods whose result is a boolean. */
const PREDICATES =
  /^(isinstance|issubclass|callable|bool|any|all|hasattr|startswith|endswith|isdigit|isalnum|isalpha|isdecimal|isnumeric|isidentifier|isascii|fullmatch|exists|isfile|isdir|is_\w+|has_\w+|can_\w+)$/;

/** A class of errors by its name (`ValueError`, `ValidationError`, `Exception`). */
const ERROR_CLASS = /(Error|Exception)$/;

/** What an expression given back by `return` is (see ReturnKind); Python's empty containers are falsy. */
function kindOf(expr: Node): ReturnKind {
  let n = expr;
  while ((n.type === 'parenthesized_expression' || n.type === 'await') && named(n)[0]) n = named(n)[0];
  switch (n.type) {
    case 'true':
      return 'true';
    case 'false':
    case 'none':
      return 'falsy';
    case 'integer':
    case 'float':
      return Number(textOf(n)) === 0 ? 'falsy' : 'other';
    case 'string': {
      const parts = named(n).filter((c) => c.type === 'string_content' || c.type === 'interpolation');
      return parts.length ? 'error' : 'falsy';
    }
    case 'concatenated_string':
      return 'error';
    case 'list':
    case 'dictionary':
    case 'set':
    case 'tuple':
      return named(n).some((c) => c.type !== 'comment') ? 'error' : 'falsy';
    case 'comparison_operator':
    case 'not_operator':
      return 'test';
    case 'boolean_operator': {
      const both = [field(n, 'left'), field(n, 'right')].map((x) => (x ? kindOf(x) : 'other'));
      return both.every(isVerdict) ? 'test' : 'other';
    }
    case 'conditional_expression': {
      const [a, , b] = named(n);
      return eitherKind(a ? kindOf(a) : 'other', b ? kindOf(b) : 'other');
    }
    case 'call': {
      const fn = field(n, 'function');
      const name = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
      if (name && ERROR_CLASS.test(name)) return 'error';
      return name && PREDICATES.test(name) ? 'test' : 'other';
    }
    default:
      return 'other';
  }
}

/** Whether running a block may go past its end (its last statement neither returns nor raises). */
function completes(block: Node): boolean {
  const last = named(block)
    .filter((c) => c.type !== 'comment')
    .pop();
  return !last || (last.type !== 'return_statement' && last.type !== 'raise_statement');
}

/**
 * How a call of this function reads as a condition, or undefined when its returns tell nothing. A
 * function that may fall off its end returns `None` there too (counted even where every branch of a
 * last `if` returns: that adds only a falsy answer no call gives).
 */
export function checkPolarity(def: Node): Polarity | undefined {
  if (def.type !== 'function_definition') return undefined;
  const body = field(def, 'body');
  if (!body) return undefined;
  const kinds = ownReturns(def).map((r) => {
    const value = named(r).find((c) => c.type !== 'comment');
    return value ? kindOf(value) : 'falsy';
  });
  return polarityOf(completes(body) ? [...kinds, 'falsy'] : kinds);
}
