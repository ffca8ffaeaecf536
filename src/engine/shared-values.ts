/**
 * Values worked out once per review and read by every thread of it (the pass and the pool's
 * workers): a hash table in shared memory from keys to JSON texts (see project-texts.ts `derived`).
 * The first thread to claim a key's slot works the value out and stores it; a thread that finds the
 * key still being worked out elsewhere makes its own copy rather than wait, and so does every
 * thread once the memory is full. Keys name pure functions of the review's texts, so every copy is
 * the same value.
 *
 * Layout: `table` holds the next free byte of `arena` at index 0, then per slot its state (0 empty,
 * 1 claimed, 2 stored), the key's hash, and where the key and the value lie in `arena` (offset, key
 * length, value length in bytes; lengths of -1: not stored, the arena was full).
 */

const EMPTY = 0;
const CLAIMED = 1;
const STORED = 2;
const FIELDS = 5;

export interface SharedValueBuffers {
  table: SharedArrayBuffer;
  arena: SharedArrayBuffer;
}

export class SharedValues {
  private readonly table: Int32Array;
  private readonly arena: Buffer;
  private readonly slots: number;

  constructor(readonly buffers: SharedValueBuffers) {
    this.table = new Int32Array(buffers.table);
    this.arena = Buffer.from(buffers.arena);
    this.slots = (this.table.length - 1) / FIELDS;
  }

  /** Room for about `keys` values of `bytes` bytes in all. */
  static create(keys: number, bytes: number): SharedValues {
    let slots = 1024;
    while (slots < keys * 2) slots *= 2;
    return new SharedValues({
      table: new SharedArrayBuffer((1 + slots * FIELDS) * 4),
      arena: new SharedArrayBuffer(Math.max(1 << 16, Math.min(bytes, 0x7fff0000))),
    });
  }

  /** The value of `key`: stored by any thread, or made here by `make` (and stored when it can be). */
  get<T>(key: string, make: () => T): T {
    const hash = hashOf(key) || 1;
    const keyBytes = Buffer.from(key, 'utf8');
    const t = this.table;
    for (
      let probe = 0, i = hash & (this.slots - 1);
      probe < this.slots;
      probe++, i = (i + 1) & (this.slots - 1)
    ) {
      const at = 1 + i * FIELDS;
      let state = Atomics.load(t, at);
      if (state === EMPTY) {
        state = Atomics.compareExchange(t, at, EMPTY, CLAIMED);
        if (state === EMPTY) {
          Atomics.store(t, at + 1, hash);
          return this.store(at, keyBytes, make());
        }
      }
      const seen = Atomics.load(t, at + 1);
      if (state === CLAIMED) {
        // Being worked out elsewhere (or its key not yet written): this thread makes its own.
        if (seen === 0 || seen === hash) return make();
        continue;
      }
      if (seen !== hash) continue;
      const offset = Atomics.load(t, at + 2);
      const keyLength = Atomics.load(t, at + 3);
      const valueLength = Atomics.load(t, at + 4);
      if (keyLength !== keyBytes.length || !this.arena.subarray(offset, offset + keyLength).equals(keyBytes))
        continue;
      const start = offset + keyLength;
      return JSON.parse(this.arena.toString('utf8', start, start + valueLength)) as T;
    }
    return make();
  }

  private store<T>(at: number, key: Buffer, value: T): T {
    const t = this.table;
    const json = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    const length = key.length + json.length;
    // Out of room, the slot holds no key (-1) and every thread makes its own copy of the value.
    let offset = Atomics.load(t, 0);
    let fits = offset + length <= this.arena.length;
    while (fits) {
      const was = Atomics.compareExchange(t, 0, offset, offset + length);
      if (was === offset) break;
      offset = was;
      fits = offset + length <= this.arena.length;
    }
    if (fits) {
      key.copy(this.arena, offset);
      json.copy(this.arena, offset + key.length);
    }
    Atomics.store(t, at + 2, fits ? offset : 0);
    Atomics.store(t, at + 3, fits ? key.length : -1);
    Atomics.store(t, at + 4, fits ? json.length : -1);
    Atomics.store(t, at, STORED);
    return value;
  }
}

/** FNV-1a over the key's UTF-16 code units, as a 32-bit integer. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
