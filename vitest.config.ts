import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The result cache and its key live in the user's cache folder: tests keep theirs apart.
const cacheHome = mkdtempSync(join(tmpdir(), 'secreview-test-cache-'));

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    env: { XDG_CACHE_HOME: cacheHome },
  },
});
