import type { Node } from '../../../parsing/parser.js';
import { constantValue } from '../semantic/constant.js';
import type { PythonModule } from '../semantic/scope.js';
import { describeSource, type TaintQuery, type TaintTrace } from '../../../dataflow/index.js';
import type { FlowStep, Severity } from '../../../core/index.js';
import type { ReportDescriptor } from '../../../rules/rule.js';
import { codeOf } from './messages.js';
import {
  fixedTextOf,
  isCheckedName,
  type Fixed,
  type FixedTextOptions,
  type Operator,
} from './fixed-text.js';

/**
 * Where the value an injection sink receives comes from, which decides whether and how a rule
 * reports it: an attacker (a proven flow from a client's request), the operator (command line,
 * prompts, environment, configuration: whoever runs the program), text the program wrote itself
 * (constants, dialect fragments, driver-quoted identifiers, checked names), or an origin the
 * analysis could not see.
 */
export type Origin =
  | { kind: 'safe' }
  | { kind: 'attacker'; trace: Tainted }
  | (Operator & { trace?: Tainted })
  | { kind: 'unknown'; why: string; parameter?: boolean };

type Tainted = Extract<TaintTrace, { kind: 'tainted' }>;

/** Trust levels of sources the operator controls (the rest are a client's or opted-in files and sockets). */
export const OPERATOR_TRUST: ReadonlySet<string> = new Set(['operator', 'environment']);

/**
 * The origin of a value a call hands on to a sink inside a project wrapper: what the dataflow proved
 * at the call, as the wrapper's sink received it. The code as written at the call may say less than
 * the heap does (`b = a; b["k"] = x; run(a["k"])`), and the wrapper's sink reads no such code.
 */
export function forwardedOrigin(node: Node, taint: TaintQuery, cwe: number): Origin {
  const t = taint.trace(node, { cwe });
  if (t.kind !== 'tainted') return { kind: 'safe' };
  const attacker = t.sources.filter((s) => !OPERATOR_TRUST.has(s.trust));
  if (!attacker.length) return { kind: 'safe' };
  const flow = attacker[0] === t.sources[0] ? t.flow : [];
  return { kind: 'attacker', trace: { kind: 'tainted', sources: attacker, flow } };
}

export function originOf(
  node: Node,
  module: PythonModule,
  taint: TaintQuery,
  cwe: number,
  options: FixedTextOptions = {},
): Origin {
  if (constantValue(node, module)) return { kind: 'safe' };
  const t = taint.trace(node, { cwe });
  if (t.kind === 'tainted') {
    const attacker = t.sources.filter((s) => !OPERATOR_TRUST.has(s.trust));
    if (attacker.length && !onlyCheckedNamesTainted(node, module, taint, cwe, options)) {
      // The flow shown is an attacker's: the first fact may be the operator's.
      const flow = attacker[0] === t.sources[0] ? t.flow : [];
      return { kind: 'attacker', trace: { kind: 'tainted', sources: attacker, flow } };
    }
    if (attacker.length) return { kind: 'safe' };
    // The command line, prompts and the environment: what the operator gave for this run.
    return {
      kind: 'operator',
      what: `operator input ${describeSource(t.sources[0])}`,
      trace: t,
      given: true,
    };
  }
  if (t.kind === 'clean') {
    // The dataflow takes library results it has no model of as clean: `parse_args()` is the command line.
    const f = fixedTextOf(node, module, options);
    return f.kind === 'operator' ? f : { kind: 'safe' };
  }
  if (t.kind !== 'unknown') return { kind: 'safe' };
  return fixedOrigin(fixedTextOf(node, module, options), module);
}

/** The origin the module's code shows for a value (see `fixedTextOf`), in the words of `Origin`. */
export function fixedOrigin(f: Fixed, module: PythonModule): Exclude<Origin, { kind: 'attacker' }> {
  if (f.kind === 'fixed') return { kind: 'safe' };
  if (f.kind === 'operator') return f;
  const why = whyUnknown(f, module);
  return { kind: 'unknown', why: why.text, ...(why.parameter ? { parameter: true } : {}) };
}

/**
 * `fixedTextOf`, and for a parameter of unknown origin, what the module's own calls of its
 * function pass for it (`download(settings.URL)`): the dataflow proved no client's data reaches
 * the parameter, so callers that all pass program text or configuration decide its origin.
 */
export function fixedThroughCallers(node: Node, module: PythonModule, depth = 0): Fixed {
  const f = fixedTextOf(node, module);
  if (f.kind !== 'unknown' || f.node.type !== 'identifier' || depth > 2) return f;
  const found = module.scopeOf(f.node).lookup(f.node.text);
  const param = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  const def = param?.node.parent?.parent;
  if (param?.kind !== 'param' || def?.type !== 'function_definition') return f;
  const name = f.node.text;
  const index = (def.childForFieldName('parameters')?.namedChildren ?? [])
    .filter((p): p is Node => p !== null && p.type !== 'comment')
    .findIndex((p) => p.id === param.node.id);
  const passed: Node[] = [];
  for (const call of module.calls) {
    const fn = call.node.childForFieldName('function');
    if (fn?.type !== 'identifier' || module.singleDefinition(fn)?.id !== def.id) continue;
    const args = (call.node.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (a): a is Node => a !== null && a.type !== 'comment',
    );
    if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return f;
    const keyword = args.find(
      (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name,
    );
    const arg =
      keyword?.childForFieldName('value') ?? args.filter((a) => a.type !== 'keyword_argument')[index];
    if (!arg) return f;
    passed.push(arg);
  }
  if (!passed.length) return f;
  const origins = passed.map((a) => fixedThroughCallers(a, module, depth + 1));
  // The value a caller passes is what is unknown, not the parameter.
  return (
    origins.find((o) => o.kind === 'unknown') ?? origins.find((o) => o.kind === 'operator') ?? origins[0]
  );
}

/**
 * Whether every piece of a built string that carries a client's data is a name checked against
 * the program's own keys first (`if column not in COLUMNS: raise`, `if not lookup(name): raise`).
 */
function onlyCheckedNamesTainted(
  node: Node,
  module: PythonModule,
  taint: TaintQuery,
  cwe: number,
  options: FixedTextOptions,
): boolean {
  const pieces: Node[] = [];
  const walk = (n: Node, depth: number): void => {
    if (depth > 4) return void pieces.push(n);
    const parts = (m: Node) => m.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    if (n.type === 'string') {
      for (const i of parts(n))
        if (i.type === 'interpolation' && i.namedChildren[0]) walk(i.namedChildren[0], depth + 1);
    } else if (['concatenated_string', 'parenthesized_expression', 'binary_operator'].includes(n.type)) {
      for (const c of parts(n)) walk(c, depth + 1);
    } else if (n.type === 'identifier' && !isCheckedName(n)) {
      const value = module.singleValue(n);
      if (value && value.type !== 'identifier') walk(value, depth + 1);
      else pieces.push(n);
    } else pieces.push(n);
  };
  walk(node, 0);
  // A piece the dataflow did not record (most sub-expressions) may carry the data too.
  const suspects = pieces.filter((p) => {
    const t = taint.trace(p, { cwe });
    if (t.kind === 'tainted') return t.sources.some((s) => !OPERATOR_TRUST.has(s.trust));
    return t.kind === 'unknown' || t.kind === 'unreachable';
  });
  return suspects.every(
    (p) =>
      (p.type === 'identifier' && isCheckedName(p)) ||
      fixedTextOf(p, module, { ...options, followCallers: false }).kind === 'fixed',
  );
}

const RANK: Record<Origin['kind'], number> = { safe: 0, operator: 1, unknown: 2, attacker: 3 };

/** The origin that weighs most among several values that may reach one sink (the branches of a choice). */
export function worstOrigin(origins: readonly Origin[]): Origin {
  return origins.reduce<Origin>((worst, o) => (RANK[o.kind] > RANK[worst.kind] ? o : worst), {
    kind: 'safe',
  });
}

/**
 * "`name` is a parameter of `f` that no traced caller passes a value", and the like; `parameter`
 * when it is that: a value some caller outside what the analysis sees chooses.
 */
function whyUnknown(
  f: Extract<Fixed, { kind: 'unknown' }>,
  module: PythonModule,
): { text: string; parameter?: boolean } {
  const at = f.node;
  if (at.type === 'identifier') {
    const found = module.scopeOf(at).lookup(at.text);
    const param = found?.bindings.find((b) => b.kind === 'param');
    const fn = found?.scope.node;
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
    if (param && name)
      return {
        text: `\`${at.text}\` is a parameter of \`${name}\` with no caller in the project that the analysis could follow`,
        parameter: true,
      };
  }
  return { text: `\`${codeOf(at)}\` is not traced to a source or a constant` };
}

/** What an injection rule says at each origin: the sentence before `; ` and after it. */
export interface OriginWords {
  node: Node;
  cwe?: number;
  /** "`eval` evaluates Python code built from <origin>": the head, given the origin's words. */
  head: (from: string) => string;
  /** The consequence: "whoever sends that text runs arbitrary code." */
  tail: string;
  /** The flow's last step: "reaches `eval` as Python code". */
  flowNote: string;
  /** How an unknown value is named: "non-constant `x`". */
  unknownFrom: string;
  /** The severity of a proven attacker flow, when not the rule's. */
  severity?: Severity;
  /** A step after the reported call: the sink inside a project wrapper that the call hands the value to. */
  then?: FlowStep;
}

/**
 * Reports an injection sink by the origin of its value: a proven attacker flow at the rule's
 * severity and high confidence; operator input only when the config distrusts the operator, as
 * low; an unknown origin as low, saying what is unknown; program text not at all.
 */
export function reportByOrigin(
  origin: Origin,
  taint: TaintQuery,
  report: (d: ReportDescriptor) => void,
  w: OriginWords,
): void {
  const cwe = w.cwe === undefined ? {} : { cwe: w.cwe };
  if (origin.kind === 'safe') return;
  if (origin.kind === 'attacker') {
    const steps = w.then ? [w.then] : [];
    const flow = origin.trace.flow.length
      ? { flow: [...taint.flowTo(origin.trace, w.node, w.flowNote), ...steps] }
      : {};
    report({
      node: w.node,
      ...cwe,
      ...(w.severity ? { severity: w.severity } : {}),
      confidence: 'high',
      message: `${w.head(describeSource(origin.trace.sources[0]))}; ${w.tail}`,
      ...flow,
      sources: origin.trace.sources,
    });
    return;
  }
  if (origin.kind === 'operator') {
    if (taint.options.operatorInput !== 'untrusted') return;
    report({
      node: w.node,
      ...cwe,
      severity: 'low',
      confidence: 'medium',
      message: `${w.head(origin.what)}; ${w.tail}`,
      confidenceReason: `built from ${origin.what}; reported because \`taint.operator-input\` is \`untrusted\` (the program runs with more privilege than whoever starts it)`,
    });
    return;
  }
  const reason = `the value's origin is unknown: ${origin.why}`;
  report({
    node: w.node,
    ...cwe,
    severity: 'low',
    confidence: 'low',
    message: `${w.head(w.unknownFrom)}; ${reason}.`,
    confidenceReason: reason,
  });
}

/** The rules' documentation of the policy above (docs/rules.md). */
export const ORIGIN_POLICY =
  ' A proven flow from a client request is reported with its path at high confidence; text the program ' +
  'wrote (constants, class and module constants, enum members, `int()` results, driver-quoted identifiers, ' +
  'names checked against a fixed list) is not reported; a value whose origin is unknown (a parameter of a ' +
  'function with no caller the analysis could follow) is low, with low confidence. Command-line arguments, ' +
  'options, prompts, the environment and configuration belong to whoever runs the program: they are ' +
  'reported (as low) only under `taint.operator-input: untrusted`. A flow from requests only administrators ' +
  'can send (a route behind an administrator-only guard) is low and names the guard, unless ' +
  '`taint.admin-input` is `untrusted`.';
