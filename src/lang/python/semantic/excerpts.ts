/**
 * The project's other modules as one file's model sees them: excerpts (see ../excerpts.ts), parsed
 * when a name first leads into one, and bound like the file itself. Through them a name imported
 * from another module means what it means there:
 *
 * - a module-level object made by a library's constructor (`env = Environment(...)` in
 *   `templating.py`) has the library's name where it is imported (`from .templating import env`,
 *   `from . import templating; templating.env`): `env.from_string` is
 *   `jinja2.Environment().from_string`, as it is in `templating.py`;
 * - a constant string or number (`ESCAPE = r'\\[...]'`) has its value (see constant.ts);
 * - a class keeps its bases, attributes and methods for the subclasses of the importing module.
 *
 * The modules that import the file's module-level objects are excerpted too (`importers`): a rule
 * may report where the object is made what they do with it.
 */
import type { Node } from '../../../parsing/parser.js';
import { pythonGrammar } from '../grammar.js';
import { MODELLED_PACKAGES } from '../models/index.js';
import type { PythonModule } from './scope.js';

/** The key prefix of an excerpt among a file's imports (a NUL: no module name holds one). */
export const EXCERPT_KEY = '\0excerpt:';

export interface Excerpt {
  /** The module's path from the folder on the import path (`pkg/templating.py`). */
  path: string;
  /** Whether the module imports an object of the file and calls methods of it. */
  importer: boolean;
  /** The module's text with only the kept statements (every line in its place). */
  text: string;
}

/** How deep one name may lead from module to module. */
const MAX_HOPS = 4;

export class Neighbours {
  private readonly parsed = new Map<string, PythonModule | null>();
  private hops = 0;

  private constructor(
    private readonly host: PythonModule,
    private readonly excerpts: ReadonlyMap<string, Excerpt>,
    private readonly bind: (
      file: ReturnType<typeof pythonGrammar.parse>,
      name: string,
      links: Neighbours,
    ) => PythonModule,
  ) {}

  /** The neighbours a file's imports record holds; undefined when it holds none. */
  static of(
    host: PythonModule,
    imports: Readonly<Record<string, string>> | undefined,
    bind: (file: ReturnType<typeof pythonGrammar.parse>, name: string, links: Neighbours) => PythonModule,
  ): Neighbours | undefined {
    if (!imports) return undefined;
    const excerpts = new Map<string, Excerpt>();
    for (const [k, v] of Object.entries(imports)) {
      if (!k.startsWith(EXCERPT_KEY)) continue;
      try {
        excerpts.set(k.slice(EXCERPT_KEY.length), JSON.parse(v) as Excerpt);
      } catch {
        // not an excerpt this version wrote
      }
    }
    return excerpts.size ? new Neighbours(host, excerpts, bind) : undefined;
  }

  /** The module of a dotted name: the file itself or a neighbour's excerpt, bound. */
  module(name: string): PythonModule | undefined {
    if (name === this.host.moduleName) return this.host;
    const cached = this.parsed.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const excerpt = this.excerpts.get(name);
    let out: PythonModule | null = null;
    // While its model is built, the excerpt's names lead nowhere (not into a second copy of it).
    this.parsed.set(name, null);
    if (excerpt) {
      try {
        out = this.bind(pythonGrammar.parse(this.displayPath(excerpt.path), excerpt.text), name, this);
      } catch {
        out = null; // the grammar is not loaded in this thread, or the excerpt does not parse
      }
    }
    this.parsed.set(name, out);
    return out ?? undefined;
  }

  /**
   * An excerpt's path as the file's own is shown: from the same folder (`src/pkg/env.py` is module
   * `pkg.env`, so `pkg/prompt.py` is shown as `src/pkg/prompt.py`).
   */
  private displayPath(path: string): string {
    const own = this.host.file.path.split('/');
    const depth =
      this.host.moduleName.split('.').length + (/^__init__\.pyw?$/.test(own[own.length - 1]) ? 1 : 0);
    const prefix = own.slice(0, Math.max(0, own.length - depth));
    return [...prefix, path].join('/');
  }

  /** The excerpts of the modules that import the file's objects and call their methods. */
  importers(): PythonModule[] {
    const out: PythonModule[] = [];
    for (const [name, e] of this.excerpts) {
      const m = e.importer ? this.module(name) : undefined;
      if (m) out.push(m);
    }
    return out;
  }

  /**
   * The module-level name of a neighbour (or of the file) that a dotted name starts with: `pkg.env.env.from_string`
   * is `env` of the module `pkg.env`, then `from_string`.
   */
  target(q: string, from: PythonModule): { module: PythonModule; name: string; rest: string[] } | undefined {
    const parts = q.split('.');
    for (let k = parts.length - 1; k >= 1; k--) {
      const prefix = parts.slice(0, k).join('.');
      if (prefix !== this.host.moduleName && !this.excerpts.has(prefix)) continue;
      // A module's own names are its own to resolve.
      if (prefix === from.moduleName) return undefined;
      if (parts[k].includes('(')) return undefined;
      const module = this.module(prefix);
      return module ? { module, name: parts[k], rest: parts.slice(k + 1) } : undefined;
    }
    return undefined;
  }

  /**
   * A dotted name with its start read in the module it names: the library name of a module-level
   * object made by a library's constructor there (`pkg.env.env.from_string` →
   * `jinja2.Environment().from_string`), else the name unchanged.
   */
  alias(q: string, from: PythonModule): string {
    if (this.hops >= MAX_HOPS) return q;
    const t = this.target(q, from);
    if (!t || t.module === from) return q;
    this.hops++;
    try {
      const found = t.module.root.bindings.get(t.name);
      if (!found?.length || found.some((b) => b.kind !== 'value')) return q;
      let name: string | undefined;
      for (const b of found) {
        const n = b.kind === 'value' ? t.module.qualifiedName(b.value, t.module.root) : undefined;
        if (n === undefined || (name !== undefined && n !== name)) return q;
        name = n;
      }
      if (!name || !name.endsWith(')') || !this.isLibrary(name, t.module)) return q;
      return [name, ...t.rest].join('.');
    } finally {
      this.hops--;
    }
  }

  /**
   * The value a name imported from a neighbour is bound to there, when it is bound exactly once at
   * module level to a value: the node, in the neighbour's tree, and that neighbour's model.
   */
  importedValue(q: string, from: PythonModule): { module: PythonModule; value: Node } | undefined {
    const t = this.target(q, from);
    if (!t || t.module === from || t.rest.length) return undefined;
    const found = t.module.root.bindings.get(t.name);
    const only = found?.length === 1 ? found[0] : undefined;
    return only?.kind === 'value' ? { module: t.module, value: only.value } : undefined;
  }

  /** The class a dotted name denotes in a neighbour: its definition there and that neighbour's model. */
  importedClass(q: string, from: PythonModule): { module: PythonModule; node: Node } | undefined {
    const t = this.target(q, from);
    if (!t || t.module === from || t.rest.length) return undefined;
    const found = t.module.root.bindings.get(t.name);
    const only = found?.length === 1 ? found[0] : undefined;
    if (only?.kind === 'def' && only.node.type === 'class_definition')
      return { module: t.module, node: only.node };
    if (only?.kind === 'import' && this.hops < MAX_HOPS) {
      this.hops++;
      try {
        return this.importedClass(only.qualname, t.module);
      } finally {
        this.hops--;
      }
    }
    return undefined;
  }

  /** A library's name: its package is one the models know, and not the project's own. */
  private isLibrary(name: string, where: PythonModule): boolean {
    const top = name.split('.')[0];
    return (
      MODELLED_PACKAGES.has(top) &&
      top !== this.host.moduleName.split('.')[0] &&
      top !== where.moduleName.split('.')[0]
    );
  }
}
