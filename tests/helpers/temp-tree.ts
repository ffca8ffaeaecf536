import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A maker of temporary folders holding the given files (path relative to the folder → text),
 * removed after the test file's tests.
 */
export function tempTrees(prefix: string): (files: Record<string, string>) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return async (files) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, rel)), { recursive: true });
      await writeFile(join(dir, rel), text);
    }
    return dir;
  };
}
