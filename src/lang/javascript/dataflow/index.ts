/**
 * The JavaScript/TypeScript dataflow front end: the project pass over the core, the query bound to
 * the language's function nodes, and the sink matcher over the models' sinks.
 */
import { ProjectSummaries } from '../../../dataflow/project.js';
import { describeSource, type TaintQuery } from '../../../dataflow/query.js';
import type { TaintHit } from '../../../dataflow/sinks.js';
import type { Node } from '../../../parsing/parser.js';
import type { TaintOptions } from '../../../dataflow/specs.js';
import type { DataflowFrontEnd, DataflowProject } from '../../language.js';
import type { TaintRuleSpec } from '../../../rules/rule.js';
import { callLabel } from '../helpers/calls.js';
import { objectProperties } from '../helpers/objects.js';
import type { Trust } from '../../../dataflow/specs.js';
import { sinksOf, type JsSink } from '../models/sinks.js';
import type { JsModule } from '../semantic/model.js';
import { FUNCTION_TYPES } from '../semantic/scope.js';
import { entryHint, JsInterpreter, type JsUnit } from './interpreter.js';
import type { ProjectModules } from '../../../dataflow/project.js';

function project(modules: ProjectModules<JsUnit>, options?: TaintOptions): DataflowProject {
  const it = new JsInterpreter(modules, options);
  it.run();
  return new ProjectSummaries(modules, it);
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
    for (const call of module.calls) {
      const method = call.methodName;
      const byCallee = call.callee !== undefined && sink.calls.includes(call.callee);
      const byMethod =
        method !== undefined &&
        sink.calls.includes(`.${method}`) &&
        (!sink.receiver || receiverMatches(sink.receiver, call.receiver, module));
      if (!byCallee && !byMethod) continue;
      if (sink.unless?.(call, module)) continue;
      for (const i of sink.args ?? [0]) {
        const arg = call.args[i];
        if (!arg) continue;
        const trace = taint.trace(arg, { cwe: sink.traceCwe ?? cwe, ...(trust ? { trust } : {}) });
        if (trace.kind !== 'tainted') continue;
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
  if (sink.assigns)
    for (const a of root.descendantsOfType('assignment_expression')) {
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
      const object = value.namedChildren[0];
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

/** A receiver as written (`db`) or by its canonical name (`mysql2.createConnection()`). */
function receiverMatches(pattern: RegExp, receiver: Node | undefined, module: JsModule): boolean {
  if (!receiver) return false;
  const canonical = module.qualifiedName(receiver);
  return pattern.test(receiver.text) || (canonical !== undefined && pattern.test(canonical));
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
