/**
 * The peer side of bench/speed-js.ts: which files ESLint lints (the walk secreview makes, for the
 * JavaScript and TypeScript extensions), how many lines they hold, the flat config it runs with
 * (eslint-plugin-security's recommended rules, the TypeScript parser for TypeScript files, no
 * type-aware linting, nothing of the project's own configuration), and what its results count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discover } from '../src/engine/discover.js';
import { lineCountOf } from '../src/parsing/parser.js';

const JAVASCRIPT = ['.js', '.mjs', '.cjs', '.jsx'];
const TYPESCRIPT = ['.ts', '.mts', '.cts', '.tsx'];
/** The extensions ESLint lints here, JavaScript's and TypeScript's. */
export const JS_EXTENSIONS: readonly string[] = [...JAVASCRIPT, ...TYPESCRIPT];
const globs = (extensions: readonly string[]): string => JSON.stringify(extensions.map((e) => `**/*${e}`));

/** The files of DIR with those extensions, found as a review finds files (.gitignore, dependencies and build output left out). */
export async function listJsFiles(dir: string): Promise<string[]> {
  return (await discover(['.'], dir, { extensions: JS_EXTENSIONS })).files;
}

/** The lines of the files together, counted as the review counts a file's lines. */
export function countLines(files: readonly string[]): number {
  return files.reduce((n, f) => n + lineCountOf(readFileSync(f, 'utf8')), 0);
}

/**
 * Writes the flat config into FOLDER (outside the project, so that nothing resolves against the
 * project's folders) and returns its path. The module imports eslint-plugin-security and
 * typescript-eslint (for its parser, `@typescript-eslint/parser`) from this repository's
 * dependencies. Inline `eslint` comments are ignored: the project's own directives name plugins
 * that are not loaded, and secreview does not read them either.
 */
export function writeEslintConfig(folder: string): string {
  const require = createRequire(import.meta.url);
  const url = (name: string): string => JSON.stringify(pathToFileURL(require.resolve(name)).href);
  const text = [
    `import security from ${url('eslint-plugin-security')};`,
    `import tseslint from ${url('typescript-eslint')};`,
    'export default [',
    '  { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" } },',
    `  { files: ${globs(JAVASCRIPT)}, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },`,
    `  { files: ${globs(TYPESCRIPT)}, languageOptions: { parser: tseslint.parser } },`,
    '  security.configs.recommended,',
    '];',
    '',
  ].join('\n');
  const file = join(folder, 'eslint.config.mjs');
  writeFileSync(file, text);
  return file;
}

/** The parts of ESLint's lint results that are counted. */
export interface LintResultLike {
  messages: readonly { ruleId: string | null; fatal?: boolean }[];
}

export interface EslintCounts {
  /** Reports of the plugin's rules. */
  findings: number;
  byRule: Record<string, number>;
  /** Files ESLint could not parse. */
  unparsed: number;
}

export function countEslint(results: readonly LintResultLike[]): EslintCounts {
  const byRule: Record<string, number> = {};
  let findings = 0;
  let unparsed = 0;
  for (const r of results) {
    if (r.messages.some((m) => m.fatal)) unparsed++;
    for (const m of r.messages) {
      if (!m.ruleId?.startsWith('security/')) continue;
      findings++;
      byRule[m.ruleId] = (byRule[m.ruleId] ?? 0) + 1;
    }
  }
  return { findings, byRule, unparsed };
}
