import { readFileSync, statSync } from 'node:fs';
import type { SkipReason } from '../core/index.js';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: SkipReason; detail: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads a source file, refusing binary, undecodable and oversized files with a stated reason. */
export async function readSource(abs: string, maxSize: number): Promise<ReadResult> {
  return Promise.resolve(readSourceSync(abs, maxSize));
}

/**
 * readSource without the event loop: for a review's many small files, synchronous reads in a row
 * take a third of the time of concurrent promise-based ones (1,500 files: 40 ms against 130-190 ms).
 */
export function readSourceSync(abs: string, maxSize: number): ReadResult {
  let size: number;
  try {
    const info = statSync(abs);
    if (!info.isFile()) return { ok: false, reason: 'unreadable', detail: 'not a regular file' };
    size = info.size;
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: errorText(e) };
  }
  if (size > maxSize) {
    return { ok: false, reason: 'too-large', detail: `${size} bytes is over the ${maxSize}-byte limit` };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: errorText(e) };
  }
  return decodeSource(bytes);
}

/**
 * A source file's bytes as text, the way Python reads them: UTF-16 when the file starts with its
 * byte-order mark, else the encoding of a PEP 263 declaration (`# -*- coding: latin-1 -*-` on
 * line 1 or 2), else UTF-8. A lone CR ends a line, as it does for Python: it becomes LF (the text
 * keeps its length, so every offset stays where it was).
 */
export function decodeSource(bytes: Uint8Array): ReadResult {
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : undefined;
  if (utf16) {
    try {
      return { ok: true, text: lines(new TextDecoder(utf16, { fatal: true }).decode(bytes)) };
    } catch {
      return {
        ok: false,
        reason: 'not-utf8',
        detail: `invalid ${utf16.toUpperCase()} after its byte-order mark`,
      };
    }
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  }
  const declared = declaredEncoding(bytes);
  if (declared) {
    try {
      return { ok: true, text: lines(new TextDecoder(declared.label, { fatal: true }).decode(bytes)) };
    } catch {
      return {
        ok: false,
        reason: 'not-utf8',
        detail: `not valid ${declared.name}, the encoding its coding line declares`,
      };
    }
  }
  try {
    return { ok: true, text: lines(decoder.decode(bytes)) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1);
    return { ok: false, reason: 'not-utf8', detail: `invalid UTF-8 at byte ${at}, line ${line}` };
  }
}

function lines(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** PEP 263: `coding[:=]NAME` in a comment on line 1 or 2 (line 2 only when line 1 is a comment too). */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Python's spellings that the WHATWG Encoding Standard (TextDecoder) names otherwise. */
const ALIASES: Record<string, string> = {
  'latin-1': 'latin1',
  latin: 'latin1',
  'iso-8859-1': 'latin1',
  l1: 'latin1',
};

/**
 * The non-UTF-8 encoding a file declares, with a TextDecoder label; undefined for UTF-8, no
 * declaration, or an encoding TextDecoder does not know (the file is then read as UTF-8 and, if
 * it is not, skipped with the reason).
 */
function declaredEncoding(bytes: Uint8Array): { name: string; label: string } | undefined {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('latin1')
    .split(/\r\n|\r|\n/, 2);
  const line =
    CODING.exec(head[0] ?? '') ??
    (/^[ \t\f]*(#.*)?$/.test(head[0] ?? '') ? CODING.exec(head[1] ?? '') : null);
  if (!line) return undefined;
  const name = line[1].toLowerCase().replace(/_/g, '-');
  if (/^utf-?8(-sig)?$/.test(name)) return undefined;
  const label = ALIASES[name] ?? name;
  try {
    return { name: line[1], label: new TextDecoder(label).encoding };
  } catch {
    return undefined;
  }
}

/**
 * Offset of the first byte that does not begin a well-formed UTF-8 sequence (the ranges of the
 * Unicode standard's table 3-7: no overlong forms, surrogates or code points above U+10FFFF), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) more = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') {
    const msg = 'message' in e && typeof e.message === 'string' ? e.message : '';
    return msg.replace(/^[A-Z]+: /, '') || e.code;
  }
  return e instanceof Error ? e.message : String(e);
}
