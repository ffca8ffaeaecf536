/**
 * The project-level pass for Python: the modules of a project are known by dotted name (and by the
 * suffixes of their names and paths, for namespace packages and imports from above the review
 * root); the interpreter runs module bodies and entry points, following calls across files; the
 * core's summaries then give each file its results.
 */
import type { SourceFile } from '../../../parsing/parser.js';
import { ProjectSummaries } from '../../../dataflow/project.js';
import { queryOver, type FileTaintData, type TaintQuery } from '../../../dataflow/query.js';
import type { TaintOptions } from '../../../dataflow/specs.js';
import { moduleNameForPath } from '../semantic/scope.js';
import { MODELLED_PACKAGES } from '../models/index.js';
import { Interpreter, parsedModules, type ModuleUnit, type ProjectModules } from './interpreter.js';
import { clearSyntaxCache, FUNCTION_TYPES } from './syntax.js';
import { Forwards } from './forwards.js';
import { withForwards, type FileForwards } from '../../../dataflow/forwards.js';

/** A parsed module and its semantic model (the interpreter's ModuleUnit). */
export type ParsedModule = ModuleUnit;

/**
 * The project-level pass: every module of the project is interpreted once (module bodies, then each
 * function as an entry point, following calls across files); per-file rule runs then query it.
 */
export class ProjectTaint {
  private readonly summaries: ProjectSummaries;
  private readonly forwards: Map<number, FileForwards>;

  /** A project of parsed modules, or of modules parsed when the analysis reaches them. */
  constructor(units: readonly ParsedModule[] | ProjectModules, options: TaintOptions = {}) {
    const modules = 'count' in units ? units : parsedModules(units);
    const names = new ModuleNames(modules);
    const interpreter = new Interpreter(modules, (q, from) => names.resolve(q, from), options);
    try {
      interpreter.run();
      this.forwards = new Forwards(interpreter).compute();
    } finally {
      clearSyntaxCache();
    }
    this.summaries = new ProjectSummaries(modules, interpreter);
  }

  /** The paths of the modules the analysis read (the others have no results: see fileData). */
  loadedPaths(): string[] {
    return this.summaries.loadedPaths();
  }

  /** The serializable result for one file of the project (what its rule run needs). */
  fileData(path: string): FileTaintData {
    const data = this.summaries.fileData(path);
    const mod = this.summaries.moduleOf(path);
    return withForwards(data, mod === undefined ? undefined : this.forwards.get(mod));
  }
}

/** The query rules use, over the stored results of their file. */
export function queryFromData(data: FileTaintData, file: SourceFile, options: TaintOptions = {}): TaintQuery {
  return queryOver(data, file, options, FUNCTION_TYPES);
}

/** The project modules by dotted name, to resolve what an import or qualified name refers to. */
class ModuleNames {
  private readonly byName = new Map<string, number[]>();
  private readonly bySuffix = new Map<string, number[]>();
  private readonly resolved = new Map<string, { mod: number; rest: string[] } | undefined>();

  constructor(private readonly modules: ProjectModules) {
    for (let i = 0; i < modules.count; i++) {
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
  }

  /** The project module a dotted name starts with, and the attribute path after it. */
  resolve(q: string, from: number): { mod: number; rest: string[] } | undefined {
    const cacheKey = `${from}\0${q}`;
    if (this.resolved.has(cacheKey)) return this.resolved.get(cacheKey);
    const parts = q.split('.');
    let result: { mod: number; rest: string[] } | undefined;
    for (let k = parts.length; k > 0 && !result; k--) {
      if (parts[k - 1].endsWith(')')) continue;
      const prefix = parts.slice(0, k).join('.');
      const candidates =
        this.byName.get(prefix) ?? this.bySuffix.get(prefix)?.filter((c) => this.reaches(c, from, prefix));
      if (!candidates?.length) continue;
      const mod = this.closest(candidates, from);
      if (parts.slice(k).some((p) => p.endsWith(')'))) break;
      result = { mod, rest: parts.slice(k) };
    }
    this.resolved.set(cacheKey, result);
    return result;
  }

  /**
   * Whether an absolute import of `name` from the module `from` may mean the module `c`, whose own
   * dotted name only ends with it. Not when `name` begins with a library the models know, both are
   * in the same top-level package and `c` is outside the importer's folder: `from traitlets import
   * Dict` in `jupyterhub/services/auth.py` is the library, not `jupyterhub/traitlets.py` (Python 3
   * has no implicit relative imports; a module of the importer's own folder may still be meant, as
   * a script or Python 2 would, and other names may be imports from a folder on `sys.path`).
   */
  private reaches(c: number, from: number, name: string): boolean {
    const own = this.modules.moduleName(c);
    const importer = this.modules.moduleName(from);
    const top = own.split('.')[0];
    if (own === name || !MODELLED_PACKAGES.has(name.split('.')[0]) || top !== importer.split('.')[0])
      return true;
    const dir = (p: string): string => p.replace(/[\\/][^\\/]*$/, '');
    return dir(this.modules.path(c)) === dir(this.modules.path(from));
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
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
