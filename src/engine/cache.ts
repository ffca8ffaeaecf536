import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBoundedFile, userCacheDir } from '../core/files.js';
import type { Rule } from '../rules/rule.js';
import type { FileAnalysis } from './analyze.js';
import type { PassRecord } from './pass-reuse.js';

/**
 * The result cache: a file's analysis is reused when nothing it depends on
 * has changed. An entry is valid for
 *
 *   - the file's path and content hash (findings carry the path; fingerprints include it), and its
 *     module name when the review gave one (see schedule.ts);
 *   - the neighbours key: the paths and content hashes of the other modules whose texts the file's
 *     model read (see project-texts.ts; the names of modules it looked for and the review did not
 *     hold count too, and `*`, a read of every module, stands for the whole project's file set);
 *   - the engine key: the rule-set version (the code of the engine, analyses and rules, plus the
 *     selected rules with their settings) and the hash of the configuration;
 *   - the dependency key: for analyses that read other files (cross-file dataflow summaries) the
 *     hash of the whole project's file set (every reviewed path with its content hash). Any change
 *     to any file then invalidates those results. This is coarser than hashing only the summaries a
 *     file uses, but it needs nothing from the dataflow engine and cannot miss a dependency; files
 *     reviewed by file-local rules only keep an empty dependency key and survive edits elsewhere.
 *     With the entries the file keeps what the last project pass read (see pass-reuse.ts): when
 *     the edits reach nothing it read, the pass is not run again and the entries hold as they are.
 *
 * One results file per engine key, so that switching configurations back and forth keeps both;
 * the oldest are pruned. Skipped files (timeouts included) are not cached: they are retried.
 *
 * The cache is the user's, never the reviewed repository's (docs/security.md): it lives under the
 * user's cache folder, one folder per project path (projectCacheDir), created private (0700), and
 * is never followed through a symbolic link. Each file it writes carries an HMAC under a per-user
 * key kept in the user's cache folder (0600), over the folder's path and the content: a results
 * file committed to a repository, copied from another project or another user, or edited, does
 * not verify and is ignored, so it can neither hide findings nor forge them.
 */

const FORMAT = 1;
const KEEP_RESULT_FILES = 4;

interface Entry {
  hash: string;
  deps: string;
  /** The key of the modules its model read (see `FileAnalysis.neighbours`); absent when none. */
  neighbours?: string;
  analysis: FileAnalysis;
}

interface ResultsFile {
  format: number;
  key: string;
  /** projectKey() of the run that wrote the file ('' without dataflow rules). */
  project?: string;
  /** What the project pass of that run read (see pass-reuse.ts); absent when no pass ran whole. */
  pass?: PassRecord;
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
  // The modules lie in src/ or dist/src/, one folder above this one's engine/; the bundle's files
  // (the CLI, its workers and the catalog) all in this module's own folder, dist/bundle/.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = basename(here) === 'engine' ? dirname(here) : here;
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
      r.hygieneAsDefects ?? false,
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
  /** What the last project pass read (see pass-reuse.ts); set before saving. */
  pass: PassRecord | undefined;
  private dirty = false;
  private readonly fresh: Record<string, Entry> = {};

  private constructor(
    readonly dir: string,
    readonly key: string,
    private readonly entries: Record<string, Entry>,
    project: string,
    pass: PassRecord | undefined,
  ) {
    this.project = project;
    this.savedProject = project;
    this.pass = this.savedPass = pass;
  }

  private readonly savedPass: PassRecord | undefined;

  private readonly savedProject: string;

  /**
   * Opens the results of this engine key; a missing, unreadable, unauthenticated or unsafe cache
   * (a link, a folder of someone else's) starts empty.
   */
  static async open(dir: string, key: string): Promise<ResultCache> {
    let entries: Record<string, Entry> = {};
    let project = '';
    let pass: PassRecord | undefined;
    const text = await Promise.resolve(readAuthenticated(dir, resultsName(key)));
    try {
      const data = (text === undefined ? undefined : JSON.parse(text)) as ResultsFile | undefined;
      if (data?.format === FORMAT && data.key === key && data.entries && typeof data.entries === 'object') {
        entries = data.entries;
        project = typeof data.project === 'string' ? data.project : '';
        pass = isPassRecord(data.pass) ? data.pass : undefined;
      }
    } catch {
      /* a damaged cache: start over */
    }
    return new ResultCache(dir, key, entries, project, pass);
  }

  /** The stored analysis of the file if its content (and dependency key, when given) match. */
  /** Whether an entry was stored for this content (whatever its dataflow dependencies). */
  holds(path: string, hash: string): boolean {
    return this.entries[path]?.hash === hash;
  }

  /**
   * `neighbours` gives the key of the modules an analysis read as they are now (see
   * `FileAnalysis.neighbours`): an entry whose modules changed does not hold.
   */
  get(
    path: string,
    hash: string,
    deps?: string,
    neighbours?: (names: readonly string[] | undefined) => string,
  ): FileAnalysis | undefined {
    const e = this.entries[path];
    if (
      e &&
      e.hash === hash &&
      (deps === undefined || e.deps === deps) &&
      (e.neighbours ?? '') === (neighbours?.(e.analysis.neighbours) ?? '')
    ) {
      this.hits++;
      this.fresh[path] = e;
      return e.analysis;
    }
    this.misses++;
    return undefined;
  }

  set(path: string, hash: string, analysis: FileAnalysis, deps = '', neighbours = ''): void {
    this.fresh[path] = { hash, deps, ...(neighbours ? { neighbours } : {}), analysis };
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
      this.pass === this.savedPass &&
      Object.keys(this.fresh).length === Object.keys(this.entries).length;
    if (unchanged) return;
    // A cache that cannot be written safely is not written: the review itself does not depend on it.
    if (!ensurePrivateDir(this.dir)) return;
    writePrivateFile(this.dir, '.gitignore', '# Created by secreview.\n*\n');
    const data: ResultsFile = {
      format: FORMAT,
      key: this.key,
      project: this.project,
      ...(this.pass ? { pass: this.pass } : {}),
      entries: this.fresh,
    };
    writeAuthenticated(this.dir, resultsName(this.key), JSON.stringify(data));
    pruneResults(this.dir, resultsName(this.key));
  }
}

/** The shape of a pass record (a results file of an older build may lack one or hold another). */
function isPassRecord(v: unknown): v is PassRecord {
  if (!v || typeof v !== 'object') return false;
  const r = v as Partial<PassRecord>;
  return (
    typeof r.structure === 'string' &&
    Array.isArray(r.whole) &&
    r.whole.every((p) => typeof p === 'string') &&
    isRecordOf(r.files, (h) => typeof h === 'string') &&
    isRecordOf(
      r.probes,
      (p) =>
        !!p &&
        typeof p === 'object' &&
        typeof (p as { hash?: unknown }).hash === 'string' &&
        Array.isArray((p as { keys?: unknown }).keys) &&
        (p as { keys: unknown[] }).keys.every((k) => typeof k === 'string'),
    ) &&
    isRecordOf(r.budgets, (b) => {
      const x = b as { lines?: unknown; used?: unknown; binding?: unknown } | null;
      return (
        !!x && typeof x.lines === 'number' && typeof x.used === 'number' && typeof x.binding === 'boolean'
      );
    })
  );
}

function isRecordOf(v: unknown, ok: (x: unknown) => boolean): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(ok);
}

function resultsName(key: string): string {
  return `results-${key.slice(0, 16)}.json`;
}

/** Deletes the oldest results files; only regular files in a folder already checked to be private. */
function pruneResults(dir: string, keep: string): void {
  const dated: { n: string; t: number }[] = [];
  for (const n of readdirSync(dir)) {
    if (!/^results-[0-9a-f]+\.json$/.test(n) || n === keep) continue;
    const info = lstatOrUndefined(join(dir, n));
    if (info?.isFile()) dated.push({ n, t: info.mtimeMs });
  }
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(KEEP_RESULT_FILES - 1)) {
    try {
      unlinkSync(join(dir, n));
    } catch {
      /* gone already */
    }
  }
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** The largest cache file read back; a larger one is ignored. */
const MAX_CACHE_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The default cache folder of a project: under the user's cache folder (`$XDG_CACHE_HOME/secreview`,
 * else ~/.cache/secreview), named by a hash of the project's absolute path.
 */
export function projectCacheDir(env: Record<string, string | undefined>, projectPath: string): string {
  const id = createHash('sha256').update(resolve(projectPath)).digest('hex').slice(0, 32);
  return join(userCacheDir(env), 'projects', id);
}

/**
 * Creates `dir` (0700) if needed and checks that it is a real folder (not a symbolic link) of this
 * user. A folder that fails is not used.
 */
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  const info = lstatOrUndefined(dir);
  if (!info || !info.isDirectory() || info.isSymbolicLink()) return false;
  return typeof process.getuid !== 'function' || info.uid === process.getuid();
}

/**
 * Writes `name` in `dir` through a fresh temporary file (created exclusively, never through a
 * link, mode 0600) renamed into place: a link planted at `name` is replaced, not followed.
 */
export function writePrivateFile(dir: string, name: string, data: string): boolean {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    const bytes = Buffer.from(data, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, join(dir, name));
    return true;
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    return false;
  }
}

let userKey: Buffer | undefined;

/**
 * The per-user key of the cache's HMACs: 32 random bytes in `<user cache folder>/key` (0600),
 * created on first use. Undefined when it cannot be kept safely: the cache is then not used.
 */
function cacheKey(): Buffer | undefined {
  if (userKey) return userKey;
  const root = userCacheDir(process.env);
  if (!ensurePrivateDir(root)) return undefined;
  const path = join(root, 'key');
  try {
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const info = fstatSync(fd);
      const own = typeof process.getuid !== 'function' || info.uid === process.getuid();
      if (!info.isFile() || !own || (info.mode & 0o077) !== 0) return undefined;
      const key = readFileSync(fd);
      return key.length === 32 ? (userKey = key) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  const key = randomBytes(32);
  try {
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    writeSync(fd, key);
    closeSync(fd);
    return (userKey = key);
  } catch {
    return undefined;
  }
}

function mac(key: Buffer, dir: string, name: string, text: string): string {
  return createHmac('sha256', key)
    .update(`${resolve(dir)}\0${name}\0`)
    .update(text)
    .digest('hex');
}

/**
 * Reads a cache file written by writeAuthenticated: undefined when it is missing, a link, not a
 * regular file, too large, or its HMAC (under this user's key, for this folder and name) fails.
 */
export function readAuthenticated(dir: string, name: string): string | undefined {
  const key = cacheKey();
  if (!key) return undefined;
  const dirInfo = lstatOrUndefined(dir);
  if (!dirInfo?.isDirectory()) return undefined;
  let text: string;
  try {
    text = readBoundedFile(join(dir, name), {
      what: 'cache',
      maxBytes: MAX_CACHE_FILE_BYTES,
      noFollow: true,
    });
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  if (nl < 0) return undefined;
  const given = Buffer.from(text.slice(0, nl), 'utf8');
  const body = text.slice(nl + 1);
  const expected = Buffer.from(mac(key, dir, name, body), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? body : undefined;
}

/** Writes a cache file with its HMAC on the first line (see readAuthenticated). */
export function writeAuthenticated(dir: string, name: string, body: string): boolean {
  const key = cacheKey();
  if (!key || !ensurePrivateDir(dir)) return false;
  return writePrivateFile(dir, name, `${mac(key, dir, name, body)}\n${body}`);
}
