import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** A real git repository in a temporary directory, driven with the git CLI. */
export class TempRepo {
  readonly dir: string;

  constructor(init = true) {
    this.dir = realpathSync(mkdtempSync(join(tmpdir(), 'secreview-test-')));
    if (init) this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync(
      'git',
      ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args],
      {
        cwd: this.dir,
        env: GIT_ENV,
        encoding: 'utf8',
      },
    );
  }

  write(path: string, content: string | Buffer): this {
    const abs = join(this.dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return this;
  }

  /**
   * Writes the user's own config (the one outside the repository that may set endpoints, votes
   * and the LLM layer), in a folder beside the repository that `run` gives as XDG_CONFIG_HOME.
   */
  userConfig(content: string): this {
    const abs = join(userConfigHome(this.dir), 'secreview', 'config.yml');
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return this;
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(userConfigHome(this.dir), { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The XDG_CONFIG_HOME of runs in `dir`: beside it, so never the developer's own config. */
export function userConfigHome(dir: string): string {
  return `${dir}.user`;
}

/** Runs the real CLI in-process with its own stdout/stderr. */
export async function run(cwd: string, argv: string[], extra: Partial<CliIO> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    ...extra,
    env: { XDG_CONFIG_HOME: userConfigHome(cwd), ...extra.env },
  });
  return { code, stdout, stderr };
}

interface JsonFinding {
  ruleId: string;
  location: { file: string; start: { line: number } };
  suppressed: { kind: string; justification?: string } | null;
}

/** "file:line rule" for each finding of a JSON report, suppressed ones marked. */
export function findingsOf(jsonReport: string): string[] {
  const report = JSON.parse(jsonReport) as { findings: JsonFinding[] };
  return report.findings.map(
    (f) =>
      `${f.location.file}:${f.location.start.line} ${f.ruleId}${f.suppressed ? ` (suppressed: ${f.suppressed.kind})` : ''}`,
  );
}

export const CMD = 'python/os-command-injection';

/** A config running only the command-injection rule, so rules added later do not change expectations. */
export const ONLY_CMD = `rules:\n  enable: [${CMD}]\n`;
