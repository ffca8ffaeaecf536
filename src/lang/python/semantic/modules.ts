/**
 * Python module names, as the interpreter gives them: a module is named by its path from the top of
 * its chain of regular packages (directories holding `__init__.py`), whatever folder the review
 * started from. Pure: the package directories are known from the set of files being reviewed, which
 * the engine hands over; nothing here reads the file system.
 *
 * Namespace packages (PEP 420: directories without `__init__.py` that are imported through) are
 * not guessed at. Whether `tools/` is a namespace package depends on which directory is on
 * `sys.path`, which no file in the tree states; treating every directory as one would bring back
 * the names of the review root ("src.pkg.mod") that this module exists to avoid. A module outside
 * any regular package is therefore named by its file alone (`tools/run.py` → `run`), as Python
 * names a script run from its folder. mypy's default discovery makes the same choice (it crawls up
 * through `__init__.py` only unless told the package bases). What namespace packages would resolve
 * is kept by two fallbacks on the path from the review root (see `moduleNameForPath`): the project
 * pass also resolves imports by that name's suffixes (taint/project.ts), and a relative import that
 * climbs above the regular packages is resolved against it (scope/python.ts `absoluteModule`).
 */

const INIT = /^__init__\.pyi?$/;
const SOURCE_EXT = /\.py[iw]?$/i;

function posix(path: string): string {
  return path.replace(/\\/g, '/');
}

function splitDir(path: string): { dir: string; base: string } {
  const i = path.lastIndexOf('/');
  return i < 0 ? { dir: '', base: path } : { dir: path.slice(0, i), base: path.slice(i + 1) };
}

/** Whether the path names a package's `__init__.py` (or its stub). */
export function isPackageInit(path: string): boolean {
  return INIT.test(splitDir(posix(path)).base);
}

/** The directories that are regular packages: those holding an `__init__.py` among the paths. */
export function packageDirs(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const { dir, base } = splitDir(posix(p));
    if (INIT.test(base)) out.add(dir);
  }
  return out;
}

/**
 * The module name of a file given the regular package directories (paths in the same form as the
 * file's, absolute or relative; a relative one can only be named up to its first folder):
 * `nova/api/wsgi.py` with `nova/` and `nova/api/` packages → `nova.api.wsgi`,
 * `src/pkg/mod.py` with `src/pkg/` a package → `pkg.mod`, `tools/run.py` → `run`,
 * `pkg/__init__.py` → `pkg`.
 */
export function packageModuleName(path: string, packages: ReadonlySet<string>): string {
  const { dir, base } = splitDir(posix(path));
  const parts: string[] = [];
  if (!INIT.test(base)) parts.push(base.replace(SOURCE_EXT, ''));
  let d = dir;
  while (packages.has(d)) {
    const { dir: parent, base: name } = splitDir(d);
    if (!name || name === '.' || name === '..') break;
    parts.unshift(name);
    d = parent;
  }
  return parts.join('.') || '__main__';
}

/** The naming function of a set of reviewed files (every path in the same form). */
export function moduleNamer(paths: Iterable<string>): (path: string) => string {
  const packages = packageDirs(paths);
  return (path) => packageModuleName(path, packages);
}
