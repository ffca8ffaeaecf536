import type { ImportingSource, LanguageId } from '../lang/language.js';
import { languageById } from '../lang/registry.js';

/**
 * Which files the imports of the start files lead to, directly or through other imported files.
 * The project pass parses the modules its entry points reach, and reviews whole a file it parses
 * before the pool has started it (see schedule.ts); the pool takes these files last, so that the
 * pass finds most of them still unclaimed and no file is parsed twice.
 */
export function reachedByImports(
  sources: readonly (ImportingSource & { language: LanguageId })[],
  starts: readonly boolean[],
): boolean[] {
  // Module names are per language: a language imports its own modules.
  const key = (language: LanguageId, name: string): string => `${language}\0${name}`;
  const byName = new Map<string, number>();
  sources.forEach((s, i) =>
    byName.set(key(s.language, s.module ?? languageById(s.language).modules.nameForPath(s.file)), i),
  );
  const reached = sources.map(() => false);
  const queue = starts.flatMap((start, i) => (start ? [i] : []));
  for (let k = 0; k < queue.length; k++) {
    const source = sources[queue[k]];
    for (const name of languageById(source.language).modules.importedNames(source)) {
      const j = byName.get(key(source.language, name));
      if (j === undefined || reached[j] || starts[j]) continue;
      reached[j] = true;
      queue.push(j);
    }
  }
  return reached;
}
