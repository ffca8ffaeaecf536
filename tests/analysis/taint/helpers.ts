import { analyzePython } from '../../../src/lang/python/semantic/scope.js';
import type { TaintOptions, TaintTrace } from '../../../src/dataflow/index.js';
import { ProjectTaint, queryFromData } from '../../../src/lang/python/dataflow/index.js';
import { type Node } from '../../../src/parsing/parser.js';
import { parseSource } from '../../../src/lang/registry.js';

export interface SinkTrace {
  /** 1-based line of the sink call. */
  line: number;
  trace: TaintTrace;
}

/**
 * Analyses a small project (path → source) and traces the first argument of every call to
 * `sink(...)` (any function named `sink`), in the order they appear in the given file.
 */
export async function traceSinks(
  files: Record<string, string>,
  options: TaintOptions & { file?: string; cwe?: number; callee?: string } = {},
): Promise<SinkTrace[]> {
  const parsed = [];
  for (const [path, text] of Object.entries(files)) {
    const file = await parseSource(path, text, 'python');
    parsed.push({ file, module: analyzePython(file) });
  }
  try {
    const project = new ProjectTaint(parsed, options);
    const target = parsed.find((p) => p.file.path === (options.file ?? Object.keys(files)[0]))!;
    const query = queryFromData(project.fileData(target.file.path), target.file, options);
    const callee = options.callee ?? 'sink';
    const out: SinkTrace[] = [];
    for (const call of target.module.calls) {
      const fn = call.node.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      if (name !== callee || !call.args[0]) continue;
      out.push({
        line: call.node.startPosition.row + 1,
        trace: query.trace(call.args[0] as Node, { cwe: options.cwe }),
      });
    }
    return out.sort((a, b) => a.line - b.line);
  } finally {
    for (const p of parsed) p.file.tree.delete();
  }
}

/** "line: kind" for every sink, e.g. ["5: tainted", "7: constant"]. */
export async function sinkKinds(
  text: string,
  options: Parameters<typeof traceSinks>[1] = {},
): Promise<string[]> {
  return (await traceSinks({ 'app.py': text }, options)).map((s) => `${s.line}: ${s.trace.kind}`);
}

/** The sink's flow as "line: note" strings (empty when not tainted). */
export function flowOf(s: SinkTrace): string[] {
  return s.trace.kind === 'tainted' ? s.trace.flow.map((f) => `${f.location.start.line}: ${f.note}`) : [];
}
