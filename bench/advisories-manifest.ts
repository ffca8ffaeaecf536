/**
 * The advisory manifest of the real-vulnerability benchmark (bench/advisories.ts): published
 * advisories of open-source projects, each pinned to its vulnerable and fixed commits with the file
 * and lines of the flaw. The loader is strict: a bad entry stops the run with its index, id and field,
 * since a wrong commit or line would silently score a miss.
 */

export interface Advisory {
  /** GHSA id, or the CVE id when there is no GHSA. Unique in the manifest. */
  id: string;
  cve?: string;
  /** `owner/repo` on GitHub. */
  project: string;
  /** 40 lowercase hex digits each. */
  vulnerable: string;
  fixed: string;
  /** The package folder reviewed, relative to the repository root (`.` for all of it). */
  folder: string;
  /** The flawed file at the vulnerable commit, relative to the repository root, inside `folder`. */
  file: string;
  /** First and last line of the flaw at the vulnerable commit (1-based, inclusive). */
  lines: [number, number];
  cwe: number;
  /** One line, in the manifest author's own words. */
  summary: string;
}

const FIELDS = new Set([
  'id',
  'cve',
  'project',
  'vulnerable',
  'fixed',
  'folder',
  'file',
  'lines',
  'cwe',
  'summary',
]);
const ID = /^(GHSA(-[0-9a-z]{4}){3}|CVE-\d{4}-\d{4,})$/;
const CVE = /^CVE-\d{4}-\d{4,}$/;
// GitHub's owner and repository name characters; `.` and `..` alone would escape the mirror folder.
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9-]*\/(?!\.\.?$)[A-Za-z0-9._-]+$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** A relative path with `/` separators and no empty, `.` or `..` segment (the folder may be `.`). */
function isCleanRelative(path: string): boolean {
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..') && !path.includes('\\');
}

export function isUnder(file: string, folder: string): boolean {
  return folder === '.' || file.startsWith(`${folder}/`);
}

/** Reads and checks a manifest: a JSON array of advisories. Throws naming the entry and field. */
export function parseManifest(text: string, name = 'advisories.json'): Advisory[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new Error(`${name}: expected an array of advisories`);
  const seen = new Map<string, number>();
  return data.map((raw: unknown, i) => {
    const at = (field: string, problem: string): Error => {
      const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string';
      const label = id ? ` (${(raw as { id: string }).id})` : '';
      return new Error(`${name}: entry ${i}${label}: ${field}: ${problem}`);
    };
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw at('entry', 'expected an object');
    const e = raw as Record<string, unknown>;
    for (const key of Object.keys(e)) if (!FIELDS.has(key)) throw at(key, 'unknown field');
    const str = (field: string, re?: RegExp, what?: string): string => {
      const v = e[field];
      if (typeof v !== 'string' || !v) throw at(field, 'expected a non-empty string');
      if (re && !re.test(v)) throw at(field, `${JSON.stringify(v)} is not ${what}`);
      return v;
    };
    const id = str('id', ID, 'a GHSA or CVE id');
    const cve = e.cve === undefined ? undefined : str('cve', CVE, 'a CVE id');
    const project = str('project', PROJECT, 'owner/repo');
    const vulnerable = str('vulnerable', COMMIT, 'a commit (40 lowercase hex digits)');
    const fixed = str('fixed', COMMIT, 'a commit (40 lowercase hex digits)');
    if (fixed === vulnerable) throw at('fixed', 'the same commit as vulnerable');
    const folder = str('folder');
    if (folder !== '.' && !isCleanRelative(folder))
      throw at('folder', `${JSON.stringify(folder)} is not a clean relative path (or ".")`);
    const file = str('file');
    if (!isCleanRelative(file)) throw at('file', `${JSON.stringify(file)} is not a clean relative path`);
    if (!isUnder(file, folder)) throw at('file', `${file} is not under the folder ${folder}`);
    const lines = e.lines;
    if (
      !Array.isArray(lines) ||
      lines.length !== 2 ||
      !lines.every((n) => Number.isInteger(n) && (n as number) >= 1)
    )
      throw at('lines', 'expected [first, last], two positive integers');
    const [first, last] = lines as [number, number];
    if (first > last) throw at('lines', `first ${first} is after last ${last}`);
    const cwe = e.cwe;
    if (!Number.isInteger(cwe) || (cwe as number) < 1) throw at('cwe', 'expected a positive integer');
    const summary = str('summary');
    if (/[\r\n]/.test(summary)) throw at('summary', 'expected one line');
    const before = seen.get(id);
    if (before !== undefined) throw at('id', `duplicate of entry ${before}`);
    seen.set(id, i);
    return {
      id,
      ...(cve ? { cve } : {}),
      project,
      vulnerable,
      fixed,
      folder,
      file,
      lines: [first, last],
      cwe: cwe as number,
      summary,
    };
  });
}
