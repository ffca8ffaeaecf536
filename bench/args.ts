/**
 * The command line of a benchmark. `--help` (`-h`) prints the usage to stdout; an unknown or
 * malformed option prints what was wrong and the usage to stderr and sets exit code 2. Both leave
 * nothing for the benchmark to run, instead of the stack trace `parseArgs` throws.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export interface ArgsIo {
  out: (text: string) => void;
  err: (text: string) => void;
  fail: (code: number) => void;
}

const PROCESS_IO: ArgsIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  fail: (code) => {
    process.exitCode = code;
  },
};

export function benchArgs<T extends ParseArgsConfig>(
  config: T,
  usage: string,
  io: ArgsIo = PROCESS_IO,
): Parsed<T> | undefined {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${usage}\n`);
    return undefined;
  }
  try {
    return parseArgs(config);
  } catch (e) {
    io.err(`${(e as Error).message}\n${usage}\n`);
    io.fail(2);
    return undefined;
  }
}
