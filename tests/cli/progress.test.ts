import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import type { CliIO } from '../../src/cli/io.js';

function io(isTTY: boolean): CliIO & { written: string[] } {
  const written: string[] = [];
  return { stdout: () => undefined, stderr: (t) => void written.push(t), cwd: '.', env: {}, isTTY, written };
}

describe('progress bar', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const target = io(false);
    const bar = createProgress(target, false);
    bar.update(0, 10);
    bar.update(10, 10);
    bar.stop();
    expect(target.written).toEqual([]);
  });

  it('draws nothing with --quiet on a terminal', () => {
    const target = io(true);
    const bar = createProgress(target, true);
    bar.update(3, 10);
    bar.stop();
    expect(target.written).toEqual([]);
  });

  it('draws the files done on a terminal and clears the line when done', () => {
    const target = io(true);
    const bar = createProgress(target, false);
    bar.update(4, 10);
    bar.stop();
    const text = target.written.join('');
    expect(text).toContain('4/10 files');
    expect(text).toContain('\u001b[?25h'); // the cursor is shown again
    expect(text.endsWith('\u001b[2K')).toBe(true); // and the bar's line cleared
  });

  it('moves the bar by part of a file and counts whole files', () => {
    const target = io(true);
    const bar = createProgress(target, false);
    bar.update(4.5, 10);
    bar.stop();
    const text = target.written.join('');
    expect(text).toContain('4/10 files');
    // 45% of the 30-cell bar: 13.5 cells, drawn as 14.
    expect(text).toContain(`[${'='.repeat(14)}${'-'.repeat(16)}]`);
  });
});
