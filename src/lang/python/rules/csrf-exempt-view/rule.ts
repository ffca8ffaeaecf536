import { decoratorExpression, decoratorsOf } from '../../helpers/functions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const DJANGO_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
/** Flask-WTF and Flask-SeaSurf exempt views through a method of their extension object. */
const EXTENSION_EXEMPT = /^(flask_wtf(\.csrf)?\.CSRFProtect|flask_seasurf\.SeaSurf)\(\)\.exempt$/;
/** Views that only answer safe methods need no CSRF token. */
const SAFE_ONLY = new Set([
  'django.views.decorators.http.require_GET',
  'django.views.decorators.http.require_safe',
]);

export default defineRule({
  id: 'python/csrf-exempt-view',
  title: 'View exempted from CSRF protection',
  cwe: 352,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['csrf_exempt', 'exempt'],
  description:
    "A view is taken out of the framework's CSRF protection (`@csrf_exempt` in Django, `@csrf.exempt` in " +
    "Flask-WTF or SeaSurf). If it changes state and authenticates with cookies, another site can make the user's " +
    'browser submit requests to it. Webhooks that authenticate with a signature are a legitimate exception, so ' +
    'confidence is medium.',
  fix: 'Remove the exemption and send the CSRF token from forms and JavaScript clients; for machine-to-machine endpoints, authenticate each request with a signature or token instead of cookies.',
  example: {
    bad: '@csrf_exempt\ndef transfer(request): ...',
    good: '@require_POST\ndef transfer(request): ...  # the template sends {% csrf_token %}',
  },
  check({ module, report }) {
    const isExempt = (expr: Node | undefined): boolean => {
      if (!expr) return false;
      const q = module.qualifiedName(expr);
      return q === DJANGO_EXEMPT || (q !== undefined && EXTENSION_EXEMPT.test(q));
    };
    for (const call of module.calls) {
      // Decorators are reported on the decorated definition below.
      if (call.node.parent?.type === 'decorator') continue;
      const fn = call.node.childForFieldName('function');
      if (!isExempt(fn ?? undefined) || !call.args[0]) continue;
      report({
        node: call.node,
        message: `\`${call.node.text.replace(/\s+/g, ' ')}\` turns off CSRF protection for \`${call.args[0].text}\`; cross-site requests carrying the user's cookies are accepted.`,
      });
    }
    for (const def of module.file.tree.rootNode.descendantsOfType('function_definition')) {
      if (!def) continue;
      const decorators = decoratorsOf(def);
      const exempt = decorators.find((d) => isExempt(decoratorExpression(d)));
      if (!exempt) continue;
      const safeOnly = decorators.some((d) => {
        const e = decoratorExpression(d);
        const q = e
          ? module.qualifiedName(e.type === 'call' ? (e.childForFieldName('function') ?? e) : e)
          : undefined;
        if (q && SAFE_ONLY.has(q)) return true;
        // @require_http_methods(["GET", "HEAD"])
        return (
          q === 'django.views.decorators.http.require_http_methods' &&
          !/POST|PUT|PATCH|DELETE/i.test(e?.text ?? '')
        );
      });
      if (safeOnly) continue;
      const name = def.childForFieldName('name')?.text ?? '?';
      report({
        node: exempt,
        message: `\`${exempt.text}\` turns off CSRF protection for view \`${name}\`; cross-site requests carrying the user's cookies are accepted.`,
      });
    }
  },
});
