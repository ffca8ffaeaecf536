import type { DeclaredVersion } from '../../core/index.js';

/**
 * The dependency declarations of a Python project, read as data: which version of each package it
 * allows. Requirements files, `pyproject.toml` (PEP 621 and Poetry), `setup.cfg`, and the Poetry and
 * uv lock files (exact versions). Nothing is installed or run.
 */

/** PEP 503 normalised name: `Django_Extensions` → `django-extensions`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(?\s*[<>=!~^][^;#]*)?/;

/**
 * A PEP 508 requirement (`lxml>=5.2,<7 ; python_version>"3.8"`) or a Poetry constraint
 * (`^5.0`): the lowest version it allows, exact when pinned with `==` or `===`.
 */
export function parseRequirement(text: string): { name: string; version: DeclaredVersion } | undefined {
  const m = REQUIREMENT.exec(text);
  if (!m) return undefined;
  return { name: normalizeName(m[1]), version: lowestAllowed(m[3] ?? '') };
}

/** The lowest version a constraint allows: `>=5.2,<7` → 5.2, `==6.1.0` → 6.1.0 (exact), `~=5.3` → 5.3. */
export function lowestAllowed(constraint: string): DeclaredVersion {
  let lowest: DeclaredVersion = { kind: 'any' };
  for (const part of constraint.replace(/[()]/g, '').split(',')) {
    const m = /^\s*(===|==|>=|~=|\^|~|>)?\s*v?(\d+(?:\.\d+)*)/.exec(part);
    if (!m) continue;
    const op = m[1] ?? '==';
    if (op === '==' || op === '===') return { kind: 'exact', version: m[2] };
    // `>5.0` allows 5.0.1: its lowest allowed release is above 5.0, which the comparisons treat alike.
    lowest = { kind: 'at-least', version: m[2] };
  }
  return lowest;
}

/** The file names whose declarations `readManifest` understands. */
export function isManifest(name: string): boolean {
  return /^(requirements[\w.-]*\.(txt|in)|pyproject\.toml|setup\.cfg|poetry\.lock|uv\.lock|Pipfile\.lock)$/.test(
    name,
  );
}

/** The declared versions of one manifest file, by normalised package name. */
export function readManifest(name: string, text: string): Map<string, DeclaredVersion> {
  const out = new Map<string, DeclaredVersion>();
  const add = (requirement: string): void => {
    const r = parseRequirement(requirement);
    if (r) out.set(r.name, r.version);
  };
  if (name.endsWith('.lock')) {
    // [[package]] name = "lxml" version = "6.0.2" (Poetry and uv), or Pipfile.lock's JSON.
    if (name === 'Pipfile.lock') {
      for (const m of text.matchAll(/"([A-Za-z0-9._-]+)":\s*\{[^{}]*?"version":\s*"==([^"]+)"/g)) {
        out.set(normalizeName(m[1]), { kind: 'exact', version: m[2] });
      }
      return out;
    }
    for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
      const pkg = /^name\s*=\s*"([^"]+)"/m.exec(block);
      const version = /^version\s*=\s*"([^"]+)"/m.exec(block);
      if (pkg && version) out.set(normalizeName(pkg[1]), { kind: 'exact', version: version[1] });
    }
    return out;
  }
  if (name === 'pyproject.toml' || name === 'setup.cfg') {
    // Quoted PEP 508 strings in dependency arrays, and Poetry's `name = "constraint"` tables.
    let section = '';
    let inArray = false;
    for (const line of text.split('\n')) {
      const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (header) {
        section = header[1];
        continue;
      }
      if (name === 'setup.cfg') {
        if (/^options(\.extras_require)?$/.test(section) && /^\s+\S/.test(line)) add(line.trim());
        continue;
      }
      if (/dependencies|requires/.test(section) && /poetry/.test(section)) {
        const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*(?:"([^"]*)"|\{[^}]*version\s*=\s*"([^"]*)")/.exec(
          line,
        );
        if (m && m[1] !== 'python') out.set(normalizeName(m[1]), lowestAllowed(m[2] ?? m[3] ?? ''));
        continue;
      }
      // PEP 621 `dependencies = [...]`, `[project.optional-dependencies]` and `[dependency-groups]`
      // arrays, which may span lines.
      const opens = /^\s*([A-Za-z0-9._-]+)\s*=\s*\[/.exec(line);
      if (opens) {
        inArray =
          (section === 'project' && opens[1] === 'dependencies') ||
          section === 'project.optional-dependencies' ||
          section === 'dependency-groups';
      }
      if (inArray) for (const m of line.matchAll(/"([^"]+)"/g)) add(m[1]);
      if (/\]\s*(#.*)?$/.test(line)) inArray = false;
    }
    return out;
  }
  for (const line of text.split('\n')) {
    const stripped = line.replace(/(^|\s)#.*$/, '').trim();
    if (!stripped || stripped.startsWith('-')) continue;
    add(stripped);
  }
  return out;
}
