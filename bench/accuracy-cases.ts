/**
 * The pure side of the accuracy benchmark (bench/accuracy.ts): reading an OWASP-Benchmark-format
 * expected-results CSV and finding which test a reported file belongs to.
 */

export interface Expected {
  name: string;
  category: string;
  vulnerable: boolean;
  cwe: number;
}

/** The rows of an expected-results CSV (`test name, category, real vulnerability, cwe`); `#` lines are comments. */
export function readExpected(text: string): Expected[] {
  const out: Expected[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, category, real, cwe] = line.split(',').map((s) => s.trim());
    if (!name || !category || cwe === undefined || !/^\d+$/.test(cwe)) continue;
    out.push({ name, category, vulnerable: /^true$/i.test(real ?? ''), cwe: Number(cwe) });
  }
  return out;
}

/** Test names listed more than once: a finding in the files of one counts for every row. */
export function repeatedNames(expected: readonly Expected[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const e of expected) (seen.has(e.name) ? repeated : seen).add(e.name);
  return [...repeated].sort();
}

/**
 * The tests a reported file belongs to: a file whose name without its extension, or a folder on
 * its path, starts with the test name. A name may be qualified by the folders above the case
 * (`loop_stmt/map_001_T`), for suites that use one name in two folders; it then matches only below
 * those folders. At each place of the path the longest matching name is taken.
 */
export function testsOfPath(file: string, names: ReadonlySet<string>): string[] {
  const byLast = new Map<string, string[][]>();
  for (const name of names) {
    const segments = name.split('/');
    const last = segments[segments.length - 1];
    let list = byLast.get(last);
    if (!list) byLast.set(last, (list = []));
    list.push(segments.slice(0, -1));
  }
  const parts = file.split('/');
  const found = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const base = i === parts.length - 1 ? parts[i].replace(/\.[^.]+$/, '') : parts[i];
    for (let k = base.length; k > 0; k--) {
      const folders = byLast
        .get(base.slice(0, k))
        ?.filter((q) => q.every((s, j) => parts[i - q.length + j] === s));
      if (!folders?.length) continue;
      // The most qualified name first: it is the one written for this place.
      const q = folders.sort((a, b) => b.length - a.length)[0];
      found.add([...q, base.slice(0, k)].join('/'));
      break;
    }
  }
  return [...found];
}
