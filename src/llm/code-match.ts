import type { Finding } from '../core/index.js';
import { getWeakness } from '../cwe/catalog.js';
import { escapeRegExp } from '../core/escape.js';

/**
 * Text matching between what a reviewer says and the real code. Whitespace never counts: models
 * and people re-indent, wrap and respace the code they quote.
 */

export interface LineSpan {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

/** The file's lines; a final newline does not start another line. */
export function sourceLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

/** A quote's parts: "..." or "…" stand for elided code. */
function quoteParts(quote: string): string[] {
  return squash(quote)
    .split(/\.\.\.|…/)
    .filter((p) => p.length > 0);
}

function containsInOrder(haystack: string, parts: readonly string[]): boolean {
  let from = 0;
  for (const p of parts) {
    const at = haystack.indexOf(p, from);
    if (at < 0) return false;
    from = at + p.length;
  }
  return true;
}

/** Every minimal line span whose code contains the quote (ignoring whitespace), in file order. */
export function findQuote(lines: readonly string[], quote: string): LineSpan[] {
  const parts = quoteParts(quote);
  if (parts.length === 0) return [];
  const maxSpan = quote.split('\n').length + 2;
  const spans: LineSpan[] = [];
  for (let s = 0; s < lines.length; s++) {
    let joined = '';
    for (let e = s; e < lines.length && e < s + maxSpan; e++) {
      joined += squash(lines[e]);
      if (!containsInOrder(joined, parts)) continue;
      // Minimal: the span starting one line later must not contain it too.
      const later = squash(lines.slice(s + 1, e + 1).join(''));
      if (e > s && containsInOrder(later, parts)) break;
      spans.push({ start: s + 1, end: e + 1 });
      break;
    }
  }
  return spans.filter((sp) => !spans.some((o) => o !== sp && o.start > sp.start && o.end <= sp.end));
}

export function overlaps(a: LineSpan, b: LineSpan): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Lines between two spans (0 when they touch or overlap). */
export function distance(a: LineSpan, b: LineSpan): number {
  return overlaps(a, b) ? 0 : a.end < b.start ? b.start - a.end : a.start - b.end;
}

export type QuotePlacement =
  | { kind: 'at-cited-lines'; span: LineSpan }
  | { kind: 'moved'; span: LineSpan; from: LineSpan }
  | { kind: 'elsewhere'; spans: LineSpan[] }
  | { kind: 'absent' };

/**
 * Where a quote really is relative to the lines cited for it: at them (possibly extending past the
 * cited end), within `window` lines (moved), further away, or nowhere in the file.
 */
export function placeQuote(
  lines: readonly string[],
  cited: LineSpan,
  quote: string,
  window: number,
): QuotePlacement {
  const spans = findQuote(lines, quote);
  if (spans.length === 0) return { kind: 'absent' };
  const inside = spans.find((s) => s.start >= cited.start && s.end <= cited.end);
  if (inside) return { kind: 'at-cited-lines', span: cited };
  const touching = spans.find((s) => overlaps(s, cited));
  if (touching) {
    return {
      kind: 'at-cited-lines',
      span: { start: Math.min(cited.start, touching.start), end: Math.max(cited.end, touching.end) },
    };
  }
  const nearest = [...spans].sort((a, b) => distance(a, cited) - distance(b, cited))[0];
  if (distance(nearest, cited) <= window) return { kind: 'moved', span: nearest, from: cited };
  return { kind: 'elsewhere', spans };
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** Tokens that look like code in prose: dotted names, calls, snake_case, camelCase. */
const CODE_LIKE = new RegExp(
  [
    `${IDENT}(?:\\.${IDENT})+(?:\\(\\))?`,
    `${IDENT}\\(\\)`,
    `[A-Za-z0-9]*_[A-Za-z0-9_]+`,
    `[a-z]+[A-Z][A-Za-z0-9]*`,
  ]
    .map((p) => `(?<![\\w.\\-/])${p}(?![\\w\\-/])`)
    .join('|'),
  'g',
);
const FILE_NAME = /\.(?:py|pyw|conf|cfg|ini|txt|json|ya?ml|md|toml|log)$/i;

/**
 * The code a sentence names: everything in backticks, and code-like tokens outside them
 * (`os.environ`, `service_ref`, `logging.setup()`), not abbreviations such as "e.g." or file names.
 */
export function namedIdentifiers(text: string): string[] {
  const found: string[] = [];
  const rest = text.replace(/`([^`\n]+)`/g, (_, inner: string) => {
    found.push(inner.trim());
    return ' ';
  });
  for (const m of rest.matchAll(CODE_LIKE)) {
    const token = m[0];
    if (token.split('.').every((seg) => seg.replace(/\(\)$/, '').length <= 1)) continue;
    if (FILE_NAME.test(token) || /^_+$/.test(token) || /^\d/.test(token)) continue;
    found.push(token);
  }
  return [...new Set(found.filter((t) => t.length > 0))];
}

/** Whether code holds an identifier (word-bounded, whitespace ignored; a trailing "()" is optional). */
export function codeHolds(code: string, identifier: string): boolean {
  const id = squashKeepingWords(identifier.trim()).replace(/\(\)$/, '');
  if (!id) return true;
  const start = /^\w/.test(id) ? '(?<![\\w])' : '';
  const end = /\w$/.test(id) ? '(?![\\w])' : '';
  return new RegExp(`${start}${escapeRegExp(id)}${end}`).test(squashKeepingWords(code));
}

/** Drops whitespace except between two word characters, so that `a b` does not read as `ab`. */
function squashKeepingWords(code: string): string {
  return code.replace(/\s+/g, (ws, at: number, all: string) =>
    /\w/.test(all[at - 1] ?? '') && /\w/.test(all[at + ws.length] ?? '') ? ' ' : '',
  );
}

/** 1-based lines where an identifier occurs. */
export function linesHolding(lines: readonly string[], identifier: string): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (codeHolds(l, identifier)) out.push(i + 1);
  });
  return out;
}

/** Same CWE, or one lies on the other's path to its pillar (CWE-77 and CWE-78, CWE-707 and CWE-78). */
export function cweRelated(a: number, b: number): boolean {
  if (a === b) return true;
  const pa = getWeakness(a)?.path ?? [];
  const pb = getWeakness(b)?.path ?? [];
  return pa.includes(b) || pb.includes(a);
}

export function findingSpan(f: Finding): LineSpan {
  return { start: f.location.start.line, end: f.location.end.line };
}

/** The deterministic defect at these lines with a related CWE, if any. */
export function supportingFinding(
  findings: readonly Finding[],
  file: string,
  span: LineSpan,
  cwe: number,
): Finding | undefined {
  return findings.find(
    (f) =>
      f.kind === 'defect' &&
      f.location.file === file &&
      overlaps(findingSpan(f), span) &&
      cweRelated(f.cwe, cwe),
  );
}
