/**
 * How far the project pass is with each file it reviews whole, in shared memory: the pass's thread
 * marks a file parsed, then reviewed (its rules ran); the main thread reads the marks to move the
 * progress bar while the pass runs, instead of crediting all its files at its end.
 */
export class PassProgress {
  static readonly PARSED = 1;
  static readonly REVIEWED = 2;
  private readonly stages: Int8Array;

  /** The marks over `buffer`: a new one from `forFiles`, or one received from another thread. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.stages = new Int8Array(buffer);
  }

  static forFiles(count: number): PassProgress {
    return new PassProgress(new SharedArrayBuffer(Math.max(1, count)));
  }

  /** Marks the file at index `file` as having reached `stage`. */
  mark(file: number, stage: typeof PassProgress.PARSED | typeof PassProgress.REVIEWED): void {
    if (file >= 0 && file < this.stages.length) Atomics.store(this.stages, file, stage);
  }

  /**
   * The share of the files not yet `done` that the pass has worked through: half a file for each
   * one parsed, a whole one for each one reviewed.
   */
  credit(done: (file: number) => boolean): number {
    let halves = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const stage = Atomics.load(this.stages, i);
      if (stage && !done(i)) halves += stage;
    }
    return halves / 2;
  }
}
