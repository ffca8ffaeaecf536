import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';

const root = join(import.meta.dirname, '..', '..');

/** The built CLI, as installed (the bundle): `npm test` builds it before the tests run. */
export const CLI = join(root, 'dist', 'bundle', 'secreview.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only what the CLI needs from the environment, so a developer's settings cannot leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  if (process.env.SYSTEMROOT) env.SYSTEMROOT = process.env.SYSTEMROOT;
  if (process.env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = process.env.XDG_CACHE_HOME;
  // Never the developer's own user config.
  env.XDG_CONFIG_HOME = join(tmpdir(), 'secreview-tests-no-user-config');
  return env;
}

/**
 * Runs `node dist/bundle/secreview.js ...args` (the bundled CLI, what `secreview` runs) in `cwd`.
 * The timeout only turns a hang into a failure.
 */
export function runCli(args: readonly string[], cwd: string): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: cleanEnv(), timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI in this process through `main(argv, io)`. */
export async function runMain(args: readonly string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { XDG_CONFIG_HOME: join(tmpdir(), 'secreview-tests-no-user-config') },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory holding `files` (path → content); removed by `cleanup()`. */
export async function tempTree(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'secreview-cli-'));
  created.push(dir);
  await addFiles(dir, files);
  return dir;
}

export async function addFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, content);
  }
}

const created: string[] = [];

export async function cleanup(): Promise<void> {
  for (const d of created.splice(0)) await rm(d, { recursive: true, force: true });
}

/** A file the command-injection rule reports as high on line 3: a view's request parameter reaches `os.system`. */
export const VULNERABLE = 'import os\ndef f(request):\n    os.system(request.GET["cmd"])\n';
/** A file with no finding. */
export const CLEAN = 'import os\nprint(os.getcwd())\n';

/** `file:line` of every security defect (suggestions left out) in a JSON report. */
export function defectLines(report: ReturnType<typeof jsonReport>): string[] {
  return report.findings
    .filter((f) => f.kind === 'defect')
    .map((f) => `${f.location.file}:${f.location.start.line}`);
}

/** Parses `--format json` output into the parts the tests look at. */
export function jsonReport(stdout: string): {
  files: { file: string; status: string; reason?: string; detail?: string; syntaxErrorLines?: number[] }[];
  findings: { kind: string; ruleId: string; location: { file: string; start: { line: number } } }[];
  summary: Record<string, number>;
  verdict: string;
} {
  return JSON.parse(stdout) as ReturnType<typeof jsonReport>;
}
