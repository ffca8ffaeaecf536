/**
 * Validators called as statements: `_validate_filename(filename)` raises unless the value passes
 * its checks, so the code after the call only runs with a value that passed (as after
 * `if not is_valid(x): abort(400)`). A project function counts when its name says it checks and
 * its body raises under a condition on that parameter. One that then returns the parameter as it
 * is (`os.path.join(root, _validate_component(name))`) gives a value that passed.
 */
import { INJECTION_CWES } from '../../../dataflow/concepts.js';
import { sanitize, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { paramName, splatKind } from './entry-points.js';
import type { Frame } from './interpreter.js';
import { ownReturns } from '../helpers/functions.js';
import { field, named, textOf } from './syntax.js';

/** Names of functions that check their argument and fail when it is wrong. */
export const VALIDATOR_NAME = /valid|check|ensure|verify|sanitiz|assert_|reject/i;

/**
 * The names of the caller's variables that a validator call in statement position proves safe:
 * its identifier arguments bound to parameters the function raises about. Request objects and
 * other objects keep their value (only text the request sent is narrowed).
 */
export function validatedArguments(call: Node, callee: Val): string[] {
  const fns = (callee.fns ?? []).filter((f) => f.kind === 'fn');
  if (fns.length !== 1) return [];
  const fn = fns[0] as Extract<(typeof fns)[number], { kind: 'fn' }>;
  if (!VALIDATOR_NAME.test(fn.name)) return [];
  const params = named(field(fn.def, 'parameters') ?? fn.def)
    .filter((p) => !splatKind(p))
    .map((p) => paramName(p));
  if (fn.self) params.shift();
  const out: string[] = [];
  const args = named(field(call, 'arguments') ?? call);
  args.forEach((a, i) => {
    const keyword = a.type === 'keyword_argument' ? field(a, 'name')?.text : undefined;
    const value = a.type === 'keyword_argument' ? field(a, 'value') : a;
    const param = keyword ?? params[i];
    if (value?.type === 'identifier' && param && raisesAbout(fn.def, param)) out.push(textOf(value));
  });
  return out;
}

/** Whether the function has an `if` on the parameter whose body raises. */
function raisesAbout(def: Node, param: string): boolean {
  const mentions = new RegExp(`\\b${param}\\b`);
  return def.descendantsOfType('if_statement').some((s) => {
    const cond = s ? field(s, 'condition') : undefined;
    const body = s ? field(s, 'consequence') : undefined;
    return (
      !!cond && !!body && mentions.test(textOf(cond)) && body.descendantsOfType('raise_statement').length > 0
    );
  });
}

/**
 * What text that passed is safe for: the injections, but not where a URL leads (SSRF, open
 * redirect). A project's URL validator usually refuses some hosts or schemes (IP literals,
 * `file:`), not every host the client could name; those weaknesses trust only the known URL checks.
 */
const VALIDATED_CWES = INJECTION_CWES.filter((c) => c !== 601 && c !== 918);

/**
 * What the result of a project validator is safe for, when it returns its argument only past its
 * checks: its name says it checks, it raises under a condition on a parameter, and every `return`
 * of its own body returns that parameter as it is.
 */
export function validatedResult(name: string, def: Node): readonly number[] | undefined {
  if (!VALIDATOR_NAME.test(name) || def.type !== 'function_definition') return undefined;
  const returns = ownReturns(def);
  const returned = new Set(
    returns.map((r) => (named(r)[0]?.type === 'identifier' ? textOf(named(r)[0]!) : '')),
  );
  const [param] = returned;
  const isParameter = named(field(def, 'parameters') ?? def).some((p) => paramName(p) === param);
  return returns.length > 0 && returned.size === 1 && param && isParameter && raisesAbout(def, param)
    ? VALIDATED_CWES
    : undefined;
}

/** Narrows the validated variables of the frame. */
export function narrowValidated(frame: Frame, names: readonly string[]): void {
  for (const name of names) {
    const v = frame.env.vars.get(name);
    if (v?.t && !v.o && !v.req) frame.env.vars.set(name, sanitize(v, VALIDATED_CWES));
  }
}

/**
 * Project functions whose name says they quote or escape a value for one query language
 * (`_escape_xpath_string`, `xpath_literal`, `escape_ldap_filter`): projects write their own where
 * the library has none (Selenium's XPath takes no variables). Their result is safe for that
 * language's injection only.
 */
const ESCAPER_NAMES: readonly { name: RegExp; cwe: readonly number[] }[] = [
  { name: /(escape|quote|literal).*xpath|xpath.*(escape|quote|literal)/i, cwe: [643] },
  { name: /escape.*ldap|ldap.*escape/i, cwe: [90] },
];

/** What a project function's result is safe for, by its name (see ESCAPER_NAMES). */
export function escapedCwes(name: string): readonly number[] | undefined {
  return ESCAPER_NAMES.find((e) => e.name.test(name))?.cwe;
}
