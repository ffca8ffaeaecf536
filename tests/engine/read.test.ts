import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, readSource } from '../../src/engine/read.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('firstInvalidUtf8', () => {
  it.each([
    ['valid ASCII, 2-, 3- and 4-byte text', bytes('aé中😀'), -1],
    ['a stray continuation byte', bytes('ab', [0x80], 'c'), 2],
    ['a lead byte followed by ASCII', bytes('abcdefghij', [0xc3, 0x28]), 10],
    ['a truncated 3-byte sequence after multi-byte text', bytes('éé', [0xe2, 0x82], 'x'), 4],
    ['a sequence cut off by the end of the file', bytes('abc', [0xf0, 0x9f, 0x98]), 3],
    ['an overlong encoding of "/"', bytes('a', [0xc0, 0xaf]), 1],
    ['an overlong 3-byte form', bytes('a', [0xe0, 0x80, 0xaf]), 1],
    ['a UTF-16 surrogate encoded in UTF-8', bytes('ab', [0xed, 0xa0, 0x80]), 2],
    ['a code point above U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a Latin-1 byte', bytes('x = "caf', [0xe9], '"'), 8],
  ])('finds %s', (_name, input, offset) => {
    expect(firstInvalidUtf8(input)).toBe(offset);
  });
});

describe('readSource', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secreview-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, data: Uint8Array | string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, data);
    return p;
  };

  it('decodes UTF-8 and drops a byte-order mark, so columns of line 1 are not shifted', async () => {
    const p = await write('bom.py', bytes([0xef, 0xbb, 0xbf], 'x = "é"\n'));
    expect(await readSource(p, 1024)).toEqual({ ok: true, text: 'x = "é"\n' });
  });

  it('names the byte offset and line of invalid UTF-8', async () => {
    const p = await write('latin1.py', bytes('# ok\nname = "caf', [0xe9], '"\n'));
    expect(await readSource(p, 1024)).toEqual({
      ok: false,
      reason: 'not-utf8',
      detail: 'invalid UTF-8 at byte 16, line 2',
    });
  });

  it('refuses files with NUL bytes as binary', async () => {
    const p = await write('blob.py', bytes('x = 1', [0, 1, 2]));
    expect(await readSource(p, 1024)).toEqual({ ok: false, reason: 'binary', detail: 'contains NUL bytes' });
  });

  it('refuses files over the size limit without reading them', async () => {
    const p = await write('big.py', 'x = 1\n'.repeat(20));
    expect(await readSource(p, 100)).toEqual({
      ok: false,
      reason: 'too-large',
      detail: '120 bytes is over the 100-byte limit',
    });
    expect(await readSource(p, 120)).toEqual({ ok: true, text: 'x = 1\n'.repeat(20) });
  });

  it('refuses what is not a regular file', async () => {
    expect(await readSource(dir, 1024)).toEqual({
      ok: false,
      reason: 'unreadable',
      detail: 'not a regular file',
    });
  });
});
