import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileClock, Watchdog } from '../../src/engine/watchdog.js';

describe('the per-file watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the owner of a clock once its file runs past the budget, naming the file, and only once', () => {
    const watchdog = new Watchdog(100);
    const clock = new FileClock();
    const overruns: number[] = [];
    watchdog.watch(clock, (file) => overruns.push(file));
    vi.advanceTimersByTime(1000);
    expect(overruns).toEqual([]); // not started: waiting in a queue does not count
    clock.start(7);
    vi.advanceTimersByTime(100);
    expect(overruns).toEqual([]); // at the budget, not past it
    vi.advanceTimersByTime(25);
    expect(overruns).toEqual([7]);
    vi.advanceTimersByTime(1000);
    expect(overruns).toEqual([7]);
    watchdog.stop();
  });

  it('counts each file from its own start, and not the time between files', () => {
    const watchdog = new Watchdog(100);
    const clock = new FileClock();
    const overruns: number[] = [];
    watchdog.watch(clock, (file) => overruns.push(file));
    clock.start(1);
    vi.advanceTimersByTime(75);
    clock.stop();
    vi.advanceTimersByTime(500);
    clock.start(2);
    vi.advanceTimersByTime(75);
    expect(overruns).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(overruns).toEqual([2]);
    watchdog.stop();
  });

  it('watches several clocks, reads a clock through its shared buffer, and forgets unwatched clocks', () => {
    const watchdog = new Watchdog(100);
    const slow = new FileClock();
    const done = new FileClock();
    const overruns: string[] = [];
    watchdog.watch(slow, (file) => overruns.push(`slow ${file}`));
    watchdog.watch(done, (file) => overruns.push(`done ${file}`));
    // The worker's side writes through its own view of the buffer.
    new FileClock(slow.buffer).start(3);
    done.start(4);
    vi.advanceTimersByTime(50);
    watchdog.unwatch(done);
    vi.advanceTimersByTime(100);
    expect(overruns).toEqual(['slow 3']);
    watchdog.stop();
  });

  it('checks nothing once stopped', () => {
    const watchdog = new Watchdog(100);
    const clock = new FileClock();
    const overruns: number[] = [];
    watchdog.watch(clock, (file) => overruns.push(file));
    clock.start(1);
    watchdog.stop();
    vi.advanceTimersByTime(1000);
    expect(overruns).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
