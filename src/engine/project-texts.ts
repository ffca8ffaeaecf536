/**
 * The review's sources as one file's model may read its neighbours (`ReviewModules`, see
 * lang/language.ts): the texts the engine already read, by module name within a language, never the
 * disk again. Each thread that analyses files has one (a pool worker and the project pass build it
 * from the buffer the texts are packed in, shared and not copied, see packed-sources.ts; a review
 * run in this thread from its sources), and a text is decoded only when a model first asks for it.
 *
 * What a module's text gives a model (an excerpt of it, see lang/python/excerpts.ts) is worked out
 * once per thread and shared by every file that asks (`derived`). What each file consulted is
 * recorded: its cached results hold only while those modules are the same (see schedule.ts).
 */
import type { LanguageId, ReviewModules, ProjectModuleText } from '../lang/language.js';
import { languageById } from '../lang/registry.js';
import { packSources, type PackedSources } from './packed-sources.js';
import { SharedValues, type SharedValueBuffers } from './shared-values.js';
import type { ProjectSource } from './taint.js';

/** A source as the texts know it: its path, language and module name. */
export interface TextSource {
  file: string;
  language: LanguageId;
  module?: string;
}

/** The name a file's consults of every module are recorded under (see `ReviewModules.all`). */
export const EVERY_MODULE = '*';

export class ProjectTexts {
  private readonly byName = new Map<string, number>();
  private readonly modules: (ProjectModuleText | undefined)[];
  private readonly memo = new Map<string, unknown>();
  private readonly everyOf = new Map<LanguageId, ProjectModuleText[]>();
  /** Per file path, the module names its model consulted. */
  private readonly consults = new Map<string, Set<string>>();

  constructor(
    private readonly sources: readonly TextSource[],
    private readonly textOf: (i: number) => string,
    /** Where the threads of the review keep what they derived (see shared-values.ts). */
    private readonly shared?: SharedValues,
  ) {
    this.modules = new Array(sources.length);
    sources.forEach((s, i) => this.byName.set(key(s.language, nameOf(s)), i));
  }

  /** Over sources whose texts are at hand. */
  static of(sources: readonly (TextSource & { text: string })[], shared?: SharedValues): ProjectTexts {
    return new ProjectTexts(sources, (i) => sources[i].text, shared);
  }

  /** Over packed sources (see packed-sources.ts), each text decoded when first read. */
  static fromPacked(packed: PackedSources, shared?: SharedValues): ProjectTexts {
    const view = Buffer.from(packed.bytes);
    return new ProjectTexts(
      packed.sources,
      (i) => packed.sources[i].text ?? view.toString('utf8', i ? packed.ends[i - 1] : 0, packed.ends[i]),
      shared,
    );
  }

  /** The project's modules as the file at `path` may consult them; its consults are recorded. */
  forFile(path: string, language: LanguageId): ReviewModules {
    const consulted = (name: string): void => {
      let set = this.consults.get(path);
      if (!set) this.consults.set(path, (set = new Set()));
      set.add(name);
    };
    return {
      module: (name) => {
        consulted(name);
        const i = this.byName.get(key(language, name));
        return i === undefined ? undefined : this.module(i);
      },
      all: () => {
        consulted(EVERY_MODULE);
        let every = this.everyOf.get(language);
        if (!every) {
          every = this.sources.flatMap((s, i) => (s.language === language ? [this.module(i)!] : []));
          this.everyOf.set(language, every);
        }
        return every;
      },
      derived: <T>(kind: string, module: ProjectModuleText, make: (m: ProjectModuleText) => T): T => {
        const k = `${kind}\0${module.path}`;
        if (this.memo.has(k)) return this.memo.get(k) as T;
        const value = this.shared ? this.shared.get(k, () => make(module)) : make(module);
        this.memo.set(k, value);
        return value;
      },
    };
  }

  /** The module names the file's model consulted, sorted; undefined when none. */
  consultedBy(path: string): string[] | undefined {
    const set = this.consults.get(path);
    return set?.size ? [...set].sort() : undefined;
  }

  private module(i: number): ProjectModuleText {
    let m = this.modules[i];
    if (!m) {
      const s = this.sources[i];
      let text: string | undefined;
      const read = this.textOf;
      m = this.modules[i] = {
        name: nameOf(s),
        path: s.file,
        get text(): string {
          return (text ??= read(i));
        },
      };
    }
    return m;
  }
}

function nameOf(s: TextSource): string {
  return s.module ?? languageById(s.language).modules.nameForPath(s.file);
}

function key(language: LanguageId, name: string): string {
  return `${language}\0${name}`;
}

/** What the threads of a review receive to read its sources: the texts and the derived values. */
export interface SharedSources {
  packed: PackedSources;
  values: SharedValueBuffers;
}

/**
 * The sources of one review as its threads receive them: packed once into shared memory for the
 * threads (the pass and the pool's workers) with the table of what they derive from them, or read
 * where they are by a review run in this thread.
 */
export class ReviewSources {
  private sharedOnce?: SharedSources;
  private hereOnce?: ProjectTexts;

  constructor(private readonly sources: readonly ProjectSource[]) {}

  get shared(): SharedSources {
    if (!this.sharedOnce) {
      const packed = packSources(this.sources, true);
      // Room for a few values per source, and for statements as long as the texts (see excerpts.ts).
      const values = SharedValues.create(this.sources.length * 8, packed.bytes.byteLength * 2 + (1 << 20));
      this.sharedOnce = { packed, values: values.buffers };
    }
    return this.sharedOnce;
  }

  /** The texts as a thread that received `shared` reads them. */
  static inThread(shared: SharedSources): ProjectTexts {
    return ProjectTexts.fromPacked(shared.packed, new SharedValues(shared.values));
  }

  get here(): ProjectTexts {
    return (this.hereOnce ??= ProjectTexts.of(this.sources));
  }
}
