import { codeOf } from '../../helpers/messages.js';
import { catchesOnlyClientErrors, exceptionInfo, type ExceptionInfo } from '../../helpers/exception-info.js';
import { enclosingClassOf, enclosingFunction } from '../../helpers/functions.js';
import { importsAny } from '../../helpers/module.js';
import { isSinkCall } from '../../dataflow/sinks.js';
import { ENVIRON_ENTRY_POINTS, sinksOf } from '../../models/index.js';
import { returnedTextContentType } from '../xss/content-type.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Calls whose arguments become the response the client reads: bodies of any media type, and error details. */
const SINKS = [...sinksOf('http-response-body'), ...sinksOf('http-error-response')];

/** Every argument's value of a call (its body, its `detail`, a dict passed whole). */
function argumentValues(call: CallSite): Node[] {
  return [...call.args, ...call.kwargs.values()];
}

function parameterNames(def: Node): string[] {
  return (def.childForFieldName('parameters')?.namedChildren ?? []).map((p) =>
    p?.type === 'identifier' ? p.text : (p?.childForFieldName('name')?.text ?? ''),
  );
}

/** A WSGI application (`def app(environ, start_response)`): what it returns is the body. */
function isWsgiApplication(def: Node): boolean {
  const names = parameterNames(def);
  return ENVIRON_ENTRY_POINTS.some(
    (e) => e.returnsBody && names.includes(e.parameter) && names.includes(e.withParameter),
  );
}

/** `self.write(...)`/`self.finish(...)` in a Tornado request handler (a class whose base is a `...Handler`). */
function isHandlerOutput(call: CallSite): boolean {
  if ((call.methodName !== 'write' && call.methodName !== 'finish') || call.receiver?.text !== 'self')
    return false;
  const cls = enclosingClassOf(call.node);
  const bases = cls?.childForFieldName('superclasses')?.namedChildren ?? [];
  return bases.some((b) => b !== null && /Handler$/.test(b.text));
}

function what(info: ExceptionInfo): string {
  return info.kind === 'traceback'
    ? `the traceback (\`${codeOf(info.origin)}\`)`
    : `the text of the exception \`${info.origin.text}\` (caught as \`${info.caught}\`)`;
}

export default defineRule({
  id: 'python/error-information-exposure',
  title: 'Exception details sent to the client',
  cwe: 209,
  severity: 'low',
  confidence: 'medium',
  languages: ['python'],
  requires: ['except', 'traceback', 'exc_info'],
  description:
    'A response body or HTTP error detail holds a traceback or the text of a caught exception. Tracebacks ' +
    'show file paths, code and library versions; exception messages of databases, the file system and ' +
    'other services show queries, paths, host names and versions. The client learns how the system is ' +
    'built, which helps an attacker aim further attacks.',
  fix:
    'Log the exception on the server (`logger.exception(...)`) and send the client a generic message, with ' +
    'an error id it can quote; keep messages written for the user (validation errors) as they are.',
  example: {
    bad: 'except Exception as e:\n    return jsonify(error=str(e)), 500',
    good: 'except Exception:\n    logger.exception("export failed")\n    return jsonify(error="export failed"), 500',
  },
  check({ file, module, report }) {
    const reported = new Set<number>();
    const flag = (at: Node, value: Node, where: string): void => {
      const info = exceptionInfo(value, module);
      if (!info || reported.has(at.startPosition.row)) return;
      if (info.kind === 'message' && catchesOnlyClientErrors(info.caught ?? '')) return;
      reported.add(at.startPosition.row);
      const traceback = info.kind === 'traceback';
      report({
        node: at,
        severity: traceback ? 'medium' : 'low',
        confidence: traceback ? 'high' : 'medium',
        confidenceReason: traceback
          ? 'the traceback reaches the response in this code'
          : 'what the exception says depends on what raised it',
        message: `${where} sends ${what(info)} to the client; ${traceback ? 'it shows file paths, code and versions' : 'its message can show queries, paths, hosts or versions'}.`,
      });
    };
    const tornado = importsAny(module, ['tornado']);
    for (const call of module.calls) {
      if (tornado && isHandlerOutput(call)) {
        for (const value of call.args)
          flag(call.node, value, `\`${codeOf(call.functionNode ?? call.node, 40)}(...)\``);
        continue;
      }
      if (!SINKS.some((s) => isSinkCall(call, s))) continue;
      for (const value of argumentValues(call))
        flag(call.node, value, `\`${codeOf(call.functionNode ?? call.node, 40)}(...)\``);
    }
    // What each function's returns are sent as, read once per function.
    const kinds = new Map<number, string | undefined>();
    const kindOf = (def: Node): string | undefined => {
      if (!kinds.has(def.id)) {
        const view = returnedTextContentType(def, module as PythonModule) !== undefined;
        kinds.set(def.id, isWsgiApplication(def) ? 'WSGI application' : view ? 'view' : undefined);
      }
      return kinds.get(def.id);
    };
    for (const ret of file.tree.rootNode.descendantsOfType('return_statement')) {
      const value = ret?.firstNamedChild;
      const def = ret ? enclosingFunction(ret) : undefined;
      const kind = def ? kindOf(def) : undefined;
      if (!ret || !value || !def || !kind) continue;
      flag(ret, value, `The ${kind} \`${def.childForFieldName('name')?.text ?? '?'}\``);
    }
  },
});
