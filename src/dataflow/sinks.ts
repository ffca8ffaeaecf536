import type { FlowStep } from '../core/index.js';
import type { Node } from '../parsing/parser.js';
import { calleeLabel } from '../lang/python/helpers/calls.js';
import { codeOf } from '../lang/python/helpers/messages.js';
import type { CallSite, PythonModule } from '../lang/python/semantic/scope.js';
import { describeSource, type TaintQuery, type TaintTrace } from './project.js';
import type { Trust } from './specs.js';

/** A place where data becomes dangerous, declared by a rule or the config. */
export interface TaintSinkSpec {
  /**
   * Qualified callees (`os.path.join`, `flask.send_file`); `.name` matches a method of that name on
   * any receiver (`.execute`), `Class().method` a method of a class's instance.
   */
  calls?: readonly string[];
  /** Dangerous positional arguments (default: 0) and keywords. */
  args?: readonly number[];
  keywords?: readonly string[];
  /** `x[...] = value` where x is this qualified name (`flask.session`) or an attribute of this name (`headers`). */
  stores?: readonly { object?: string; attribute?: string }[];
  /** What the argument is, for messages: "file path", "URL", "LDAP filter". */
  what: string;
  /** Skip the call when this keyword is passed (e.g. a safe parser option). */
  unless?: (call: CallSite, module: PythonModule) => boolean;
}

export interface TaintHit {
  /** The call or assignment reported. */
  node: Node;
  /** The expression that carries the data. */
  arg: Node;
  /** "`os.path.join`" or "`session[...]`". */
  sinkLabel: string;
  spec: TaintSinkSpec;
  trace: Extract<TaintTrace, { kind: 'tainted' }>;
  /** Source, steps, and the sink as last step. */
  flow: FlowStep[];
  /** "`request.args['p']` (line 3)" */
  sourceText: string;
}

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

/** `.name` matches a method of that name, anything else the qualified callee. */
function matches(call: CallSite, patterns: CallPatterns): boolean {
  // The method name is worked out on first read: only for specs that name methods.
  return (
    (call.callee !== undefined && patterns.callees.has(call.callee)) ||
    (patterns.methods.size > 0 && call.methodName !== undefined && patterns.methods.has(call.methodName))
  );
}

/** Calls and stores matching the specs whose dangerous value is proven to come from a source. */
export function taintedSinks(
  module: PythonModule,
  taint: TaintQuery,
  specs: readonly TaintSinkSpec[],
  cwe: number,
  trust?: readonly Trust[],
): TaintHit[] {
  const hits: TaintHit[] = [];
  const check = (node: Node, arg: Node, sinkLabel: string, spec: TaintSinkSpec): void => {
    const trace = taint.trace(arg, { cwe, trust });
    if (trace.kind !== 'tainted') return;
    const flow = taint.flowTo(trace, node, `reaches ${sinkLabel} as the ${spec.what}`);
    hits.push({ node, arg, sinkLabel, spec, trace, flow, sourceText: describeSource(trace.sources[0]) });
  };
  for (const spec of specs) {
    if (spec.calls?.length) {
      const patterns = callPatterns(spec.calls);
      for (const call of module.calls) {
        if (!matches(call, patterns)) continue;
        if (spec.unless?.(call, module)) continue;
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
        for (const a of args) check(call.node, a, label, spec);
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
            (s.object !== undefined && q === s.object) || (s.attribute !== undefined && attr === s.attribute),
        );
        if (hit) check(assign, right, `\`${codeOf(left)}\``, spec);
      }
    }
  }
  return hits;
}
