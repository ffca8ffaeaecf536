/**
 * The project's other modules as one file's model sees them: excerpts of the texts the review
 * read (see ../excerpts.ts), made and parsed only when a name first leads into one, and bound like
 * the file itself. Through them a name imported from another module means what it means there:
 *
 * - a module-level object made by a library's constructor (`env = Environment(...)` in
 *   `templating.py`) has the library's name where it is imported (`from .templating import env`,
 *   `from . import templating; templating.env`): `env.from_string` is
 *   `jinja2.Environment().from_string`, as it is in `templating.py`;
 * - a constant string or number (`ESCAPE = r'\\[...]'`) has its value (see constant.ts);
 * - a class keeps its bases, attributes and methods for the subclasses of the importing module.
 *
 * The modules that import the file's module-level library objects and call their methods are
 * excerpted too (`importers`): a rule may report where the object is made what they do with it.
 *
 * Cost: a module's statements are read once per review (`ReviewModules.derived`, shared by every
 * file that reads it), an excerpt of one name once per review too; a file parses only the
 * excerpts its names lead into, which hold the few statements those names need.
 */
import type { Node } from '../../../parsing/parser.js';
import type { ReviewModules } from '../../language.js';
import {
  excerptFor,
  importerExcerpt,
  knownInstances,
  moduleStatements,
  type ModuleText,
} from '../excerpts.js';
import { pythonGrammar } from '../grammar.js';
import { MODELLED_PACKAGES } from '../models/index.js';
import type { PythonModule } from './scope.js';

/** How deep one name may lead from module to module. */
const MAX_HOPS = 4;
/** How many modules importing a file's objects are excerpted for it. */
const MAX_IMPORTERS = 20;

type Bind = (file: ReturnType<typeof pythonGrammar.parse>, name: string, links: Neighbours) => PythonModule;

export class Neighbours {
  /** Excerpt models by module, name and kind (null while one is bound, and when there is none). */
  private readonly parsed = new Map<string, PythonModule | null>();
  private hops = 0;
  private importersOnce?: PythonModule[];

  private constructor(
    private readonly host: PythonModule,
    private readonly project: ReviewModules,
    private readonly bind: Bind,
  ) {}

  /** The neighbours of a file, when the engine gave it the review's modules. */
  static of(host: PythonModule, project: ReviewModules | undefined, bind: Bind): Neighbours | undefined {
    return project ? new Neighbours(host, project, bind) : undefined;
  }

  /**
   * Whether a qualified name may be one `alias` renames: it calls a method that the models know
   * of a library's instances (`.from_string`). Other names are left as they are without a look.
   */
  static mayAlias(q: string): boolean {
    return knownInstances().methods.test(q);
  }

  private statements(name: string): ModuleText | undefined {
    const m = this.project.module(name);
    return m && this.project.derived('python-statements', m, moduleStatements);
  }

  /**
   * The model of the excerpt of a module that binds one name (its class statement whole when
   * `asClass`): the file itself for its own module name.
   */
  private excerpt(module: string, name: string, asClass: boolean, asTable = false): PythonModule | undefined {
    if (module === this.host.moduleName) return this.host;
    const kind = asTable ? 'table' : asClass ? 'class' : 'value';
    const key = `${module}\0${name}\0${kind}`;
    const cached = this.parsed.get(key);
    if (cached !== undefined) return cached ?? undefined;
    // While its model is built, the excerpt's names lead nowhere (not into a second copy of it).
    this.parsed.set(key, null);
    let out: PythonModule | null = null;
    const m = this.project.module(module);
    const text = m
      ? this.project.derived(`python-excerpt\0${name}\0${asTable ? 'table' : asClass}`, m, () => {
          const statements = this.statements(module);
          return statements ? excerptFor(statements, name, asClass, asTable) : '';
        })
      : '';
    if (m && text) {
      try {
        out = this.bind(pythonGrammar.parse(m.path, text), module, this);
      } catch {
        out = null; // the grammar is not loaded in this thread, or the excerpt does not parse
      }
    }
    this.parsed.set(key, out);
    return out ?? undefined;
  }

  /** The excerpts of the modules that import the file's library objects and call their methods. */
  importers(): PythonModule[] {
    if (this.importersOnce) return this.importersOnce;
    const objects = this.libraryObjects();
    const out: PythonModule[] = (this.importersOnce = []);
    if (!objects.size) return out;
    const { methods } = knownInstances();
    for (const m of this.project.all()) {
      if (out.length >= MAX_IMPORTERS) break;
      if (m.name === this.host.moduleName) continue;
      // Once per review for every file that looks for its importers.
      if (!this.project.derived('python-names-known-method', m, (x) => methods.test(x.text))) continue;
      const statements = this.project.derived('python-statements', m, moduleStatements);
      const text = importerExcerpt(statements, this.host.moduleName, objects);
      if (!text) continue;
      try {
        out.push(this.bind(pythonGrammar.parse(m.path, text), m.name, this));
      } catch {
        // as in `excerpt`
      }
    }
    return out;
  }

  /**
   * The file's module-level names bound once, to an object a library's constructor makes whose
   * methods the models know (`env = Environment(...)`).
   */
  private libraryObjects(): Set<string> {
    const out = new Set<string>();
    const { constructors } = knownInstances();
    for (const [name, bindings] of this.host.root.bindings) {
      const b = bindings.length === 1 ? bindings[0] : undefined;
      if (b?.kind !== 'value' || b.value.type !== 'call') continue;
      const q = this.host.qualifiedName(b.value, this.host.root);
      if (q?.endsWith('()') && constructors.has(q.slice(0, -2))) out.add(name);
    }
    return out;
  }

  /**
   * The module-level name of a neighbour (or of the file) that a dotted name starts with:
   * `pkg.env.env.from_string` is `env` of the module `pkg.env`, then `from_string`.
   */
  private target(
    q: string,
    from: PythonModule,
  ): { module: string; name: string; rest: string[] } | undefined {
    const parts = q.split('.');
    for (let k = parts.length - 1; k >= 1; k--) {
      const prefix = parts.slice(0, k).join('.');
      if (prefix !== this.host.moduleName && !this.project.module(prefix)) continue;
      // A module's own names are its own to resolve.
      if (prefix === from.moduleName) return undefined;
      if (parts[k].includes('(')) return undefined;
      return { module: prefix, name: parts[k], rest: parts.slice(k + 1) };
    }
    return undefined;
  }

  /** Runs `f` one hop further from the file, or gives undefined past the limit. */
  private hop<T>(f: () => T | undefined): T | undefined {
    if (this.hops >= MAX_HOPS) return undefined;
    this.hops++;
    try {
      return f();
    } finally {
      this.hops--;
    }
  }

  /**
   * A dotted name with its start read in the module it names: the library name of a module-level
   * object made by a library's constructor there (`pkg.env.env.from_string` →
   * `jinja2.Environment().from_string`), else the name unchanged.
   */
  alias(q: string, from: PythonModule): string {
    const t = this.target(q, from);
    if (!t) return q;
    const module = this.excerpt(t.module, t.name, false);
    if (!module || module === from) return q;
    const found = module.root.bindings.get(t.name);
    if (!found?.length) return q;
    // A name the module imports: what it is where it comes from.
    if (found.length === 1 && found[0].kind === 'import') {
      const qualname = found[0].qualname;
      return (
        this.hop(() => {
          const renamed = this.alias([qualname, ...t.rest].join('.'), module);
          return renamed.startsWith(`${qualname}.`) || renamed === qualname ? undefined : renamed;
        }) ?? q
      );
    }
    if (found.some((b) => b.kind !== 'value')) return q;
    let name: string | undefined;
    for (const b of found) {
      const n = b.kind === 'value' ? this.hop(() => module.qualifiedName(b.value, module.root)) : undefined;
      if (n === undefined || (name !== undefined && n !== name)) return q;
      name = n;
    }
    if (!name || !name.endsWith(')') || !this.isLibrary(name, module, from)) return q;
    return [name, ...t.rest].join('.');
  }

  /**
   * The value a name imported from a neighbour is bound to there, when it is bound exactly once at
   * module level to a value: the node, in the neighbour's tree, and that neighbour's model.
   */
  importedValue(q: string, from: PythonModule): { module: PythonModule; value: Node } | undefined {
    return this.boundValue(q, from, false);
  }

  /**
   * The dict a name imported from a neighbour is bound to there (a literal or a comprehension, bound
   * once at module level), read with the classes its entries name, whole: the value's node in the
   * neighbour's tree and that neighbour's model.
   */
  importedTable(q: string, from: PythonModule): { module: PythonModule; value: Node } | undefined {
    return this.boundValue(q, from, true);
  }

  /**
   * The value a name imported from a neighbour is bound to there, once at module level, following
   * re-exports; `whole` reads the value with the classes it names (see excerpt).
   */
  private boundValue(
    q: string,
    from: PythonModule,
    whole: boolean,
  ): { module: PythonModule; value: Node } | undefined {
    const t = this.target(q, from);
    if (!t || t.rest.length) return undefined;
    const module = this.excerpt(t.module, t.name, false, whole);
    if (!module || module === from) return undefined;
    const found = module.root.bindings.get(t.name);
    const only = found?.length === 1 ? found[0] : undefined;
    if (only?.kind === 'import') return this.hop(() => this.boundValue(only.qualname, module, whole));
    return only?.kind === 'value' ? { module, value: only.value } : undefined;
  }

  /** The class a dotted name denotes in a neighbour: its definition there and that neighbour's model. */
  importedClass(q: string, from: PythonModule): { module: PythonModule; node: Node } | undefined {
    const t = this.target(q, from);
    if (!t || t.rest.length) return undefined;
    const module = this.excerpt(t.module, t.name, true);
    if (!module || module === from) return undefined;
    const found = module.root.bindings.get(t.name);
    const only = found?.length === 1 ? found[0] : undefined;
    if (only?.kind === 'def' && only.node.type === 'class_definition') return { module, node: only.node };
    if (only?.kind === 'import') return this.hop(() => this.importedClass(only.qualname, module));
    return undefined;
  }

  /** A library's name: its package is one the models know, and not the project's own. */
  private isLibrary(name: string, where: PythonModule, from: PythonModule): boolean {
    const top = name.split('.')[0];
    return (
      MODELLED_PACKAGES.has(top) &&
      top !== this.host.moduleName.split('.')[0] &&
      top !== from.moduleName.split('.')[0] &&
      top !== where.moduleName.split('.')[0]
    );
  }
}
