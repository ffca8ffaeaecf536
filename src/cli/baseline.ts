import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { review } from '../engine/review.js';
import { createBaseline, formatBaseline } from '../suppressions/baseline.js';
import { filterStage } from './filters.js';
import type { CliIO } from './io.js';
import { EXIT_OK, missingPathsExit } from './exit.js';
import { loadRunConfig, reviewScope, selectRules } from './options.js';
import { checkReportTarget } from './output.js';

interface BaselineFlags {
  output?: string;
  config?: string;
  exclude?: string[];
}

/** `secreview baseline create [PATHS] --output FILE`: accept today's findings. */
export function registerBaseline(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const baseline = program
    .command('baseline')
    .description('record current findings so later reviews report only new ones (--baseline FILE)');
  baseline
    .command('create')
    .description('write the fingerprints of the current unsuppressed findings, with counts')
    .argument('[paths...]', 'files and directories to review (default: .)')
    .option('-o, --output <file>', 'baseline file to write (default: stdout)')
    .option('-c, --config <file>', 'configuration file (default: the nearest .secreview.yml)')
    .option('--exclude <glob...>', 'glob patterns to leave out of directory walks')
    .action(async (paths: string[], flags: BaselineFlags) => {
      const targets = paths.length ? paths : ['.'];
      // The baseline's folder is created if needed; it must still not overwrite a reviewed file.
      if (flags.output) {
        await mkdir(dirname(resolve(io.cwd, flags.output)), { recursive: true });
        checkReportTarget(io.cwd, flags.output, targets);
      }
      const { config, path } = loadRunConfig(flags.config, io, targets[0]);
      const result = await review({
        paths: targets,
        cwd: io.cwd,
        rules: selectRules(config),
        ...reviewScope(config, { exclude: flags.exclude }),
      });
      const missing = missingPathsExit(result.missing, io);
      if (missing !== undefined) {
        setExit(missing);
        return;
      }
      // Inline suppressions still apply; an older baseline does not (this one replaces it).
      const { findings } = await filterStage(result.findings, result.directives, {}, {}, path, io.cwd);
      const b = createBaseline(findings);
      const text = formatBaseline(b);
      if (flags.output) {
        const target = resolve(io.cwd, flags.output);
        await mkdir(dirname(target), { recursive: true });
        await writeFileAtomic(target, text);
      } else io.stdout(text);
      const total = b.findings.reduce((n, e) => n + e.count, 0);
      io.stderr(
        `secreview: baseline of ${total} finding(s) in ${b.findings.length} fingerprint(s)${flags.output ? ` written to ${flags.output}` : ''}\n`,
      );
      setExit(EXIT_OK);
    });
}
