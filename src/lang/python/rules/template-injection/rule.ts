import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { fixedTextOf } from '../../helpers/fixed-text.js';
import { fixedOrigin, ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';
import { isSinkCall } from '../../dataflow/sinks.js';
import { sinkArgument } from '../../models/concepts.js';
import { sinksOf } from '../../models/index.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { storedTextLoader, unsandboxedEnvironment } from './stored-loaders.js';

/** The models' template compilations whose engine is not sandboxed. */
const SINKS = sinksOf('template-compilation').filter((s) => !s.sandboxed);

/** Methods that read a file's contents (`path.read_text()`, `open(p).read()`, `pkgutil.get_data`). */
const FILE_READS = new Set(['read_text', 'read', 'read_bytes', 'get_data', 'decode']);

/**
 * Template text read from a file (`TEMPLATE.read_text()`): the program's own template or one its
 * operator installed, as with `Environment(loader=FileSystemLoader(...))`, not text a user wrote.
 */
function readFromFile(node: Node, module: PythonModule, hops = 0): boolean {
  const v = node.type === 'identifier' ? module.singleValue(node) : node;
  if (v?.type !== 'call' || hops > 2) return false;
  const fn = v.childForFieldName('function');
  if (fn?.type !== 'attribute' || !FILE_READS.has(fn.childForFieldName('attribute')?.text ?? ''))
    return false;
  const receiver = fn.childForFieldName('object');
  if (!receiver) return false;
  // `.decode()` of what was read: look at what it decodes.
  if (fn.childForFieldName('attribute')?.text === 'decode') return readFromFile(receiver, module, hops + 1);
  return true;
}

/**
 * Unsandboxed environments whose loader serves stored text (see stored-loaders.ts), reported where
 * the environment is chosen (the call, or the base of a project subclass), once per place.
 */
function reportStoredLoaders(module: PythonModule, report: (d: ReportDescriptor) => void): void {
  const reported = new Set<number>();
  for (const call of module.calls) {
    const loader = call.kwargs.get('loader');
    const env = loader && unsandboxedEnvironment(call, module);
    const stored = env && storedTextLoader(loader, module);
    if (!env || !stored || reported.has(env.node.id)) continue;
    reported.add(env.node.id);
    const name = stored.childForFieldName('name')?.text ?? 'loader';
    report({
      node: env.node,
      severity: 'medium',
      confidence: 'medium',
      message:
        `${env.label} is not sandboxed and compiles the templates that \`${name}.get_source\` serves ` +
        `(text the application stores, not a file it ships); whoever can edit that text runs code in the ` +
        `server through template expressions.`,
      confidenceReason: `the loader's \`get_source\` reads no file: its templates are stored data that users or administrators edit through the application`,
    });
  }
}

/**
 * Unsandboxed environments this module makes at module level (`env = Environment(...)`) that other
 * modules of the project import and compile non-constant template text with (`env.from_string(text)`
 * in an excerpt of theirs, see semantic/excerpts.ts): reported where the environment is made, once,
 * naming the first such call. The text's origin is not traced there, so the finding is low as for an
 * unknown origin; text the other module reads from a file, a constant or the operator's input is not
 * reported.
 */
function reportImportedEnvironments(module: PythonModule, report: (d: ReportDescriptor) => void): void {
  const reported = new Set<number>();
  for (const importer of module.neighbours?.importers() ?? []) {
    for (const call of importer.calls) {
      const sink = call.receiver && SINKS.find((s) => isSinkCall(call, s));
      const made = sink && call.receiver ? importer.importedValue(call.receiver) : undefined;
      if (!sink || made?.module !== module || reported.has(made.value.id)) continue;
      const env = module.calls.find((c) => c.node.id === made.value.id);
      const chosen = env && unsandboxedEnvironment(env, module);
      const source = sinkArgument(call, sink);
      if (!chosen || !source || constantValue(source, importer) !== undefined) continue;
      if (readFromFile(source, importer)) continue;
      const origin = fixedOrigin(fixedTextOf(source, importer), importer);
      if (origin.kind !== 'unknown') continue;
      reported.add(made.value.id);
      const where = importer.contextOf(call.node);
      report({
        node: made.value,
        severity: 'low',
        confidence: 'low',
        message:
          `${chosen.label} is not sandboxed, and \`${importer.file.path}\` compiles template text with it ` +
          `that is not constant: \`${codeOf(call.node, 60)}\` (line ${call.node.startPosition.row + 1}` +
          `${where ? `, in \`${where}\`` : ''}); ${origin.why}. Whoever writes that text runs code in the ` +
          `server through template expressions.`,
        confidenceReason: `the text's origin is not traced into the module that compiles it`,
      });
    }
  }
}

export default defineRule({
  id: 'python/template-injection',
  title: 'Template source built from non-constant data is compiled',
  cwe: 1336,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['Template', 'from_string', 'render_template_string', 'get_source', 'Environment'],
  description:
    'Jinja2, Mako, Cheetah and Flask compile template text into code that runs in the server: `{{ ... }}` ' +
    'expressions reach Python objects, and from them the interpreter (`{{ cycler.__init__.__globals__ }}`). ' +
    'Whoever writes the template (a notification body, a prompt, an export format a user can edit) runs ' +
    'code with the application’s rights (server-side template injection). An unsandboxed environment whose ' +
    'loader serves text the application stores (a project `BaseLoader` whose `get_source` reads no file) is ' +
    'reported at medium where the environment is chosen.' +
    ORIGIN_POLICY,
  fix:
    'Keep template text constant and pass data as render variables; templates that users must write go ' +
    'through jinja2.sandbox.SandboxedEnvironment (or ImmutableSandboxedEnvironment), never a plain ' +
    'Environment or render_template_string.',
  example: {
    bad: 'Environment().from_string(settings.notification_body).render(watch=watch)',
    good: 'SandboxedEnvironment().from_string(settings.notification_body).render(watch=watch)',
  },
  taint: { concepts: ['template-compilation'], tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const call of module.calls) {
      const sink = SINKS.find((s) => isSinkCall(call, s));
      if (!sink) continue;
      const source = sinkArgument(call, sink);
      if (!source || constantValue(source, module) !== undefined) continue;
      const origin = originOf(source, module, taint, 1336);
      // A file the program reads is its own template, unless the request is proven to be in it (an upload).
      if (origin.kind !== 'attacker' && readFromFile(source, module)) continue;
      const label = callLabel(call, module);
      reportByOrigin(origin, taint, report, {
        node: call.node,
        head: (from) => `${label} compiles a template built from ${from}`,
        tail: 'whoever writes that text runs code in the server through template expressions.',
        flowNote: `reaches ${label} as template source`,
        unknownFrom: `non-constant \`${codeOf(source)}\``,
      });
    }
    reportStoredLoaders(module, report);
    reportImportedEnvironments(module, report);
  },
});
