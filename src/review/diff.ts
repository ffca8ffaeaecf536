import parseDiff from 'parse-diff';
import type { ChangedFileLines } from '../core/index.js';

/** One file of a unified diff, with the hunks needed to rebuild its old side. */
export interface DiffFile extends ChangedFileLines {
  hunks: parseDiff.Chunk[];
}

const NULL_PATH = '/dev/null';

/** Parses a unified diff (git or plain `diff -u`) into changed files with added and context lines. */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const out: DiffFile[] = [];
  for (const f of parseDiff(text)) {
    const from = f.from && f.from !== NULL_PATH ? stripPrefix(f.from) : undefined;
    const to = f.to && f.to !== NULL_PATH ? stripPrefix(f.to) : undefined;
    const added: number[] = [];
    const context: number[] = [];
    for (const chunk of f.chunks) {
      for (const c of chunk.changes) {
        if (isNoNewlineMarker(c)) continue;
        if (c.type === 'add') added.push(c.ln);
        else if (c.type === 'normal') context.push(c.ln2);
      }
    }
    if (f.deleted || !to) {
      if (from) out.push({ file: from, status: 'deleted', added: [], context: [], hunks: f.chunks });
      continue;
    }
    const status = f.new || !from ? 'added' : from !== to ? 'renamed' : 'modified';
    out.push({
      file: to,
      ...(status === 'renamed' ? { oldFile: from } : {}),
      status,
      added: [...new Set(added)].sort((a, b) => a - b),
      context: [...new Set(context)].sort((a, b) => a - b),
      hunks: f.chunks,
    });
  }
  return out;
}

/** parse-diff reports "\\ No newline at end of file" as a change of the line before it. */
function isNoNewlineMarker(c: parseDiff.Change): boolean {
  return c.content.startsWith('\\');
}

/** git writes a/ and b/ prefixes; `diff -u` output and `--no-prefix` diffs have none. */
function stripPrefix(p: string): string {
  const unquoted = p.replace(/^"(.*)"$/, '$1');
  return unquoted.replace(/^[ab]\//, '');
}

/**
 * Rebuilds the old side of a file from its new text and the diff's hunks, checking that every
 * context and added line matches. Returns undefined when the text does not match the diff.
 */
export function reverseApply(newText: string, file: DiffFile): string | undefined {
  if (file.status === 'added') return undefined;
  const eol = newText.includes('\r\n') ? '\r\n' : '\n';
  const lines = newText.split(/\r?\n/);
  const newEndsWithEol = lines.length > 1 && lines[lines.length - 1] === '';
  if (newEndsWithEol) lines.pop();
  const out: string[] = [];
  let next = 1; // next new-side line to copy
  let oldLacksEol = false;
  let previous: parseDiff.Change | undefined;
  for (const chunk of file.hunks) {
    const start = chunk.newLines === 0 ? chunk.newStart + 1 : chunk.newStart;
    if (start < next) return undefined;
    while (next < start) out.push(lines[next++ - 1]);
    for (const c of chunk.changes) {
      if (isNoNewlineMarker(c)) {
        // The marker concerns the old side after a deleted or unchanged line.
        if (previous && previous.type !== 'add') oldLacksEol = true;
        continue;
      }
      previous = c;
      const content = c.content.slice(1);
      if (c.type === 'del') {
        out.push(content);
        continue;
      }
      const ln = c.type === 'add' ? c.ln : c.ln2;
      if (ln !== next || lines[ln - 1] !== content) return undefined;
      if (c.type === 'normal') out.push(content);
      next++;
    }
  }
  // Past the last hunk the file ends as the new side does; inside it, the markers tell.
  const tail = next <= lines.length;
  while (next <= lines.length) out.push(lines[next++ - 1]);
  const endsWithEol = tail ? newEndsWithEol : !oldLacksEol;
  return out.join(eol) + (endsWithEol && out.length ? eol : '');
}
