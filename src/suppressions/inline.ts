import type { Finding } from '../core/index.js';
import type { StatementSyntax } from '../lang/language.js';
import { languageById, languageForPath } from '../lang/registry.js';
import type { Node, SourceFile } from '../parsing/parser.js';

/**
 * `secreview: ignore[rule-id, other-id] reason` in a line comment of the file's language (`#`,
 * `//`): hides the named rules' findings on the comment's line and on the whole statement it
 * annotates (the next statement for a comment on its own line, the statement it ends for a
 * trailing comment). For compound statements (`if`, `def`, `with`...) only the header is covered,
 * so one comment cannot silence a whole function body (see lang/language.ts `StatementSyntax`).
 */
export interface InlineDirective {
  file: string;
  /** 1-based line of the comment. */
  line: number;
  ruleIds: string[];
  /** Text after the closing bracket; becomes the SARIF justification. */
  reason: string;
  /** 1-based inclusive range of lines the directive covers. */
  from: number;
  to: number;
}

/** What follows the comment marker in a directive: the rule ids in brackets, then the reason. */
const DIRECTIVE_BODY = /^\s*secreview:\s*ignore\b(?:\[([^\]]*)\])?\s*(.*)$/;

/** The directive in a comment's text, the comment syntax given (`#`, `//`), if there is one. */
export function matchDirective(comment: string, linePrefix: string): RegExpExecArray | null {
  for (let i = comment.indexOf(linePrefix); i >= 0; i = comment.indexOf(linePrefix, i + 1)) {
    const m = DIRECTIVE_BODY.exec(comment.slice(i + linePrefix.length));
    if (m) return m;
  }
  return null;
}

/** Cheap test before walking the tree. */
export function mayHaveDirectives(text: string): boolean {
  return text.includes('secreview:');
}

function outermostStatementStartingAt(
  syntax: StatementSyntax,
  root: Node,
  row: number,
  column: number,
): Node | undefined {
  let n: Node | null = root.descendantForPosition({ row, column });
  let found: Node | undefined;
  while (n) {
    if (syntax.isStatement(n) && n.startPosition.row === row) found = n;
    n = n.parent;
  }
  return found;
}

function innermostStatementAt(
  syntax: StatementSyntax,
  root: Node,
  row: number,
  column: number,
): Node | undefined {
  let n: Node | null = root.descendantForPosition({ row, column });
  while (n && !syntax.isStatement(n)) n = n.parent;
  return n ?? undefined;
}

/** Finds the directives of a parsed file with the lines each one covers. */
export function collectDirectives(file: SourceFile): InlineDirective[] {
  if (!mayHaveDirectives(file.text)) return [];
  const { comments, statements } = languageById(file.language);
  const blankOrComment = (line: string): boolean => {
    const code = line.trimStart();
    return code === '' || code.startsWith(comments.line);
  };
  const out: InlineDirective[] = [];
  const root = file.tree.rootNode;
  for (const comment of root.descendantsOfType([...comments.nodeTypes])) {
    if (!comment) continue;
    const m = matchDirective(comment.text, comments.line);
    if (!m) continue;
    const row = comment.startPosition.row;
    const lineText = file.lines[row] ?? '';
    const before = lineText.slice(0, comment.startPosition.column);
    let from = row;
    let to = row;
    if (before.trim() === '') {
      // Own line: annotates the next line holding code.
      let next = row + 1;
      while (next < file.lines.length && blankOrComment(file.lines[next])) next++;
      if (next < file.lines.length) {
        const indent = file.lines[next].length - file.lines[next].trimStart().length;
        const stmt = outermostStatementStartingAt(statements, root, next, indent);
        to = stmt ? statements.headerEndRow(stmt) : next;
      }
    } else {
      const codeEnd = before.trimEnd().length - 1;
      const stmt = innermostStatementAt(statements, root, row, Math.max(codeEnd, 0));
      if (stmt) {
        from = stmt.startPosition.row;
        to = Math.max(row, statements.headerEndRow(stmt));
      }
    }
    out.push({
      file: file.path,
      line: row + 1,
      ruleIds: (m[1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      reason: m[2].trim(),
      from: from + 1,
      to: to + 1,
    });
  }
  return out;
}

export interface InlineResult {
  findings: Finding[];
  /** Directives naming unknown rules or none at all. */
  warnings: string[];
  /** "file:line: ..." for each rule id of a directive that hid nothing. */
  unused: string[];
}

/**
 * Marks findings covered by a directive naming their rule as suppressed (kept in the output, with
 * the reason as justification). Pure.
 */
export function applyInlineSuppressions(
  findings: readonly Finding[],
  directives: readonly InlineDirective[],
  knownRuleIds: ReadonlySet<string>,
): InlineResult {
  const byFile = new Map<string, InlineDirective[]>();
  for (const d of directives) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const used = new Set<string>();
  const key = (d: InlineDirective, id: string): string => `${d.file}:${d.line}:${id}`;
  const out = findings.map((f) => {
    if (f.suppressed) return f;
    const line = f.location.start.line;
    const d = byFile
      .get(f.location.file)
      ?.find((x) => x.ruleIds.includes(f.ruleId) && line >= x.from && line <= x.to);
    if (!d) return f;
    used.add(key(d, f.ruleId));
    return {
      ...f,
      suppressed: { kind: 'inline' as const, ...(d.reason ? { justification: d.reason } : {}) },
    };
  });
  const warnings: string[] = [];
  const unused: string[] = [];
  for (const d of directives) {
    if (!d.ruleIds.length) {
      const comment = languageForPath(d.file)?.comments.line;
      warnings.push(
        `${d.file}:${d.line}: suppression names no rule; write ${comment ? `${comment} ` : ''}secreview: ignore[rule-id] reason`,
      );
    }
    for (const id of d.ruleIds) {
      if (!knownRuleIds.has(id)) {
        warnings.push(`${d.file}:${d.line}: suppression names unknown rule '${id}'; see \`secreview rules\``);
      } else if (!used.has(key(d, id))) {
        unused.push(`${d.file}:${d.line}: suppression of ${id} hid nothing`);
      }
    }
  }
  return { findings: out, warnings, unused };
}
