import type { Command } from 'commander';
import { terminalSafe, terminalSafeBlock } from '../core/escape.js';
import { summaryLine, REPORTERS } from '../reporters/index.js';
import { gerritReview } from '../reporters/gerrit.js';
import { githubReview } from '../reporters/github.js';
import { resolveGerritTarget, publishGerritReview } from '../publishers/gerrit.js';
import { resolveGithubTarget, publishGithubReview } from '../publishers/github.js';
import { PublishError } from '../publishers/http.js';
import {
  addChangeOptions,
  changeExitCode,
  emitReport,
  runChangeReview,
  type ChangeRun,
  type DiffFlags,
} from './diff.js';
import type { CliIO } from './io.js';
import { EXIT_ERROR } from './exit.js';
import { positiveInt } from './options.js';

interface GithubFlags extends DiffFlags {
  repo?: string;
  pr?: number;
  apiUrl?: string;
  timeout?: number;
}

interface GerritFlags extends DiffFlags {
  url?: string;
  change?: string;
  revision?: string;
  timeout?: number;
}

/**
 * Prints (or writes) the review first, then posts it: a failed post exits 2 with the reason, and
 * the review is still there for the log or an artifact.
 */
async function publishAfterReport(
  run: ChangeRun,
  flags: DiffFlags,
  io: CliIO,
  post: () => Promise<string>,
): Promise<number> {
  await emitReport(REPORTERS[flags.format](run.input), flags, io);
  if (!flags.quiet) io.stderr(`secreview: ${summaryLine(run.input)}\n`);
  try {
    const where = await post();
    io.stderr(`secreview: posted the review: ${terminalSafe(where)}\n`);
  } catch (e) {
    if (!(e instanceof PublishError)) throw e;
    io.stderr(`secreview: error: the review was not posted: ${terminalSafeBlock(e.message)}\n`);
    return EXIT_ERROR;
  }
  return changeExitCode(run, io);
}

export function registerPublish(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const publish = program
    .command('publish')
    .description('review a change (as `secreview diff` does) and post the review to GitHub or Gerrit');

  const github = publish
    .command('github')
    .description(
      'post a pull-request review with GITHUB_TOKEN; repository and PR number from --repo/--pr or the ' +
        'GitHub Actions environment (GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL)',
    );
  addChangeOptions(github, 'github')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--pr <number>', 'pull request number (default: from GITHUB_EVENT_PATH)', positiveInt)
    .option(
      '--api-url <url>',
      'REST API root (default: GITHUB_API_URL, github.api-url in the user config, or https://api.github.com)',
    )
    .option('--timeout <seconds>', 'give up on GitHub after this long (default 30)', positiveInt)
    .action(async (base: string | undefined, flags: GithubFlags) => {
      const run = await runChangeReview(base, flags, io);
      const cfg = run.loaded.config.github ?? {};
      // The target is resolved before printing so the printed payload carries the event's head commit.
      let target: Awaited<ReturnType<typeof resolveGithubTarget>> | undefined;
      let targetError: unknown;
      try {
        target = await resolveGithubTarget(
          {
            repo: flags.repo,
            pr: flags.pr,
            // The user config's api-url only after the flag and GITHUB_API_URL (see config/trust.ts).
            apiUrl: flags.apiUrl ?? io.env.GITHUB_API_URL ?? cfg['api-url'],
            timeoutMs: (flags.timeout ?? cfg.timeout ?? 30) * 1000,
          },
          io.env,
        );
      } catch (e) {
        targetError = e;
      }
      if (target?.headSha && run.input.change && !run.input.change.headCommit) {
        run.input = { ...run.input, change: { ...run.input.change, headCommit: target.headSha } };
      }
      setExit(
        await publishAfterReport(run, flags, io, async () => {
          if (!target) throw targetError;
          return publishGithubReview(target, githubReview(run.input));
        }),
      );
    });

  const gerrit = publish
    .command('gerrit')
    .description(
      'post a ReviewInput (message, line comments, label vote) to Gerrit with GERRIT_USERNAME and ' +
        'GERRIT_PASSWORD (HTTP password); change and revision from --change/--revision or ' +
        'GERRIT_CHANGE_NUMBER and GERRIT_PATCHSET_REVISION',
    );
  addChangeOptions(gerrit, 'gerrit')
    .option('--url <url>', 'Gerrit server (default: GERRIT_URL, or gerrit.url in the user config)')
    .option('--change <id>', 'change number or id (default: GERRIT_CHANGE_NUMBER)')
    .option('--revision <rev>', "patch set revision (default: GERRIT_PATCHSET_REVISION or 'current')")
    .option('--timeout <seconds>', 'give up on Gerrit after this long (default 30)', positiveInt)
    .action(async (base: string | undefined, flags: GerritFlags) => {
      const run = await runChangeReview(base, flags, io);
      const cfg = run.loaded.config.gerrit ?? {};
      setExit(
        await publishAfterReport(run, flags, io, () => {
          const target = resolveGerritTarget(
            {
              url: flags.url ?? io.env.GERRIT_URL ?? cfg.url,
              change: flags.change,
              revision: flags.revision,
              timeoutMs: (flags.timeout ?? cfg.timeout ?? 30) * 1000,
            },
            io.env,
          );
          return publishGerritReview(target, gerritReview(run.input));
        }),
      );
    });
}
