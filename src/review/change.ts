import { lstat, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import type { ChangeInfo, Confidence, FileReport, Finding } from '../core/index.js';
import { defaultExcludes, isBuildOutput, toPosix } from '../engine/discover.js';
import { filesAtRevision, filesOnDisk } from '../engine/project-files.js';
import type { ProjectFiles } from '../lang/language.js';
import { review, type ReviewResult } from '../engine/review.js';
import { languageForPath, languages } from '../lang/registry.js';
import type { Rule } from '../rules/rule.js';
import type { InlineDirective } from '../suppressions/inline.js';
import { reverseApply, type DiffFile } from './diff.js';

/**
 * A revision's files: read by path, and, when the source can tell, the paths of all of them (the
 * configuration of imports is read from the revision: see lang/language.ts `importResolver`).
 */
export interface BlobSource {
  kind: 'blobs';
  read: (path: string) => Promise<Buffer | undefined>;
  list?: () => Promise<string[]>;
}

/** Where the new side of each file comes from. */
export type HeadSource = { kind: 'directory'; root: string } | BlobSource;

/** Where the old side comes from: a commit's blobs, or the diff applied backwards to the new side. */
export type BaseSource = BlobSource | { kind: 'reverse-patch' };

export interface ChangeReviewOptions {
  diff: readonly DiffFile[];
  head: HeadSource;
  base: BaseSource;
  baseLabel: string;
  headLabel: string;
  rules: readonly Rule[];
  maxFileSize?: number;
  include?: readonly string[];
  exclude?: readonly string[];
  minConfidence?: Confidence;
  /** Report defects in example code at their full severity (see engine/example-code.ts). */
  examplesAsProduction?: boolean;
  /** Skip the base review (all findings count as new). */
  skipBase?: boolean;
}

export interface ChangeReviewResult {
  /** Every finding in the changed files at the new revision (scope is applied later). */
  findings: Finding[];
  /** Findings of the same files at the base, with new-side paths so fingerprints compare. */
  baseFindings: Finding[];
  files: FileReport[];
  directives: InlineDirective[];
  change: ChangeInfo;
  notices: string[];
}

/**
 * Reviews the files a diff touches at the new revision (whole files, so dataflow through unchanged
 * lines counts) and the same files at the base. Code is only read and parsed, never run.
 */
export async function reviewChange(options: ChangeReviewOptions): Promise<ChangeReviewResult> {
  const notices: string[] = [];
  const excluded = picomatch([...defaultExcludes(), ...(options.exclude ?? [])], { dot: true });
  const included = options.include?.length ? picomatch([...options.include], { dot: true }) : () => true;
  const candidates = options.diff.filter(
    (f) =>
      f.status !== 'deleted' &&
      isSafePath(f.file) &&
      !excluded(f.file) &&
      !isBuildOutput(f.file) &&
      included(f.file),
  );
  const engineOptions = {
    rules: options.rules,
    maxFileSize: options.maxFileSize,
    minConfidence: options.minConfidence,
    examplesAsProduction: options.examplesAsProduction,
  };
  // A symbolic link in a change could point anywhere on the reviewing machine: never follow it.
  const links = new Set<string>();
  if (options.head.kind === 'directory') {
    for (const f of candidates) {
      const info = await lstat(join(options.head.root, f.file)).catch(() => undefined);
      if (info?.isSymbolicLink()) links.add(f.file);
    }
  }
  const paths = candidates.map((f) => f.file).filter((p) => !links.has(p));
  const headHas = (path: string): Promise<boolean> =>
    options.head.kind === 'directory'
      ? lstat(join(options.head.root, path)).then(
          () => true,
          () => false,
        )
      : options.head.read(path).then((b) => b !== undefined);
  const headPackages = await packageMarkersAround(paths, headHas);
  const head =
    options.head.kind === 'directory'
      ? await review({ ...engineOptions, paths, cwd: options.head.root, packageMarkers: headPackages })
      : await reviewSnapshot(
          await readAll(candidates, (f) => readBlob(options.head, f)),
          engineOptions,
          headPackages,
          filesAtRevision(options.head.read, options.head.list),
        );
  notices.push(...head.notes);
  for (const file of links) {
    head.files.push({ file, status: 'skipped', reason: 'unreadable', detail: 'symbolic link, not followed' });
  }

  // Files outside the supported languages are not part of the review.
  let otherFiles = options.diff.length - candidates.length;
  const files = head.files.filter((r) => {
    const notSource =
      r.status === 'skipped' &&
      (r.reason === 'unsupported-language' || r.reason === 'binary' || r.reason === 'not-utf8') &&
      !languageForPath(r.file);
    if (notSource) otherFiles++;
    return !notSource;
  });
  for (const m of head.missing) {
    files.push({ file: m, status: 'skipped', reason: 'unreadable', detail: 'in the diff but not on disk' });
  }
  if (otherFiles > 0) {
    notices.push(
      `${otherFiles} changed file(s) were not reviewed: deleted, excluded or outside the supported languages.`,
    );
  }

  let baseFindings: Finding[] = [];
  const reviewed = new Set(files.filter((f) => f.status === 'reviewed').map((f) => f.file));
  if (!options.skipBase) {
    const withBase = candidates.filter((f) => reviewed.has(f.file) && f.status !== 'added');
    const blobs = await readAll(withBase, async (f) => {
      if (options.base.kind === 'blobs') return options.base.read(f.oldFile ?? f.file);
      const now = await readHeadText(options.head, f.file);
      const old = now === undefined ? undefined : reverseApply(now, f);
      if (old === undefined) {
        notices.push(
          `${f.file}: the file does not match the patch, so its old side could not be rebuilt; all its findings in scope are reported as new.`,
        );
      }
      return old === undefined ? undefined : Buffer.from(old, 'utf8');
    });
    // The packages around the files at the base: from its blobs, or the head's undone by the diff.
    const status = new Map(options.diff.map((f) => [f.file, f.status]));
    const baseHas = (path: string): Promise<boolean> =>
      options.base.kind === 'blobs'
        ? options.base.read(path).then((b) => b !== undefined)
        : status.get(path) === 'added'
          ? Promise.resolve(false)
          : status.get(path) === 'deleted'
            ? Promise.resolve(true)
            : headHas(path);
    const basePackages = await packageMarkersAround([...blobs.keys()], baseHas);
    // The configuration of imports at the base: its blobs', else the head's (a patch's own changes
    // to it are not undone).
    const baseFiles =
      options.base.kind === 'blobs'
        ? filesAtRevision(options.base.read, options.base.list)
        : options.head.kind === 'blobs'
          ? filesAtRevision(options.head.read, options.head.list)
          : filesOnDisk(toPosix(options.head.root));
    baseFindings = (await reviewSnapshot(blobs, engineOptions, basePackages, baseFiles)).findings;
  }

  return {
    findings: head.findings,
    baseFindings,
    files,
    directives: head.directives,
    change: {
      base: options.baseLabel,
      head: options.headLabel,
      files: options.diff.map((f) => ({
        file: f.file,
        ...(f.oldFile ? { oldFile: f.oldFile } : {}),
        status: f.status,
        added: f.added,
        context: f.context,
      })),
    },
    notices,
  };
}

/**
 * The package markers around the changed files at a revision (see lang/language.ts
 * `ModuleSystem`), walking up from each file and stopping at the first folder that is not a
 * package. A diff review reads only the changed files, yet their module names, and so their
 * imports, depend on these. A language whose packages nest names modules from the top of the tree
 * (the folder the review runs in), which needs no markers.
 */
async function packageMarkersAround(
  paths: readonly string[],
  has: (path: string) => Promise<boolean>,
): Promise<string[]> {
  const known = new Map<string, boolean>();
  const exists = async (path: string): Promise<boolean> => {
    let yes = known.get(path);
    if (yes === undefined) known.set(path, (yes = await has(path)));
    return yes;
  };
  for (const { modules } of languages()) {
    if (modules.nested) continue;
    for (const p of paths) {
      const parts = p.split('/');
      for (let k = parts.length - 1; k > 0; k--) {
        const dir = parts.slice(0, k).join('/');
        let found = false;
        for (const m of modules.packageMarkers) if (await exists(`${dir}/${m}`)) found = true;
        if (!found) break;
      }
    }
  }
  return [...known].filter(([, yes]) => yes).map(([path]) => path);
}

/** A diff names paths inside the tree; one that climbs out or is absolute is never read. */
function isSafePath(p: string): boolean {
  return !isAbsolute(p) && !p.split(/[\\/]/).includes('..');
}

async function readBlob(head: HeadSource, f: DiffFile): Promise<Buffer | undefined> {
  return head.kind === 'blobs' ? head.read(f.file) : readFile(join(head.root, f.file)).catch(() => undefined);
}

async function readHeadText(head: HeadSource, path: string): Promise<string | undefined> {
  const bytes =
    head.kind === 'blobs'
      ? await head.read(path)
      : await readFile(join(head.root, path)).catch(() => undefined);
  return bytes?.toString('utf8');
}

async function readAll(
  files: readonly DiffFile[],
  read: (f: DiffFile) => Promise<Buffer | undefined>,
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of files) {
    const bytes = await read(f);
    if (bytes) out.set(f.file, bytes);
  }
  return out;
}

/** Writes the files into a fresh temporary directory and reviews them there, then removes it. */
async function reviewSnapshot(
  blobs: ReadonlyMap<string, Buffer>,
  engineOptions: {
    rules: readonly Rule[];
    maxFileSize?: number;
    minConfidence?: Confidence;
    examplesAsProduction?: boolean;
  },
  packageMarkers: readonly string[],
  /** The revision's files, which the configuration of imports is read from. */
  projectFiles: ProjectFiles,
): Promise<ReviewResult> {
  if (blobs.size === 0) {
    return { findings: [], files: [], missing: [], rules: engineOptions.rules, directives: [], notes: [] };
  }
  const dir = await mkdtemp(join(tmpdir(), 'secreview-rev-'));
  try {
    for (const [path, bytes] of blobs) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    return await review({
      ...engineOptions,
      paths: [...blobs.keys()],
      cwd: dir,
      packageMarkers,
      projectFiles,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
