/**
 * Colour for the text report. The report is built with private-use sentinels around the parts
 * to colour, escaped as a whole (core/escape.ts), and only then are the sentinels turned into
 * ANSI codes, or removed for plain output: no text from the repository can carry an escape
 * sequence to the terminal, whatever the colour setting.
 */

export type Tone = 'bold' | 'dim' | 'red' | 'yellow' | 'blue' | 'cyan' | 'magenta' | 'underline';

const CODES: Record<Tone, string> = {
  bold: '1',
  dim: '2',
  underline: '4',
  red: '31',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
};
const TONES = Object.keys(CODES) as Tone[];

/** U+E000 opens a tone (the next char, U+E001 + its index, says which); U+E0FF closes it. */
const OPEN = '\uE000';
const CLOSE = '\uE0FF';
const SENTINELS = /[\uE000-\uE0FF]/g;

/** Text from the repository that happens to hold a sentinel shows it as an escape, like a control. */
export function unsentinel(text: string): string {
  return text.replace(SENTINELS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function tone(t: Tone, text: string): string {
  return text ? `${OPEN}${String.fromCharCode(0xe001 + TONES.indexOf(t))}${text}${CLOSE}` : text;
}

/** Replaces the sentinels with ANSI codes (nested tones restored on close), or removes them. */
export function finishTones(text: string, color: boolean): string {
  if (!color) return text.replace(/\uE000[\uE001-\uE0FE]|\uE0FF/g, '');
  const stack: string[] = [];
  return text.replace(/\uE000([\uE001-\uE0FE])|\uE0FF/g, (m, which: string | undefined) => {
    if (which !== undefined) {
      const code = CODES[TONES[which.charCodeAt(0) - 0xe001]];
      stack.push(code);
      return `\x1b[${code}m`;
    }
    stack.pop();
    return `\x1b[0m${stack.map((c) => `\x1b[${c}m`).join('')}`;
  });
}

/**
 * Whether to colour output going to a stream: never with NO_COLOR set (no-color.org), always
 * with FORCE_COLOR set to anything but 0/false, else when the stream is a terminal (not
 * TERM=dumb).
 */
export function wantsColor(env: Record<string, string | undefined>, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  return !!isTTY && env.TERM !== 'dumb';
}
