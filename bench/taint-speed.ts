/**
 * What the project-level dataflow pass costs against parsing alone, on a directory of Python code,
 * in this thread (no worker pool):
 *
 *   npm run bench:taint-speed -- DIR [--runs N]
 *
 * Prints the wall time of parsing every file, and of the taint pass (its own parse, scopes,
 * interpretation of the entry points and the per-file results). Numbers only: it never fails.
 */
import { resolve } from 'node:path';
import { benchArgs } from './args.js';
import { discover, displayPath } from '../src/engine/discover.js';
import { DEFAULT_MAX_FILE_SIZE, readSource } from '../src/engine/read.js';
import { projectTaint } from '../src/engine/taint.js';
import { python } from '../src/lang/python/index.js';
import { languageForPath } from '../src/lang/registry.js';

/** The best of a few runs: the least disturbed by the machine. */
async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

async function main(): Promise<void> {
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: { runs: { type: 'string' } },
    },
    'usage: npm run bench:taint-speed -- [DIR] [--runs N]',
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  const dir = resolve(positionals[0] ?? '.');
  const runs = values.runs ? Number(values.runs) : 3;
  const { files } = await discover(['.'], dir);
  const sources: { file: string; text: string; language: 'python' }[] = [];
  for (const abs of files) {
    if (languageForPath(abs) !== python) continue;
    const r = await readSource(abs, DEFAULT_MAX_FILE_SIZE);
    if (r.ok) sources.push({ file: displayPath(dir, abs), text: r.text, language: 'python' });
  }
  const lines = sources.reduce((n, s) => n + s.text.split('\n').length, 0);
  // tree-sitter's parse alone, as the floor of bench/speed.ts (not the copy analysis starts with).
  await python.grammar.load();
  const parse = await best(runs, async () => {
    for (const s of sources) python.grammar.parseOnly(s.text);
  });
  const taint = await best(runs, () => projectTaint(sources));
  process.stdout.write(
    [
      `${sources.length} Python files, ${lines} lines, best of ${runs}`,
      `parse only:               ${(parse / 1000).toFixed(2)} s`,
      `taint pass (incl. parse): ${(taint / 1000).toFixed(2)} s  = ${(taint / parse).toFixed(2)}x parse`,
      '',
    ].join('\n'),
  );
}

await main();
