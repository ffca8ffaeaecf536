/**
 * Project summaries: the modules of a project as the analysis sees them (known by path and text
 * from the start, parsed on demand), and what a finished pass leaves for each file (FileTaintData).
 */
import type { FlowStep } from '../core/index.js';
import type { Node, SourceFile } from '../parsing/parser.js';
import type { Heap } from './heap.js';
import type { TextReads } from './text-reads.js';
import { nodeKey, labelOf, type FileTaintData, type SerialVal, type TaintSource } from './query.js';
import { joinFacts, type Fact, type Val } from './value.js';

/**
 * The modules of a project, known by path, name and text from the start; each is parsed only when
 * the analysis first needs it (it holds an entry point, or a call or import reaches it). `U` is
 * the front end's parsed module (the tree and what its semantic model made of it).
 */
export interface ProjectModules<U extends { file: SourceFile } = { file: SourceFile }> {
  readonly count: number;
  path(i: number): string;
  moduleName(i: number): string;
  text(i: number): string;
  unit(i: number): U;
  /** Whether `unit(i)` has been asked for. */
  loaded(i: number): boolean;
  /**
   * The ledger of what the pass reads of texts without parsing (see text-reads.ts): read texts
   * through textTest/textMatches/... so that an edit elsewhere can leave the pass's results valid.
   */
  readonly reads?: TextReads;
}

/** What an interpreter's pass recorded: values per expression, functions run, and its heap. */
export interface PassResults {
  readonly heap: Heap;
  /** Per module: node id → value, joined over contexts. */
  readonly records: ReadonlyMap<number, ReadonlyMap<number, { node: Node; val: Val }>>;
  /** Per module: the functions whose body was run at least once. */
  readonly analyzed: ReadonlyMap<number, ReadonlyMap<number, Node>>;
  /**
   * Modules whose analysis ran out of budget: a module body cut short (its later definitions and
   * imports unknown) or entry points left unrun. Their reports say so (see engine/analyze.ts).
   */
  readonly exhausted: ReadonlySet<number>;
  /** Per module: its entry points whose flows were not all followed, and why (see driver.ts). */
  readonly unfollowed?: ReadonlyMap<number, readonly string[]>;
}

/** The per-file results of a finished pass, as plain data. */
export class ProjectSummaries {
  private readonly index = new Map<string, number>();

  constructor(
    private readonly modules: ProjectModules,
    private readonly results: PassResults,
  ) {
    for (let i = 0; i < modules.count; i++) this.index.set(modules.path(i), i);
  }

  /** The module of a path, by its index in the project. */
  moduleOf(path: string): number | undefined {
    return this.index.get(path);
  }

  /** The paths of the modules the analysis read (the others have no results: see fileData). */
  loadedPaths(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.modules.count; i++) if (this.modules.loaded(i)) out.push(this.modules.path(i));
    return out;
  }

  /** The serializable result for one file of the project (what its rule run needs). */
  fileData(path: string): FileTaintData {
    const mod = this.index.get(path);
    const values: Record<string, SerialVal> = {};
    const analyzed: string[] = [];
    if (mod === undefined) return { values, analyzed };
    for (const { node, val } of this.results.records.get(mod)?.values() ?? [])
      values[nodeKey(node)] = this.serialize(val);
    for (const node of this.results.analyzed.get(mod)?.values() ?? []) analyzed.push(nodeKey(node));
    const unfollowed = this.results.unfollowed?.get(mod);
    return {
      values,
      analyzed,
      ...(this.results.exhausted.has(mod) ? { exhausted: true as const } : {}),
      ...(unfollowed?.length ? { unfollowed: [...unfollowed] } : {}),
    };
  }

  private serialize(v: Val): SerialVal {
    const out: SerialVal = {};
    // A container or object carries the data of what it holds.
    const deep = v.o?.length ? this.results.heap.deepData(v) : v;
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
    return {
      label: f.src.label,
      location,
      trust: f.src.trust,
      ...(f.src.guard ? { guard: f.src.guard } : {}),
      ...(f.src.modelChosen ? { modelChosen: true } : {}),
      ...(f.src.appChosen ? { appChosen: true } : {}),
      ...(f.src.onlyFor ? { onlyFor: [...f.src.onlyFor] } : {}),
      ...(f.src.notFor ? { notFor: [...f.src.notFor] } : {}),
    };
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
