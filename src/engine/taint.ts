import type { PythonModule } from '../analysis/scope/python.js';
import { ProjectTaint, queryFromData, type FileTaintData, type TaintQuery } from '../analysis/taint/index.js';
import type { TaintOptions } from '../analysis/taint/specs.js';
import { taintedSinks, type TaintSinkSpec } from '../analysis/taint/sinks.js';
import { analyzePython } from '../analysis/scope/python.js';
import { parseSource, type LanguageId, type SourceFile } from '../parsing/parser.js';
import type { Rule, RuleContext } from '../rules/rule.js';

/** What a file's rule run knows about the project's dataflow. */
export interface FileTaintInput {
  /** Results of the project-level pass for this file; when absent the file is analysed alone. */
  data?: FileTaintData;
  /** Config additions (user sources and sanitizers, lower-trust sources). */
  options?: TaintOptions;
}

/** The taint query of a file, computed on first use (file-local when no project result is given). */
export function lazyTaintQuery(
  file: SourceFile,
  module: PythonModule,
  input: FileTaintInput = {},
): TaintQuery {
  let query: TaintQuery | undefined;
  const get = (): TaintQuery => {
    if (!query) {
      const data = input.data ?? new ProjectTaint([{ file, module }], input.options).fileData(file.path);
      query = queryFromData(data, file, input.options);
    }
    return query;
  };
  return {
    trace: (node, options) => get().trace(node, options),
    flowTo: (trace, sink, note) => get().flowTo(trace, sink, note),
    options: input.options ?? {},
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
}

/**
 * The project-level pass: parses every Python source, interprets the project once, and returns
 * each file's results as plain data (for worker threads and the cache). Pure: no I/O.
 */
export async function projectTaint(
  sources: readonly ProjectSource[],
  options?: TaintOptions,
): Promise<Map<string, FileTaintData>> {
  const parsed: { file: SourceFile; module: PythonModule }[] = [];
  try {
    for (const s of sources) {
      if (s.language !== 'python') continue;
      const file = await parseSource(s.file, s.text, s.language);
      parsed.push({ file, module: analyzePython(file) });
    }
    const project = new ProjectTaint(parsed, options);
    return new Map(parsed.map((p) => [p.file.path, project.fileData(p.file.path)]));
  } finally {
    for (const p of parsed) p.file.tree.delete();
  }
}

/** Runs a rule's declared sinks: each proven flow is a high-confidence finding with its path. */
export function runTaintSpec(rule: Rule, context: RuleContext): void {
  const spec = rule.taint;
  if (!spec) return;
  // Sinks the config declares (`taint.sinks`) with this rule's CWE are checked by this rule.
  const declared: TaintSinkSpec[] = (context.taint.options.sinks ?? [])
    .filter((s) => s.cwe === rule.cwe)
    .map((s) => ({
      calls: [s.call],
      args: s.arg !== undefined ? [s.arg] : s.keyword ? [] : [0],
      keywords: s.keyword ? [s.keyword] : [],
      what: 'value',
    }));
  const sinks = [...spec.sinks, ...declared];
  if (!sinks.length) return;
  for (const hit of taintedSinks(context.module, context.taint, sinks, rule.cwe, spec.trust)) {
    context.report({
      node: hit.node,
      message:
        spec.message?.(hit) ??
        `${hit.sinkLabel} receives a ${hit.spec.what} built from ${hit.sourceText}; it is used without validation.`,
      confidence: 'high',
      flow: hit.flow,
    });
  }
}
