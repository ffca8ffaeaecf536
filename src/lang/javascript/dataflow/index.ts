/**
 * The JavaScript/TypeScript dataflow front end: the project pass over the core, the query bound to
 * the language's function nodes, and the sink matcher over the models' sinks.
 */
import { ProjectSummaries } from '../../../dataflow/project.js';
import { describeSource, type ForwardedCall, type TaintQuery } from '../../../dataflow/query.js';
import { placeOf, reportedAtCallers, withForwards } from '../../../dataflow/forwards.js';
import type { TaintHit } from '../../../dataflow/sinks.js';
import type { Node } from '../../../parsing/parser.js';
import type { TaintOptions } from '../../../dataflow/specs.js';
import type { DataflowFrontEnd, DataflowProject } from '../../language.js';
import type { TaintRuleSpec } from '../../../rules/rule.js';
import { callLabel, writtenCallee } from '../helpers/calls.js';
import { objectProperties } from '../helpers/objects.js';
import type { Trust } from '../../../dataflow/specs.js';
import { namesSink, sinkKey, sinksOf, type JsSink } from '../models/sinks.js';
import type { JsModule } from '../semantic/model.js';
import { FUNCTION_TYPES } from '../semantic/scope.js';
import { entryHint, JsInterpreter, type JsUnit } from './interpreter.js';
import { enclosingFunction, JsForwards } from './forwards.js';
import type { ProjectModules } from '../../../dataflow/project.js';

function project(modules: ProjectModules<JsUnit>, options?: TaintOptions): DataflowProject {
  const it = new JsInterpreter(modules, options);
  it.run();
  const forwards = new JsForwards(it).compute();
  const summaries = new ProjectSummaries(modules, it);
  return {
    loadedPaths: () => summaries.loadedPaths(),
    fileData: (path) => {
      const mod = summaries.moduleOf(path);
      return withForwards(summaries.fileData(path), mod === undefined ? undefined : forwards.get(mod));
    },
  };
}

/** Whether a wrapper's inner call is one of a sink's, receiving the caller's value where the sink's data goes. */
function forwardReaches(fw: ForwardedCall, sink: JsSink): boolean {
  const dot = fw.callee && fw.method ? fw.callee.lastIndexOf(`.${fw.method}`) : -1;
  const receivers = (): string[] => [
    ...(fw.receiver !== undefined ? [fw.receiver] : []),
    ...(dot > 0 ? [fw.callee!.slice(0, dot)] : []),
  ];
  return (
    namesSink(sink, fw.callee, fw.method, receivers) &&
    (sink.args ?? [0]).includes(fw.arg.index) &&
    !fw.safeFor?.includes(sinkKey(sink))
  );
}

/** The calls of a module that match a sink, with the dangerous argument a source reaches. */
export function taintedSinks(
  module: JsModule,
  taint: TaintQuery,
  sinks: readonly JsSink[],
  cwe: number,
): TaintHit<JsSink>[] {
  const hits: TaintHit<JsSink>[] = [];
  // Whoever runs the program acts with their own privileges unless the config says otherwise.
  const trust =
    taint.options.operatorInput === 'untrusted'
      ? undefined
      : (['user', 'admin', 'environment', 'files', 'sockets'] as const);
  for (const sink of sinks) {
    if (sink.assigns || sink.jsx) {
      hits.push(...writtenSinks(module, taint, sink, sink.traceCwe ?? cwe, trust));
      continue;
    }
    const traceCwe = sink.traceCwe ?? cwe;
    const traceOptions = { cwe: traceCwe, ...(trust ? { trust } : {}) };
    for (const call of module.calls) {
      const byName = namesSink(sink, call.callee, call.methodName, () => receiversOf(call.receiver, module));
      if (!byName) continue;
      if (sink.unless?.(call, module)) continue;
      const args = sink.parts ? sink.parts(call, module) : (sink.args ?? [0]).map((i) => call.args[i]);
      for (const arg of args) {
        if (!arg || sink.skipArg?.(arg, module)) continue;
        const trace = taint.trace(arg, traceOptions);
        if (trace.kind !== 'tainted') continue;
        // A wrapper's parameter handed on: its callers' calls are reported, where the value is built.
        if (reportedAtCallers(taint, arg, trace, enclosingFunction(call.node), module.file.path)) continue;
        const label = callLabel(call, module);
        hits.push({
          node: call.node,
          arg,
          sinkLabel: label,
          spec: sink,
          trace,
          flow: taint.flowTo(trace, call.node, `reaches ${label} as the ${sink.what}`),
          sourceText: describeSource(trace.sources[0]),
        });
        break;
      }
    }
    // Calls of project functions that hand an argument on to the sink unchanged.
    for (const call of sink.parts ? [] : module.calls) {
      for (const fw of taint.forwards?.(call.node) ?? []) {
        if (!forwardReaches(fw, sink) || fw.san?.includes(traceCwe)) continue;
        const arg = call.args[fw.param.index];
        if (!arg || sink.skipArg?.(arg, module)) continue;
        const trace = taint.trace(arg, traceOptions);
        if (trace.kind !== 'tainted') continue;
        if (reportedAtCallers(taint, arg, trace, enclosingFunction(call.node), module.file.path)) continue;
        const label = `\`${writtenCallee(call)}\``;
        hits.push({
          node: call.node,
          arg,
          sinkLabel: `${label} (through ${fw.label}, ${placeOf(fw)})`,
          spec: sink,
          trace,
          flow: [
            ...taint.flowTo(trace, call.node, `passed to ${label}`),
            { location: fw.location, note: `reaches ${fw.label} as the ${sink.what}` },
          ],
          sourceText: describeSource(trace.sources[0]),
        });
        break;
      }
    }
  }
  return hits;
}

/** Sinks written rather than called: assignments to a property, JSX attributes. */
function writtenSinks(
  module: JsModule,
  taint: TaintQuery,
  sink: JsSink,
  cwe: number,
  trust: readonly Trust[] | undefined,
): TaintHit<JsSink>[] {
  const hits: TaintHit<JsSink>[] = [];
  const root = module.file.tree.rootNode;
  const sites: { node: Node; arg: Node; label: string }[] = [];
  // Markup appended (`el.innerHTML += x`) is parsed as markup too; a URL appended to keeps its start.
  const types =
    sink.concept === 'dom-html'
      ? ['assignment_expression', 'augmented_assignment_expression']
      : ['assignment_expression'];
  if (sink.assigns)
    for (const a of root.descendantsOfType(types)) {
      if (a.type === 'augmented_assignment_expression' && a.childForFieldName('operator')?.text !== '+=')
        continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      const property =
        left?.type === 'member_expression' ? left.childForFieldName('property')?.text : undefined;
      if (right && property !== undefined && sink.assigns.includes(property))
        sites.push({ node: a, arg: right, label: `\`${left!.text}\`` });
    }
  if (sink.jsx)
    for (const attr of root.descendantsOfType('jsx_attribute')) {
      const [name, value] = attr.namedChildren;
      if (name?.text !== sink.jsx.attribute || value?.type !== 'jsx_expression') continue;
      const element = attr.parent?.childForFieldName('name')?.text;
      if (sink.jsx.elements && (element === undefined || !sink.jsx.elements.includes(element))) continue;
      const object = value.namedChildren[0];
      if (sink.jsx.key === undefined) {
        if (object) sites.push({ node: attr, arg: object, label: `\`<${element} ${sink.jsx.attribute}>\`` });
        continue;
      }
      const pair = object?.type === 'object' ? objectProperties(object, module).get(sink.jsx.key) : undefined;
      if (pair) sites.push({ node: attr, arg: pair.value, label: `\`${sink.jsx.attribute}\`` });
    }
  for (const { node, arg, label } of sites) {
    const trace = taint.trace(arg, { cwe, ...(trust ? { trust } : {}) });
    if (trace.kind !== 'tainted') continue;
    hits.push({
      node,
      arg,
      sinkLabel: label,
      spec: sink,
      trace,
      flow: taint.flowTo(trace, node, `reaches ${label} as the ${sink.what}`),
      sourceText: describeSource(trace.sources[0]),
    });
  }
  return hits;
}

/**
 * A receiver as written (`db`) and by its canonical name (`mysql2.createConnection()`). A name
 * bound to a module of the project itself (`db` imported from `../database`) is known by its
 * canonical name alone: what that module's functions do is analysed, not guessed from the name.
 */
function receiversOf(receiver: Node | undefined, module: JsModule): string[] {
  if (!receiver) return [];
  const canonical = module.qualifiedName(receiver);
  if (canonical !== undefined && projectImport(receiver, module)) return [canonical];
  return canonical !== undefined ? [receiver.text, canonical] : [receiver.text];
}

export const dataflow: DataflowFrontEnd<JsModule> = {
  functionTypes: FUNCTION_TYPES,
  mayHoldEntryPoint: (options) => {
    return entryHint(options);
  },
  project,
  tracedSinks: (module, taint, spec: TaintRuleSpec, cwe) =>
    spec.concepts?.length ? taintedSinks(module, taint, sinksOf(spec.concepts), cwe) : [],
};

/** Whether a name is bound to a module the code imports by a relative path. */
function projectImport(name: Node, module: JsModule): boolean {
  if (name.type !== 'identifier') return false;
  const bindings = module.bindingsOf(name);
  const b = bindings?.length === 1 ? bindings[0] : undefined;
  let spec: string | undefined;
  if (b?.kind === 'value') spec = /^require\(\s*(['"][^'"]*['"])\s*\)$/.exec(b.value.text)?.[1];
  else if (b?.kind === 'import') {
    let n: Node | null = b.node;
    while (n && n.type !== 'import_statement') n = n.parent;
    spec = n?.childForFieldName('source')?.text;
  }
  return spec !== undefined && /^['"]\.\.?\//.test(spec);
}
