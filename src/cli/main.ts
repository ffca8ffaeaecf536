import { Command, CommanderError } from 'commander';
import { terminalSafeBlock } from '../core/escape.js';
import { ConfigError } from '../config/load.js';
import { allRules } from '../rules/registry.js';
import { registerAuditCommand } from './audit.js';
import { registerBaseline } from './baseline.js';
import { registerDiff } from './diff.js';
import { EXIT_ERROR, EXIT_OK } from './exit.js';
import { explainCwe } from './explain.js';
import { UsageError, type CliIO } from './io.js';
import { registerPublish } from './publish.js';
import { registerReview } from './review.js';
import { toolVersion } from './version.js';

/** The program: each command comes from its own module; this one only wires them together. */
function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('secreview')
    .description('A security code reviewer: CWE-grounded findings with exact lines, evidence and fixes.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  registerReview(program, io, setExit);

  program
    .command('explain')
    .description('explain a CWE: name, pillar path, description, mitigations and the rules that detect it')
    .argument('<cwe>', 'a CWE id such as CWE-78')
    .action((cwe: string) => {
      io.stdout(explainCwe(cwe));
      setExit(EXIT_OK);
    });

  program
    .command('rules')
    .description(
      'list the rules (security defects, then improvement suggestions) with their CWE, severity and confidence',
    )
    .action(() => {
      // Tab-separated: id, kind (defect or suggestion), CWE, severity, confidence, title.
      const rules = allRules();
      for (const r of [
        ...rules.filter((x) => x.kind !== 'suggestion'),
        ...rules.filter((x) => x.kind === 'suggestion'),
      ]) {
        io.stdout(
          `${r.id}\t${r.kind ?? 'defect'}\tCWE-${r.cwe}\t${r.severity}\t${r.confidence}\t${r.title}\n`,
        );
      }
      setExit(EXIT_OK);
    });
  registerAuditCommand(program, io, setExit);
  registerDiff(program, io, setExit);
  registerBaseline(program, io, setExit);
  registerPublish(program, io, setExit);
  return program;
}

/** Runs the CLI and returns its exit code; a usage, config or internal error ends here, as exit code 2. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
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
