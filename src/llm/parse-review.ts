import { namedIdentifiers, type LineSpan } from './code-match.js';

/** One numbered (or bulleted) item of a free-text review. */
export interface ReviewItem {
  /** The item's number as written, or its position for bullets. */
  number: number;
  /** The item's first line, without the number. */
  heading: string;
  /** The whole item, heading and body. */
  text: string;
  /** The first CWE id the item names. */
  cwe?: number;
  /** The name the review gives that CWE ("CWE-284 (Improper Access Control)"). */
  cweNameGiven?: string;
  /** The first line or line range the item cites. */
  lines?: LineSpan;
  /** Code the item names: backticked text and code-like tokens. */
  identifiers: string[];
  /** Fenced code blocks quoted in the item. */
  quotes: string[];
}

export interface ParsedReview {
  /** What the review says overall. */
  verdict: 'no-defects' | 'defects' | 'none';
  /** The sentence that gave the verdict. */
  verdictText?: string;
  /** Items that name a CWE or a line: claims to check. */
  claims: ReviewItem[];
  /** Items that do neither (advice, style remarks). */
  suggestions: ReviewItem[];
}

const ITEM = /^\s*(?:(\d{1,3})[.)]|[-*•])\s+(.*)$/;
const NO_DEFECTS =
  /\bno\s+(?:security\s+)?(?:defects?|vulnerabilit(?:y|ies)|issues?|weaknesses)\s+(?:(?:is|are|were|was|have\s+been|has\s+been)\s+)?(?:detected|found|identified|present)\b[^.\n]*\.?/i;
const DEFECTS =
  /\b(?:found|detected|identified|contains?)\b[^.\n]*\b(?:security\s+)?(?:defects?|vulnerabilit(?:y|ies)|weaknesses)\b[^.\n]*\.?/i;
const CWE = /\bCWE[-\u2010-\u2013 ]?(\d{1,5})\b(?:\s*\(([^)\n]+)\)|\s*[:-]\s*([A-Z][^:\n]*?)(?=:|\n|$))?/i;
const LINES = /\blines?\s+(\d+)(?:\s*(?:-|\u2013|\u2014|to|through)\s*(\d+))?/i;

function itemOf(number: number, heading: string, body: string[]): ReviewItem {
  const text = [heading, ...body].join('\n').trim();
  const quotes: string[] = [];
  const prose = text.replace(/```[^\n]*\n([\s\S]*?)```/g, (_, code: string) => {
    quotes.push(code.replace(/\n[ \t]*$/, ''));
    return ' ';
  });
  const cwe = CWE.exec(prose);
  const lines = LINES.exec(prose);
  const identifiers = namedIdentifiers(prose.replace(CWE, ' '));
  return {
    number,
    heading: heading.trim(),
    text,
    ...(cwe ? { cwe: Number(cwe[1]) } : {}),
    ...(cwe && (cwe[2] ?? cwe[3]) ? { cweNameGiven: (cwe[2] ?? cwe[3]).trim() } : {}),
    ...(lines ? { lines: { start: Number(lines[1]), end: Number(lines[2] ?? lines[1]) } } : {}),
    identifiers,
    quotes,
  };
}

/** The whole sentence (or line) holding a match. */
function sentenceAround(text: string, at: number, length: number): string {
  const before = text.slice(0, at);
  const start = Math.max(before.lastIndexOf('\n'), before.search(/[.!?]\s[^.!?]*$/) + 1, 0);
  const rest = text.slice(at + length);
  const stop = rest.search(/\n|(?<=[.!?])\s/);
  return text.slice(start, at + length + (stop < 0 ? rest.length : stop)).trim();
}

/**
 * Reads a review written by a person or a model into claims: numbered or bulleted items, each
 * naming (perhaps) a CWE, a line and some code. Items that name neither a CWE nor a line are
 * suggestions. A "No security defects are detected" sentence is the review's verdict.
 */
export function parseReview(text: string): ParsedReview {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const items: ReviewItem[] = [];
  let current: { number: number; heading: string; body: string[] } | undefined;
  let inFence = false;
  const close = (): void => {
    if (current) items.push(itemOf(current.number, current.heading, current.body));
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*```/.test(line)) inFence = !inFence;
    const m = inFence ? null : ITEM.exec(line);
    if (m && !/^\s*```/.test(line)) {
      close();
      current = { number: m[1] ? Number(m[1]) : items.length + 1, heading: m[2], body: [] };
      continue;
    }
    if (!current) continue;
    if (!inFence && line.trim() === '') {
      // A blank line ends the item unless the next text is indented (a continuation).
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (next === undefined || !/^\s/.test(next)) {
        close();
        continue;
      }
    }
    current.body.push(line);
  }
  close();
  const claims = items.filter((it) => it.cwe !== undefined || it.lines !== undefined);
  const suggestions = items.filter((it) => !claims.includes(it));
  const noDefects = NO_DEFECTS.exec(text);
  const defects = DEFECTS.exec(text);
  const verdict =
    noDefects && (!defects || noDefects.index <= defects.index)
      ? 'no-defects'
      : defects || claims.length
        ? 'defects'
        : 'none';
  const match = verdict === 'no-defects' ? noDefects : defects;
  const verdictText = match ? sentenceAround(text, match.index, match[0].length) : undefined;
  return { verdict, ...(verdictText ? { verdictText } : {}), claims, suggestions };
}
