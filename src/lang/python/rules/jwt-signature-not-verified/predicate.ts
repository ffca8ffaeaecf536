import { stringValue } from '../../helpers/constants.js';
import { enclosingFunction, ownReturns } from '../../helpers/functions.js';
import { occurrencesOf } from '../../helpers/variables.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonCall, PythonModule } from '../../semantic/scope.js';

/**
 * An unverified decode inside a predicate about the token's kind: `is_internal_token(token)` reads
 * the issuer or type claim and returns only True or False. The claims that name someone (subject,
 * e-mail, roles, scopes) never leave the function, so the decode grants nothing by itself; the
 * weakness, if any, is in a caller that trusts the answer instead of verifying the token before
 * it reads who the token is for. Such a decode is reported as a suggestion. A predicate over any
 * other claim (`role == "admin"`) is an authorization decision and stays a defect.
 */

/**
 * Claims that say who issued a token, for whom, of which kind and when: what selects the code or
 * key that verifies it (an `owner` naming the system that minted the token, as `iss` does), not
 * who it names.
 */
const ROUTING_CLAIMS = new Set([
  'iss',
  'issuer',
  'owner',
  'aud',
  'azp',
  'typ',
  'type',
  'token_type',
  'kid',
  'exp',
  'iat',
  'nbf',
]);

/** Whether an expression's value is True or False: a literal, a comparison, `not`, `bool(...)`. */
function isBoolean(node: Node, module: PythonModule, depth = 0): boolean {
  const inner = (n: Node | null | undefined): boolean => !!n && isBoolean(n, module, depth + 1);
  if (depth > 8) return false;
  switch (node.type) {
    case 'true':
    case 'false':
    case 'comparison_operator':
    case 'not_operator':
      return true;
    case 'parenthesized_expression':
      return inner(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'boolean_operator':
      // `a and b` is one of its operands: both must be booleans.
      return inner(node.childForFieldName('left')) && inner(node.childForFieldName('right'));
    case 'call':
      return module.qualifiedName(node.childForFieldName('function') ?? node) === 'builtins.bool';
    case 'identifier': {
      const bindings = module.scopeOf(node).lookup(node.text)?.bindings ?? [];
      return bindings.length > 0 && bindings.every((b) => b.kind === 'value' && inner(b.value));
    }
    default:
      return false;
  }
}

/** The claim a read of the decoded claims takes (`claims["iss"]`, `claims.get(ISSUER)`), if constant. */
function claimRead(claims: Node, module: PythonModule): string | undefined {
  const p = claims.parent;
  if (p?.type === 'subscript' && p.childForFieldName('value')?.id === claims.id)
    return stringValue(p.childForFieldName('subscript') ?? undefined, module);
  const call = p?.type === 'attribute' ? p.parent : undefined;
  if (p?.childForFieldName('attribute')?.text !== 'get' || call?.type !== 'call') return undefined;
  const key = call.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
  return stringValue(key ?? undefined, module);
}

/**
 * The routing claims an unverified decode's result is read at, when that is all the code does with
 * it (directly, or through a variable bound once) and the function around it returns only
 * booleans; undefined otherwise.
 */
export function predicateClaims(call: PythonCall, module: PythonModule): string[] | undefined {
  const def = enclosingFunction(call.node);
  const returns = def ? ownReturns(def) : [];
  const values = returns.map((r) => r.namedChildren.find((c) => c && c.type !== 'comment'));
  if (values.length === 0 || !values.every((v) => v && isBoolean(v, module))) return undefined;
  let reads = [call.node];
  const assignment = call.node.parent;
  const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
  if (name && assignment?.childForFieldName('right')?.id === call.node.id) {
    if (name.type !== 'identifier' || module.scopeOf(name).lookup(name.text)?.bindings.length !== 1)
      return undefined;
    reads = occurrencesOf(name, module) ?? [];
  }
  const claims = reads.map((r) => claimRead(r, module));
  if (reads.length === 0 || !claims.every((c) => c !== undefined && ROUTING_CLAIMS.has(c))) return undefined;
  return [...new Set(claims as string[])];
}
