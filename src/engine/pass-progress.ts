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

  /** The stage the file at index `file` has reached (0 when the pass has not parsed it). */
  stage(file: number): number {
    return Atomics.load(this.stages, file);
  }

  /**
   * The files the pass has worked through: half a file for each one parsed, a whole one for each
   * one reviewed. While the pass runs no other side gives these files an outcome (the pool leaves
   * the files the pass holds alone), so none of them is counted twice. One pass over the marks:
   * read on a timer, not per file done.
   */
  credit(): number {
    let halves = 0;
    for (let i = 0; i < this.stages.length; i++) halves += Atomics.load(this.stages, i);
    return halves / 2;
  }
}
