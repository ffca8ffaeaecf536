/**
 * Neutralising text that comes from the reviewed repository (code, file names, messages that quote
 * code) before it reaches a terminal or a markdown renderer. A file name or a line of code may hold
 * escape sequences (which retitle or repaint a terminal), newlines (which would split a report) or
 * backticks (which would end an inline code span early in a pull-request comment).
 */

/**
 * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi
 * overrides and isolates, as in "Trojan Source"; line and paragraph separators). Matching control
 * characters is the point here, hence the lint exceptions.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_LINES =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line for a terminal: every control character (newlines included) shown as an escape. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Several lines for a terminal: newlines and tabs kept, every other control shown as an escape. */
export function terminalSafeBlock(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, visible);
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * An inline code span that holds `code` whatever it contains: delimited by one backtick more than
 * its longest run of backticks (CommonMark), padded when it starts or ends with one, on one line.
 */
export function markdownCode(code: string): string {
  const text = terminalSafe(code.replace(/\r?\n/g, ' '));
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  // CommonMark strips one space at each end when both are there, and needs one beside a backtick.
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A fenced code block that no line of `code` can close early. */
export function markdownFence(code: string, language = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  return `${ticks}${language}\n${terminalSafeBlock(code)}\n${ticks}`;
}

/** Plain text in markdown: the characters that start links, images, HTML, emphasis or code are escaped. */
export function markdownText(text: string): string {
  return terminalSafe(text).replace(/[\\`*_[\]<>~|]/g, (c) => `\\${c}`);
}

/**
 * A finding's message in markdown. Messages quote code between backticks (`os.system`); the quoted
 * code may itself hold backticks, so each quote is found as a backtick after a space or an opening
 * bracket, ended by a backtick before a space, punctuation or the end: of the possible ends, the
 * longest quote that is part of `code` (the finding's snippet) when there is one, else the first.
 * The quote is written again with markdownCode; whatever is not a quote is escaped as text. A
 * wrong guess shows a backtick too many, never markup the code chose.
 */
export function markdownMessage(message: string, code = ''): string {
  const text = message.replace(/\r?\n/g, ' ');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = findOpen(text, i);
    if (open < 0) break;
    const ends = closeCandidates(text, open + 1);
    if (!ends.length) break;
    const inCode = ends.filter((k) => code.includes(text.slice(open + 1, k)));
    const close = inCode.length ? inCode[inCode.length - 1] : ends[0];
    out += markdownText(text.slice(i, open)) + markdownCode(text.slice(open + 1, close));
    i = close + 1;
  }
  return out + markdownText(text.slice(i));
}

function findOpen(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    if (text[k] === '`' && (k === 0 || /[\s([{"'/]/.test(text[k - 1]))) return k;
  }
  return -1;
}

function closeCandidates(text: string, from: number): number[] {
  const out: number[] = [];
  for (let k = from + 1; k < text.length; k++) {
    if (text[k] === '`' && (k + 1 === text.length || /[\s.,;:)\]}!?/]/.test(text[k + 1]))) out.push(k);
  }
  return out;
}

/** Text matched literally inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
