import { queryOver, type FileTaintData, type TaintOptions, type TaintQuery } from '../dataflow/index.js';
import { TextReads, type TextReadsSummary } from '../dataflow/text-reads.js';
import type { ProjectTexts } from './project-texts.js';
import type { BoundModule, DataflowProject, Language, LanguageId, SemanticModel } from '../lang/language.js';
import { languageById, languages } from '../lang/registry.js';
import type { SourceFile } from '../parsing/parser.js';
import type { MemoryGuard } from './memory-guard.js';
import type { ResidentModules } from './resident.js';
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

/** What a file of a language without dataflow knows: nothing. */
const UNKNOWN: TaintQuery = { trace: () => ({ kind: 'unknown' }), flowTo: () => [], options: {} };

/**
 * The taint query of a file alone, computed on first use. A language without a dataflow front end
 * has no source: its files are source-free.
 */
export function lazyTaintQuery(
  file: SourceFile,
  module: SemanticModel,
  input: FileTaintInput = {},
): TaintQuery {
  const { dataflow } = languageById(file.language);
  let query: TaintQuery | undefined;
  const get = (): TaintQuery => {
    if (!query) {
      if (!dataflow) return (query = UNKNOWN);
      const unit = { file, module };
      const project = dataflow.project(
        {
          count: 1,
          path: () => file.path,
          moduleName: () => module.moduleName,
          text: () => file.text,
          unit: () => unit,
          loaded: () => true,
        },
        input.options,
      );
      query = queryOver(project.fileData(file.path), file, input.options ?? {}, dataflow.functionTypes);
    }
    return query;
  };
  return {
    trace: (node, options) => get().trace(node, options),
    flowTo: (trace, sink, note) => get().flowTo(trace, sink, note),
    forwards: (call) => get().forwards?.(call) ?? [],
    forwardsParameter: (arg) => get().forwardsParameter?.(arg) ?? false,
    options: input.options ?? {},
    ...(input.mayHoldEntryPoint === false || !dataflow ? { sourceFree: true } : {}),
    // Known only once a rule asked: a file no dataflow rule looked at lost nothing.
    get incomplete() {
      return query?.incomplete;
    },
    get unfollowed() {
      return query?.unfollowed;
    },
  };
}

/** The query over a file's stored results (from the project pass or the cache), in its language's terms. */
export function queryFromData(data: FileTaintData, file: SourceFile, options: TaintOptions = {}): TaintQuery {
  const { dataflow } = languageById(file.language);
  if (!dataflow) return UNKNOWN;
  return queryOver(data, file, options, dataflow.functionTypes);
}

/** Whether any of the rules reads the project's dataflow. */
export function usesTaint(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.taint !== undefined);
}

export interface ProjectSource {
  file: string;
  text: string;
  language: LanguageId;
  /** Module name from the file's package chain (see lang/language.ts `ModuleSystem`); default: from the path. */
  module?: string;
  /** Its non-relative specifiers naming modules of the project (see lang/language.ts `importResolver`). */
  imports?: Readonly<Record<string, string>>;
}

/** The project pass over sources, and the modules it parsed. */
export interface ProjectRun {
  project: DataflowProject;
  /** The parsed module of a path the pass read, else undefined. */
  unitOf(path: string): BoundModule | undefined;
  /** The rules of a path have run: with a memory budget, its tree and model are released. */
  done(path: string): void;
  /** What the pass read of the texts of each language's modules (see dataflow/text-reads.ts). */
  reads(): PassReads;
}

/** What a pass read of the project's texts (see dataflow/text-reads.ts), per path; budgets per language. */
export interface PassReads {
  whole: string[];
  probes: TextReadsSummary['probes'];
  budgets: Partial<Record<LanguageId, TextReadsSummary['budget']>>;
}

/** Told when work on one file starts and ends, for a watchdog in another thread. */
export interface FileProgress {
  begin(path: string): void;
  end(): void;
  /** Told before a file is parsed for the pass, so that it can claim it (see project-review.ts). */
  parsing?(path: string): void;
}

/**
 * The project-level pass: interprets the project once per language with a dataflow, parsing each
 * source only when the analysis reaches it (an entry point is in it, or a call or import leads
 * there). Pure: no I/O.
 */
export async function runProject(
  sources: readonly ProjectSource[],
  options?: TaintOptions,
  /** Told before and around the parse of each file. */
  progress?: FileProgress,
  /** With a memory budget: which parsed modules stay in memory (see resident.ts). */
  resident?: ResidentModules,
  /** The sources' texts as models read their neighbours (see project-texts.ts). */
  texts?: ProjectTexts,
  /** Checked at each module the pass reads: stops the pass over its memory budget (see memory-guard.ts). */
  guard?: MemoryGuard,
): Promise<ProjectRun> {
  const runs: (ProjectRun & { language: LanguageId })[] = [];
  // Each language's modules are numbered from `base` for `resident`.
  let base = 0;
  for (const language of languages()) {
    const own = sources.filter((s) => s.language === language.id);
    if (!language.dataflow || !own.length) continue;
    runs.push({
      ...(await runLanguage(language, own, options, progress, resident && { resident, base }, texts, guard)),
      language: language.id,
    });
    base += own.length;
  }
  if (runs.length === 1) return runs[0];
  return {
    project: {
      loadedPaths: () => runs.flatMap((r) => r.project.loadedPaths()),
      fileData: (path) => {
        const run = runs.find((r) => r.unitOf(path)) ?? runs[0];
        if (!run) throw new Error(`no dataflow results for ${path}`);
        return run.project.fileData(path);
      },
    },
    unitOf: (path) => runs.map((r) => r.unitOf(path)).find((u) => u !== undefined),
    done: (path) => runs.forEach((r) => r.done(path)),
    reads: () => {
      const out: PassReads = { whole: [], probes: {}, budgets: {} };
      for (const r of runs) {
        const one = r.reads();
        out.whole.push(...one.whole);
        Object.assign(out.probes, one.probes);
        Object.assign(out.budgets, one.budgets);
      }
      return out;
    },
  };
}

async function runLanguage(
  language: Language,
  sources: readonly ProjectSource[],
  options: TaintOptions | undefined,
  progress: FileProgress | undefined,
  memory: { resident: ResidentModules; base: number } | undefined,
  texts: ProjectTexts | undefined,
  guard: MemoryGuard | undefined,
): Promise<ProjectRun> {
  const { grammar, dataflow, modules } = language;
  if (!dataflow) throw new Error(`the ${language.id} language has no dataflow`);
  await grammar.load();
  const units: (BoundModule | undefined)[] = new Array(sources.length);
  const index = new Map(sources.map((s, i) => [s.file, i]));
  const resident = memory?.resident;
  const key = (i: number): number => (memory?.base ?? 0) + i;
  const parse = (i: number): SourceFile => grammar.parse(sources[i].file, sources[i].text);
  const reads = new TextReads((i) => sources[i].text);
  const bind = (i: number, file: SourceFile): SemanticModel =>
    language.bind(file, sources[i].module, sources[i].imports, texts?.forFile(sources[i].file, language.id));
  /** A parsed module whose tree and model the pass may release and make again (see resident.ts). */
  const evictable = (i: number, file: SourceFile): BoundModule => {
    let model: SemanticModel | undefined = bind(i, file);
    const release = (): void => {
      file.release();
      model = undefined;
    };
    file.tree.evictable(() => {
      const { arrays } = parse(i).tree;
      resident?.loaded(key(i), release, true);
      return arrays;
    });
    resident?.loaded(key(i), release, false);
    return {
      file,
      get module() {
        return (model ??= bind(i, file));
      },
    };
  };
  const project = dataflow.project(
    {
      count: sources.length,
      path: (i) => sources[i].file,
      moduleName: (i) => sources[i].module ?? modules.nameForPath(sources[i].file),
      text: (i) => reads.fullRead(i),
      reads,
      loaded: (i) => units[i] !== undefined,
      unit: (i) => {
        guard?.check();
        let u = units[i];
        if (!u) {
          progress?.parsing?.(sources[i].file);
          progress?.begin(sources[i].file);
          const file = parse(i);
          u = units[i] = resident ? evictable(i, file) : { file, module: bind(i, file) };
          progress?.end();
        } else resident?.touch(key(i));
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
    done: (path) => {
      const i = index.get(path);
      if (i !== undefined) resident?.done(key(i));
    },
    reads: () => {
      const { whole, probes, budget } = reads.summary(
        sources.length,
        (i) => sources[i].file,
        (i) => units[i] !== undefined,
      );
      return { whole, probes, budgets: { [language.id]: budget } };
    },
  };
}

/**
 * Whether a source may hold an entry point of the project pass, as its language tells from the
 * path and text (see DataflowFrontEnd.mayHoldEntryPoint); never for a language without dataflow.
 */
export function mayHoldEntryPoint(
  options?: TaintOptions,
): (source: { file: string; text: string; language: LanguageId }) => boolean {
  const tests = new Map(languages().map((l) => [l.id, l.dataflow?.mayHoldEntryPoint(options)]));
  return (s) => tests.get(s.language)?.(s.file, s.text) ?? false;
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

/** Runs a rule's taint declaration: each proven flow to a sink it picks is a finding with its path. */
export function runTaintSpec(rule: Rule, context: RuleContext): void {
  const spec = rule.taint;
  if (!spec || context.taint.sourceFree) return;
  const { dataflow } = languageById(context.file.language);
  if (!dataflow) return;
  for (const hit of dataflow.tracedSinks(context.module, context.taint, spec, rule.cwe)) {
    context.report({
      node: spec.node?.(hit) ?? hit.node,
      message:
        spec.message?.(hit) ??
        `${hit.sinkLabel} receives a ${hit.spec.what} built from ${hit.sourceText}; it is used without validation.`,
      confidence: spec.confidence?.(hit) ?? 'high',
      ...(spec.severity?.(hit) ? { severity: spec.severity(hit) } : {}),
      ...(spec.confidenceReason ? { confidenceReason: spec.confidenceReason(hit) } : {}),
      flow: hit.flow,
      sources: hit.trace.sources,
    });
  }
}
