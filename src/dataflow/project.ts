import type { FlowStep, Location } from '../core/index.js';
import type { Node, SourceFile } from '../parsing/parser.js';
import type { ConstValue } from '../lang/python/semantic/constant.js';
import { moduleNameForPath, type PythonModule } from '../lang/python/semantic/scope.js';
import { clearSyntaxCache, Interpreter, parsedModules, type ProjectModules } from './interpreter.js';
import type { TaintOptions, Trust } from './specs.js';
import { joinFacts, type Fact, type Val } from './value.js';

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
}

export interface TraceOptions {
  /** Ignore facts a sanitizer neutralised for this CWE. */
  cwe?: number;
  /** Trust levels that count as sources (default: all that the config switched on). */
  trust?: readonly Trust[];
}

/** The taint view of one file, given to rules. */
export interface TaintQuery {
  /** What reaches this expression. Call arguments, receivers, keyword values and most sub-expressions are tracked. */
  trace(node: Node, options?: TraceOptions): TaintTrace;
  /** The finding path: source, steps, and the sink as the last step. */
  flowTo(trace: Extract<TaintTrace, { kind: 'tainted' }>, sink: Node, note: string): FlowStep[];
  /** The config's additions (user-declared sinks are checked by the python/user-taint-sink rule). */
  readonly options: TaintOptions;
  /** No source reaches this file (it is analysed alone and cannot hold an entry point). */
  readonly sourceFree?: boolean;
  /** The dataflow of this file ran out of budget: a flow not found may still exist. */
  readonly incomplete?: boolean;
}

export interface ParsedModule {
  file: SourceFile;
  module: PythonModule;
}

/**
 * The project-level pass: every module of the project is interpreted once (module bodies, then each
 * function as an entry point, following calls across files); per-file rule runs then query it.
 */
export class ProjectTaint {
  private readonly interpreter: Interpreter;
  private readonly index = new Map<string, number>();
  private readonly byName = new Map<string, number[]>();
  private readonly bySuffix = new Map<string, number[]>();
  private readonly resolved = new Map<string, { mod: number; rest: string[] } | undefined>();

  private readonly modules: ProjectModules;

  /** A project of parsed modules, or of modules parsed when the analysis reaches them. */
  constructor(units: readonly ParsedModule[] | ProjectModules, options: TaintOptions = {}) {
    const modules = 'count' in units ? units : parsedModules(units);
    this.modules = modules;
    for (let i = 0; i < modules.count; i++) {
      this.index.set(modules.path(i), i);
      const name = modules.moduleName(i);
      push(this.byName, name, i);
      const parts = name.split('.');
      for (let k = 1; k < parts.length; k++) push(this.bySuffix, parts.slice(k).join('.'), i);
      // The name from the path relative to the review root and its suffixes, after the module's
      // own name: imports through namespace packages (which scope/modules.ts does not name) and
      // through folders above the review root still resolve.
      const byPath = moduleNameForPath(modules.path(i)).split('.');
      for (let k = 0; k < byPath.length; k++) {
        const suffix = byPath.slice(k).join('.');
        if (!this.bySuffix.get(suffix)?.includes(i)) push(this.bySuffix, suffix, i);
      }
    }
    this.interpreter = new Interpreter(modules, (q, from) => this.resolve(q, from), options);
    try {
      this.interpreter.run();
    } finally {
      clearSyntaxCache();
    }
  }

  /** The paths of the modules the analysis read (the others have no results: see fileData). */
  loadedPaths(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.modules.count; i++) if (this.modules.loaded(i)) out.push(this.modules.path(i));
    return out;
  }

  /** The project module a dotted name starts with, and the attribute path after it. */
  private resolve(q: string, from: number): { mod: number; rest: string[] } | undefined {
    const cacheKey = `${from}\0${q}`;
    if (this.resolved.has(cacheKey)) return this.resolved.get(cacheKey);
    const parts = q.split('.');
    let result: { mod: number; rest: string[] } | undefined;
    for (let k = parts.length; k > 0 && !result; k--) {
      if (parts[k - 1].endsWith(')')) continue;
      const prefix = parts.slice(0, k).join('.');
      const candidates = this.byName.get(prefix) ?? this.bySuffix.get(prefix);
      if (!candidates?.length) continue;
      const mod = this.closest(candidates, from);
      if (parts.slice(k).some((p) => p.endsWith(')'))) break;
      result = { mod, rest: parts.slice(k) };
    }
    this.resolved.set(cacheKey, result);
    return result;
  }

  /**
   * Of several modules with the same dotted name or suffix, the one nearest the importing file: the
   * most leading folders in common. Paths, not names: two projects side by side (or a vendored copy)
   * may each have a package `app`, and an import means the one in its own tree.
   */
  private closest(candidates: number[], from: number): number {
    if (candidates.length === 1) return candidates[0];
    const fromParts = this.modules.path(from).split(/[\\/]/);
    let best = candidates[0];
    let bestScore = -1;
    for (const c of candidates) {
      const parts = this.modules.path(c).split(/[\\/]/);
      let score = 0;
      while (score < parts.length && score < fromParts.length && parts[score] === fromParts[score]) score++;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  /** The serializable result for one file of the project (what its rule run needs). */
  fileData(path: string): FileTaintData {
    const mod = this.index.get(path);
    const values: Record<string, SerialVal> = {};
    const analyzed: string[] = [];
    if (mod === undefined) return { values, analyzed };
    for (const { node, val } of this.interpreter.records.get(mod)?.values() ?? [])
      values[nodeKey(node)] = this.serialize(val);
    for (const node of this.interpreter.analyzed.get(mod)?.values() ?? []) analyzed.push(nodeKey(node));
    return { values, analyzed, ...(this.interpreter.exhausted.has(mod) ? { exhausted: true as const } : {}) };
  }

  private serialize(v: Val): SerialVal {
    const out: SerialVal = {};
    // A container or object carries the data of what it holds.
    const deep = v.o?.length ? this.interpreter.deepData(v) : v;
    const facts = joinFacts(v.t, deep.t);
    if (facts?.length)
      out.facts = facts.map((f) => ({
        source: this.source(f),
        flow: this.flow(f),
        ...(f.san?.length ? { san: [...f.san] } : {}),
      }));
    if (v.unk) out.unk = true;
    if (v.c) out.c = { v: v.c.v };
    if (deep.unk) out.unk = true;
    return out;
  }

  private fileOf(path: string): SourceFile | undefined {
    const i = this.index.get(path);
    return i === undefined || !this.modules.loaded(i) ? undefined : this.modules.unit(i).file;
  }

  private source(f: Fact): TaintSource {
    const file = this.fileOf(f.src.file);
    const location = file
      ? file.location(f.src.node)
      : { file: f.src.file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return { label: f.src.label, location, trust: f.src.trust };
  }

  private flow(f: Fact): FlowStep[] {
    const src = this.source(f);
    const out: FlowStep[] = [{ location: src.location, note: `source: ${labelOf(src)}` }];
    for (const s of f.steps) {
      const file = this.fileOf(s.file);
      if (file) out.push({ location: file.location(s.node), note: s.note });
    }
    return out;
  }
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
}

function nodeKey(node: Node): string {
  return `${node.startIndex}:${node.endIndex}:${node.type}`;
}

/** The query rules use, over the stored results of their file. */
export function queryFromData(data: FileTaintData, file: SourceFile, options: TaintOptions = {}): TaintQuery {
  const analyzed = new Set(data.analyzed);
  const reachable = (node: Node): boolean => {
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'lambda') return analyzed.has(nodeKey(n));
    }
    return true;
  };
  return {
    trace(node, options = {}) {
      const v = data.values[nodeKey(node)];
      if (!v) return reachable(node) ? { kind: 'unreachable' } : { kind: 'unknown' };
      const facts = (v.facts ?? []).filter((f) => !options.trust || options.trust.includes(f.source.trust));
      const live = facts.filter((f) => options.cwe === undefined || !f.san?.includes(options.cwe));
      if (live.length) return { kind: 'tainted', sources: live.map((f) => f.source), flow: live[0].flow };
      if (facts.length) return { kind: 'sanitized', sources: facts.map((f) => f.source) };
      if (v.unk) return { kind: 'unknown' };
      if (v.c) return { kind: 'constant', value: v.c.v };
      return { kind: 'clean' };
    },
    flowTo(trace, sink, note) {
      return [...trace.flow, { location: file.location(sink), note }];
    },
    options,
    ...(data.exhausted ? { incomplete: true } : {}),
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** "`request.args['host']`", or the label as is when it already quotes code ("route parameter `name`"). */
export function labelOf(s: TaintSource): string {
  return s.label.includes('`') ? s.label : `\`${s.label}\``;
}

/** "`request.args['host']` (line 36)" */
export function describeSource(s: TaintSource): string {
  return `${labelOf(s)} (line ${s.location.start.line})`;
}
