import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { Location } from '../core/index.js';
import { ERROR_SYMBOL, SyntaxTree, type GrammarTables, type Node, type TreeArrays } from './tree.js';

export { Node, SyntaxTree, type Point } from './tree.js';

const require = createRequire(import.meta.url);

/**
 * The functions of web-tree-sitter's WebAssembly module that copyTree calls directly. Emscripten
 * puts a module's exports on the options object given to `Parser.init`; these are the same
 * functions web-tree-sitter's own TreeCursor calls, minus its per-call marshalling in JavaScript.
 */
interface WasmExports {
  _ts_init(): number;
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const wasm = {} as WasmExports;
let initialized: Promise<void> | undefined;
/** By the module specifier of the grammar's .wasm. */
const languages = new Map<string, Promise<Language>>();
const parsers = new Map<string, Parser>();
const grammars = new Map<Language, GrammarTables>();

async function loadLanguage(specifier: string): Promise<Language> {
  initialized ??= Parser.init(wasm as unknown as Parameters<typeof Parser.init>[0]).then(() => {
    if (typeof wasm._ts_tree_cursor_start_index_wasm !== 'function')
      throw new Error('web-tree-sitter does not expose its module exports; copyTree needs them');
  });
  await initialized;
  let lang = languages.get(specifier);
  if (!lang) {
    lang = Language.load(require.resolve(specifier));
    languages.set(specifier, lang);
  }
  return lang;
}

/**
 * Returns a parser for a grammar, created once per thread. `specifier` names the
 * .wasm the grammar's npm package ships (no native build), e.g. `tree-sitter-x/tree-sitter-x.wasm`.
 */
export async function getParser(specifier: string): Promise<Parser> {
  const existing = parsers.get(specifier);
  if (existing) return existing;
  const language = await loadLanguage(specifier);
  const parser = new Parser();
  parser.setLanguage(language);
  parsers.set(specifier, parser);
  return parser;
}

/**
 * A grammar spread over several tree-sitter languages, one per kind of file: JavaScript, TypeScript
 * and TSX are three .wasm files, yet one language of secreview (one pack, one set of rules).
 */
export interface GrammarVariants {
  /** The .wasm module specifier of each variant, by a name the pack chooses (`typescript`, `tsx`). */
  specifiers: Readonly<Record<string, string>>;
  /**
   * The variant that parses a file, from its path ('' for text without a path, e.g. `parseOnly`)
   * and, where the path does not settle it, its text.
   */
  variantOf(path: string, text?: string): string;
}

/**
 * A language's grammar from tree-sitter .wasm files (see lang/language.ts `Grammar`): one specifier,
 * or variants picked by path. Every variant loads in `load`, so `parse` stays synchronous for any
 * file; each tree keeps its own variant's node types (see tree.ts `GrammarTables`).
 */
export function treeSitterGrammar(
  language: string,
  grammar: string | GrammarVariants,
): {
  load(): Promise<void>;
  parse(path: string, text: string): SourceFile;
  parseOnly(text: string): void;
} {
  const variants: GrammarVariants =
    typeof grammar === 'string'
      ? { specifiers: { [language]: grammar }, variantOf: () => language }
      : grammar;
  const parsers = new Map<string, Parser>();
  const loaded = (path: string, text?: string): Parser => {
    const parser = parsers.get(variants.variantOf(path, text));
    if (!parser) throw new Error(`the ${language} grammar is not loaded in this thread`);
    return parser;
  };
  return {
    load: async () => {
      for (const [name, specifier] of Object.entries(variants.specifiers))
        if (!parsers.has(name)) parsers.set(name, await getParser(specifier));
    },
    parse: (path, text) => parseWith(loaded(path, text), path, text, language),
    parseOnly: (text) => {
      const tree = loaded('').parse(text);
      if (!tree) throw new Error(`parser returned no tree`);
      tree.delete();
    },
  };
}

/**
 * A parsed file: text, tree and location helpers. web-tree-sitter parses JavaScript strings as
 * UTF-16, so node rows/columns are already in UTF-16 code units; this is the one place where they
 * become secreview's 1-based Positions.
 */
export class SourceFile {
  private split?: string[];

  constructor(
    /** Path relative to the review root, forward slashes. */
    readonly path: string,
    readonly text: string,
    readonly tree: SyntaxTree,
    /** The id of the file's language (see lang/registry.ts). */
    readonly language: string,
  ) {}

  get lines(): string[] {
    return (this.split ??= this.text.split(/\r?\n/));
  }

  /**
   * Drops the tree's arrays and the lines until next read (see SyntaxTree.release); false when the
   * tree cannot be parsed again.
   */
  release(): boolean {
    if (!this.tree.release()) return false;
    this.split = undefined;
    return true;
  }

  /** Lines as an editor counts them: a final newline ends the last line, it does not start one. */
  get lineCount(): number {
    return lineCountOf(this.text);
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

  /** 1-based lines holding ERROR or MISSING nodes (outermost ones: an error inside an error is one). */
  syntaxErrorLines(): number[] {
    const lines = new Set<number>();
    let coveredTo = -1;
    for (const i of this.tree.arrays.errors) {
      if (i <= coveredTo) continue;
      lines.add(this.tree.position(this.tree.arrays.start[i]).row + 1);
      coveredTo = this.tree.lastDescendant(i);
    }
    return [...lines].sort((a, b) => a - b);
  }
}

/** Lines as an editor counts them: a final newline ends the last line, it does not start one. */
export function lineCountOf(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** Parses with a parser at hand (see getParser): for callers that cannot wait. */
export function parseWith(parser: Parser, path: string, text: string, language: string): SourceFile {
  const tree = parser.parse(text);
  if (!tree) throw new Error(`parser returned no tree for ${path}`);
  try {
    return new SourceFile(path, text, copyTree(tree, text), language);
  } finally {
    tree.delete();
  }
}

function grammarOf(language: Language): GrammarTables {
  let g = grammars.get(language);
  if (!g) {
    const named = new Uint8Array(language.types.length);
    for (let i = 0; i < named.length; i++) named[i] = language.nodeTypeIsNamed(i) ? 1 : 0;
    const fieldIds = new Map<string, number>();
    language.fields.forEach((f, i) => {
      if (f) fieldIds.set(f, i);
    });
    g = { types: language.types, named, fields: language.fields, fieldIds };
    grammars.set(language, g);
  }
  return g;
}

/**
 * Copies a web-tree-sitter tree into flat arrays with one preorder cursor walk. The cursor lives in
 * web-tree-sitter's transfer buffer between the calls (each `_wasm` cursor function reads it from
 * there and writes it back), so nothing else may call into web-tree-sitter during the walk.
 */
export function copyTree(tree: Tree, text: string): SyntaxTree {
  const ptr = (tree as unknown as Record<number, number>)[0];
  const withErrors = tree.rootNode.hasError;
  let cap = Math.max(64, text.length >> 2);
  let symbol = new Uint16Array(cap);
  let field = new Uint16Array(cap);
  let start = new Uint32Array(cap);
  let end = new Uint32Array(cap);
  let parent = new Int32Array(cap);
  let next = new Int32Array(cap);
  const errors: number[] = [];
  const missing = new Set<number>();
  const grow = (): void => {
    cap *= 2;
    symbol = resized(symbol, new Uint16Array(cap));
    field = resized(field, new Uint16Array(cap));
    start = resized(start, new Uint32Array(cap));
    end = resized(end, new Uint32Array(cap));
    parent = resized(parent, new Int32Array(cap));
    next = resized(next, new Int32Array(cap));
  };
  const w = wasm;
  w._ts_tree_root_node_wasm(ptr);
  w._ts_tree_cursor_new_wasm(ptr);
  let count = 0;
  try {
    let up = -1;
    let prev = -1;
    for (;;) {
      if (count === cap) grow();
      const i = count++;
      const s = w._ts_tree_cursor_current_node_type_id_wasm(ptr);
      symbol[i] = s;
      field[i] = w._ts_tree_cursor_current_field_id_wasm(ptr);
      start[i] = w._ts_tree_cursor_start_index_wasm(ptr);
      end[i] = w._ts_tree_cursor_end_index_wasm(ptr);
      parent[i] = up;
      next[i] = -1;
      if (prev >= 0) next[prev] = i;
      if (withErrors) {
        if (s === ERROR_SYMBOL) errors.push(i);
        else if (w._ts_tree_cursor_current_node_is_missing_wasm(ptr)) {
          errors.push(i);
          missing.add(i);
        }
      }
      if (w._ts_tree_cursor_goto_first_child_wasm(ptr)) {
        up = i;
        prev = -1;
        continue;
      }
      prev = i;
      let done = false;
      while (!w._ts_tree_cursor_goto_next_sibling_wasm(ptr)) {
        if (!w._ts_tree_cursor_goto_parent_wasm(ptr)) {
          done = true;
          break;
        }
        prev = up;
        up = parent[up];
      }
      if (done) break;
    }
  } finally {
    w._ts_tree_cursor_delete_wasm(ptr);
  }
  const arrays: TreeArrays = {
    count,
    // Copies of exactly `count` entries: the buffers grew by doubling.
    symbol: symbol.slice(0, count),
    field: field.slice(0, count),
    start: start.slice(0, count),
    end: end.slice(0, count),
    parent: parent.slice(0, count),
    next: next.slice(0, count),
    errors,
    missing,
  };
  return new SyntaxTree(text, arrays, grammarOf(tree.language));
}

function resized<T extends Uint16Array | Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
