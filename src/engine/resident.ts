import { getHeapStatistics } from 'node:v8';

/**
 * Which parsed modules of the project pass keep their trees, lines and semantic models in memory.
 * The pass keeps what it learnt of every module (values, summaries); a module's tree and model
 * are only the means, so when the thread's heap is over the threshold the least recently used
 * ones are released, and a module released is parsed and bound again when the analysis next
 * reads it (see SyntaxTree.release). A module whose rules have run is released at once.
 */
export class ResidentModules {
  /** Releases of the modules in memory, by index. */
  private readonly resident = new Map<number, () => void>();
  private readonly lastUse: number[] = [];
  private tick = 0;
  /**
   * The heap size of the next release: after one, the heap must grow by an eighth of the threshold
   * again (what was released is not collected at once, and what cannot be released would otherwise
   * make every load release more).
   */
  private next: number;
  /** Modules released, and parsed again after a release. */
  evictions = 0;
  reloads = 0;

  constructor(
    /** Heap size (bytes) over which modules are released. */
    private readonly evictAbove: number,
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size,
  ) {
    this.next = evictAbove;
  }

  /** The module at `i` was read. */
  touch(i: number): void {
    this.lastUse[i] = ++this.tick;
  }

  /** The module at `i` was parsed (`again`: after a release); the others may be released. */
  loaded(i: number, release: () => void, again: boolean): void {
    if (again) this.reloads++;
    this.touch(i);
    this.resident.set(i, release);
    this.evictOver(i);
  }

  /** The module at `i` is done with: released now. */
  done(i: number): void {
    this.release(i);
  }

  /** Over the threshold: the least recently used half of the modules but `current` are released. */
  private evictOver(current: number): void {
    const used = this.heapUsed();
    if (used <= this.next) return;
    const order = [...this.resident.keys()]
      .filter((k) => k !== current)
      .sort((a, b) => this.lastUse[a] - this.lastUse[b]);
    for (const k of order.slice(0, Math.ceil(order.length / 2))) this.release(k);
    this.next = Math.max(this.evictAbove, used + this.evictAbove / 8);
  }

  private release(i: number): void {
    const release = this.resident.get(i);
    if (!release) return;
    this.resident.delete(i);
    release();
    this.evictions++;
  }
}
