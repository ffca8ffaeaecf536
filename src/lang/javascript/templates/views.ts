/**
 * Where the views a file renders may lie, and what the engine read of them: the import resolver
 * (../resolution.ts) reads the template files a file's text may render, from the tree as the engine
 * gives it, and hands their unescaped outputs (./outputs.ts) to the file's model with its imports,
 * under keys no specifier can have (`TEMPLATE_KEY` and the path from the file's folder). The rule
 * resolves each render call exactly with the semantic model and looks its view up there: a view
 * that was not read is no finding.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../../language.js';
import { engineOfPath, TEMPLATE_EXTENSIONS, unescapedOutputs, type TemplateOutput } from './outputs.js';

/** The prefix of a template's entry among a file's imports (a NUL: no module specifier holds one). */
export const TEMPLATE_KEY = '\0template:';

/** How many folders above the file a view folder is looked for (`routes/` beside `views/`). */
export const VIEW_FOLDER_DEPTH = 3;
/** How many template files one source file may read: more is not a hand-written app's. */
const MAX_TEMPLATES_READ = 400;
/** A template larger than this is not read. */
const MAX_TEMPLATE_CHARS = 512 * 1024;

/** The call names whose first argument names a view or template file. */
const RENDERS = /\b(?:render|renderFile|compileFile|view)\s*\(\s*/g;
/** `app.set('views', ...)`, koa-views `views(...)`, nunjucks `configure(...)`: the folder's last literal. */
const VIEW_DIRS =
  /(?:\bset\s*\(\s*['"]views['"]\s*,|\bviews\s*\(|\bconfigure\s*\(|\broot\s*:|\bviews\s*:)\s*(?:path\s*\.\s*(?:join|resolve)\s*\(\s*(?:__dirname|process\s*\.\s*cwd\s*\(\s*\))\s*,\s*)?((?:['"][^'"\n]+['"]\s*,?\s*)+)/g;
const VIEW_ENGINE = /\bset\s*\(\s*['"]view engine['"]\s*,\s*['"](\w+)['"]/g;

/** The string literals of a list as written (`'views', 'pages'`), joined as a path. */
function joinedLiterals(list: string): string {
  return posix.join(...[...list.matchAll(/['"]([^'"\n]+)['"]/g)].map((m) => m[1]));
}

/** Relative folders (from the file's) a view folder may be in: its own, then those above it. */
export function upward(depth = VIEW_FOLDER_DEPTH): string[] {
  return Array.from({ length: depth + 1 }, (_, i) => '../'.repeat(i) || '.');
}

/** The paths (from the file's folder, normalised) a view name may stand for, given folders and extensions. */
export function viewCandidates(name: string, dirs: readonly string[], exts: readonly string[]): string[] {
  const withExt = engineOfPath(name) ? [name] : exts.map((e) => `${name}.${e}`);
  const out: string[] = [];
  for (const dir of dirs) for (const n of withExt) out.push(posix.normalize(posix.join(dir, n)));
  return [...new Set(out)];
}

/** The templates a file's text may render, by path from its folder, read through the engine's view of the tree. */
export async function readTemplates(
  files: ProjectFiles,
  file: string,
  text: string,
  /** Told when the file names more views than are read (see MAX_TEMPLATES_READ). */
  note?: (text: string) => void,
  maxReads = MAX_TEMPLATES_READ,
): Promise<Record<string, string>> {
  if (!/\b(render|renderFile|compileFile|view)\s*\(/.test(text)) return {};
  const names = new Set<string>();
  for (const m of text.matchAll(RENDERS)) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 300);
    const lit = /^(['"`])([^'"`$\n]+)\1/.exec(rest);
    if (lit) names.add(lit[2]);
    // `renderFile(path.join(__dirname, 'views', 'page.ejs'))`
    const joined =
      /^path\s*\.\s*(?:join|resolve)\s*\(\s*__dirname\s*,\s*((?:['"][^'"\n]+['"]\s*,?\s*)+)\)/.exec(rest);
    if (joined) names.add(joinedLiterals(joined[1]));
  }
  if (!names.size) return {};
  const dirs = new Set(['views', '.']);
  for (const m of text.matchAll(VIEW_DIRS)) dirs.add(joinedLiterals(m[1]));
  const engines = [...text.matchAll(VIEW_ENGINE)]
    .map((m) => m[1])
    .filter((e) => Object.hasOwn(TEMPLATE_EXTENSIONS, e));
  const exts = engines.length ? engines : Object.keys(TEMPLATE_EXTENSIONS);
  const from = posix.dirname(file);
  const folders = upward().flatMap((up) => [...dirs].map((d) => posix.join(up, d)));
  const out: Record<string, string> = {};
  let reads = 0;
  for (const name of names)
    for (const rel of viewCandidates(name, folders, exts)) {
      if (reads++ >= maxReads) {
        note?.(
          `${file}: its render calls name more than ${maxReads} possible view files; the views past them were not read, so their unescaped outputs are not checked`,
        );
        return out;
      }
      const path = posix.normalize(posix.join(from, rel));
      const engine = engineOfPath(path);
      if (!engine || path.startsWith('..')) continue;
      const body = await files.read(path);
      if (body === undefined || body.length > MAX_TEMPLATE_CHARS) continue;
      out[`${TEMPLATE_KEY}${rel}`] = JSON.stringify(unescapedOutputs(engine, body));
    }
  return out;
}

/** A template's unescaped outputs from a file's imports, by path from the file's folder; undefined when not read. */
export function templateOutputsOf(
  imports: Readonly<Record<string, string>>,
  rel: string,
): TemplateOutput[] | undefined {
  const key = `${TEMPLATE_KEY}${posix.normalize(rel)}`;
  if (!Object.hasOwn(imports, key)) return undefined;
  try {
    return JSON.parse(imports[key]) as TemplateOutput[];
  } catch {
    return undefined;
  }
}
