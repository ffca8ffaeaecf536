/** The CLI's only window on the world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress bars). */
  isTTY?: boolean;
  /** Whether stdout is a terminal (colour in the text report). */
  stdoutIsTTY?: boolean;
  /** Reads all of standard input (`--patch -`); process.stdin when absent. */
  stdin?: () => Promise<string>;
}

export class UsageError extends Error {}
