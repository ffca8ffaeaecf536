/**
 * A toy second language, to prove that the engine's seams hold (docs/adding-a-language.md walks
 * through it): settings files (`.toy`) of `key = value` lines with `;` comments. No tree-sitter
 * grammar ships for it, so its grammar is a few lines that build the same flat tree a tree-sitter
 * parse is copied into; everything after parsing is the engine's own code.
 */
import type { Language, SemanticModel } from '../../../src/lang/language.js';
import { SourceFile, SyntaxTree, type Node } from '../../../src/parsing/parser.js';
import { ERROR_SYMBOL, type GrammarTables, type TreeArrays } from '../../../src/parsing/tree.js';
import { defineRule } from '../../../src/rules/rule.js';

const TYPES = ['document', 'setting', 'key', '=', 'value', 'comment'];
const [DOCUMENT, SETTING, KEY, EQUALS, VALUE, COMMENT] = TYPES.keys();
const FIELDS = [null, 'key', 'value'];
const GRAMMAR: GrammarTables = {
  types: TYPES,
  named: Uint8Array.from(TYPES, (t) => (t === '=' ? 0 : 1)),
  fields: FIELDS,
  fieldIds: new Map([
    ['key', 1],
    ['value', 2],
  ]),
};

const SETTING_LINE = /^(\s*)([\w.-]+)(\s*)=(\s*)(.*?)\s*$/;

/** `key = value ; comment` lines after an optional shebang; other non-blank code is an ERROR node. */
export function parseToy(path: string, text: string): SourceFile {
  const rows: { symbol: number; field: number; start: number; end: number; parent: number }[] = [];
  const lastChild = new Map<number, number>();
  const next: number[] = [];
  const errors: number[] = [];
  const add = (symbol: number, field: number, start: number, end: number, parent: number): number => {
    const i = rows.length;
    rows.push({ symbol, field, start, end, parent });
    next.push(-1);
    const previous = lastChild.get(parent);
    if (previous !== undefined) next[previous] = i;
    lastChild.set(parent, i);
    return i;
  };
  add(DOCUMENT, 0, 0, text.length, -1);
  let offset = 0;
  for (const [row, line] of text.split('\n').entries()) {
    // A shebang names the interpreter of a script: not a setting.
    if (row === 0 && line.startsWith('#!')) {
      offset += line.length + 1;
      continue;
    }
    const semi = line.indexOf(';');
    const code = semi < 0 ? line : line.slice(0, semi);
    const m = SETTING_LINE.exec(code);
    if (m) {
      const start = offset + m[1].length;
      const keyEnd = start + m[2].length;
      const equals = keyEnd + m[3].length;
      const valueStart = equals + 1 + m[4].length;
      const valueEnd = valueStart + m[5].length;
      const setting = add(SETTING, 0, start, valueEnd, 0);
      add(KEY, 1, start, keyEnd, setting);
      add(EQUALS, 0, equals, equals + 1, setting);
      add(VALUE, 2, valueStart, valueEnd, setting);
    } else if (code.trim()) {
      const start = offset + code.length - code.trimStart().length;
      errors.push(add(ERROR_SYMBOL, 0, start, offset + code.trimEnd().length, 0));
    }
    if (semi >= 0) add(COMMENT, 0, offset + semi, offset + line.trimEnd().length, 0);
    offset += line.length + 1;
  }
  const arrays: TreeArrays = {
    count: rows.length,
    symbol: Uint16Array.from(rows, (r) => r.symbol),
    field: Uint16Array.from(rows, (r) => r.field),
    start: Uint32Array.from(rows, (r) => r.start),
    end: Uint32Array.from(rows, (r) => r.end),
    parent: Int32Array.from(rows, (r) => r.parent),
    next: Int32Array.from(next),
    errors,
    missing: new Set(),
  };
  return new SourceFile(path, text, new SyntaxTree(text, arrays, GRAMMAR), 'toy');
}

/** The semantic model: the settings of a file, by key. */
export class ToyModule implements SemanticModel {
  constructor(
    readonly file: SourceFile,
    readonly moduleName: string,
  ) {}

  /** Settings are top-level: a finding's context is the file. */
  contextOf(): string {
    return '';
  }

  settings(): { key: string; value: Node; node: Node }[] {
    return this.file.tree.rootNode.children
      .filter((n): n is Node => n?.type === 'setting')
      .map((node) => ({
        key: node.childForFieldName('key')?.text ?? '',
        value: node.childForFieldName('value') as Node,
        node,
      }));
  }
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1).replace(/\.toy$/, '');

export const toy: Language<ToyModule> = {
  id: 'toy',
  name: 'Toy',
  codeFence: 'ini',
  extensions: ['.toy'],
  shebang: /^#!.*\btoy\b/,
  grammar: {
    load: async () => {},
    parse: parseToy,
    parseOnly: (text) => void parseToy('', text),
  },
  comments: { line: ';', nodeTypes: ['comment'] },
  statements: { isStatement: (n) => n.type === 'setting', headerEndRow: (n) => n.endPosition.row },
  discovery: { excludes: ['**/.toy-cache/**'] },
  isTestFile: (path) => /(^|\/)tests?\//.test(path),
  modules: {
    packageMarkers: [],
    packageDirs: () => new Set(),
    nameOf,
    nameForPath: nameOf,
    importedNames: () => [],
  },
  bind: (file, moduleName) => new ToyModule(file, moduleName ?? nameOf(file.path)),
};

declare module '../../../src/rules/rule.js' {
  interface LanguageModels {
    toy: ToyModule;
  }
}

/** The toy's one rule: a password written into a settings file (an `${ENV}` reference is fine). */
export const plaintextPassword = defineRule({
  id: 'toy/plaintext-password',
  title: 'Password stored in a settings file',
  cwe: 259,
  severity: 'high',
  confidence: 'high',
  languages: ['toy'],
  requires: ['password'],
  description: 'A password written into a settings file is read by everyone who can read the file.',
  fix: 'Read the password from the environment: `key = ${ENV_NAME}`.',
  example: { bad: 'db.password = hunter2', good: 'db.password = ${DB_PASSWORD}' },
  check({ module, report }) {
    for (const { key, value, node } of module.settings()) {
      if (!/password/i.test(key) || !value.text || /^\$\{\w+\}$/.test(value.text)) continue;
      report({
        node,
        message: `\`${key}\` holds a password in plain text; anyone who reads the file has it.`,
      });
    }
  },
});
