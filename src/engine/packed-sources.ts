/**
 * The sources the dataflow pass reads, sent to its thread without a structured clone of every text
 * (issue #19, "no text clones"): the texts are written as UTF-8 into one buffer that is transferred
 * (moved, not copied) with the rest, and the thread decodes each one from it. UTF-8 gives back
 * exactly the text it was written from when the text is well-formed, as every text read from a
 * file is (see read.ts); a text with a lone surrogate is sent as it is.
 */
import type { ProjectSource } from './taint.js';

declare global {
  interface String {
    /** ES2024, in Node 20; TypeScript's ES2022 library does not declare it. */
    isWellFormed(): boolean;
  }
}

export interface PackedSources {
  /** The sources in order, each with its text only when it is not in `bytes`. */
  sources: (Omit<ProjectSource, 'text'> & { text?: string })[];
  /** Where each source's UTF-8 text ends in `bytes`; it starts where the one before ends. */
  ends: number[];
  bytes: ArrayBuffer | SharedArrayBuffer;
}

/**
 * Packs the sources. `bytes` is meant for the transfer list, after which it is gone here; `shared`:
 * in memory every thread of the review reads (the pass and the pool's workers, see
 * project-texts.ts), never copied.
 */
export function packSources(sources: readonly ProjectSource[], shared = false): PackedSources {
  const inBytes = sources.map((s) => s.text.isWellFormed());
  const ends: number[] = [];
  let end = 0;
  sources.forEach((s, i) => ends.push((end += inBytes[i] ? Buffer.byteLength(s.text, 'utf8') : 0)));
  const bytes = shared ? new SharedArrayBuffer(end) : new ArrayBuffer(end);
  const view = Buffer.from(bytes);
  return {
    sources: sources.map(({ text, ...source }, i) => {
      if (!inBytes[i]) return { ...source, text };
      view.write(text, i ? ends[i - 1] : 0, 'utf8');
      return source;
    }),
    ends,
    bytes,
  };
}

/** The sources as they were packed, texts decoded. */
export function unpackSources(packed: PackedSources): ProjectSource[] {
  const view = Buffer.from(packed.bytes);
  return packed.sources.map((s, i) => ({
    ...s,
    text: s.text ?? view.toString('utf8', i ? packed.ends[i - 1] : 0, packed.ends[i]),
  }));
}
