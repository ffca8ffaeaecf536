import { isGenericName, unpredictableDestination } from '../../../../rules/names.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { destinationThroughUses, enclosingFunctionName } from '../../helpers/names.js';

export default defineRule({
  id: 'javascript/insecure-random',
  title: 'Predictable random numbers used for a secret',
  cwe: 338,
  severity: 'high',
  confidence: 'medium',
  languages: ['javascript'],
  requires: ['random'],
  description:
    '`Math.random()` is not a cryptographic generator: V8 uses xorshift128+, whose state can be ' +
    'recovered from a handful of outputs, after which every later value is known. Tokens, passwords, ' +
    'session ids, nonces and one-time codes drawn from it can be forged. (Salts only need to be unique, ' +
    'so a salt from `Math.random()` is not reported.)',
  fix:
    "Draw secrets from Node's crypto module: crypto.randomBytes(32).toString('hex'), " +
    'crypto.randomUUID(), crypto.randomInt(0, 1000000) for a numeric code; in a browser ' +
    'crypto.getRandomValues().',
  example: {
    bad: 'const resetToken = Math.random().toString(36).slice(2);',
    good: "const resetToken = crypto.randomBytes(32).toString('hex');",
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee !== 'Math.random') continue;
      const destination = destinationThroughUses(call.node, module, isGenericName);
      // One pick among values that exist (`keys[Math.floor(Math.random() * keys.length)]`) makes no
      // new secret; picks joined into a string (a loop's `+=`, `Array.from`) build one.
      if (destination.singlePick) continue;
      // A value is a secret by the names it is stored under or reaches, a `return` naming the
      // function; the function's own name speaks only for a value whose uses are not followed.
      const name = unpredictableDestination(destination.names, () =>
        destination.followed ? undefined : enclosingFunctionName(call.node),
      );
      if (!name) continue;
      report({
        node: call.node,
        message: `${callLabel(call, module)} produces \`${name}\` from a predictable generator (V8's xorshift128+); an attacker who sees a few outputs can compute it. Reported high with medium confidence: the secret is judged by its name.`,
      });
    }
  },
});
