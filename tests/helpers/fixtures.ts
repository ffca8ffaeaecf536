import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageForPath } from '../../src/lang/registry.js';

export interface Annotations {
  /** Lines that must be reported by the rule. */
  expected: Set<number>;
  /** Lines that must not be reported by the rule. */
  ok: Set<number>;
  /** Of the expected lines, those reported as a hygiene suggestion rather than a defect. */
  hygiene: Set<number>;
}

/** Fixture folders under `fixtures/projects/`: every file in one is reviewed together, as a project. */
export const PROJECTS = 'projects';

const annotationPatterns = new Map<string, RegExp>();

/** `<comment> ruleid: <ids>`, in the line-comment syntax of the fixture's language. */
function annotationPattern(comment: string): RegExp {
  let re = annotationPatterns.get(comment);
  if (!re) {
    const escaped = comment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`^\\s*${escaped}\\s*(ruleid|hygiene|ok|todoruleid|todook):\\s*([\\w/.,\\s-]+?)\\s*$`);
    annotationPatterns.set(comment, re);
  }
  return re;
}

/**
 * Semgrep's convention: the code line after `# ruleid: <id>` must be reported by that rule, the
 * line after `# ok: <id>` must not; `# hygiene: <id>` is a `ruleid` reported as a hygiene suggestion
 * (a finding not exploitable on its own, see RuleMeta.hygiene). Several annotation lines may stack above one code line. The
 * comment syntax is the file's language's (`#` for Python).
 */
export function readAnnotations(text: string, ruleId: string, path: string): Annotations {
  const language = languageForPath(path);
  if (!language) throw new Error(`${path}: no language reviews this fixture`);
  const annotation = annotationPattern(language.comments.line);
  const lines = text.split(/\r?\n/);
  const expected = new Set<number>();
  const ok = new Set<number>();
  const hygiene = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const m = annotation.exec(lines[i]);
    if (!m) continue;
    const ids = m[2].split(',').map((s) => s.trim());
    if (!ids.includes(ruleId)) continue;
    let target = i + 1;
    while (target < lines.length && annotation.test(lines[target])) target++;
    if (m[1] === 'hygiene') hygiene.add(target + 1);
    const into = m[1] === 'ruleid' || m[1] === 'hygiene' ? expected : m[1] === 'ok' ? ok : undefined;
    into?.add(target + 1);
  }
  return { expected, ok, hygiene };
}

/** Source files of a folder and its subfolders, in a language the registry knows. */
function sourcesIn(dir: string, skip: (relative: string) => boolean = () => false): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.replace(/\\/g, '/'))
    .filter((f) => !skip(f) && languageForPath(f)?.extensions.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => join(dir, f));
}

/** The fixtures each analysed alone: every source file outside the project folders. */
export function fixtureFiles(dir: string): string[] {
  return sourcesIn(dir, (f) => f.startsWith(`${PROJECTS}/`));
}

/** The project fixtures: each folder under `fixtures/projects/`, with its source files. */
export function fixtureProjects(dir: string): { dir: string; files: string[] }[] {
  const root = join(dir, PROJECTS);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .map((name) => join(root, name))
    .filter((d) => statSync(d).isDirectory())
    .map((d) => ({ dir: d, files: sourcesIn(d) }));
}

/** Every fixture source of a rule: the single files and those of its projects. */
export function allFixtureFiles(dir: string): string[] {
  return [...fixtureFiles(dir), ...fixtureProjects(dir).flatMap((p) => p.files)];
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
    for (const f of allFixtureFiles(join(rules, rule, 'fixtures')))
      if (f.endsWith('.py'))
        out.push({ name: `${rule}/${f.slice(f.lastIndexOf('/') + 1)}`, text: readFileSync(f, 'utf8') });
  return out;
}
