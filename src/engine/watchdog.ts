/**
 * Where a thread is in its work on files, in shared memory: when its current file started (ms since
 * the epoch, 0 between files) and that file's index. The thread doing the work writes it; a
 * watchdog in another thread reads it, so that the budget counts the work and not the wait for it.
 */
export class FileClock {
  private readonly view: Float64Array;

  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT),
  ) {
    this.view = new Float64Array(buffer);
  }

  start(file = -1): void {
    // The index first: a watchdog that sees the start time then reads the right file.
    this.view[1] = file;
    this.view[0] = Date.now();
  }

  stop(): void {
    this.view[0] = 0;
  }

  get startedAt(): number {
    return this.view[0];
  }

  get file(): number {
    return this.view[1];
  }
}

/**
 * The per-file budget: checks the clocks it watches a few times per budget, and tells the owner of
 * a clock whose file has run past the budget (once; the clock is then no longer watched). Used by
 * the pool (one clock per task in flight) and by the project pass (one clock for the pass's thread).
 */
export class Watchdog {
  private readonly clocks = new Map<FileClock, (file: number) => void>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(readonly budgetMs: number) {
    this.timer = setInterval(() => this.check(), Math.max(5, Math.min(100, budgetMs / 4)));
  }

  watch(clock: FileClock, onOverrun: (file: number) => void): void {
    this.clocks.set(clock, onOverrun);
  }

  unwatch(clock: FileClock): void {
    this.clocks.delete(clock);
  }

  stop(): void {
    clearInterval(this.timer);
    this.clocks.clear();
  }

  private check(): void {
    const now = Date.now();
    for (const [clock, onOverrun] of this.clocks) {
      const start = clock.startedAt;
      if (start > 0 && now - start > this.budgetMs) {
        this.clocks.delete(clock);
        onOverrun(clock.file);
      }
    }
  }
}
