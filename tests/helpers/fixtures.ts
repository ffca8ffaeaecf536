import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Annotations {
  /** Lines that must be reported by the rule. */
  expected: Set<number>;
  /** Lines that must not be reported by the rule. */
  ok: Set<number>;
}

const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook):\s*([\w/.,\s-]+?)\s*$/;

/**
 * Semgrep's convention: the code line after `# ruleid: <id>` must be reported by that rule, the
 * line after `# ok: <id>` must not. Several annotation lines may stack above one code line.
 */
export function readAnnotations(text: string, ruleId: string): Annotations {
  const lines = text.split(/\r?\n/);
  const expected = new Set<number>();
  const ok = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const m = ANNOTATION.exec(lines[i]);
    if (!m) continue;
    const ids = m[2].split(',').map((s) => s.trim());
    if (!ids.includes(ruleId)) continue;
    let target = i + 1;
    while (target < lines.length && ANNOTATION.test(lines[target])) target++;
    (m[1] === 'ruleid' ? expected : m[1] === 'ok' ? ok : new Set<number>()).add(target + 1);
  }
  return { expected, ok };
}

export function fixtureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.pyw?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Every Python file of the bundled examples and the rule fixtures: real code, syntax errors included. */
export function pythonSamples(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const f of readdirSync(join(ROOT, 'examples')))
    if (f.endsWith('.py'))
      out.push({ name: `examples/${f}`, text: readFileSync(join(ROOT, 'examples', f), 'utf8') });
  const rules = join(ROOT, 'src', 'lang', 'python', 'rules');
  for (const rule of readdirSync(rules))
    for (const f of fixtureFiles(join(rules, rule, 'fixtures')))
      if (f.endsWith('.py'))
        out.push({ name: `${rule}/${f.slice(f.lastIndexOf('/') + 1)}`, text: readFileSync(f, 'utf8') });
  return out;
}
