import { readFile, stat } from 'node:fs/promises';
import type { SkipReason } from '../core/index.js';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: SkipReason; detail: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads a source file, refusing binary, undecodable and oversized files with a stated reason. */
export async function readSource(abs: string, maxSize: number): Promise<ReadResult> {
  let size: number;
  try {
    const info = await stat(abs);
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
    bytes = await readFile(abs);
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: errorText(e) };
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { ok: false, reason: 'not-utf8', detail: `invalid UTF-8 at byte ${at}` };
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  // Bisect on decodability of prefixes; fine for files under the size limit.
  let lo = 0;
  let hi = bytes.length;
  const lenient = new TextDecoder('utf-8', { fatal: true });
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      lenient.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') {
    const msg = 'message' in e && typeof e.message === 'string' ? e.message : '';
    return msg.replace(/^[A-Z]+: /, '') || e.code;
  }
  return e instanceof Error ? e.message : String(e);
}
