import { isConstantish } from '../../helpers/constants.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { codeOf } from '../../helpers/messages.js';
import { assignedName } from '../../helpers/names.js';
import { isTimeBased } from '../../helpers/security.js';
import type { CallSite } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';

const DRAWS =
  /^random\.(Random\(\)\.)?(choice|choices|randint|randrange|random|getrandbits|sample|shuffle|randbytes|uniform)$/;
/** What a value drawn from random is for, judging by the variable or function it goes to. */
const SECURITY_USE =
  /(token|password|passwd|secret|nonce|salt|otp|api_?key|session|captcha|reset|verification|activation|invite|csrf|auth)/i;

export default defineRule({
  id: 'python/predictable-random-seed',
  title: 'Random generator seeded with a constant or the clock, then used for secrets',
  cwe: 335,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['seed', 'Random('],
  description:
    '`random.seed()` or `random.Random(seed)` receives a constant or a clock/PID-derived value, and the same module ' +
    'uses `random` to make tokens, passwords, nonces or similar secrets. A constant seed makes every run produce ' +
    'the same sequence (CWE-336); a time seed leaves only a few thousand candidates to try (CWE-337). Either way ' +
    'an attacker can reproduce the generated secrets.',
  fix: 'Generate secrets with the secrets module (secrets.token_urlsafe(), secrets.choice()); never seed a generator used for them. Keep seeded random.Random instances for simulations and tests only.',
  example: {
    bad: 'random.seed(time.time())\ntoken = "".join(random.choice(ALPHABET) for _ in range(32))',
    good: 'token = secrets.token_urlsafe(32)',
  },
  check({ module, report }) {
    const securityDraw = module.calls.find(
      (c) => c.callee !== undefined && DRAWS.test(c.callee) && usedForSecret(c),
    );
    if (!securityDraw) return;
    const line = securityDraw.node.startPosition.row + 1;
    for (const call of module.calls) {
      if (call.callee !== 'random.seed' && call.callee !== 'random.Random') continue;
      const seed = call.argument(0, 'a', 'x');
      if (!seed) continue;
      const constant = isConstantish(seed, module);
      const time = !constant && isTimeBased(seed, module);
      if (!constant && !time) continue;
      report({
        node: call.node,
        cwe: constant ? 336 : 337,
        message: `\`${codeOf(call.node, 50)}\` seeds the generator with ${constant ? 'a constant' : 'a clock- or PID-derived value'}, and \`${codeOf(securityDraw.node, 40)}\` (line ${line}) draws a secret from it; the sequence can be reproduced.`,
      });
    }
  },
});

function usedForSecret(call: CallSite): boolean {
  let n = call.node;
  // Walk out of comprehensions, joins and formatting to the assignment or return.
  for (let p = n.parent; p && p.type !== 'expression_statement' && p.type !== 'block'; p = p.parent) n = p;
  const target = n.type === 'assignment' ? n.childForFieldName('left')?.text : assignedName(call.node);
  if (target && SECURITY_USE.test(target)) return true;
  const fn = enclosingFunction(call.node)?.childForFieldName('name')?.text;
  return fn !== undefined && SECURITY_USE.test(fn);
}
