import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Claims } from '../../src/engine/claims.js';

// The other claimant runs the compiled module in a thread of its own (`npm test` builds first).
const compiled = join(import.meta.dirname, '..', '..', 'dist', 'src', 'engine', 'claims.js');

describe('claims', () => {
  it('give each file to the first side that asks, and keep it there', () => {
    const claims = Claims.forFiles(3);
    expect(claims.takeForPass(0)).toBe(true);
    expect(claims.takeForPool(0)).toBe(false);
    expect(claims.takeForPool(1)).toBe(true);
    expect(claims.takeForPass(1)).toBe(false);
    // Asking again for a file one already holds is no loss.
    expect(claims.takeForPass(0)).toBe(true);
    expect([0, 1, 2].map((i) => claims.heldByPass(i))).toEqual([true, false, false]);
  });

  it('are shared with another thread through their buffer', () => {
    const claims = Claims.forFiles(2);
    const received = new Claims(claims.buffer);
    expect(received.takeForPass(1)).toBe(true);
    expect(claims.heldByPass(1)).toBe(true);
    expect(claims.takeForPool(1)).toBe(false);
  });

  it('give every file to exactly one of two threads claiming all of them at once', async () => {
    if (!existsSync(compiled)) throw new Error('dist/ is missing: run `npm run build` first');
    const count = 20_000;
    const claims = Claims.forFiles(count);
    // The pass's side claims from the last file down while this thread, the pool's, claims upwards.
    const pass = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       import(workerData.url).then(({ Claims }) => {
         const claims = new Claims(workerData.buffer);
         const got = [];
         for (let i = workerData.count - 1; i >= 0; i--) if (claims.takeForPass(i)) got.push(i);
         parentPort.postMessage(got);
       });`,
      { eval: true, workerData: { url: pathToFileURL(compiled).href, buffer: claims.buffer, count } },
    );
    const passGot = new Promise<number[]>((resolve, reject) => {
      pass.once('message', resolve);
      pass.once('error', reject);
    });
    const poolGot: number[] = [];
    for (let i = 0; i < count; i++) if (claims.takeForPool(i)) poolGot.push(i);
    const passFiles = await passGot;
    await pass.terminate();
    expect(passFiles.length + poolGot.length).toBe(count);
    expect(new Set([...passFiles, ...poolGot]).size).toBe(count);
    for (const i of passFiles) expect(claims.heldByPass(i)).toBe(true);
    expect(poolGot.filter((i) => claims.heldByPass(i))).toEqual([]);
  });
});
