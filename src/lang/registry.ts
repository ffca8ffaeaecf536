/**
 * The languages secreview reviews, and the lookups the engine makes: by id (worker threads receive
 * ids, never functions), by file name and by shebang. Python is the first pack, JavaScript/TypeScript the second.
 */
import type { SourceFile } from '../parsing/parser.js';
import type { Language, LanguageId, SemanticModel } from './language.js';
import { javascript } from './javascript/index.js';
import { python } from './python/index.js';

const LANGUAGES: Language[] = [python, javascript];

/** Every registered language, in registration order. */
export function languages(): readonly Language[] {
  return LANGUAGES;
}

/**
 * Adds a language to this thread's registry (embedders, tests); returns a function that removes it.
 * Worker threads import this module afresh: a language added at run time is reviewed in-process
 * only, which is where the engine runs rules it cannot name to a worker anyway (see task.ts).
 */
export function registerLanguage<M extends SemanticModel>(language: Language<M>): () => void {
  if (LANGUAGES.some((l) => l.id === language.id))
    throw new Error(`language ${language.id} is already registered`);
  const added: Language = language;
  LANGUAGES.push(added);
  return () => {
    const i = LANGUAGES.indexOf(added);
    if (i >= 0) LANGUAGES.splice(i, 1);
  };
}

export function languageById(id: LanguageId): Language {
  const language = LANGUAGES.find((l) => l.id === id);
  if (!language) throw new Error(`unknown language ${id}`);
  return language;
}

/** The language of a file, by its extension or else by the shebang on its first line. */
export function languageForPath(path: string, firstLine = ''): Language | undefined {
  const lower = path.toLowerCase();
  const byName = LANGUAGES.find((l) =>
    [...l.extensions, ...(l.namedExtensions ?? [])].some((e) => lower.endsWith(e)),
  );
  return byName ?? LANGUAGES.find((l) => l.shebang?.test(firstLine));
}

/** Parses a file of a language, loading the grammar in this thread first if needed. */
export async function parseSource(path: string, text: string, language: LanguageId): Promise<SourceFile> {
  const { grammar } = languageById(language);
  await grammar.load();
  return grammar.parse(path, text);
}

/** The language of a rule, by the prefix of its id (`<language>/<name>`). */
export function languageOfRule(ruleId: string): Language | undefined {
  const id = ruleId.slice(0, ruleId.indexOf('/'));
  return LANGUAGES.find((l) => l.id === id);
}

/** "Python", "Python or JavaScript/TypeScript": for messages about files no language claims. */
export function languageNames(): string {
  const names = LANGUAGES.map((l) => l.name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
}

/** The info string of a Markdown code block showing code of a file (see Language `codeFenceOf`). */
export function codeFenceFor(path: string, language = languageForPath(path)): string {
  return language?.codeFenceOf?.(path) ?? language?.codeFence ?? '';
}
