import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { Rule } from '../rules/rule.js';
import type { FileAnalysis } from './analyze.js';

/**
 * The result cache (`.secreview-cache/`): a file's analysis is reused when nothing it depends on
 * has changed. An entry is valid for
 *
 *   - the file's path and content hash (findings carry the path; fingerprints include it), and its
 *     module name when the review gave one (see schedule.ts);
 *   - the engine key: the rule-set version (the code of the engine, analyses and rules, plus the
 *     selected rules with their settings) and the hash of the configuration;
 *   - the dependency key: for analyses that read other files (cross-file dataflow summaries) the
 *     hash of the whole project's file set (every reviewed path with its content hash). Any change
 *     to any file then invalidates those results. This is coarser than hashing only the summaries a
 *     file uses, but it needs nothing from the dataflow engine and cannot miss a dependency; files
 *     reviewed by file-local rules only keep an empty dependency key and survive edits elsewhere.
 *
 * One results file per engine key, so that switching configurations back and forth keeps both;
 * the oldest are pruned. Skipped files (timeouts included) are not cached: they are retried.
 */

const FORMAT = 1;
const KEEP_RESULT_FILES = 4;

interface Entry {
  hash: string;
  deps: string;
  analysis: FileAnalysis;
}

interface ResultsFile {
  format: number;
  key: string;
  /** projectKey() of the run that wrote the file ('' without dataflow rules). */
  project?: string;
  entries: Record<string, Entry>;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A stable hash of JSON-like data (object keys sorted). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'bigint') return `"${value}n"`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Map) return `{"@map":${stableJson([...value].sort(compareEntries))}}`;
  if (value instanceof Set) return `{"@set":${stableJson([...value])}}`;
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return `{${keys
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
    .join(',')}}`;
}

function compareEntries(a: [unknown, unknown], b: [unknown, unknown]): number {
  const x = stableJson(a[0]);
  const y = stableJson(b[0]);
  return x < y ? -1 : x > y ? 1 : 0;
}

let codeHash: string | undefined;

/**
 * Hash of secreview's own code (engine, analyses, rules): any change to a rule invalidates the
 * cache without anyone remembering to bump a version. Reads the compiled modules when running
 * from dist/, the TypeScript sources under a test runner.
 */
export function engineCodeHash(): string {
  if (codeHash) return codeHash;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(js|ts|json)$/.test(f) && !/\.d\.ts$/.test(f) && !/(^|[\\/])fixtures[\\/]/.test(f))
    .sort();
  for (const f of files)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  return (codeHash = hash.digest('hex').slice(0, 32));
}

/** The rule-set version: engine code plus each selected rule's settings. */
export function ruleSetVersion(rules: readonly Rule[]): string {
  return hashOf({
    code: engineCodeHash(),
    rules: rules.map((r) => [
      r.id,
      r.severity,
      r.confidence,
      r.cwe,
      r.kind ?? 'defect',
      r.languages,
      r.limit ?? null,
    ]),
  });
}

/** Every reviewed path with its content hash: when it is unchanged, so are all dataflow results. */
export function projectKey(files: ReadonlyMap<string, string>): string {
  return hashOf([...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

export class ResultCache {
  hits = 0;
  misses = 0;
  /** projectKey() of the reviewed files when the cache was written; set before saving. */
  project = '';
  private dirty = false;
  private readonly fresh: Record<string, Entry> = {};

  private constructor(
    readonly dir: string,
    readonly key: string,
    private readonly entries: Record<string, Entry>,
    project: string,
  ) {
    this.project = project;
    this.savedProject = project;
  }

  private readonly savedProject: string;

  /** Opens the results of this engine key; a missing or unreadable cache starts empty. */
  static async open(dir: string, key: string): Promise<ResultCache> {
    let entries: Record<string, Entry> = {};
    let project = '';
    try {
      const data = JSON.parse(await readFile(join(dir, resultsName(key)), 'utf8')) as ResultsFile;
      if (data.format === FORMAT && data.key === key && data.entries && typeof data.entries === 'object') {
        entries = data.entries;
        project = typeof data.project === 'string' ? data.project : '';
      }
    } catch {
      /* no cache yet, or a damaged one: start over */
    }
    return new ResultCache(dir, key, entries, project);
  }

  /** The stored analysis of the file if its content (and dependency key, when given) match. */
  /** Whether an entry was stored for this content (whatever its dataflow dependencies). */
  holds(path: string, hash: string): boolean {
    return this.entries[path]?.hash === hash;
  }

  get(path: string, hash: string, deps?: string): FileAnalysis | undefined {
    const e = this.entries[path];
    if (e && e.hash === hash && (deps === undefined || e.deps === deps)) {
      this.hits++;
      this.fresh[path] = e;
      return e.analysis;
    }
    this.misses++;
    return undefined;
  }

  set(path: string, hash: string, analysis: FileAnalysis, deps = ''): void {
    this.fresh[path] = { hash, deps, analysis };
    this.dirty = true;
  }

  /**
   * Writes the entries of this run (files no longer reviewed are dropped) atomically, and prunes
   * the results of old engine keys. Nothing is written when every file was a hit.
   */
  async save(): Promise<void> {
    const unchanged =
      !this.dirty &&
      this.project === this.savedProject &&
      Object.keys(this.fresh).length === Object.keys(this.entries).length;
    if (unchanged) return;
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, '.gitignore'), '# Created by secreview.\n*\n').catch(() => undefined);
    const data: ResultsFile = { format: FORMAT, key: this.key, project: this.project, entries: this.fresh };
    await writeFileAtomic(join(this.dir, resultsName(this.key)), JSON.stringify(data));
    await pruneResults(this.dir, resultsName(this.key));
  }
}

function resultsName(key: string): string {
  return `results-${key.slice(0, 16)}.json`;
}

async function pruneResults(dir: string, keep: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => /^results-[0-9a-f]+\.json$/.test(n) && n !== keep);
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(KEEP_RESULT_FILES - 1)) await unlink(join(dir, n)).catch(() => undefined);
}
