/**
 * What rules see of the dataflow: the per-file results as plain data (FileTaintData, which can
 * cross to a worker thread or a cache) and the query over them (TaintQuery).
 */
import type { FlowStep, Location } from '../core/index.js';
import type { Node, SourceFile } from '../parsing/parser.js';
import type { TaintOptions, Trust } from './specs.js';
import type { ConstValue } from './value.js';

/** What the analysis proved about the value of an expression (joined over every calling context). */
export type TaintTrace =
  | {
      kind: 'tainted';
      /** Every distinct source reaching the expression, the first one with its full path in `flow`. */
      sources: TaintSource[];
      /** Source, then each step (assignments, calls, returns); the sink is not included. */
      flow: FlowStep[];
    }
  /** Data from a source, but every path went through a sanitizer or guard for the CWE asked about. */
  | { kind: 'sanitized'; sources: TaintSource[] }
  | { kind: 'constant'; value: ConstValue }
  /** Not a constant, but proven not to come from a source or unknown code (e.g. `len(x)`, `int(x)`). */
  | { kind: 'clean' }
  /** Depends on parameters of an entry point or code the analysis cannot see. */
  | { kind: 'unknown' }
  /** The expression is in code that never runs (a branch whose condition is constant false). */
  | { kind: 'unreachable' };

export interface TaintSource {
  /** The code, e.g. "request.args['host']" or "route parameter `name`". */
  label: string;
  location: Location;
  trust: Trust;
  /** For `admin` trust: the guard that lets only administrators reach the handler. */
  guard?: string;
  /** A language model chose the value (see SourceInfo.modelChosen). */
  modelChosen?: boolean;
  /** The application chose the value (see SourceInfo.appChosen). */
  appChosen?: boolean;
  /**
   * The only weaknesses the source counts for: a trace for another CWE, or for none, sees it as
   * sanitized (a model says where the framework's own threat model treats the value as untrusted).
   */
  onlyFor?: readonly number[];
  /**
   * Weaknesses the source never counts for: where the value is read says the code runs where the
   * weakness cannot be (a page's own address is read in a browser, whose requests are the user's, so
   * never a server's request forgery).
   */
  notFor?: readonly number[];
}

export interface TraceOptions {
  /** Ignore facts a sanitizer neutralised for this CWE. */
  cwe?: number;
  /**
   * Ignore facts marked with one of these too: a front end's marks of what a value can still do
   * that only some sinks of the CWE need (see the Python front end's ENTRY_OF_BASE).
   */
  alsoSafe?: readonly number[];
  /** Trust levels that count as sources (default: all that the config switched on). */
  trust?: readonly Trust[];
}

/** The taint view of one file, given to rules. */
export interface TaintQuery {
  /** What reaches this expression. Call arguments, receivers, keyword values and most sub-expressions are tracked. */
  trace(node: Node, options?: TraceOptions): TaintTrace;
  /** The finding path: source, steps, and the sink as the last step. */
  flowTo(trace: Extract<TaintTrace, { kind: 'tainted' }>, sink: Node, note: string): FlowStep[];
  /** The config's additions (user-declared sinks are checked by the user-taint-sink rule). */
  readonly options: TaintOptions;
  /** No source reaches this file (it is analysed alone and cannot hold an entry point). */
  readonly sourceFree?: boolean;
  /** The dataflow of this file ran out of budget: a flow not found may still exist. */
  readonly incomplete?: boolean;
  /** The entry points of this file whose flows were not all followed, in words (see driver.ts). */
  readonly unfollowed?: readonly string[];
  /**
   * The calls a project function this call reaches makes with one of its parameters unchanged
   * (see ForwardedCall): rules report a sink reached that way here, where the value is built.
   */
  forwards?(call: Node): readonly ForwardedCall[];
  /**
   * Whether this argument of a call is a parameter of the function around it, handed on unchanged,
   * in a function the project calls: its callers' data is reported at their calls (see `forwards`).
   */
  forwardsParameter?(arg: Node): boolean;
  /**
   * The callees and methods the project functions this file calls hand values on to, one a line:
   * a rule's prefilter words count there too (a wrapper's caller need not name `execute`).
   */
  readonly forwardedCallees?: string;
}

/** A parameter of a called function: its position among the caller's positional arguments (-1: keyword only) and name. */
export interface ForwardedParam {
  index: number;
  name: string;
}

/** What a forwarded call receives for one of its keywords: a constant, or another parameter of the wrapper. */
export type ForwardedValue = { c: ConstValue } | { param: ForwardedParam; default?: { c: ConstValue } };

/**
 * A call inside a project function (or a chain of them) that receives one of the function's
 * parameters unchanged: `def call_subprocess(args, shell=False): return subprocess.run(args,
 * shell=shell)` forwards `args` to `subprocess.run` as its first argument, and `shell` as its
 * `shell` keyword.
 */
export interface ForwardedCall {
  /** The wrapper's parameter that is handed on. */
  param: ForwardedParam;
  /** The inner call: its qualified callee, method name and receiver text, as its own file resolves them. */
  callee?: string;
  method?: string;
  receiver?: string;
  /** Where the inner call receives the value: its position (-1: by keyword only) and keyword. */
  arg: { index: number; keyword?: string };
  /** The inner call's keywords that are constants or the wrapper's parameters. */
  keywords: Record<string, ForwardedValue>;
  /** "`subprocess.run`" */
  label: string;
  location: Location;
  /** The wrapper functions the value passes through, the called one first. */
  via: string[];
  /**
   * Weaknesses every caller's data was neutralised for on its way to the inner call (a check in
   * the wrapper: `if url_has_allowed_host_and_scheme(url): return HttpResponseRedirect(url)`).
   */
  san?: number[];
  /**
   * The front end's sink models (by its own key) whose exclusion holds for the inner call as
   * written, whatever the caller passes: `spawn(cmd, args)` in the wrapper asks for no shell.
   */
  safeFor?: string[];
}

/** A value as stored for a file: plain data, so it can cross to a worker thread or a cache. */
export interface SerialVal {
  facts?: { source: TaintSource; flow: FlowStep[]; san?: number[] }[];
  unk?: true;
  c?: { v: ConstValue };
}

/** The taint results of one file: values of its tracked expressions, and the functions that ran. */
export interface FileTaintData {
  /** Keyed by `start:end:type` of the expression (UTF-16 offsets, stable for the same text). */
  values: Record<string, SerialVal>;
  analyzed: string[];
  /** The analysis of this module ran out of budget: flows through it may be missing. */
  exhausted?: true;
  /** Its entry points whose flows were not all followed, in words (`name (line N) why`). */
  unfollowed?: string[];
  /** By call key: what the project functions it calls hand on unchanged (see ForwardedCall). */
  forwards?: Record<string, ForwardedCall[]>;
  /** Keys of call arguments that hand on a parameter of a function the project calls. */
  forwarded?: string[];
}

export function nodeKey(node: Node): string {
  return `${node.startIndex}:${node.endIndex}:${node.type}`;
}

/**
 * The query rules use, over the stored results of their file. `functionTypes` are the node types
 * of the language's function bodies: an expression no result names is unreachable when the
 * function around it ran, and unknown when it did not.
 */
export function queryOver(
  data: FileTaintData,
  file: SourceFile,
  options: TaintOptions,
  functionTypes: ReadonlySet<string>,
): TaintQuery {
  const analyzed = new Set(data.analyzed);
  const forwarded = new Set(data.forwarded);
  const reachable = (node: Node): boolean => {
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (functionTypes.has(n.type)) return analyzed.has(nodeKey(n));
    }
    return true;
  };
  return {
    trace(node, options = {}) {
      const v = data.values[nodeKey(node)];
      if (!v) return reachable(node) ? { kind: 'unreachable' } : { kind: 'unknown' };
      const facts = (v.facts ?? []).filter((f) => !options.trust || options.trust.includes(f.source.trust));
      const safe = options.alsoSafe ?? [];
      const live = facts.filter(
        (f) =>
          (options.cwe === undefined || !f.san?.includes(options.cwe)) &&
          !safe.some((c) => f.san?.includes(c)) &&
          (!f.source.onlyFor || (options.cwe !== undefined && f.source.onlyFor.includes(options.cwe))) &&
          (!f.source.notFor || options.cwe === undefined || !f.source.notFor.includes(options.cwe)),
      );
      if (live.length) {
        // The value least constrained first: one a pattern or check made safe for other uses (a
        // port matched by `\d+`) is less likely the data that does the harm than free text.
        const freest = [...live].sort((a, b) => (a.san?.length ?? 0) - (b.san?.length ?? 0));
        return { kind: 'tainted', sources: freest.map((f) => f.source), flow: freest[0].flow };
      }
      if (facts.length) return { kind: 'sanitized', sources: facts.map((f) => f.source) };
      if (v.unk) return { kind: 'unknown' };
      if (v.c) return { kind: 'constant', value: v.c.v };
      return { kind: 'clean' };
    },
    flowTo(trace, sink, note) {
      return [...trace.flow, { location: file.location(sink), note }];
    },
    forwards: (call) => data.forwards?.[nodeKey(call)] ?? [],
    ...(data.forwards ? { forwardedCallees: forwardedCallees(data.forwards) } : {}),
    forwardsParameter: (arg) => forwarded.has(nodeKey(arg)),
    options,
    ...(data.exhausted ? { incomplete: true } : {}),
    ...(data.unfollowed?.length ? { unfollowed: data.unfollowed } : {}),
  };
}

function forwardedCallees(forwards: Record<string, ForwardedCall[]>): string {
  const names = new Set<string>();
  for (const list of Object.values(forwards))
    for (const f of list) {
      if (f.callee) names.add(f.callee);
      if (f.method) names.add(f.method);
    }
  return [...names].join('\n');
}

/** "`request.args['host']`", or the label as is when it already quotes code ("route parameter `name`"). */
export function labelOf(s: TaintSource): string {
  return s.label.includes('`') ? s.label : `\`${s.label}\``;
}

/** "`request.args['host']` (line 36)" */
export function describeSource(s: TaintSource): string {
  return `${labelOf(s)} (line ${s.location.start.line})`;
}
