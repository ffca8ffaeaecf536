import { createHash } from 'node:crypto';
import { readAuthenticated, writeAuthenticated } from '../engine/cache.js';
import type { ChatMessage } from './prompt.js';

interface Entry {
  model: string;
  promptVersion: string;
  content: string;
}

/**
 * Model answers keyed by a hash of the model, the prompt version and the exact messages (which
 * hold the code, so an edit misses the cache). Only answers that parsed are stored. The folder is
 * the user's (see cli/cache-dir.ts) and each answer is authenticated like the result cache's
 * files, so an answer planted in a repository is never read back as the model's.
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
    const text = readAuthenticated(this.dir, `${key}.json`);
    if (text === undefined) return undefined;
    try {
      const entry = JSON.parse(text) as Entry;
      return typeof entry.content === 'string' ? entry.content : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, model: string, promptVersion: string, content: string): Promise<void> {
    if (!this.dir) return;
    const entry: Entry = { model, promptVersion, content };
    await Promise.resolve(writeAuthenticated(this.dir, `${key}.json`, JSON.stringify(entry) + '\n'));
  }
}
