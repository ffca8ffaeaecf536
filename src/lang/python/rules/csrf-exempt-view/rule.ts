import { decoratorExpression, decoratorsOf } from '../../helpers/functions.js';
import { cookieAuthEvidence, localFunction, type CookieEvidence } from '../../helpers/views.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const DJANGO_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
/** Flask-WTF and Flask-SeaSurf exempt views through a method of their extension object. */
const EXTENSION_EXEMPT = /^(flask_wtf(\.csrf)?\.CSRFProtect|flask_seasurf\.SeaSurf)\(\)\.exempt$/;
/** Django's way of putting a function decorator on a class-based view or its methods. */
const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
/** Views that only answer safe methods need no CSRF token. */
const SAFE_ONLY = new Set([
  'django.views.decorators.http.require_GET',
  'django.views.decorators.http.require_safe',
]);
/** Class-based view mixins that admit only a logged-in session user. */
const LOGIN_MIXIN = /(^|\.)(LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|AccessMixin)$/;

const NO_COOKIE_REASON =
  'no session-cookie authentication seen: no login decorator or mixin, no read of request.user, the session or cookies';

export default defineRule({
  id: 'python/csrf-exempt-view',
  title: 'View exempted from CSRF protection',
  cwe: 352,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['csrf_exempt', 'exempt'],
  description:
    "A view is taken out of the framework's CSRF protection (`@csrf_exempt` in Django, `@csrf.exempt` in " +
    "Flask-WTF or SeaSurf). If it changes state and authenticates with cookies, another site can make the user's " +
    'browser submit requests to it. Views that show no cookie authentication (API-key or signature checks, ' +
    'webhooks, signed links) are reported at low severity and confidence only.',
  fix: 'Remove the exemption and send the CSRF token from forms and JavaScript clients; for machine-to-machine endpoints, authenticate each request with a signature or token instead of cookies.',
  example: {
    bad: '@csrf_exempt\n@login_required\ndef transfer(request): ...',
    good: '@login_required\n@require_POST\ndef transfer(request): ...  # the template sends {% csrf_token %}',
  },
  check({ module, report }) {
    const isExempt = (expr: Node | undefined | null): boolean => {
      if (!expr) return false;
      const q = module.qualifiedName(expr);
      if (q === DJANGO_EXEMPT || (q !== undefined && EXTENSION_EXEMPT.test(q))) return true;
      // @method_decorator(csrf_exempt, name="dispatch")
      if (expr.type !== 'call') return false;
      const fn = expr.childForFieldName('function');
      const first = expr.childForFieldName('arguments')?.namedChildren[0];
      return !!fn && module.qualifiedName(fn) === METHOD_DECORATOR && !!first && isExempt(first);
    };
    const exemptDecorator = (def: Node): Node | undefined =>
      decoratorsOf(def).find((d) => isExempt(decoratorExpression(d)));
    const describe = (exempt: Node, target: string, evidence: CookieEvidence | undefined) => {
      const code = `\`${exempt.text.replace(/\s+/g, ' ')}\``;
      if (evidence) {
        const line = evidence.node.startPosition.row + 1;
        return {
          node: exempt,
          message: `${code} turns off CSRF protection for ${target}, which authenticates with the session cookie (\`${evidence.what}\`, line ${line}): another site can make a logged-in user's browser send it requests.`,
          confidenceReason: `the view relies on the session cookie: \`${evidence.what}\` (line ${line})`,
        };
      }
      return {
        node: exempt,
        severity: 'low' as const,
        confidence: 'low' as const,
        message: `${code} turns off CSRF protection for ${target}, which shows no session-cookie authentication (no login decorator, no \`request.user\`, session or cookie read): a risk only if code it calls relies on the cookie.`,
        confidenceReason: NO_COOKIE_REASON,
      };
    };

    for (const call of module.calls) {
      // Decorators are reported on the decorated definition below.
      if (call.node.parent?.type === 'decorator') continue;
      const fn = call.node.childForFieldName('function');
      if (!fn || module.qualifiedName(fn) === METHOD_DECORATOR || !isExempt(fn) || !call.args[0]) continue;
      const view = call.args[0];
      report(describe(call.node, `\`${view.text}\``, viewEvidence(view, module)));
    }
    for (const def of module.file.tree.rootNode.descendantsOfType('function_definition')) {
      if (!def) continue;
      const exempt = exemptDecorator(def);
      if (!exempt || safeOnly(def, module)) continue;
      const name = def.childForFieldName('name')?.text ?? '?';
      const reapplied = reappliedProtection(def, module);
      if (reapplied) {
        const line = reapplied.startPosition.row + 1;
        report({
          node: exempt,
          severity: 'low',
          confidence: 'low',
          message: `\`${exempt.text.replace(/\s+/g, ' ')}\` turns off the middleware's CSRF check for view \`${name}\`, which applies \`csrf_protect\` itself (line ${line}) to what it dispatches: a risk only on a path that reaches the session without it.`,
          confidenceReason: `the view wraps its targets in csrf_protect (line ${line})`,
        });
        continue;
      }
      report(describe(exempt, `view \`${name}\``, cookieAuthEvidence(def, module)));
    }
    for (const cls of module.file.tree.rootNode.descendantsOfType('class_definition')) {
      if (!cls) continue;
      const exempt = exemptDecorator(cls);
      if (!exempt) continue;
      const name = cls.childForFieldName('name')?.text ?? '?';
      report(describe(exempt, `view \`${name}\``, classEvidence(cls, module)));
    }
  },
});

const DJANGO_PROTECT = 'django.views.decorators.csrf.csrf_protect';

/**
 * A call of Django's `csrf_protect` in the view's own body: a dispatcher that takes the middleware's
 * check off to run it itself where the request authenticates with the session
 * (`target = csrf_protect(session_view(target))`), and leaves it off for API keys.
 */
function reappliedProtection(def: Node, module: PythonModule): Node | undefined {
  return (
    def
      .childForFieldName('body')
      ?.descendantsOfType('call')
      .find((c) => {
        const fn = c?.childForFieldName('function');
        return !!fn && module.qualifiedName(fn) === DJANGO_PROTECT;
      }) ?? undefined
  );
}

/** Whether the view answers only safe methods (`@require_GET`, `@require_http_methods(["GET"])`). */
function safeOnly(def: Node, module: PythonModule): boolean {
  return decoratorsOf(def).some((d) => {
    const e = decoratorExpression(d);
    const q = e
      ? module.qualifiedName(e.type === 'call' ? (e.childForFieldName('function') ?? e) : e)
      : undefined;
    if (q && SAFE_ONLY.has(q)) return true;
    return (
      q === 'django.views.decorators.http.require_http_methods' &&
      !/POST|PUT|PATCH|DELETE/i.test(e?.text ?? '')
    );
  });
}

/** The cookie evidence of a view named in `csrf_exempt(view)`: a function or `View.as_view()` of this module. */
function viewEvidence(view: Node, module: PythonModule): CookieEvidence | undefined {
  const fn = localFunction(view, module);
  if (fn) return cookieAuthEvidence(fn, module);
  // SomeView.as_view(...)
  const callee = view.type === 'call' ? view.childForFieldName('function') : null;
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  if (object?.type !== 'identifier') return undefined;
  const def = module.singleDefinition(object);
  return def?.type === 'class_definition' ? classEvidence(def, module) : undefined;
}

/** The cookie evidence of a class-based view: a login mixin among its bases, or any of its methods. */
function classEvidence(cls: Node, module: PythonModule): CookieEvidence | undefined {
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (base && LOGIN_MIXIN.test(module.qualifiedName(base) ?? base.text))
      return { what: base.text, node: base };
  }
  for (const def of cls.childForFieldName('body')?.namedChildren ?? []) {
    const fn = def?.type === 'decorated_definition' ? def.childForFieldName('definition') : def;
    if (fn?.type !== 'function_definition') continue;
    const found = cookieAuthEvidence(fn, module);
    if (found) return found;
  }
  return undefined;
}
