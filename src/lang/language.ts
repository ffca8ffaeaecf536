/**
 * What the shared engine asks of a language: ESLint's language objects in spirit. Discovery, the
 * engine, change review, suppressions, the cache, reporters and the fixture harness reach a
 * language only through this interface and the registry (registry.ts); none of them names one.
 * A pack (src/lang/<id>/index.ts) implements it; docs/adding-a-language.md walks through one.
 */
import type { DeclaredVersion } from '../core/index.js';
import type { FileTaintData, ProjectModules, TaintHit, TaintOptions, TaintQuery } from '../dataflow/index.js';
import type { Node, SourceFile } from '../parsing/parser.js';
import type { TaintRuleSpec } from '../rules/rule.js';

/** A language's id: the prefix of its rules' ids (`<id>/<rule>`) and its folder in src/lang/. */
export type LanguageId = string;

/** What the engine reads of a file's semantic model (scopes, calls); rules read the rest. */
export interface SemanticModel {
  /** The module's name (see ModuleSystem). */
  readonly moduleName: string;
  /** The enclosing definition of a node as findings show it (`Class.method`); part of fingerprints. */
  contextOf(node: Node): string;
  /**
   * Well-known modules used on the 0-based rows `firstRow..lastRow` under a name the file never
   * binds (a snippet or a diff hunk without its imports): the model read each as that module, so a
   * finding on those rows rests on an assumption its confidence must say.
   */
  assumedModules?(firstRow: number, lastRow: number): string[];
}

/**
 * How files become trees. `load` runs once per thread (a worker loads before it reports ready, so
 * no file's budget pays for it); `parse` is synchronous after it, so that the dataflow can parse a
 * module at the moment a call first reaches it.
 */
export interface Grammar {
  load(): Promise<void>;
  parse(path: string, text: string): SourceFile;
  /** The floor of the speed benchmark: the parser's own work and nothing after it. */
  parseOnly(text: string): void;
}

export interface CommentSyntax {
  /** What starts a line comment (`#`): suppression directives and fixture annotations use it. */
  line: string;
  /** Node types of comments in the tree. */
  nodeTypes: readonly string[];
}

/** What one suppression comment covers: the statement it annotates, a compound one by its header. */
export interface StatementSyntax {
  isStatement(node: Node): boolean;
  /** Last 0-based row of a statement's header (compound statement) or of the statement (simple). */
  headerEndRow(node: Node): number;
}

/** Where files of the language are, beyond their extensions. */
export interface DiscoverySyntax {
  /**
   * Globs of folders never worth reviewing (installed dependencies, caches of the toolchain): left
   * out of every walk, for files of any language, since installed code of one language holds files
   * of others (node-gyp's Python in `node_modules`, a notebook's JavaScript in `site-packages`).
   */
  excludes: readonly string[];
  /**
   * Globs of the build output of the language's toolchain (`dist/`, `.next/`): left out for files
   * of this language only, since another language may name a source folder so (a Python package
   * called `build`).
   */
  outputs?: readonly string[];
  /** A file whose folder is an environment of installed code (everything below it is left out). */
  environmentMarker?: string;
}

/** A source file as import discovery sees it: text and module name, not parsed. */
export interface ImportingSource {
  file: string;
  text: string;
  /** Module name (see ModuleSystem.nameOf); default: from the path. */
  module?: string;
  /** Its non-relative specifiers that name modules of the project (see ModuleSystem `importResolver`). */
  imports?: Readonly<Record<string, string>>;
}

/**
 * The files of a work tree as a module system reads its configuration (see ModuleSystem
 * `importResolver`): paths from the top of the tree, POSIX form, never climbing out of it. The
 * engine reads them (the files on disk, or a revision's in a diff review); nothing is run.
 */
export interface ProjectFiles {
  /** A file's text; undefined when it is absent, unreadable, a symbolic link or oversized. */
  read(path: string): Promise<string | undefined>;
  /** Whether a source file of the tree is at the path (installed code and build output are not). */
  isFile(path: string): Promise<boolean>;
  /** Every file of this base name in the tree, installed code and build output left out. */
  find(name: string): Promise<string[]>;
  /**
   * Every file below the folder `under` (a path from the top of the tree, `''` for all) whose
   * name ends with one of the extensions (without the dot), installed code and build output left
   * out; at most `limit` of them. Absent: the view cannot list its files.
   */
  findByExtension?(extensions: readonly string[], under: string, limit: number): Promise<string[]>;
}

/** A module of the review as another file's analysis may read it: its name, path and text. */
export interface ProjectModuleText {
  readonly name: string;
  /** As reported (see engine/discover.ts `displayPath`). */
  readonly path: string;
  readonly text: string;
}

/**
 * The review's other modules of a file's language, as that file's model may consult them: the texts
 * the engine already read (never the disk again), by module name. What a file consults is recorded,
 * and its cached results hold only while the texts of those modules are the same (see
 * engine/project-texts.ts); `all` makes the file depend on every module.
 */
export interface ReviewModules {
  /** The module of this name, when the review holds it. */
  module(name: string): ProjectModuleText | undefined;
  /** Every module of the language. */
  all(): readonly ProjectModuleText[];
  /**
   * A value worked out once per review from one module's text by a pure function (`kind` names the
   * function), shared by every file that asks for it. The value must be plain data.
   */
  derived<T>(kind: string, module: ProjectModuleText, make: (module: ProjectModuleText) => T): T;
}

/** How files are named as modules, and what they import. Pure: nothing reads the file system. */
export interface ModuleSystem {
  /** File names whose presence makes their folder a package; module names depend on them. */
  packageMarkers: readonly string[];
  /**
   * Packages nest (Node's `package.json` may sit any number of folders above a file, and a relative
   * import may climb out of one), unlike Python's unbroken chains of `__init__.py` folders. The
   * review then names such a language's modules by their paths from the top of the work tree (see
   * engine/packages.ts): every relative import resolves within it, whichever packages lie between.
   */
  nested?: boolean;
  /** The package folders among the paths (all in the same form). */
  packageDirs(paths: Iterable<string>): Set<string>;
  /** A file's module name given the package folders. */
  nameOf(path: string, packages: ReadonlySet<string>): string;
  /** The module name from the path alone, as given (the default when no name was worked out). */
  nameForPath(path: string): string;
  /** The module names a file's import lines may name, read from its text: a guess for ordering work. */
  importedNames(source: ImportingSource): string[];
  /**
   * For a language whose projects map non-relative specifiers to their own modules in
   * configuration (path aliases, workspace packages): given the files of a work tree, a function
   * from a file (path from the top of the tree) and its text to the specifiers it imports that
   * name modules of the tree, each with the module's name. The engine passes the answer to `bind`
   * (and `importedNames`) as the file's `imports`, part of its cache key. A pack may add entries
   * under keys no specifier can have (JavaScript: the template files the file renders, read as
   * data, see lang/javascript/templates/views.ts; Python: what the project's templates pass the
   * template tags and filters a file registers, see lang/python/templates/calls.ts). The work tree
   * is the one holding the file (its git work tree, else the review's folder). What a cap on its
   * reading leaves out is told to `note`, in words, for the review's notes.
   */
  importResolver?(
    files: ProjectFiles,
    note?: (text: string) => void,
  ): (file: string, text: string) => Promise<Record<string, string>>;
}

/** One parsed module of a project, bound. */
export interface BoundModule<M extends SemanticModel = SemanticModel> {
  file: SourceFile;
  module: M;
}

/**
 * The modules of a project, known by path, name and text from the start; each is parsed and bound
 * only when the analysis first needs it.
 */
export type ModuleSet<M extends SemanticModel = SemanticModel> = ProjectModules<BoundModule<M>>;

/** A project interpreted by the dataflow: results per file, as plain data. */
export interface DataflowProject {
  /** The paths of the modules the analysis read (the others have no results). */
  loadedPaths(): string[];
  fileData(path: string): FileTaintData;
}

/** The dataflow front end: how the shared dataflow core reads this language. */
export interface DataflowFrontEnd<M extends SemanticModel = SemanticModel, P = object> {
  /**
   * Node types of the language's function bodies: the query over a file's results tells code in a
   * function that never ran (unreachable) from code the analysis did not see (unknown).
   */
  readonly functionTypes: ReadonlySet<string>;
  /** Whether a file may hold an entry point, from its path and text: files without one are parsed only when reached. */
  mayHoldEntryPoint(options?: TaintOptions): (path: string, text: string) => boolean;
  /** Interprets a project (modules parsed when reached). */
  project(modules: ModuleSet<M>, options?: TaintOptions): DataflowProject;
  /** The sinks a rule's taint declaration picks (its own and the config's) that a source reaches. */
  tracedSinks(module: M, taint: TaintQuery, spec: TaintRuleSpec<P>, cwe: number): TaintHit[];
}

/** `M`: the semantic model of a file; `P`: how a rule picks sinks (see rules/rule.ts `TaintRuleSpec`). */
export interface Language<M extends SemanticModel = SemanticModel, P = object> {
  readonly id: LanguageId;
  /** As people write it, for messages ("not a Python file"). */
  readonly name: string;
  /** The info string of a fenced code block in Markdown (reports, SARIF help). */
  readonly codeFence: string;
  /**
   * The info string for code of one file, when it differs by file (`ts` for a TypeScript file of
   * the JavaScript pack); default `codeFence`.
   */
  codeFenceOf?(path: string): string;
  /** File name endings (with the dot) that discovery walks. */
  readonly extensions: readonly string[];
  /** Endings recognised when a file is named explicitly or changed in a diff, but not walked. */
  readonly namedExtensions?: readonly string[];
  /** The first line of a script without a known extension (`#!/usr/bin/env python3`). */
  readonly shebang?: RegExp;
  readonly grammar: Grammar;
  readonly comments: CommentSyntax;
  readonly statements: StatementSyntax;
  readonly discovery?: DiscoverySyntax;
  /** Test code: rules about production behaviour skip it, and it holds no entry point. */
  isTestFile(path: string): boolean;
  /**
   * The enclosing definition of a node that declares itself not for production (development- or
   * testing-only, in its docstring or a warning), named for messages: its defects are reported low.
   */
  notForProduction?(node: Node): string | undefined;
  /**
   * Why a file of the language, though found, is not source to review (a minified bundle, a file
   * that declares itself generated), from its path and text; undefined to review it. The engine
   * skips such a file with reason `generated` and this as the detail.
   */
  notSource?(path: string, text: string): string | undefined;
  readonly modules: ModuleSystem;
  /**
   * The semantic model of a parsed file (scopes, imports, calls). `imports`: the non-relative
   * specifiers that name modules of the project (see ModuleSystem `importResolver`); `project`: the
   * review's other modules, for a model that reads what the file imports from them (Python).
   */
  bind(
    file: SourceFile,
    moduleName?: string,
    imports?: Readonly<Record<string, string>>,
    project?: ReviewModules,
  ): M;
  /** Without one, files of the language get no dataflow (taint queries answer "unknown"). */
  readonly dataflow?: DataflowFrontEnd<M, P>;
  /** How projects of the language declare their dependencies (see core/project.ts). */
  readonly manifests?: ManifestSyntax;
}

/** Dependency manifests of a language, read as data (no package manager runs). */
export interface ManifestSyntax {
  /** Whether a file of this base name is a manifest (`requirements.txt`, `uv.lock`). */
  isManifest(name: string): boolean;
  /** The versions it declares, by normalised package name. */
  read(name: string, text: string): Map<string, DeclaredVersion>;
}
