import type { PythonModule } from '../lang/python/semantic/scope.js';
import { ProjectTaint, queryFromData, type FileTaintData, type TaintQuery } from '../dataflow/index.js';
import type { TaintOptions } from '../dataflow/specs.js';
import { taintedSinks } from '../dataflow/sinks.js';
import { sinksToTrace } from '../lang/python/models/select.js';
import { analyzePython, moduleNameForPath } from '../lang/python/semantic/scope.js';
import { getParser, parseWith, type LanguageId, type SourceFile } from '../parsing/parser.js';
import type { ModuleUnit } from '../dataflow/interpreter.js';
import type { Rule, RuleContext } from '../rules/rule.js';

/**
 * What a file's rule run in the pool knows about the dataflow: the config's additions. The pool
 * analyses a file's dataflow alone; the project pass runs the dataflow rules of the files it reads
 * itself (see project-review.ts).
 */
export interface FileTaintInput {
  /** Config additions (user sources and sanitizers, lower-trust sources). */
  options?: TaintOptions;
  /**
   * False when the file cannot hold an entry point (see mayHoldEntryPoint): analysed alone, none
   * of its values comes from a source, so its declared sinks need not be traced.
   */
  mayHoldEntryPoint?: boolean;
}

/** The taint query of a file alone, computed on first use. */
export function lazyTaintQuery(
  file: SourceFile,
  module: PythonModule,
  input: FileTaintInput = {},
): TaintQuery {
  let query: TaintQuery | undefined;
  const get = (): TaintQuery => {
    if (!query) {
      const data = new ProjectTaint([{ file, module }], input.options).fileData(file.path);
      query = queryFromData(data, file, input.options);
    }
    return query;
  };
  return {
    trace: (node, options) => get().trace(node, options),
    flowTo: (trace, sink, note) => get().flowTo(trace, sink, note),
    options: input.options ?? {},
    ...(input.mayHoldEntryPoint === false ? { sourceFree: true } : {}),
    // Known only once a rule asked: a file no dataflow rule looked at lost nothing.
    get incomplete() {
      return query?.incomplete;
    },
  };
}

/** Whether any of the rules reads the project's dataflow. */
export function usesTaint(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.taint !== undefined);
}

export interface ProjectSource {
  file: string;
  text: string;
  language: LanguageId;
  /** Python module name from the file's package chain (see scope/modules.ts); default: from the path. */
  module?: string;
}

/** The project pass over sources, and the modules it parsed. */
export interface ProjectRun {
  project: ProjectTaint;
  /** The parsed module of a path the pass read, else undefined. */
  unitOf(path: string): ModuleUnit | undefined;
}

/** Told when work on one file starts and ends, for a watchdog in another thread. */
export interface FileProgress {
  begin(path: string): void;
  end(): void;
  /** Told before a file is parsed for the pass, so that it can claim it (see project-review.ts). */
  parsing?(path: string): void;
}

/**
 * The project-level pass: interprets the project once, parsing each Python source only when the
 * analysis reaches it (an entry point is in it, or a call or import leads there). Pure: no I/O.
 */
export async function runProject(
  sources: readonly ProjectSource[],
  options?: TaintOptions,
  /** Told before and around the parse of each file. */
  progress?: FileProgress,
): Promise<ProjectRun> {
  const python = sources.filter((s) => s.language === 'python');
  const parser = await getParser('python');
  const units: (ModuleUnit | undefined)[] = new Array(python.length);
  const index = new Map(python.map((s, i) => [s.file, i]));
  const project = new ProjectTaint(
    {
      count: python.length,
      path: (i) => python[i].file,
      moduleName: (i) => python[i].module ?? moduleNameForPath(python[i].file),
      text: (i) => python[i].text,
      loaded: (i) => units[i] !== undefined,
      unit: (i) => {
        let u = units[i];
        if (!u) {
          progress?.parsing?.(python[i].file);
          progress?.begin(python[i].file);
          const file = parseWith(parser, python[i].file, python[i].text, 'python');
          u = units[i] = { file, module: analyzePython(file, python[i].module) };
          progress?.end();
        }
        return u;
      },
    },
    options,
  );
  return {
    project,
    unitOf: (path) => {
      const i = index.get(path);
      return i === undefined ? undefined : units[i];
    },
  };
}

/**
 * The project pass's results for the files it read, as plain data (for worker threads and the
 * cache). A file without results is analysed alone by its rule run.
 */
export async function projectTaint(
  sources: readonly ProjectSource[],
  options?: TaintOptions,
): Promise<Map<string, FileTaintData>> {
  const { project } = await runProject(sources, options);
  return new Map(project.loadedPaths().map((path) => [path, project.fileData(path)]));
}

/** Runs the sinks a rule picks: each proven flow is a finding (high confidence) with its path. */
export function runTaintSpec(rule: Rule, context: RuleContext): void {
  const spec = rule.taint;
  if (!spec || context.taint.sourceFree) return;
  const sinks = sinksToTrace(spec, rule.cwe, context.taint.options.sinks);
  if (!sinks.length) return;
  for (const hit of taintedSinks(context.module, context.taint, sinks, rule.cwe, spec.trust)) {
    context.report({
      node: hit.node,
      message:
        spec.message?.(hit) ??
        `${hit.sinkLabel} receives a ${hit.spec.what} built from ${hit.sourceText}; it is used without validation.`,
      confidence: spec.confidence?.(hit) ?? 'high',
      flow: hit.flow,
    });
  }
}
