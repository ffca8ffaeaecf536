/**
 * Who reviews each file whole: the project pass, which parses the files its entry points reach, or
 * the pool. One slot per file (by index in the batch's sources) in shared memory, so that the pass's
 * thread and the main thread, where the pool takes its tasks, claim a file atomically: whichever
 * side comes first parses it and runs every rule on it, and the other leaves it alone.
 */
export class Claims {
  private static readonly UNCLAIMED = 0;
  private static readonly POOL = 1;
  private static readonly PASS = 2;
  private readonly slots: Int32Array;

  /** The claims over `buffer`: a new one from `forFiles`, or one received from another thread. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer);
  }

  static forFiles(count: number): Claims {
    return new Claims(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * Math.max(1, count)));
  }

  /** Claims the file for the pass unless the pool has it; true when the pass holds it. */
  takeForPass(file: number): boolean {
    return this.take(file, Claims.PASS);
  }

  /** Claims the file for the pool unless the pass has it; true when the pool holds it. */
  takeForPool(file: number): boolean {
    return this.take(file, Claims.POOL);
  }

  heldByPass(file: number): boolean {
    return Atomics.load(this.slots, file) === Claims.PASS;
  }

  private take(file: number, side: number): boolean {
    const was = Atomics.compareExchange(this.slots, file, Claims.UNCLAIMED, side);
    return was === Claims.UNCLAIMED || was === side;
  }
}
