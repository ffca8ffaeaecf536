import { isTestFile } from '../../test-files.js';
import { callLabel } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { importsAny, isDevelopmentEntry, underMainGuard } from '../../helpers/module.js';
import { stringValue } from '../../helpers/constants.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Confidence } from '../../../../core/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const FLASK_APP = 'flask.Flask()';

/** How sure we are that `object` is a Flask application: resolved, or named like one in a Flask module. */
function flaskAppConfidence(
  object: Node,
  module: PythonModule,
  flaskImported: boolean,
): Confidence | undefined {
  const q = module.qualifiedName(object);
  if (q === FLASK_APP) return 'high';
  if (q === undefined && flaskImported && /(^|\.)(app|application)$/.test(object.text)) return 'medium';
  // The application factory convention: `app = create_app(); app.run(...)`.
  if (q !== undefined && /(^|\.)(create|make|build|get)_?app(lication)?\(\)$/.test(q)) return 'medium';
  return undefined;
}

/** Addresses only this machine can reach. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * A debug server that only a developer starts (a `__main__` block, its `main()`, a launcher script)
 * and that listens on the loopback interface (Flask's default): nobody else can reach its console.
 */
function localDevelopmentServer(call: CallSite, module: PythonModule, path: string): boolean {
  if (!isDevelopmentEntry(call.node, path)) return false;
  const host = call.argument(0, 'host', 'hostname');
  if (!host) return !call.hasSplat;
  const value = stringValue(host, module);
  return value !== undefined && LOOPBACK.has(value);
}

/** A condition that tests the program's debug or development switch, not its negation. */
const DEBUG_SWITCH = /(^|[^a-z])(debug|development|dev_mode|devmode)([^a-z]|$)/i;

/**
 * Whether debug mode is only turned on inside `if <debug setting>:` (`if settings.debug:
 * app.run(debug=True)`): whoever runs the program switched it on; the code ships with it off.
 */
function underDebugSwitch(node: Node): boolean {
  for (let n: Node | null = node; n?.parent; n = n.parent) {
    const parent: Node = n.parent;
    if (parent.type !== 'if_statement' && parent.type !== 'elif_clause') continue;
    if (parent.childForFieldName('consequence')?.id !== n.id) continue;
    const condition = parent.childForFieldName('condition');
    if (condition && condition.type !== 'not_operator' && DEBUG_SWITCH.test(condition.text)) return true;
  }
  return false;
}

function lower(c: Confidence, node: Node): Confidence {
  // `if __name__ == "__main__": app.run(debug=True)` usually only runs on a developer's machine.
  return underMainGuard(node) && c === 'high' ? 'medium' : c;
}

export default defineRule({
  id: 'python/flask-debug-mode',
  title: 'Flask application runs with the debugger enabled',
  cwe: 489,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['flask', 'Flask', 'werkzeug'],
  description:
    "In debug mode Flask serves Werkzeug's interactive debugger: an error page with a Python console. " +
    'Anyone who can reach the server and trigger an exception (or guess the PIN, derived from ' +
    'machine data) can run code on it; tracebacks also show source, paths and settings.',
  fix:
    'Leave debug off in code and enable it only on a developer machine, e.g. with the `flask run --debug` ' +
    'command or FLASK_DEBUG=1 in a local environment; serve production with a WSGI server (gunicorn, uwsgi).',
  example: {
    bad: 'app.run(host="0.0.0.0", debug=True)',
    good: 'app.run(host="127.0.0.1")  # debug via `flask run --debug` locally',
  },
  check({ file, module, report }) {
    // Tests turn debug on to see tracebacks; that code never serves anyone.
    if (isTestFile(file.path)) return;
    const flaskImported = importsAny(module, ['flask'], { moduleLevel: true });
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      if (call.methodName === 'run' && call.receiver && isConstantTrue(call.kwargs.get('debug'), module)) {
        const c = flaskAppConfidence(call.receiver, module, flaskImported);
        if (c) {
          const local = localDevelopmentServer(call, module, file.path);
          const switched = underDebugSwitch(call.node);
          report({
            node: call.node,
            confidence: lower(c, call.node),
            hygiene: local || switched,
            confidenceReason: local
              ? 'debug=True is written in the call, in a development entry point bound to the loopback address'
              : switched
                ? "debug=True is written in the call, in a branch taken only when the program's debug setting is on"
                : 'debug=True is written in the call',
            message: `${callLabel(call, module)} starts the Flask server with \`debug=True\`: the Werkzeug debugger lets anyone who reaches an error page run Python code.`,
          });
        }
        continue;
      }
      if (
        /^werkzeug(\.serving)?\.run_simple$/.test(callee) &&
        isConstantTrue(call.kwargs.get('use_debugger'), module)
      ) {
        report({
          node: call.node,
          confidence: lower('high', call.node),
          message: `${callLabel(call, module)} is called with \`use_debugger=True\`: the Werkzeug debugger lets anyone who reaches an error page run Python code.`,
        });
        continue;
      }
      if (
        /^werkzeug(\.debug)?\.DebuggedApplication$/.test(callee) &&
        isConstantTrue(call.kwargs.get('evalex'), module)
      ) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} is created with \`evalex=True\`: its error pages include an interactive Python console.`,
        });
        continue;
      }
      // app.config.update(DEBUG=True), app.config.from_mapping(DEBUG=True)
      if (
        (call.methodName === 'update' || call.methodName === 'from_mapping') &&
        isConstantTrue(call.kwargs.get('DEBUG'), module)
      ) {
        const config = call.receiver;
        const app =
          config?.type === 'attribute' && config.childForFieldName('attribute')?.text === 'config'
            ? config.childForFieldName('object')
            : null;
        const c = app ? flaskAppConfidence(app, module, flaskImported) : undefined;
        if (c) {
          report({
            node: call.node,
            confidence: c,
            message: `\`${codeOf(call.node)}\` turns on Flask debug mode and with it the Werkzeug debugger.`,
          });
        }
      }
    }
    for (const a of module.file.tree.rootNode.descendantsOfType('assignment')) {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (!a || !left || !right || !isConstantTrue(right, module)) continue;
      let app: Node | null = null;
      if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug') {
        app = left.childForFieldName('object');
      } else if (
        left.type === 'subscript' &&
        /^['"]DEBUG['"]$/.test(left.childForFieldName('subscript')?.text ?? '')
      ) {
        const config = left.childForFieldName('value');
        if (config?.type === 'attribute' && config.childForFieldName('attribute')?.text === 'config') {
          app = config.childForFieldName('object');
        }
      }
      const c = app ? flaskAppConfidence(app, module, flaskImported) : undefined;
      if (!c) continue;
      const switched = underDebugSwitch(a);
      report({
        node: a,
        confidence: lower(c, a),
        hygiene: switched,
        ...(switched
          ? { confidenceReason: "debug is set in a branch taken only when the program's debug setting is on" }
          : {}),
        message: `\`${codeOf(a)}\` turns on Flask debug mode and with it the Werkzeug debugger.`,
      });
    }
  },
});
