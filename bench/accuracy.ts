/**
 * Scores secreview against an OWASP-Benchmark-format expected-results CSV
 * (`test name, category, real vulnerability, cwe`). A test counts as flagged when a finding with
 * its CWE is in one of its files: a file whose name, or a folder on its path, starts with the test
 * name (see accuracy-cases.ts). Prints TP/FP/TN/FN, TPR, FPR and TPR-FPR per category and their
 * average, and on stderr what makes the score doubtful: rules the config enables that this build
 * lacks, names the CSV repeats, tests none of whose files was reviewed.
 *
 *   npm run bench:accuracy -- --suite DIR --expected CSV [--config FILE] [--list-misses]
 *
 * The configs of the Alipay xAST suites are in bench/configs/ (xast-python.yml, xast-js.yml).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchArgs } from './args.js';
import { loadConfigFile, type Config } from '../src/config/load.js';
import { taintOptions } from '../src/config/taint.js';
import { confidenceRank } from '../src/core/index.js';
import { review } from '../src/engine/review.js';
import { allRules } from '../src/rules/registry.js';
import { readExpected, repeatedNames, testsOfPath } from './accuracy-cases.js';

function selectRules(config: Config) {
  const enable = config.rules?.enable;
  const known = new Set(allRules().map((r) => r.id));
  const absent = (enable ?? []).filter((id) => !known.has(id));
  if (absent.length) process.stderr.write(`not in this build, left out: ${absent.join(', ')}\n`);
  const disable = new Set(config.rules?.disable ?? []);
  return allRules().filter((r) => (!enable || enable.includes(r.id)) && !disable.has(r.id));
}

function pct(n: number): string {
  return n.toFixed(3);
}

async function main(): Promise<void> {
  const usage = 'usage: npm run bench:accuracy -- --suite DIR --expected CSV [--config FILE] [--list-misses]';
  const parsed = benchArgs(
    {
      options: {
        suite: { type: 'string' },
        expected: { type: 'string' },
        config: { type: 'string' },
        'list-misses': { type: 'boolean' },
      },
    },
    usage,
  );
  if (!parsed) return;
  const { values } = parsed;
  if (!values.suite || !values.expected) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
    return;
  }
  const suite = resolve(values.suite);
  const config = values.config ? loadConfigFile(resolve(values.config)).config : {};
  const expected = readExpected(readFileSync(resolve(values.expected), 'utf8'));
  const repeated = repeatedNames(expected);
  if (repeated.length)
    process.stderr.write(
      `named more than once in the CSV (a finding counts for each row): ${repeated.join(', ')}\n`,
    );
  const started = performance.now();
  const result = await review({
    paths: ['.'],
    cwd: suite,
    rules: selectRules(config),
    minConfidence: config['min-confidence'],
    taint: taintOptions(config),
  });
  const seconds = (performance.now() - started) / 1000;
  const min = config['min-confidence'] ? confidenceRank(config['min-confidence']) : 0;
  // Test name → CWEs found in its files.
  const flagged = new Map<string, Set<number>>();
  const names = new Set(expected.map((e) => e.name));
  for (const f of result.findings) {
    if (f.suppressed || confidenceRank(f.confidence) < min) continue;
    for (const name of testsOfPath(f.location.file, names)) {
      let s = flagged.get(name);
      if (!s) flagged.set(name, (s = new Set()));
      s.add(f.cwe);
    }
  }
  const withFiles = new Set(result.files.flatMap((r) => testsOfPath(r.file, names)));
  const fileless = [...names].filter((n) => !withFiles.has(n));
  if (fileless.length)
    process.stderr.write(
      `${fileless.length} tests with no reviewed file: ${fileless.slice(0, 10).join(', ')}\n`,
    );
  const rows = new Map<string, { tp: number; fp: number; tn: number; fn: number }>();
  const misses: string[] = [];
  for (const e of expected) {
    let r = rows.get(e.category);
    if (!r) rows.set(e.category, (r = { tp: 0, fp: 0, tn: 0, fn: 0 }));
    const hit = flagged.get(e.name)?.has(e.cwe) ?? false;
    if (e.vulnerable && hit) r.tp++;
    else if (e.vulnerable) {
      r.fn++;
      misses.push(`FN ${e.name}`);
    } else if (hit) {
      r.fp++;
      misses.push(`FP ${e.name}`);
    } else r.tn++;
  }
  const lines: string[] = [];
  const header = ['category', 'TP', 'FP', 'TN', 'FN', 'TPR', 'FPR', 'TPR-FPR'];
  lines.push(header.join('\t'));
  let sum = 0;
  const total = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const sorted = [...rows.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [cat, r] of sorted) {
    const tpr = r.tp + r.fn ? r.tp / (r.tp + r.fn) : 0;
    const fpr = r.fp + r.tn ? r.fp / (r.fp + r.tn) : 0;
    sum += tpr - fpr;
    total.tp += r.tp;
    total.fp += r.fp;
    total.tn += r.tn;
    total.fn += r.fn;
    lines.push([cat, r.tp, r.fp, r.tn, r.fn, pct(tpr), pct(fpr), pct(tpr - fpr)].join('\t'));
  }
  const tpr = total.tp + total.fn ? total.tp / (total.tp + total.fn) : 0;
  const fpr = total.fp + total.tn ? total.fp / (total.fp + total.tn) : 0;
  lines.push(
    ['all tests', total.tp, total.fp, total.tn, total.fn, pct(tpr), pct(fpr), pct(tpr - fpr)].join('\t'),
  );
  lines.push(`average TPR-FPR over ${rows.size} categories: ${pct(rows.size ? sum / rows.size : 0)}`);
  lines.push(`${expected.length} tests, ${result.files.length} files, ${seconds.toFixed(1)} s`);
  if (values['list-misses']) lines.push(...misses.sort());
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
