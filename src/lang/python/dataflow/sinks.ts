/**
 * Python's sink matcher: which calls and subscript stores of a module are a sink model's, and
 * whether a source reaches their dangerous argument.
 */
import type { Node } from '../../../parsing/parser.js';
import type { Trust } from '../../../dataflow/concepts.js';
import {
  describeSource,
  type ForwardedCall,
  type TaintQuery,
  type TaintTrace,
} from '../../../dataflow/query.js';
import { enclosingFunction } from '../helpers/functions.js';
import { placeOf, reportedAtCallers as sharedReportedAtCallers } from '../../../dataflow/forwards.js';
import type { TaintHit } from '../../../dataflow/sinks.js';
import { calleeLabel, writtenCallee } from '../helpers/calls.js';
import { codeOf } from '../helpers/messages.js';
import { ENTRY_OF_BASE } from './path-segments.js';
import type { TaintSinkSpec } from '../models/concepts.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';

type MatchedSink = Pick<TaintSinkSpec, 'calls' | 'receiver' | 'knownCallee' | 'notCallee'>;

interface CallPatterns {
  callees: ReadonlySet<string>;
  methods: ReadonlySet<string>;
}

/** Specs are declared once; every call of every file is matched against them. */
const patternsBySpec = new WeakMap<readonly string[], CallPatterns>();

function callPatterns(calls: readonly string[]): CallPatterns {
  let found = patternsBySpec.get(calls);
  if (!found) {
    const callees = new Set<string>();
    const methods = new Set<string>();
    for (const p of calls) {
      if (p.startsWith('.')) methods.add(p.slice(1));
      else callees.add(p);
    }
    found = { callees, methods };
    patternsBySpec.set(calls, found);
  }
  return found;
}

/**
 * `.name` matches a method of that name, anything else the qualified callee. A model's receiver
 * and callee conditions narrow the `.name` matches only. The method name and the receiver's text
 * are asked for only when needed.
 */
function namesMatch(
  callee: string | undefined,
  method: () => string | undefined,
  receiver: () => string,
  patterns: CallPatterns,
  spec: MatchedSink,
): boolean {
  if (callee !== undefined && patterns.callees.has(callee)) return true;
  if (patterns.methods.size === 0) return false;
  const name = method();
  if (name === undefined || !patterns.methods.has(name)) return false;
  if (spec.notCallee && callee !== undefined && spec.notCallee.test(callee)) return false;
  if (!spec.receiver || (spec.knownCallee && callee !== undefined && spec.knownCallee.test(callee)))
    return true;
  return spec.receiver.test(receiver());
}

function matches(call: CallSite, patterns: CallPatterns, spec: MatchedSink): boolean {
  // The method name is worked out on first read: only for specs that name methods.
  return namesMatch(
    call.callee,
    () => call.methodName,
    () => call.receiver?.text ?? '',
    patterns,
    spec,
  );
}

/** Whether a wrapper's inner call is one of a sink's, receiving the value where the sink's data goes. */
export function forwardReaches(
  fw: ForwardedCall,
  patterns: CallPatterns,
  spec: MatchedSink & Pick<TaintSinkSpec, 'args' | 'keywords'>,
): boolean {
  if (
    !namesMatch(
      fw.callee,
      () => fw.method,
      () => fw.receiver ?? '',
      patterns,
      spec,
    )
  )
    return false;
  if (fw.arg.keyword !== undefined) return (spec.keywords ?? []).includes(fw.arg.keyword);
  return (spec.args ?? [0]).includes(fw.arg.index);
}

/**
 * Whether a sink's value is a parameter that a project wrapper hands on unchanged, and every
 * source of it came in through the wrapper's parameters (its callers' data), not from a read inside
 * the function itself: the callers' calls are reported instead, where the value is built.
 */
export function reportedAtCallers(
  taint: TaintQuery,
  arg: Node,
  trace: Extract<TaintTrace, { kind: 'tainted' }>,
  at: Node,
  module: PythonModule,
): boolean {
  return sharedReportedAtCallers(taint, arg, trace, enclosingFunction(at), module.file.path);
}

/** Whether a call is one of a sink's calls, for rules whose check traces the models' sinks. */
export function isSinkCall(call: CallSite, sink: MatchedSink): boolean {
  return !!sink.calls?.length && matches(call, callPatterns(sink.calls), sink);
}

/** Whether the call's argument a sink's condition names is written as it says (`By.XPATH`). */
function argumentWritten(call: CallSite, when: NonNullable<TaintSinkSpec['whenArgument']>): boolean {
  const a = call.argument(when.index, ...(when.keyword ? [when.keyword] : []));
  return a !== undefined && when.text.test(a.text);
}

/** The values of a call's `*parts` arguments. */
function splatted(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return [];
  return list.namedChildren.flatMap((a) =>
    a?.type === 'list_splat' && a.namedChildren[0] ? [a.namedChildren[0]] : [],
  );
}

/** Whether a node is in one of a sink's methods of a class with one of its bases (see SinkBase.within). */
function insideMethod(
  node: Node,
  module: PythonModule,
  within: NonNullable<TaintSinkSpec['within']>,
): boolean {
  const def = enclosingFunction(node);
  const name = def?.childForFieldName('name')?.text;
  if (!def || !name || !within.methods.includes(name)) return false;
  if (within.returned) {
    let n: Node | null = node.parent;
    while (n && n.id !== def.id && n.type !== 'return_statement') n = n.parent;
    if (n?.type !== 'return_statement') return false;
  }
  const cls = def.parent?.type === 'decorated_definition' ? def.parent.parent : def.parent;
  if (cls?.type !== 'block' || cls.parent?.type !== 'class_definition') return false;
  return hasBase(cls.parent, module, within.bases, 0);
}

function hasBase(cls: Node, module: PythonModule, bases: readonly string[], hops: number): boolean {
  if (hops > 4) return false;
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
    const q = module.qualifiedName(base);
    if (q !== undefined && bases.includes(q)) return true;
    if (base.type !== 'identifier') continue;
    const local = module.file.tree.rootNode.namedChildren.find(
      (c) => c?.type === 'class_definition' && c.childForFieldName('name')?.text === base.text,
    );
    if (local && hasBase(local, module, bases, hops + 1)) return true;
  }
  return false;
}

/** Calls and stores matching the specs whose dangerous value is proven to come from a source. */
export function taintedSinks(
  module: PythonModule,
  taint: TaintQuery,
  specs: readonly TaintSinkSpec[],
  cwe: number,
  trust?: readonly Trust[],
): TaintHit<TaintSinkSpec>[] {
  const hits: TaintHit<TaintSinkSpec>[] = [];
  const check = (node: Node, arg: Node, sinkLabel: string, spec: TaintSinkSpec, fw?: ForwardedCall): void => {
    const trace = taint.trace(arg, { cwe, trust, ...(spec.filesOnly ? { alsoSafe: [ENTRY_OF_BASE] } : {}) });
    if (trace.kind !== 'tainted') return;
    if (reportedAtCallers(taint, arg, trace, node, module)) return;
    const flow = fw
      ? [
          ...taint.flowTo(trace, node, `passed to ${sinkLabel}`),
          { location: fw.location, note: `reaches ${fw.label} as the ${spec.what}` },
        ]
      : taint.flowTo(trace, node, `reaches ${sinkLabel} as the ${spec.what}`);
    const label = fw ? `${sinkLabel} (through ${fw.label}, ${placeOf(fw)})` : sinkLabel;
    hits.push({
      node,
      arg,
      sinkLabel: label,
      spec,
      trace,
      flow,
      sourceText: describeSource(trace.sources[0]),
    });
  };
  for (const spec of specs) {
    if (spec.calls?.length) {
      const patterns = callPatterns(spec.calls);
      for (const call of module.calls) {
        if (!matches(call, patterns, spec)) continue;
        if (spec.unless?.(call, module)) continue;
        if (spec.whenArgument && !argumentWritten(call, spec.whenArgument)) continue;
        if (spec.within && !insideMethod(call.node, module, spec.within)) continue;
        const label = calleeLabel(call);
        const args = new Set<Node>();
        for (const i of spec.args ?? [0]) {
          const a = call.args[i];
          if (a) args.add(a);
        }
        for (const k of spec.keywords ?? []) {
          const a = call.kwargs.get(k);
          if (a) args.add(a);
        }
        if (spec.receiverValue && call.receiver) args.add(call.receiver);
        if (spec.splats) for (const a of splatted(call.node)) args.add(a);
        for (const a of args)
          if (!spec.argumentText || spec.argumentText.test(a.text)) check(call.node, a, label, spec);
      }
      // Calls of project functions that hand an argument on to the sink unchanged.
      if (!spec.receiverValue && !spec.whenArgument && !spec.argumentText && !spec.within) {
        for (const call of module.calls) {
          for (const fw of taint.forwards?.(call.node) ?? []) {
            if (!forwardReaches(fw, patterns, spec) || fw.san?.includes(cwe)) continue;
            const a = call.argument(fw.param.index, fw.param.name);
            if (!a) continue;
            // A rule's own exclusion reads the sink call: one that reads only the dangerous argument
            // sees the caller's value in its place; one that reads more (a content type) cannot.
            if (spec.unless) {
              if (!spec.unlessOnArgument) continue;
              const site = Object.create(call, {
                args: { value: [a] },
                kwargs: { value: new Map<string, Node>() },
                hasSplat: { value: false },
                argument: { value: () => a },
              }) as CallSite;
              if (spec.unless(site, module)) continue;
            }
            check(call.node, a, `\`${writtenCallee(call)}\``, spec, fw);
          }
        }
      }
    }
    if (spec.stores?.length) {
      for (const assign of module.file.tree.rootNode.descendantsOfType('assignment')) {
        const left = assign?.childForFieldName('left');
        const right = assign?.childForFieldName('right');
        if (!assign || !left || !right || left.type !== 'subscript') continue;
        const container = left.childForFieldName('value');
        if (!container) continue;
        const q = module.qualifiedName(container);
        const attr =
          container.type === 'attribute' ? container.childForFieldName('attribute')?.text : undefined;
        const hit = spec.stores.some(
          (s) =>
            (s.object !== undefined && q === s.object) ||
            (s.attribute !== undefined &&
              attr === s.attribute &&
              (!spec.receiver || spec.receiver.test(container.text))),
        );
        if (hit) check(assign, right, `\`${codeOf(left)}\``, spec);
      }
    }
  }
  return hits;
}
