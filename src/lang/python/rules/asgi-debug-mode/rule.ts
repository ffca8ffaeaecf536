import { isTestFile } from '../../test-files.js';
import { calleeLabel } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { defineRule } from '../../../../rules/rule.js';

/** ASGI application classes whose `debug` flag turns on traceback pages. */
const APPS = new Set([
  'fastapi.FastAPI',
  'fastapi.applications.FastAPI',
  'starlette.applications.Starlette',
  'quart.Quart',
]);

export default defineRule({
  id: 'python/asgi-debug-mode',
  title: 'FastAPI or Starlette application created with debug=True',
  cwe: 209,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['FastAPI', 'Starlette', 'fastapi', 'starlette'],
  description:
    "With `debug=True`, Starlette's ServerErrorMiddleware (which FastAPI uses) answers every unhandled " +
    'exception with the full traceback: source lines, file paths and local values reach whoever ' +
    'triggered the error. It is the FastAPI/Starlette counterpart of Flask debug mode, without the ' +
    'interactive console.',
  fix: 'Leave `debug` off in code (the default) and turn it on only for local development, e.g. from an environment setting that defaults to False.',
  example: {
    bad: 'app = FastAPI(debug=True)',
    good: 'app = FastAPI(debug=settings.debug)  # False unless set for local development',
  },
  check({ file, module, report }) {
    if (isTestFile(file.path)) return;
    for (const call of module.calls) {
      if (call.callee && APPS.has(call.callee) && isConstantTrue(call.kwargs.get('debug'), module)) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} is created with \`debug=True\`: unhandled exceptions are answered with their traceback.`,
        });
      }
    }
    // `app.debug = True` on an application resolved to one of the classes above.
    for (const assign of file.tree.rootNode.descendantsOfType('assignment')) {
      if (!assign) continue;
      const left = assign.childForFieldName('left');
      const right = assign.childForFieldName('right');
      if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'debug') continue;
      const object = left.childForFieldName('object');
      const q = object ? module.qualifiedName(object) : undefined;
      if (!q || !APPS.has(q.replace(/\(\)$/, '')) || !q.endsWith('()')) continue;
      if (!isConstantTrue(right ?? undefined, module)) continue;
      report({
        node: assign,
        message: `\`${codeOf(left)}\` turns on debug mode of \`${q.slice(0, -2)}\`: unhandled exceptions are answered with their traceback.`,
      });
    }
  },
});
