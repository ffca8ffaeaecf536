/** How code and lists of names are written into finding messages, in every language's rules. */
import type { Node } from '../parsing/parser.js';

/** Source text of a node for messages, shortened to one line. */
export function codeOf(node: Node, max = 60): string {
  const t = node.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * "`child_process.exec` (called as `run`)" when an alias hides what the code names; the written
 * form alone when it says the same or nothing resolved.
 */
export function resolvedLabel(resolved: string | undefined, written: string): string {
  const display = resolved ?? written;
  return display === written ? `\`${display}\`` : `\`${display}\` (called as \`${written}\`)`;
}

/** "`a`, `b` and `c`"; beyond `max`, "`a`, `b`, `c` and 4 more". */
export function listCode(items: readonly string[], max = 4): string {
  return listItems(
    items.map((s) => `\`${s}\``),
    max,
  );
}

/** "a, b and c"; beyond `max`, "a, b, c and 4 more". */
export function listItems(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export function count(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
