import type { Command, Help } from 'commander';

/**
 * `--help` with the options in groups, by what a reader looks for: how the report looks, what is
 * reviewed and reported, what fails a CI run, and how fast it runs. Commander lists options in one
 * block; the block it writes is regrouped here by each option's long name.
 */
const GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['Output', ['format', 'output', 'verbose', 'quiet', 'stats', 'force']],
  [
    'Selection',
    [
      'config',
      'exclude',
      'min-confidence',
      'max-file-size',
      'no-suggestions',
      'head',
      'staged',
      'patch',
      'scope',
      'show-existing',
      'llm',
      'llm-dry-run',
    ],
  ],
  [
    'CI',
    [
      'fail-on',
      'fail-on-suggestions',
      'baseline',
      'report-unused-suppressions',
      'max-comments',
      'comment-severity',
      'repo',
      'pr',
      'url',
      'change',
      'revision',
      'timeout',
    ],
  ],
  ['Performance', ['jobs', 'no-cache', 'cache-dir']],
];

function groupOf(item: string): string {
  const long = /--([a-z][a-z-]*)/.exec(item)?.[1] ?? '';
  return GROUPS.find(([, names]) => names.includes(long))?.[0] ?? 'Other';
}

/** Splits commander's "Options:" block into the groups above; other blocks are left as they are. */
export function groupOptions(text: string): string {
  const match = /^Options:\n((?: {2}.*\n)+)/m.exec(text);
  if (!match) return text;
  const items: string[] = [];
  for (const line of match[1].split('\n').slice(0, -1)) {
    if (/^ {2}-/.test(line) || items.length === 0) items.push(line);
    else items[items.length - 1] += `\n${line}`;
  }
  const byGroup = new Map<string, string[]>();
  for (const item of items) {
    const g = groupOf(item);
    byGroup.set(g, [...(byGroup.get(g) ?? []), item]);
  }
  if (byGroup.size < 2) return text;
  const order = [...GROUPS.map(([g]) => g), 'Other'].filter((g) => byGroup.has(g));
  const blocks = order.map((g) => `${g} options:\n${byGroup.get(g)!.join('\n')}\n`);
  return text.replace(match[0], blocks.join('\n'));
}

export function configureGroupedHelp(program: Command): void {
  program.configureHelp({
    formatHelp(cmd: Command, helper: Help): string {
      const base = Object.getPrototypeOf(helper) as Help;
      return groupOptions(base.formatHelp.call(helper, cmd, helper));
    },
  });
}
