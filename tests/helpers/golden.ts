import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** Set UPDATE_GOLDEN=1 to rewrite golden files from the current output instead of comparing. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/**
 * Compares `actual` with the golden file at `path` byte for byte. With UPDATE_GOLDEN=1 the file is
 * (re)written instead; review the diff before committing it.
 */
export function expectGolden(path: string, actual: string): void {
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing; run UPDATE_GOLDEN=1 npx vitest run to create it`);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
