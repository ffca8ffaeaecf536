import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes in a mebibyte: budgets are given in MiB, heaps measured in bytes. */
export const MIB = 1024 * 1024;

/** Thrown by MemoryGuard.check when the thread's live heap is over its budget. */
export class OverMemoryBudget extends Error {
  constructor(
    readonly usedMb: number,
    readonly budgetMb: number,
  ) {
    super(`the heap held ${usedMb} MiB, more than the ${budgetMb} MiB budget`);
  }
}

/**
 * The heap limit a thread with a memory budget gets: the budget and a margin. V8 ends a worker at
 * its heap limit gracefully only when the allocation that reaches it is small; a large one (a map
 * or array growing its table) aborts the whole process instead. So the thread stops itself at its
 * budget (see MemoryGuard), and V8's limit sits a margin above it, for the allocations in flight.
 */
export function heapLimitMb(budgetMb: number): number {
  return Math.ceil(budgetMb + Math.max(64, budgetMb / 4));
}

/**
 * A full garbage collection, in a thread that may run one (the flag is set for contexts made from
 * now on, and the collector is read from a new one); undefined where that fails.
 */
export function fullCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a thread's work within a heap budget: `check`, called where the work can stop (each module
 * the dataflow pass reads, each file whose rules it runs), throws OverMemoryBudget once the live
 * heap is over the budget. The heap in use counts garbage too, so over the budget the guard first
 * collects it and measures again; when what is live is under, the next collection waits until the
 * heap is over the budget again and has grown by a sixteenth of it.
 */
export class MemoryGuard {
  private next: number;
  private calls = 0;

  constructor(
    /** The budget, in bytes. */
    private readonly budget: number,
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size,
    private readonly collect: (() => void) | undefined = undefined,
    /** The heap is measured every this many checks. */
    private readonly every = 8,
  ) {
    this.next = budget;
  }

  check(): void {
    if (++this.calls % this.every) return;
    let used = this.heapUsed();
    if (used <= this.next) return;
    if (this.collect) {
      this.collect();
      used = this.heapUsed();
    }
    if (used > this.budget) throw new OverMemoryBudget(Math.round(used / MIB), Math.round(this.budget / MIB));
    this.next = Math.max(this.budget, used + this.budget / 16);
  }
}
