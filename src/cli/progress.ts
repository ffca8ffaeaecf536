import { SingleBar } from 'cli-progress';
import type { CliIO } from './io.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr for long reviews; nothing at all when stderr is not a terminal (logs,
 * pipes, CI) or with --quiet. The bar writes through `io.stderr`, the CLI's only window.
 */
export function createProgress(io: CliIO, quiet: boolean): Progress {
  if (!io.isTTY || quiet) return NONE;
  const stream = {
    isTTY: true,
    columns: Number(io.env.COLUMNS) || 80,
    write(text: string): boolean {
      io.stderr(text);
      return true;
    },
  };
  const bar = new SingleBar({
    stream: stream as unknown as NodeJS.WritableStream,
    // The value may be fractional (a file the dataflow pass has parsed counts half): the bar moves
    // with it, the count shows whole files.
    format: 'secreview [{bar}] {files}/{total} files | {duration_formatted}',
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
  });
  let started = false;
  return {
    update(done, total) {
      const payload = { files: Math.floor(done) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
