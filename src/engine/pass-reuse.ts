/**
 * Reusing the project pass across reviews. The cache keeps, with its results, what the last pass
 * read (`PassRecord`): the files it parsed or read whole, and for every other file the probes it
 * made of its text (see dataflow/text-reads.ts), with the project's size and the steps it used.
 * When a later review's edits touch only files the pass neither parsed nor read whole, and every
 * probe gives the same result on their new text, and the project's new size gives the same budget
 * outcome, the pass would run exactly as before: its results (in the cached entries of the files it
 * read) still hold, and only the edited files are analysed, each alone, as the pass left them.
 */
import { sameBudgetOutcome } from '../dataflow/driver.js';
import { evaluateProbe, probesHash } from '../dataflow/text-reads.js';
import type { LanguageId } from '../lang/language.js';
import { lineCountOf } from '../parsing/parser.js';
import { hashOf } from './cache.js';
import type { PassReads } from './taint.js';

/** What a finished pass read, with the cache hash of every file it was given (plain data). */
export interface PassRecord extends PassReads {
  /** Per reviewed path: the hash the cache keys the file by (content, module name, imports). */
  files: Record<string, string>;
  /** Hash of every path's language, module name and resolved imports: how the pass finds modules. */
  structure: string;
}

export interface ReuseSource {
  file: string;
  text: string;
  language: LanguageId;
  module?: string;
  imports?: Readonly<Record<string, string>>;
}

function structureOf(sources: readonly ReuseSource[]): string {
  return hashOf(sources.map((s) => [s.file, s.language, s.module ?? null, s.imports ?? null]));
}

/** The record of a pass that read `reads`, over the sources with these cache hashes. */
export function passRecord(
  sources: readonly ReuseSource[],
  hashes: readonly string[],
  reads: PassReads,
): PassRecord {
  const files: Record<string, string> = {};
  sources.forEach((s, i) => (files[s.file] = hashes[i]));
  const { whole, probes, budgets } = reads;
  return { whole, probes, budgets, files, structure: structureOf(sources) };
}

/**
 * Whether the pass recorded would run the same on these sources: undefined if so, else why not.
 * `hinted` tells the files that may hold an entry point (the pass always reads those): the
 * engine's answer is the language's own test, which the `entry-hint` probe recorded.
 */
export function whyNotReusable(
  record: PassRecord,
  sources: readonly ReuseSource[],
  hashes: readonly string[],
  hinted: readonly boolean[],
): string | undefined {
  if (Object.keys(record.files).length !== sources.length || sources.some((s) => !(s.file in record.files)))
    return 'files were added or removed';
  if (record.structure !== structureOf(sources)) return 'module names or imports changed';
  const whole = new Set(record.whole);
  for (const [i, s] of sources.entries()) {
    if (record.files[s.file] === hashes[i]) continue;
    if (whole.has(s.file)) return `${s.file} changed and the pass read it`;
    if (hinted[i]) return `${s.file} may now hold an entry point`;
    const probes = record.probes[s.file];
    if (!probes) continue;
    const results: Record<string, string> = {};
    try {
      for (const key of probes.keys) results[key] = evaluateProbe(key, s.text, () => hinted[i]);
    } catch {
      return 'the cached pass record is damaged';
    }
    if (probesHash(results) !== probes.hash) return `${s.file} changed in what the pass looked for`;
  }
  for (const [language, budget] of Object.entries(record.budgets)) {
    if (!budget) continue;
    let lines = 0;
    for (const s of sources) if (s.language === language) lines += lineCountOf(s.text);
    if (!sameBudgetOutcome(budget, lines)) return 'the project size changes the dataflow budget';
  }
  return undefined;
}
