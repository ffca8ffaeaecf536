/**
 * The entry-point driver: which functions of a project run as roots, in what order, and within
 * what budget. The front end says which functions may read a source and runs one function as a
 * root; the driver chains rounds of callers while roots return source data.
 */
import type { Node } from '../parsing/parser.js';
import { escapeRegExp } from '../core/escape.js';
import type { Heap } from './heap.js';
import { textLines, textTest, type TextReads } from './text-reads.js';
import {
  LATER_ROOTS_SHARE,
  MAX_CALLER_ROUNDS,
  MIN_PROJECT_ROOTS,
  PROJECT_STEPS_PER_LINE,
  ROOT_BUDGET,
} from './limits.js';
import type { Val } from './value.js';

/** A function of a module, with its source text (decorators included) and name. */
export interface EntryFunction {
  mod: number;
  def: Node;
  text: string;
  name: string;
}

/** What the driver needs from a language's interpreter. */
export interface EntryFrontEnd {
  readonly heap: Heap;
  /** Steps left in the current root (the front end counts them down). */
  budget: number;
  /** Steps the current root began with, when not `ROOT_BUDGET` (a deferred root's smaller share). */
  rootBudget?: number;
  /** Steps left for the whole project. */
  projectLeft: number;
  /** Modules whose analysis ran out of budget (see PassResults.exhausted). */
  readonly exhausted: Set<number>;
  /** Per module, its entry points not followed to the end, in words (see PassResults.unfollowed). */
  readonly unfollowed?: Map<number, string[]>;
  readonly modules: {
    readonly count: number;
    text(i: number): string;
    loaded(i: number): boolean;
    readonly reads?: TextReads;
  };
  /** Runs a module's body (once) so its names have values. */
  loadModule(mod: number): void;
  /** Whether a module's code may call entry points or be one (test code builds its own inputs). */
  isProjectCode(mod: number): boolean;
  /** Whether a module's text may hold an entry point at all. */
  mayHoldEntryPoint(mod: number): boolean;
  functions(mod: number): EntryFunction[];
  /** Whether a function is an entry point of the first round (a route, or it reads a source). */
  isEntryPoint(f: EntryFunction): boolean;
  /** Runs a function as an entry point, with its parameters from the client where they are; returns what it returned. */
  runRoot(f: EntryFunction): Val;
  /** Whether callers of a function with this name are worth running (not a special method, not a short name). */
  chaseCallers(name: string): boolean;
  /**
   * Functions a root reached but did not run, to run as roots of their own after it (the targets
   * of a dispatch by a client-named key: too many for one root's budget).
   */
  takeDeferred?(): EntryFunction[];
  /**
   * Whether an entry point is a guess (a handler known only by the shape of its route): guesses
   * run after the others and after the roots those hand on, so that a project's budget goes first
   * to the entry points its models are sure of.
   */
  guessed?(f: EntryFunction): boolean;
  /**
   * Functions to run as roots (again) once the rounds are over, with the callers of those that
   * return source data after them: those that read what earlier roots stored (a model's field a
   * request handler wrote), which may have run before the root that wrote it, or not at all. They
   * run on a share of the project's budget kept for them (`LATER_ROOTS_SHARE`).
   */
  laterRoots?(): EntryFunction[];
}

/**
 * Entry points run in rounds. First the functions that mention a source (or are routes). Then,
 * for each function whose run returned data from a source, the functions that call it by name,
 * since a caller may pass that data on to a sink; and so on, while returns carry sources. A
 * function that neither reads a source nor calls such a helper only ever sees unknown parameters,
 * so it is not run: its expressions stay "unknown" unless a caller's run reaches them.
 */
export function runEntryPoints(fe: EntryFrontEnd): void {
  const { count } = fe.modules;
  let lines = 0;
  for (let i = 0; i < count; i++) lines += textLines(fe.modules, i);
  const budget = projectBudget(lines);
  fe.projectLeft = budget;
  // Module bodies first for the modules at hand; the others run when something reaches them.
  for (let i = 0; i < count; i++) if (fe.modules.loaded(i)) fe.loadModule(i);
  fe.heap.markRoot();
  const done = new Set<string>();
  const key = (f: EntryFunction): string => `${f.mod}:${f.def.startIndex}`;
  let round: EntryFunction[] = [];
  for (let i = 0; i < count; i++) {
    if (!fe.mayHoldEntryPoint(i)) continue;
    for (const f of fe.functions(i)) if (fe.isEntryPoint(f)) round.push(f);
  }
  // Guesses last (a stable order otherwise).
  const guessed = new Set(round.filter((f) => fe.guessed?.(f)).map(key));
  round = [...round.filter((f) => !guessed.has(key(f))), ...round.filter((f) => guessed.has(key(f)))];
  runRounds(fe, round, guessed, done, key);
  const later = fe.laterRoots?.() ?? [];
  // Those roots always have a share of the budget left: what a handler stored is read back by
  // functions that may come after everything the entry points had budget for.
  let extra = 0;
  if (later.length) {
    const reserve = Math.floor(budget * LATER_ROOTS_SHARE);
    if (fe.projectLeft < reserve) {
      extra = reserve - Math.max(0, fe.projectLeft);
      fe.projectLeft += extra;
    }
    for (const f of later) done.delete(key(f));
    runRounds(fe, later, new Set(), done, key);
  }
  // Every module read has its body's values recorded, as if run first.
  for (let i = 0; i < count; i++) if (fe.modules.loaded(i)) fe.loadModule(i);
  // The budget bound the pass once fewer steps were left than a root's own: module bodies then ran
  // on less (see the front ends' module loading), or entry points were left unrun.
  fe.modules.reads?.setBudget(
    lines,
    budget + extra - fe.projectLeft,
    extra > 0 || fe.projectLeft < ROOT_BUDGET,
  );
}

/** Runs a round of roots, then rounds of the callers of those that returned source data. */
function runRounds(
  fe: EntryFrontEnd,
  round: EntryFunction[],
  guessed: ReadonlySet<string>,
  done: Set<string>,
  key: (f: EntryFunction) => string,
): void {
  const { count } = fe.modules;
  // Bounded work: a project gets a number of evaluation steps proportional to its size; entry
  // points past it are not run (their expressions stay "unknown").
  for (let depth = 0; depth <= MAX_CALLER_ROUNDS && round.length && fe.projectLeft > 0; depth++) {
    const returning = new Set<string>();
    for (const [i, f] of round.entries()) {
      if (fe.projectLeft <= 0) {
        for (const g of round) {
          if (done.has(key(g))) continue;
          fe.exhausted.add(g.mod);
          unfollowed(fe, g, "not run: the project's budget was spent");
        }
        break;
      }
      if (done.has(key(f))) continue;
      done.add(key(f));
      const returned = fe.runRoot(f);
      // Roots this one handed on run in this round, after those already in it but before the
      // guesses still waiting.
      const handed = (fe.takeDeferred?.() ?? []).filter((g) => !done.has(key(g)));
      let at = round.length;
      while (at > i + 1 && guessed.has(key(round[at - 1]))) at--;
      round.splice(at, 0, ...handed);
      fe.projectLeft -= (fe.rootBudget ?? ROOT_BUDGET) - Math.max(0, fe.budget);
      // The root ran out of its own budget: what it reached is known only in part, and its
      // module's results say so (reported, never silent).
      if (fe.budget <= 0) {
        fe.exhausted.add(f.mod);
        unfollowed(fe, f, 'stopped at its own budget');
      }
      if (fe.heap.deepData(returned).t?.length && fe.chaseCallers(f.name)) returning.add(f.name);
    }
    if (!returning.size) break;
    const calls = new RegExp(`\\b(${[...returning].map(escapeRegExp).join('|')})\\s*\\(`);
    round = [];
    for (let i = 0; i < count; i++) {
      if (!fe.isProjectCode(i) || !textTest(fe.modules, i, calls)) continue;
      for (const f of fe.functions(i)) if (!done.has(key(f)) && calls.test(f.text)) round.push(f);
    }
  }
}

/** Notes an entry point whose flows were not all followed, with why, for its file's report. */
function unfollowed(fe: EntryFrontEnd, f: EntryFunction, why: string): void {
  if (!fe.unfollowed) return;
  let list = fe.unfollowed.get(f.mod);
  if (!list) fe.unfollowed.set(f.mod, (list = []));
  list.push(`${f.name} (line ${f.def.startPosition.row + 1}) ${why}`);
}

/**
 * Whether a pass that used `used` steps of the budget of a project of `lines` lines, without the
 * budget binding it, runs the same within the budget of `newLines` lines: as long as a root's own
 * budget is always left, nothing a budget decides changes.
 */
export function sameBudgetOutcome(
  old: { lines: number; used: number; binding: boolean },
  newLines: number,
): boolean {
  return old.binding ? newLines === old.lines : projectBudget(newLines) - old.used >= ROOT_BUDGET;
}

/**
 * The steps a project of this many lines gets. A small project still gets a few entry points'
 * worth: one root that runs out of its own budget must not leave nothing for the others.
 */
export function projectBudget(lines: number): number {
  return Math.max(PROJECT_STEPS_PER_LINE * lines, MIN_PROJECT_ROOTS * ROOT_BUDGET);
}
