import { isTestFile } from '../../test-files.js';
import { dictEntries } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { classAssignments, importsAny } from '../../helpers/module.js';
import { hardcodedSecret, type HardcodedSecret } from '../../helpers/security.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Configuration keys that hold a signing key in Flask and its extensions. */
const KEYS = new Set(['SECRET_KEY', 'JWT_SECRET_KEY', 'WTF_CSRF_SECRET_KEY', 'SECURITY_PASSWORD_SALT']);

const SESSION_MIDDLEWARE = new Set([
  'starlette.middleware.sessions.SessionMiddleware',
  'fastapi.middleware.sessions.SessionMiddleware',
]);

export default defineRule({
  id: 'python/hardcoded-app-secret-key',
  title: 'Flask or Starlette session signing key hard-coded',
  cwe: 321,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['secret_key', 'SECRET_KEY', 'SECURITY_PASSWORD_SALT'],
  description:
    'Flask (`app.secret_key`, `app.config["SECRET_KEY"]`, a `Config` class attribute) and Starlette/FastAPI ' +
    '(`SessionMiddleware(secret_key=...)`) sign the session cookie with this key. Whoever knows it, which ' +
    'means anyone with the source or its history, can forge a session for any user.',
  fix: 'Load the key from the environment or a secrets manager at start-up (no literal fallback) and rotate the committed one.',
  example: {
    bad: "app.secret_key = 'dev'",
    good: "app.secret_key = os.environ['FLASK_SECRET_KEY']",
  },
  check({ file, module, report }) {
    const web = importsAny(module, ['flask', 'quart', 'starlette', 'fastapi']);
    const found = (node: Node, key: string, secret: HardcodedSecret | undefined): void => {
      if (!secret) return;
      // `SECRET_KEY = "SECRET_KEY"` in a class of configuration key names: the name, not a key.
      if (secret.value === key.split('.').pop()) return;
      report({
        node,
        confidence: secret.fallback ? 'medium' : 'high',
        message: secret.fallback
          ? `\`${key}\` falls back to the literal ${codeOf(secret.literal, 24)} when the environment variable is unset; anyone with the source can forge session cookies.`
          : `\`${key}\` is set to the literal ${codeOf(secret.literal, 24)}; anyone with the source can forge session cookies signed with it.`,
      });
    };
    if (web) {
      for (const n of file.tree.rootNode.descendantsOfType('assignment')) {
        const left = n?.childForFieldName('left');
        const right = n?.childForFieldName('right');
        if (!n || !left || !right) continue;
        if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'secret_key') {
          found(n, left.text, hardcodedSecret(right, module));
        } else if (
          left.type === 'subscript' &&
          /(^|\.)config$/.test(left.childForFieldName('value')?.text ?? '')
        ) {
          const key = left.childForFieldName('subscript')?.text.replace(/['"]/g, '') ?? '';
          if (KEYS.has(key)) found(n, left.text, hardcodedSecret(right, module));
        }
      }
    }
    for (const call of module.calls) {
      if (web && (call.methodName === 'update' || call.methodName === 'from_mapping')) {
        if (!/(^|\.)config$/.test(call.receiver?.text ?? '') && call.methodName === 'update') continue;
        for (const [k, v] of call.kwargs) if (KEYS.has(k)) found(call.node, k, hardcodedSecret(v, module));
        const mapping = call.args[0];
        if (mapping)
          for (const [k, v] of dictEntries(mapping, module))
            if (KEYS.has(k)) found(call.node, k, hardcodedSecret(v, module));
        continue;
      }
      const isMiddleware = call.callee !== undefined && SESSION_MIDDLEWARE.has(call.callee);
      const added =
        call.methodName === 'add_middleware' &&
        call.args[0] &&
        SESSION_MIDDLEWARE.has(module.qualifiedName(call.args[0]) ?? '');
      if (isMiddleware || added) {
        const key = call.argument(isMiddleware ? 1 : -1, 'secret_key');
        if (key) found(call.node, 'SessionMiddleware secret_key', hardcodedSecret(key, module));
      }
    }
    if (isTestFile(file.path)) return;
    // Flask's configuration-class convention: `class ProductionConfig: SECRET_KEY = '...'`.
    for (const cls of file.tree.rootNode.descendantsOfType('class_definition')) {
      const name = cls?.childForFieldName('name')?.text ?? '';
      if (!cls || !/config/i.test(name) || /test|dev|local/i.test(name)) continue;
      for (const a of classAssignments(cls))
        if (KEYS.has(a.name)) found(a.node, `${name}.${a.name}`, hardcodedSecret(a.value, module));
    }
  },
});
