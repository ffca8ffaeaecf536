import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import type { Location } from '../core/index.js';

export type { Node, Tree } from 'web-tree-sitter';

export type LanguageId = 'python';

const require = createRequire(import.meta.url);

/** Where each language's grammar comes from: the .wasm its npm package ships (no native build). */
const GRAMMARS: Record<LanguageId, string> = {
  python: 'tree-sitter-python/tree-sitter-python.wasm',
};

let initialized: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();
const parsers = new Map<LanguageId, Parser>();

async function loadLanguage(id: LanguageId): Promise<Language> {
  initialized ??= Parser.init();
  await initialized;
  let lang = languages.get(id);
  if (!lang) {
    lang = Language.load(require.resolve(GRAMMARS[id]));
    languages.set(id, lang);
  }
  return lang;
}

/** Returns a parser for the language, created once per thread. */
export async function getParser(id: LanguageId): Promise<Parser> {
  const existing = parsers.get(id);
  if (existing) return existing;
  const language = await loadLanguage(id);
  const parser = new Parser();
  parser.setLanguage(language);
  parsers.set(id, parser);
  return parser;
}

/**
 * A parsed file: text, tree and location helpers. web-tree-sitter parses JavaScript strings as
 * UTF-16, so node rows/columns are already in UTF-16 code units; this is the one place where they
 * become secreview's 1-based Positions.
 */
export class SourceFile {
  readonly lines: string[];

  constructor(
    /** Path relative to the review root, forward slashes. */
    readonly path: string,
    readonly text: string,
    readonly tree: Tree,
    readonly language: LanguageId,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  /** Lines as an editor counts them: a final newline ends the last line, it does not start one. */
  get lineCount(): number {
    if (this.text === '') return 0;
    return /\r?\n$/.test(this.text) ? this.lines.length - 1 : this.lines.length;
  }

  location(node: Node, endNode: Node = node): Location {
    return {
      file: this.path,
      start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
      end: { line: endNode.endPosition.row + 1, column: endNode.endPosition.column + 1 },
    };
  }

  lineText(line: number): string {
    return this.lines[line - 1] ?? '';
  }

  /** Source lines spanned by the node, trimmed, for display and fingerprints. */
  snippet(node: Node): string {
    const first = node.startPosition.row;
    const last = Math.min(node.endPosition.row, first + 4);
    return this.lines
      .slice(first, last + 1)
      .map((l) => l.trim())
      .join('\n');
  }

  /** 1-based lines holding ERROR or MISSING nodes. */
  syntaxErrorLines(): number[] {
    const lines = new Set<number>();
    if (!this.tree.rootNode.hasError) return [];
    const visit = (n: Node): void => {
      if (n.isError || n.isMissing) {
        lines.add(n.startPosition.row + 1);
        return;
      }
      if (!n.hasError) return;
      for (const c of n.children) if (c) visit(c);
    };
    visit(this.tree.rootNode);
    return [...lines].sort((a, b) => a - b);
  }
}

export async function parseSource(path: string, text: string, language: LanguageId): Promise<SourceFile> {
  const parser = await getParser(language);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`parser returned no tree for ${path}`);
  return new SourceFile(path, text, tree, language);
}

export function languageForPath(path: string, firstLine = ''): LanguageId | undefined {
  if (/\.(py|pyw|pyi)$/i.test(path)) return 'python';
  if (/^#!.*\bpython[0-9.]*\b/.test(firstLine)) return 'python';
  return undefined;
}
