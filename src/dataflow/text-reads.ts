/**
 * What the project pass learnt from the texts of modules without parsing them, so that a later
 * review can tell whether an edit to such a module changes anything the pass did (see
 * engine/pass-reuse.ts).
 *
 * The pass parses the modules its entry points and calls reach; of the others it only reads the
 * text: the project's size (its step budget), whether a module may hold an entry point, whether it
 * calls a function whose result carries a source (the driver's caller rounds), the names it calls.
 * Those reads go through this ledger as probes that can be evaluated again on a new text (a regular
 * expression's test or matches, a substring, the language's entry-point hint), and each probe's
 * result is kept per module. Any other read of a text (`fullRead`) makes the pass depend on the whole
 * text, like the modules it parsed. So a module the pass did not parse and read only through probes
 * can change freely as long as every probe gives the same result on the new text.
 */
import { createHash } from 'node:crypto';
import { lineCountOf } from '../parsing/parser.js';

/** How a module's text was read, as data (see probeKey and evaluateProbe). */
export type ProbeOp = 'test' | 'matches' | 'includes' | 'entry-hint';

/** What the pass read of the project's texts, as plain data (per path; see PassReads in schedule). */
export interface TextReadsSummary {
  /** Paths whose whole text the pass depends on: those it parsed and those read outside probes. */
  whole: string[];
  /** Per path read only through probes: the probe keys applied and the hash of their results. */
  probes: Record<string, { keys: string[]; hash: string }>;
  /** The project's size in lines, and the steps the pass used of the budget that size gave it. */
  budget: { lines: number; used: number; binding: boolean };
}

/** The key of a probe: its kind and pattern (flags included), from which it can be run again. */
export function probeKey(op: ProbeOp, pattern = '', flags = ''): string {
  return JSON.stringify([op, pattern, flags]);
}

/**
 * Runs a probe on a text and gives its result as a string. `entryHint` is the language's test of
 * whether a module may hold an entry point (path and text), for the `entry-hint` probe.
 */
export function evaluateProbe(key: string, text: string, entryHint: (text: string) => boolean): string {
  const [op, pattern, flags] = JSON.parse(key) as [ProbeOp, string, string];
  switch (op) {
    case 'test':
      return testResult(pattern, flags, text);
    case 'matches':
      return matchesText(allMatches(pattern, flags, text));
    case 'includes':
      return bit(text.includes(pattern));
    case 'entry-hint':
      return bit(entryHint(text));
    default:
      throw new Error(`unknown text probe ${String(op)}`);
  }
}

/** The hash of a module's probe results (in key order). */
export function probesHash(results: ReadonlyMap<string, string> | Record<string, string>): string {
  const entries = results instanceof Map ? [...results] : Object.entries(results);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const h = createHash('sha256');
  for (const [k, v] of entries) h.update(k).update('\0').update(v).update('\0');
  return h.digest('hex').slice(0, 32);
}

// What the ledger records and evaluateProbe computes again: one function per probe kind, so that the
// two cannot differ.
function bit(b: boolean): string {
  return b ? '1' : '0';
}

/** A test from the start of the text, whatever the flags say (`g` and `y` keep no state here). */
function testResult(pattern: string, flags: string, text: string): string {
  return bit(new RegExp(pattern, flags.replace(/[gy]/g, '')).test(text));
}

function allMatches(pattern: string, flags: string, text: string): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(pattern, flags.includes('g') ? flags : `${flags}g`))];
}

function matchesText(ms: readonly RegExpMatchArray[]): string {
  return ms.map((m) => m.map((g) => g ?? '').join('\u0001')).join('\u0002');
}

/** The ledger of one language's pass (see the module comment). */
export class TextReads {
  private readonly whole = new Set<number>();
  private readonly results = new Map<number, Map<string, string>>();
  private readonly matchCache = new Map<string, RegExpMatchArray[]>();
  private budget = { lines: 0, used: 0, binding: false };

  constructor(private readonly raw: (i: number) => string) {}

  /** The whole text of module i, on which the pass now depends. */
  fullRead(i: number): string {
    this.whole.add(i);
    return this.raw(i);
  }

  test(i: number, re: RegExp): boolean {
    const key = probeKey('test', re.source, re.flags);
    return this.probe(i, key, () => testResult(re.source, re.flags, this.raw(i))) === '1';
  }

  /** Every match of a global regular expression. */
  matches(i: number, re: RegExp): RegExpMatchArray[] {
    const key = probeKey('matches', re.source, re.flags);
    const cached = this.matchCache.get(`${i}\0${key}`);
    if (cached) return cached;
    const ms = allMatches(re.source, re.flags, this.raw(i));
    this.probe(i, key, () => matchesText(ms));
    this.matchCache.set(`${i}\0${key}`, ms);
    return ms;
  }

  includes(i: number, s: string): boolean {
    return this.probe(i, probeKey('includes', s), () => bit(this.raw(i).includes(s))) === '1';
  }

  /** The language's entry-point hint on module i (the same test the engine makes of every file). */
  entryHint(i: number, hint: (text: string) => boolean): boolean {
    return this.probe(i, probeKey('entry-hint'), () => bit(hint(this.raw(i)))) === '1';
  }

  /** The module's size in lines (its part of the project's step budget; see setBudget). */
  lines(i: number): number {
    return lineCountOf(this.raw(i));
  }

  /** What the project's size gave the pass, and what it used (binding: the budget ran out). */
  setBudget(lines: number, used: number, binding: boolean): void {
    this.budget = { lines, used, binding };
  }

  private probe(i: number, key: string, run: () => string): string {
    let m = this.results.get(i);
    if (!m) this.results.set(i, (m = new Map()));
    let r = m.get(key);
    if (r === undefined) m.set(key, (r = run()));
    return r;
  }

  /** What was read, by path; `parsed` tells the modules the pass parsed (it depends on their whole text). */
  summary(count: number, path: (i: number) => string, parsed: (i: number) => boolean): TextReadsSummary {
    const whole: string[] = [];
    const probes: TextReadsSummary['probes'] = {};
    for (let i = 0; i < count; i++) {
      if (parsed(i) || this.whole.has(i)) {
        whole.push(path(i));
        continue;
      }
      const r = this.results.get(i) ?? new Map<string, string>();
      probes[path(i)] = { keys: [...r.keys()].sort(), hash: probesHash(r) };
    }
    return { whole, probes, budget: { ...this.budget } };
  }
}

/** What a set of modules offers for reading texts: the ledger when the pass keeps one. */
interface TextSource {
  text(i: number): string;
  readonly reads?: TextReads;
}

/** `re.test` on module i's text, through the ledger when there is one. */
export function textTest(modules: TextSource, i: number, re: RegExp): boolean {
  if (modules.reads) return modules.reads.test(i, re);
  re.lastIndex = 0;
  return re.test(modules.text(i));
}

/** Every match of a global regular expression in module i's text. */
export function textMatches(modules: TextSource, i: number, re: RegExp): RegExpMatchArray[] {
  return modules.reads ? modules.reads.matches(i, re) : [...modules.text(i).matchAll(re)];
}

/** Whether module i's text holds `s`. */
export function textIncludes(modules: TextSource, i: number, s: string): boolean {
  return modules.reads ? modules.reads.includes(i, s) : modules.text(i).includes(s);
}

/** The language's entry-point hint on module i's text. */
export function textEntryHint(modules: TextSource, i: number, hint: (text: string) => boolean): boolean {
  return modules.reads ? modules.reads.entryHint(i, hint) : hint(modules.text(i));
}

/** Module i's size in lines. */
export function textLines(modules: TextSource, i: number): number {
  return modules.reads ? modules.reads.lines(i) : lineCountOf(modules.text(i));
}
