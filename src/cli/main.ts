import { Command, CommanderError } from 'commander';
import { terminalSafeBlock } from '../core/escape.js';
import { ConfigError } from '../config/load.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { configureGroupedHelp } from './help.js';
import { registerInit } from './init.js';
import { registerRules } from './rules.js';
import { registerAuditCommand } from './audit.js';
import { registerBaseline } from './baseline.js';
import { registerDiff } from './diff.js';
import { EXIT_ERROR, EXIT_OK } from './exit.js';
import { explain } from './explain.js';
import { UsageError, type CliIO } from './io.js';
import { registerPublish } from './publish.js';
import { registerReview } from './review.js';
import { toolVersion } from './version.js';

/** The program: each command comes from its own module; this one only wires them together. */
function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('secreview')
    .description('A security code reviewer: CWE-grounded findings with exact lines, evidence and fixes.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError(HELP_HINT)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // "secreview: error: ..." like every other error of the CLI.
      outputError: (text, write) => write(`secreview: ${text}`),
    });
  configureGroupedHelp(program);

  registerReview(program, io, setExit);

  program
    .command('explain')
    .description(
      'explain a rule or a CWE: what it finds, the CWE with its pillar path, description and mitigations',
    )
    .argument('<id>', 'a rule id such as python/sql-injection, or a CWE id such as CWE-78')
    .action((id: string) => {
      io.stdout(explain(id));
      setExit(EXIT_OK);
    });

  registerRules(program, io, setExit);
  registerInit(program, io, setExit);
  registerAuditCommand(program, io, setExit);
  registerDiff(program, io, setExit);
  registerBaseline(program, io, setExit);
  registerPublish(program, io, setExit);
  return program;
}

/** Printed after a usage error instead of the whole help. */
const HELP_HINT = "(run 'secreview --help', or 'secreview COMMAND --help', for usage)";

/** Closest known command within two edits, for "did you mean". */
function nearest(word: string, names: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(
          d[i - 1][j] + 1,
          d[i][j - 1] + 1,
          d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
    return d[a.length][b.length];
  };
  return names.find((n) => distance(word, n) <= 2);
}

/**
 * `review` is the default command, so `secreview rule` would review a path "rule". A first word
 * that is no command and no existing file, but looks like a command name, is reported as an
 * unknown command instead.
 */
function unknownCommand(argv: readonly string[], program: Command, cwd: string): string | undefined {
  const first = argv[0];
  if (first === undefined || !/^[a-z][a-z-]*$/.test(first)) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || existsSync(resolve(cwd, first))) return undefined;
  const guess = nearest(first, names);
  return `unknown command '${first}'${guess ? `; did you mean '${guess}'?` : ''} (to review a path, it must exist)`;
}

/** Runs the CLI and returns its exit code; a usage, config or internal error ends here, as exit code 2. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  const unknown = unknownCommand(argv, program, io.cwd);
  if (unknown) {
    io.stderr(`secreview: error: ${terminalSafeBlock(unknown)}\n${HELP_HINT}\n`);
    return EXIT_ERROR;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`secreview: error: ${terminalSafeBlock(e.message)}\n`);
      return EXIT_ERROR;
    }
    io.stderr(
      `secreview: internal error: ${terminalSafeBlock(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`,
    );
    return EXIT_ERROR;
  }
}
