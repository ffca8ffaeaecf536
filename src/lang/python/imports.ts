import type { ImportingSource } from '../language.js';
import { isPackageInit } from './semantic/modules.js';
import { moduleNameForPath } from './semantic/scope.js';

/** `from .pkg.mod import a, b` (the names after `import` on the same line). */
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^\n#]*)/gm;
/** `import a.b as c, d`. */
const IMPORT = /^[ \t]*import[ \t]+([^\n#]+)/gm;

/**
 * The modules a Python file's import lines may name, as dotted names: `from pkg import mod` names
 * `pkg` and `pkg.mod`, `import a.b` names `a` and `a.b`, and a relative import is made absolute
 * from the file's own module name. Read from the text with two patterns, without parsing: it is a
 * guess for ordering work, never an answer of the analysis.
 */
export function importedNames(source: ImportingSource): string[] {
  const name = source.module ?? moduleNameForPath(source.file);
  const parts = name.split('.');
  const isPackage = isPackageInit(source.file);
  const out = new Set<string>();
  for (const m of source.text.matchAll(FROM_IMPORT)) {
    let base = m[2];
    if (m[1]) {
      // One dot is the file's own package (the package itself for an `__init__.py`).
      const up = m[1].length - (isPackage ? 1 : 0);
      base = [...parts.slice(0, Math.max(0, parts.length - up)), ...(m[2] ? [m[2]] : [])].join('.');
    }
    if (base) out.add(base);
    for (const item of m[3].split(',')) {
      const imported = item.trim().split(/\s+/)[0];
      if (imported && /^\w+$/.test(imported)) out.add(base ? `${base}.${imported}` : imported);
    }
  }
  for (const m of source.text.matchAll(IMPORT)) {
    for (const item of m[1].split(',')) {
      const dotted = item.trim().split(/\s+/)[0].split('.');
      for (let k = 1; k <= dotted.length; k++)
        if (/^\w+$/.test(dotted[k - 1])) out.add(dotted.slice(0, k).join('.'));
    }
  }
  return [...out];
}
