/**
 * The steps inside a weak URL validator of the project that a redirect target passed (see
 * looksOnlyAtParsedHost in conditions.ts): the parameter it was passed as, the test that reads only
 * the host and scheme the parser finds, and the return that accepts a URL in which it finds
 * neither (`///evil.example`, `/\evil.example`). Those are the lines where the validator lets the
 * target through, so a flow through the validator shows them, as a flow through any other callee
 * shows the steps of its parameter inside it.
 *
 * Only what the function's own text makes certain is shown: one test at the top of its body on the
 * parsed host or scheme of a parameter, whose truth for a URL with neither follows from its text
 * (`parts.netloc or parts.scheme` is false, `not parts.netloc` true), no earlier statement that may
 * accept, and a straight run from that test's branch to `return True`. Otherwise the flow keeps
 * only the step at the call.
 */
import type { Step } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { parameterList } from './entry-points.js';
import type { Interpreter } from './interpreter.js';
import { URL_PARSERS } from './specs.js';
import { field, fields, named, textOf } from './syntax.js';

/** The attributes of a parsed URL that are empty for `///evil.example` and `/\evil.example`. */
const HOST_PARTS = /^(netloc|scheme|hostname)$/;

/**
 * The validator's steps for the argument at `argIndex` among the call's positional arguments (a
 * method's `self` left out when `bound`), or none when its text does not make them certain.
 */
export function weakValidatorSteps(
  it: Interpreter,
  fn: { def: Node; mod: number; name: string },
  bound: boolean,
  argIndex: number,
  callMod: number,
  arg: Node,
): Step[] {
  const param = parameterList(fn.def, bound).find((p) => p.index === argIndex);
  const body = field(fn.def, 'body');
  if (!param || !body) return [];
  const module = it.mods(fn.mod).module;
  const statements = named(body).filter((s) => s.type !== 'comment');
  // `parts.netloc` where `parts = urlsplit(param)` (bound once), or `urlsplit(param).netloc`.
  const parsesParam = (n: Node | null | undefined): boolean => {
    const call = n?.type === 'identifier' ? module.singleValue(n) : n;
    const callee = call?.type === 'call' ? field(call, 'function') : null;
    const q = callee ? module.qualifiedName(callee) : undefined;
    const first = call ? named(field(call, 'arguments') ?? call)[0] : undefined;
    return !!q && URL_PARSERS.has(q) && first?.type === 'identifier' && textOf(first) === param.name;
  };
  // `parts.netloc`, `parts.scheme`: a part of the parameter's parsed URL that such a URL lacks.
  const hostPart = (n: Node): boolean =>
    n.type === 'attribute' &&
    HOST_PARTS.test(field(n, 'attribute')?.text ?? '') &&
    parsesParam(field(n, 'object'));
  const readsHost = (n: Node): boolean => hostPart(n) || named(n).some(readsHost);
  const at = statements.findIndex((s) => {
    const test = s.type === 'if_statement' ? field(s, 'condition') : null;
    return !!test && readsHost(test);
  });
  if (at < 0) return [];
  const test = field(statements[at], 'condition') as Node;
  // Another test of the parsed host, or an earlier statement that may accept: not certain.
  if (statements.slice(at + 1).some((s) => s.type === 'if_statement' && readsHost(s))) return [];
  if (statements.slice(0, at).some((s) => mayAccept(s))) return [];
  const truth = withoutHost(test, hostPart);
  if (truth === undefined) return [];
  // The statements run for such a URL: the test's block when it is true, else its `else` or the
  // statements after it.
  let rest: Node[];
  const alternatives = fields(statements[at], 'alternative');
  const blockOf = (n: Node | null | undefined): Node[] =>
    n ? named(n).filter((s) => s.type !== 'comment') : [];
  if (truth) rest = blockOf(field(statements[at], 'consequence'));
  else if (alternatives.length === 0) rest = statements.slice(at + 1);
  else if (alternatives.length === 1 && alternatives[0].type === 'else_clause')
    rest = blockOf(field(alternatives[0], 'body'));
  else return [];
  let accept: Node | undefined;
  for (const s of rest) {
    if (s.type === 'return_statement') {
      const value = named(s)[0];
      if (value?.type === 'true') accept = s;
      break;
    }
    // A statement that may leave the function (or raise) on the way: not a straight run.
    if (s.descendantsOfType(['return_statement', 'raise_statement']).length || s.type === 'raise_statement')
      break;
  }
  if (!accept) return [];
  const parser = parserName(test, hostPart, module);
  return [
    it.step(callMod, arg, `passed to \`${fn.name}\` as \`${param.name}\``),
    it.step(
      fn.mod,
      test,
      `tests only the host and scheme ${parser} finds in \`${param.name}\`; \`///evil.example\` and \`/\\evil.example\` have neither`,
    ),
    it.step(fn.mod, accept, `accepts such a URL: returns True`),
  ];
}

/** A statement that may return a true value (`return True`, `return url`): any return but `return False`/`None`. */
function mayAccept(s: Node): boolean {
  const returns = s.type === 'return_statement' ? [s] : s.descendantsOfType('return_statement');
  return returns.some((r) => {
    const v = r ? named(r)[0] : undefined;
    return !!v && v.type !== 'false' && v.type !== 'none';
  });
}

/**
 * The truth of a test for a URL whose parsed host and scheme are empty: `parts.netloc` is false,
 * `not`, `and` and `or` follow; anything else is unknown (undefined) unless short-circuited.
 */
function withoutHost(n: Node, hostPart: (n: Node) => boolean): boolean | undefined {
  switch (n.type) {
    case 'parenthesized_expression': {
      const inner = named(n)[0];
      return inner ? withoutHost(inner, hostPart) : undefined;
    }
    case 'not_operator': {
      const arg = field(n, 'argument');
      const v = arg ? withoutHost(arg, hostPart) : undefined;
      return v === undefined ? undefined : !v;
    }
    case 'boolean_operator': {
      const op = field(n, 'operator')?.text;
      const l = field(n, 'left');
      const r = field(n, 'right');
      const a = l ? withoutHost(l, hostPart) : undefined;
      if (op === 'and' && a === false) return false;
      if (op === 'or' && a === true) return true;
      const b = r ? withoutHost(r, hostPart) : undefined;
      if (op === 'and') return b === false ? false : a === true ? b : undefined;
      if (op === 'or') return b === true ? true : a === false ? b : undefined;
      return undefined;
    }
    case 'attribute':
      return hostPart(n) ? false : undefined;
    default:
      return undefined;
  }
}

/** The parser's name as the code calls it (`urlsplit`), for the note. */
function parserName(
  test: Node,
  hostPart: (n: Node) => boolean,
  module: { singleValue(n: Node): Node | undefined },
): string {
  const attr = [test, ...test.descendantsOfType('attribute')].find((a) => !!a && hostPart(a));
  const obj = attr ? field(attr, 'object') : null;
  const call = obj?.type === 'identifier' ? module.singleValue(obj) : obj;
  const callee = call?.type === 'call' ? field(call, 'function') : null;
  return callee ? `\`${textOf(callee).split('.').pop()}\`` : 'the URL parser';
}
