import { describe, expect, it } from 'vitest';
import { runEntryPoints, type EntryFrontEnd, type EntryFunction } from '../../../src/dataflow/driver.js';
import { Heap } from '../../../src/dataflow/heap.js';
import { MIN_PROJECT_ROOTS, ROOT_BUDGET } from '../../../src/dataflow/limits.js';
import type { Node } from '../../../src/parsing/parser.js';

/**
 * A front end whose roots cost a fixed number of steps each (a heavy root takes all it is given),
 * recording the budget every run began with.
 */
function frontEnd(
  costs: number[],
): EntryFrontEnd & { runs: { root: number; given: number; done: boolean }[] } {
  const roots: EntryFunction[] = costs.map((_, i) => ({
    mod: 0,
    def: { startIndex: i } as unknown as Node,
    text: '',
    name: `root${i}`,
  }));
  const fe = {
    heap: new Heap(new Set()),
    budget: ROOT_BUDGET,
    rootBudget: undefined as number | undefined,
    projectLeft: 0,
    exhausted: new Set<number>(),
    modules: { count: 1, text: () => '', loaded: () => false },
    runs: [] as { root: number; given: number; done: boolean }[],
    loadModule: () => undefined,
    isProjectCode: () => true,
    mayHoldEntryPoint: () => true,
    functions: () => roots,
    isEntryPoint: () => true,
    chaseCallers: () => false,
    runRoot(f: EntryFunction) {
      const i = f.def.startIndex;
      const given = fe.rootBudget ?? ROOT_BUDGET;
      fe.budget = given - (costs[i] as number);
      fe.runs.push({ root: i, given, done: fe.budget > 0 });
      return {};
    },
  };
  return fe;
}

describe('entry-point driver', () => {
  it('gives every root its full budget when the project has enough steps', () => {
    const fe = frontEnd([ROOT_BUDGET * 2, 3000, 3000]);
    runEntryPoints(fe);
    expect(fe.runs.map((r) => r.given)).toEqual([ROOT_BUDGET, ROOT_BUDGET, ROOT_BUDGET]);
    expect([...fe.exhausted]).toEqual([0]);
  });

  it('shares the steps out when heavy roots first would leave none for the later ones', () => {
    const heavy = MIN_PROJECT_ROOTS + 2;
    const costs = [
      ...Array.from({ length: heavy }, () => ROOT_BUDGET * 2),
      ...Array.from({ length: 10 }, () => 3000),
    ];
    const fe = frontEnd(costs);
    runEntryPoints(fe);
    // Every light root ran to its end.
    for (let i = heavy; i < costs.length; i++) expect(fe.runs.find((r) => r.root === i)?.done).toBe(true);
    // The heavy roots ran first with a share, then again with the full budget while steps were left.
    const first = fe.runs.slice(0, heavy);
    expect(first.every((r) => r.given < ROOT_BUDGET)).toBe(true);
    expect(fe.runs.slice(costs.length).every((r) => r.root < heavy && r.given === ROOT_BUDGET)).toBe(true);
    expect(fe.runs.length).toBeGreaterThan(costs.length);
  });
});
