import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../cli/run.js';

/**
 * Runs of the built CLI against a hostile repository, as CI would run it: a child process with a
 * time limit and a heap limit (a config that makes secreview loop or grow fails the test instead
 * of the machine), and an environment holding secrets that must never leave it.
 */

export const SECRETS = {
  GITHUB_TOKEN: 'ghp-secret-token-that-must-not-leak',
  GERRIT_USERNAME: 'ci-bot',
  GERRIT_PASSWORD: 'gerrit-secret-password',
  SECREVIEW_LLM_API_KEY: 'sk-secret-llm-key',
};

export interface HostileRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The process was killed at the time limit. */
  timedOut: boolean;
}

/** A user's home for one test: config, cache and an "outside" folder the repository must not touch. */
export class Sandbox {
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'secreview-hostile-')));
  readonly home = join(this.root, 'home');
  readonly outside = join(this.root, 'outside');
  readonly repo = join(this.root, 'repo');

  constructor() {
    for (const d of [this.home, this.outside, this.repo]) mkdirSync(d, { recursive: true });
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_CACHE_HOME: join(this.home, '.cache'),
      NO_COLOR: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      ...extra,
    };
  }

  /** Runs `secreview ...args` in the repository; at most `timeoutMs`, at most 512 MB of heap. */
  run(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 45_000): Promise<HostileRun> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--max-old-space-size=512', CLI, ...args],
        {
          cwd: this.repo,
          env: this.env(env),
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const e = error as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
          if (e && typeof e.code !== 'number' && !e.killed) reject(e);
          else
            resolve({
              code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
              stdout,
              stderr,
              timedOut: !!e?.killed,
            });
        },
      );
    });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Every entry under `dir` with its kind and content hash (links by target): to prove nothing changed. */
export function treeState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const info = lstatSync(abs);
      if (info.isSymbolicLink()) out[r] = `link:${readlinkSync(abs)}`;
      else if (info.isDirectory()) {
        out[r] = 'dir';
        walk(abs, r);
      } else out[r] = `file:${createHash('sha256').update(readFileSync(abs)).digest('hex')}:${info.mtimeMs}`;
    }
  };
  walk(dir, '');
  return out;
}

/** A file with an OS command injection on line 3, which no hostile setting may hide. */
export const VULNERABLE = 'import os\ndef f(request):\n    os.system(request.GET["cmd"])\n';

/** `file:line rule` of the defects of a JSON report. */
export function defects(stdout: string): string[] {
  const report = JSON.parse(stdout) as {
    findings: { kind: string; ruleId: string; location: { file: string; start: { line: number } } }[];
  };
  return report.findings
    .filter((f) => f.kind === 'defect')
    .map((f) => `${f.location.file}:${f.location.start.line} ${f.ruleId}`);
}
