import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { cleanup, runMain, tempTree } from './run.js';

afterAll(cleanup);

/** A module whose only findings are hygiene: a program by bare name, a request without timeout. */
const ARCHIVER = `"""Compress a day's export and announce it."""

import subprocess

import requests


def compress(path: str) -> None:
    """Compress the export in place."""
    subprocess.run(["gzip", "-9", path], check=True)


def announce(url: str) -> None:
    """Tell the catalogue the export is ready."""
    requests.post(url, json={"ready": True})
`;

interface JsonFinding {
  ruleId: string;
  kind: string;
  location: { start: { line: number } };
}

async function review(config?: string): Promise<{ stdout: string; kinds: string[] }> {
  const files: Record<string, string> = { 'archiver.py': ARCHIVER };
  if (config !== undefined) files['.secreview.yml'] = config;
  const dir = await tempTree(files);
  const text = await runMain(['archiver.py', '-q', '--no-cache'], dir);
  const json = await runMain(['archiver.py', '-q', '--no-cache', '-f', 'json'], dir);
  const findings = (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings;
  const kinds = findings
    .filter(
      (f) => f.ruleId === 'python/subprocess-partial-path' || f.ruleId === 'python/request-without-timeout',
    )
    .map((f) => `${f.ruleId}:${f.location.start.line}:${f.kind}`);
  return { stdout: text.stdout, kinds };
}

describe('hygiene checks', () => {
  it('are suggestions by default: a module with only them has no security defects', async () => {
    const { stdout, kinds } = await review();
    expect(stdout.startsWith(`${NO_DEFECTS_SENTENCE}\n`)).toBe(true);
    expect(stdout).toContain('python/subprocess-partial-path');
    expect(kinds).toEqual([
      'python/subprocess-partial-path:10:suggestion',
      'python/request-without-timeout:15:suggestion',
    ]);
  });

  it('are defects with hygiene-as-defects: true', async () => {
    const { stdout, kinds } = await review('hygiene-as-defects: true\n');
    expect(stdout).not.toContain(NO_DEFECTS_SENTENCE);
    expect(kinds).toEqual([
      'python/subprocess-partial-path:10:defect',
      'python/request-without-timeout:15:defect',
    ]);
  });

  it('are not cut by the per-file limit of the suggestion checks', async () => {
    const { kinds } = await review('suggestions:\n  max-per-file: 1\n');
    expect(kinds).toEqual([
      'python/subprocess-partial-path:10:suggestion',
      'python/request-without-timeout:15:suggestion',
    ]);
  });

  it.each([
    ['--no-suggestions', [], ['--no-suggestions']],
    ['suggestions.enabled: false', { '.secreview.yml': 'suggestions:\n  enabled: false\n' }, []],
  ] as const)('are left out with the other suggestions under %s', async (_, extra, flags) => {
    const dir = await tempTree({
      'archiver.py': ARCHIVER,
      'with-suggestions.yml': 'suggestions:\n  enabled: true\n',
      ...extra,
    });
    const run = await runMain(['archiver.py', '-q', '--no-cache', ...flags], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${NO_DEFECTS_SENTENCE}\n`);
    // The same file as a change: a repository whose first commit holds the settings only.
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
    git('init', '-q');
    git('add', '*.yml', ...Object.keys(extra));
    git('commit', '-q', '-m', 'settings');
    git('add', 'archiver.py');
    const change = await runMain(['diff', '-q', '-c', 'with-suggestions.yml'], dir);
    expect(change.stdout).toContain('python/subprocess-partial-path');
    const diff = await runMain(['diff', '-q', ...flags], dir);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toBe(`${NO_DEFECTS_SENTENCE}\n`);
  });

  it('rejects a non-boolean switch', async () => {
    const dir = await tempTree({
      'archiver.py': ARCHIVER,
      '.secreview.yml': 'hygiene-as-defects: yes please\n',
    });
    const run = await runMain(['archiver.py', '-q', '--no-cache'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hygiene-as-defects');
  });
});
