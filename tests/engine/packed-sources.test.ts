import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { packSources, unpackSources } from '../../src/engine/packed-sources.js';
import type { ProjectSource } from '../../src/engine/taint.js';

const sources: ProjectSource[] = [
  { file: 'a.py', text: 'import os\n', language: 'python', module: 'pkg.a' },
  { file: 'empty.py', text: '', language: 'python' },
  { file: 'b.py', text: '\uFEFFname = "café 😀"\r\n', language: 'python', module: 'pkg.b' },
  { file: 'lone.py', text: 'x = "\uD800"\n', language: 'python' },
  { file: 'c.py', text: 'print(1)\n', language: 'python' },
];

describe('packSources / unpackSources', () => {
  it('gives back every source as it was', () => {
    expect(unpackSources(packSources(sources))).toEqual(sources);
  });

  it('puts the well-formed texts in one buffer as UTF-8 and sends a text with a lone surrogate as it is', () => {
    const packed = packSources(sources);
    expect(Buffer.from(packed.bytes).toString('utf8')).toBe(
      'import os\n\uFEFFname = "café 😀"\r\nprint(1)\n',
    );
    expect(packed.ends).toEqual([10, 10, 34, 34, 43]);
    expect(packed.sources).toEqual([
      { file: 'a.py', language: 'python', module: 'pkg.a' },
      { file: 'empty.py', language: 'python' },
      { file: 'b.py', language: 'python', module: 'pkg.b' },
      { file: 'lone.py', text: 'x = "\uD800"\n', language: 'python' },
      { file: 'c.py', language: 'python' },
    ]);
  });

  it('survives the transfer to another thread', async () => {
    const packed = packSources(sources);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<unknown>((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, [packed.bytes]);
    const moved = (await received) as typeof packed;
    port1.close();
    port2.close();
    expect(packed.bytes.byteLength).toBe(0);
    expect(unpackSources(moved)).toEqual(sources);
  });
});
