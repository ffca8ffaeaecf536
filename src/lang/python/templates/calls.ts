/**
 * The template uses of the tags and filters a Python file registers, read from the project's
 * templates through the engine's view of the tree (see ../../language.ts `importResolver`) and
 * handed to the file's model among its imports, under a key no module name can have. The project
 * is the folder holding the file's outermost package (a Django project holds its apps and their
 * `templates/` folders), or the file's folder when it is in none (a Flask app beside its
 * `templates/`); its templates are its files with a template's extension in a template folder. A tag library
 * registers its names for every template of the project (Django's `{% load %}` names a library, but
 * two libraries may share a name, so every use of the name counts: more uses, never fewer).
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../../language.js';
import { templateUses, type TemplateUses } from './syntax.js';

/** The key of the uses among a file's imports (a NUL: no module name holds one). */
export const TEMPLATE_USES_KEY = '\0template-uses';

/** File extensions of templates (Django's and Jinja2's). */
const TEMPLATE_EXTENSIONS = ['html', 'htm', 'txt', 'xml', 'jinja', 'jinja2', 'j2', 'tpl', 'djhtml'];
/**
 * The folders templates are kept in: Django's `<app>/templates/` and the folders its settings name
 * (`templates_classic`), Flask's `templates/`, Django's `jinja2/` (other files with those
 * extensions, such as test data, are not read).
 */
const TEMPLATE_FOLDER = /^(?:\w*templates?\w*|jinja2?)$/i;
/** How many template files one project may have read: more is not a hand-written app's. */
const MAX_TEMPLATES = 5000;
/** How many files with a template's extension are listed before those outside template folders are left out. */
const MAX_LISTED = 50_000;
/** Templates read at once. */
const READ_BATCH = 32;
/** A template larger than this is not read. */
const MAX_TEMPLATE_CHARS = 512 * 1024;

/** What the file's model is given: how many templates were read, and the uses of its names. */
export interface TemplateCalls {
  templates: number;
  uses: Record<string, TemplateUses>;
  /** Some of the project's templates were not read (past a cap): a name may have uses not seen. */
  partial?: true;
}

/** The caps on what one project's templates cost (see MAX_LISTED and MAX_TEMPLATES). */
export interface TemplateCaps {
  listed: number;
  templates: number;
}

/** A file that may register template tags or filters (see ../helpers/template-filters.ts). */
const REGISTERS =
  /\b(simple_tag|inclusion_tag|template_filter|add_template_filter|add_app_template_filter)\b|@\w+\.filter\b|\bregister\.filter\s*\(|\.filters\s*(\[\s*['"]|\.update\s*\()/;

/** The names a file may register: its functions', and names given as strings to a registration. */
function registeredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bdef\s+(\w+)|\bname\s*=\s*['"](\w+)['"]|\(\s*['"](\w+)['"]/g))
    names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}

interface ProjectTemplates {
  templates: number;
  uses: Map<string, TemplateUses>;
  partial: boolean;
}

/**
 * A resolver of the template uses of a file's tags and filters, memoising each project's templates.
 * A project with more templates than the caps is read in part, and `note` is told so.
 */
export function templateCallResolver(
  files: ProjectFiles,
  note?: (text: string) => void,
  caps: TemplateCaps = { listed: MAX_LISTED, templates: MAX_TEMPLATES },
): (file: string, text: string) => Promise<Record<string, string>> {
  const projects = new Map<string, Promise<ProjectTemplates>>();
  const packages = new Map<string, Promise<boolean>>();
  const isPackage = (dir: string): Promise<boolean> => {
    let p = packages.get(dir);
    if (!p) packages.set(dir, (p = files.isFile(`${dir}/__init__.py`)));
    return p;
  };
  const read = async (root: string): Promise<ProjectTemplates> => {
    const listed = (await files.findByExtension?.(TEMPLATE_EXTENSIONS, root, caps.listed)) ?? [];
    const inFolders = listed.filter((p) =>
      p
        .split('/')
        .slice(0, -1)
        .some((d) => TEMPLATE_FOLDER.test(d)),
    );
    const paths = inFolders.slice(0, caps.templates);
    const where = root || 'the top folder';
    const left = [
      ...(listed.length >= caps.listed
        ? [
            `more than ${caps.listed} files with a template's extension are under ${where}, and only the first ${caps.listed} were looked at`,
          ]
        : []),
      ...(inFolders.length > caps.templates
        ? [
            `${inFolders.length} templates were found under ${where}, and only the first ${caps.templates} were read`,
          ]
        : []),
    ];
    if (left.length)
      note?.(
        `Django/Jinja templates: ${left.join('; ')}; the template tags and filters of that project are checked as if the other templates passed them page data`,
      );
    const uses = new Map<string, TemplateUses>();
    let templates = 0;
    for (let i = 0; i < paths.length; i += READ_BATCH) {
      const batch = paths.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map((p) => files.read(p)));
      batch.forEach((path, j) => {
        const text = texts[j];
        if (text === undefined || text.length > MAX_TEMPLATE_CHARS || !/\{[%{]/.test(text)) return;
        templates++;
        templateUses(root ? path.slice(root.length + 1) : path, text, uses);
      });
    }
    return { templates, uses, partial: left.length > 0 };
  };
  return async (file, text): Promise<Record<string, string>> => {
    if (!files.findByExtension || !REGISTERS.test(text)) return {};
    // The folder above the outermost package holding the file, else the file's own folder.
    let dir = posix.dirname(file);
    let root = dir === '.' ? '' : dir;
    if (root && (await isPackage(dir))) {
      while (posix.dirname(dir) !== '.' && (await isPackage(posix.dirname(dir)))) dir = posix.dirname(dir);
      root = posix.dirname(dir) === '.' ? '' : posix.dirname(dir);
    }
    let project = projects.get(root);
    if (!project) projects.set(root, (project = read(root)));
    const { templates, uses, partial } = await project;
    if (!templates) return {};
    const mine: Record<string, TemplateUses> = {};
    for (const name of registeredNames(text)) {
      const u = uses.get(name);
      if (u) mine[name] = u;
    }
    const calls: TemplateCalls = { templates, uses: mine, ...(partial ? { partial: true } : {}) };
    return { [TEMPLATE_USES_KEY]: JSON.stringify(calls) };
  };
}
