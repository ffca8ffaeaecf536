import { callLabel } from '../../helpers/calls.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { destinationNames, isUnpredictableName, nameParts } from '../../helpers/names.js';
import { inSignedRequest, resultsOnlyInSignedRequests } from '../../helpers/signed-request.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { unpredictableDestination } from '../../../../rules/names.js';
import { defineRule } from '../../../../rules/rule.js';

/** Functions of the `random` module (and of `random.Random()` instances) that use Mersenne Twister. */
const FUNCTIONS = [
  'random',
  'randint',
  'randrange',
  'randbytes',
  'getrandbits',
  'choice',
  'choices',
  'sample',
  'shuffle',
  'uniform',
  'triangular',
  'betavariate',
  'expovariate',
  'gauss',
  'normalvariate',
];
const CALLEES = new Set(FUNCTIONS.flatMap((f) => [`random.${f}`, `random.Random().${f}`]));
/**
 * Identifiers made from the clock and the host's MAC address (`uuid.uuid1()`): unique, not secret;
 * who knows roughly when one was made, and one other value from the host, can enumerate it.
 */
const CLOCK_IDS = new Set(['uuid.uuid1']);

/** Functions that pick among existing values rather than make a new one. */
const SELECTING = new Set(['choice', 'sample', 'shuffle']);
const BUILDING = new Set([
  'generator_expression',
  'list_comprehension',
  'set_comprehension',
  'augmented_assignment',
]);
/** Calls that gather the picks of a loop into one value. */
const GATHERING = /(^|\.)(join|append|extend|write)$/;

/**
 * Whether a pick (`random.choice(keys)`) builds a value piece by piece: in a comprehension, a
 * `join`, an `+=` or a `.append` (`"".join(random.choice(ALPHABET) for _ in range(32))`). Picked
 * once, even inside a loop that does something else, it is one of values that already exist (a
 * mirror, one of several public keys): no secret is made.
 */
function buildsValue(node: Node): boolean {
  for (let n = node.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (BUILDING.has(n.type)) return true;
    if (n.type === 'call' && GATHERING.test(n.childForFieldName('function')?.text ?? '')) return true;
  }
  return false;
}

/** `nonce`, `make_nonce`, `request_nonce`: a name whose only secret word is a nonce. */
function nonceOnly(name: string): boolean {
  const parts = nameParts(name);
  return parts.includes('nonce') && !isUnpredictableName(parts.filter((p) => p !== 'nonce').join('_'));
}

/**
 * Whether a nonce is only the replay guard of a signed request: stored in a variable that travels
 * beside the request's signature, or returned by a function whose every caller in the module does
 * that (`def make_nonce()`). The receiver checks the signature; the nonce is sent in clear and only
 * has to differ between requests. A nonce kept to check an answer later (in a session, for an
 * OpenID Connect login) or sent without a signature is still reported.
 */
function signedRequestNonce(call: CallSite, module: PythonModule, name: string): boolean {
  if (!nonceOnly(name)) return false;
  if (inSignedRequest(call.node)) return true;
  const fn = enclosingFunction(call.node);
  const fnName = fn?.childForFieldName('name')?.text;
  return fnName === name && resultsOnlyInSignedRequests(fnName, module);
}

export default defineRule({
  id: 'python/insecure-random',
  title: 'Predictable random numbers used for a secret',
  cwe: 338,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['random', 'uuid1'],
  description:
    "The `random` module's Mersenne Twister is not a cryptographic generator: after observing 624 " +
    'outputs an attacker can predict every later value, and seeds derived from time are guessable. ' +
    'Tokens, passwords, keys, nonces and one-time codes drawn from it can be forged. (Salts only need to be ' +
    'unique, so a salt from `random` is not reported, nor the nonce of a signed request, which is sent in ' +
    "clear beside the signature for the receiver's replay check.)",
  fix:
    'Draw secrets from the `secrets` module (secrets.token_urlsafe(), secrets.token_hex(), ' +
    'secrets.choice(), secrets.randbelow()) or random.SystemRandom().',
  example: {
    bad: 'reset_token = "".join(random.choice(ALPHABET) for _ in range(32))',
    good: 'reset_token = secrets.token_urlsafe(32)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const clock = call.callee !== undefined && CLOCK_IDS.has(call.callee);
      if (!call.callee || (!clock && !CALLEES.has(call.callee))) continue;
      if (SELECTING.has(call.callee.split('.').pop() ?? '') && !buildsValue(call.node)) continue;
      const name = unpredictableDestination(
        destinationNames(call.node),
        () => enclosingFunction(call.node)?.childForFieldName('name')?.text,
      );
      if (!name || signedRequestNonce(call, module, name)) continue;
      report(
        clock
          ? {
              node: call.node,
              cwe: 330,
              message: `${callLabel(call, module)} produces \`${name}\` from the clock and the host's MAC address: it is unique, not secret, and an attacker who knows roughly when it was made can enumerate it.`,
              fix: 'Make tokens and session identifiers with `secrets.token_urlsafe()` (or `uuid.uuid4()`, which draws from the operating system generator).',
            }
          : {
              node: call.node,
              message: `${callLabel(call, module)} produces \`${name}\` from the predictable Mersenne Twister generator; an attacker who sees a few outputs can compute it.`,
            },
      );
    }
  },
});
