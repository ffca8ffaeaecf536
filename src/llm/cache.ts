import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ChatMessage } from './prompt.js';

/** Where answers are kept, under the review root. */
export const LLM_CACHE_DIR = join('.secreview-cache', 'llm');

interface Entry {
  model: string;
  promptVersion: string;
  content: string;
}

/**
 * Model answers keyed by a hash of the model, the prompt version and the exact messages (which
 * hold the code, so an edit misses the cache). Only answers that parsed are stored.
 */
export class LlmCache {
  constructor(private readonly dir: string | undefined) {}

  static key(model: string, promptVersion: string, messages: readonly ChatMessage[]): string {
    return createHash('sha256')
      .update(JSON.stringify([model, promptVersion, messages]))
      .digest('hex');
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.dir) return undefined;
    try {
      const entry = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as Entry;
      return typeof entry.content === 'string' ? entry.content : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, model: string, promptVersion: string, content: string): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    const entry: Entry = { model, promptVersion, content };
    await writeFileAtomic(join(this.dir, `${key}.json`), JSON.stringify(entry) + '\n');
  }
}
