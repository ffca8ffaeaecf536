import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/registry.js';
import { cleanup, runCli, runMain, tempTree } from './run.js';

afterAll(cleanup);

const root = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('secreview --version and --help', () => {
  it('prints the package version', async () => {
    const dir = await tempTree();
    expect(await runCli(['--version'], dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await runCli(['-V'], dir)).stdout).toBe(`${version}\n`);
  });

  it('lists the commands', async () => {
    const dir = await tempTree();
    const run = await runCli(['--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: secreview \[options\] \[command\]\n/);
    const commands = run.stdout
      .split('Commands:\n')[1]
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(' ')[0]);
    expect(commands).toEqual(expect.arrayContaining(['review', 'explain', 'rules', 'help']));
  });

  it('lists the options of review, with the formats and fail-on choices', async () => {
    const run = await runMain(['review', '--help'], root);
    expect(run.code).toBe(0);
    for (const flag of [
      '--format',
      '--output',
      '--fail-on',
      '--min-confidence',
      '--max-file-size',
      '--config',
      '--exclude',
      '--quiet',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    const flat = run.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /--format <format> output format \(choices: "text", "json", "sarif", "markdown"[^)]*default: "text"\)/,
    );
    expect(flat).toMatch(
      /--fail-on <severity> [^(]*\([^)]*\) \(choices: "critical", "high", "medium", "low", "never"\)/,
    );
  });

  it('exits 2 on an unknown option or command', async () => {
    const dir = await tempTree();
    const run = await runCli(['--no-such-option'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--no-such-option'");
  });
});

describe('secreview explain', () => {
  it('prints the name, pillar path, description, mitigations and detecting rules of CWE-78', async () => {
    const run = await runCli(['explain', 'CWE-78'], root);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
      '  Abstraction: Base. Status: Stable.',
      "  Pillar path (View 1000, primary ChildOf): CWE-78 Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection') -> " +
        "CWE-77 Improper Neutralization of Special Elements used in a Command ('Command Injection') -> " +
        "CWE-74 Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection') -> " +
        'CWE-707 Improper Neutralization',
      '  Pillar: CWE-707 Improper Neutralization',
    ]);
    expect(lines).toContain('Description:');
    expect(run.stdout).toContain(
      '  The product constructs all or part of an OS command using externally-influenced input',
    );
    expect(lines).toContain('Mitigations:');
    expect(lines.filter((l) => /^ {2}\d+\. /.test(l)).length).toBeGreaterThan(3);
    const detecting = run.stdout.split('secreview rules that detect it:\n')[1];
    expect(detecting).toContain('  python/os-command-injection: ');
  });

  it('keeps the numbered and bulleted lists of the catalog text, continuation lines under the item text', async () => {
    const lines = (await runMain(['explain', 'CWE-79'], root)).stdout.split('\n');
    const at = lines.indexOf('  Cross-site scripting (XSS) vulnerabilities occur when:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  1. Untrusted data enters a web application, typically from a web request.',
      '  2. The web application dynamically generates a web page that contains this untrusted data.',
    ]);
    const type1 = lines.findIndex((l) => l.startsWith('  - Type 1: Reflected XSS (or Non-Persistent)'));
    expect(type1).toBeGreaterThan(at);
    expect(lines[type1 + 1]).toMatch(/^ {4}\S/);
    expect(lines.filter((l) => /^ {2}- Type [012]: /.test(l))).toHaveLength(3);
    expect(
      Math.max(...lines.filter((l) => !l.includes('Pillar path')).map((l) => l.length)),
    ).toBeLessThanOrEqual(100);
  });

  it('explains a rule: what it finds, its defaults and fix, then its CWE', async () => {
    const run = await runMain(['explain', 'python/sql-injection'], root);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'python/sql-injection: SQL statement built from non-constant data',
      '  A security defect; default severity high, confidence medium.',
    ]);
    expect(lines).toContain('Fix:');
    expect(lines).toContain(
      "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    );
    expect(lines.indexOf('Fix:')).toBeLessThan(lines.findIndex((l) => l.startsWith('CWE-89: ')));
  });

  it.each(['78', 'cwe-78', 'CWE78'])('accepts %s for CWE-78', async (arg) => {
    const run = await runMain(['explain', arg], root);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    );
  });

  it('exits 2 for an id that is not in the catalog', async () => {
    expect(await runCli(['explain', 'CWE-99999'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'secreview: error: CWE-99999 is not a weakness in the CWE catalog\n',
    });
  });

  it('exits 2 for something that is not a CWE id', async () => {
    expect(await runMain(['explain', 'OWASP-A1'], root)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'secreview: error: not a CWE id or rule id: OWASP-A1 (expected e.g. CWE-78 or python/sql-injection)\n',
    });
  });
});

describe('secreview rules', () => {
  it('lists every registered rule with its kind, CWE, severity, confidence and title, defects first', async () => {
    const run = await runCli(['rules'], root);
    expect(run.code).toBe(0);
    const [header, ...lines] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^RULE +KIND +CWE +SEVERITY +CONFIDENCE +TITLE$/);
    expect(lines).toHaveLength(allRules().length);
    const cells = lines.map((l) => l.split(/ {2,}/));
    const kinds = cells.map((c) => c[1]);
    expect(kinds.indexOf('suggestion')).toBe(allRules().filter((r) => r.kind !== 'suggestion').length);
    expect(kinds.slice(kinds.indexOf('suggestion')).every((k) => k === 'suggestion')).toBe(true);
    expect(new Set(cells.map((c) => c[0]))).toEqual(new Set(allRules().map((r) => r.id)));
    // Columns line up: every row's KIND starts where the header's does.
    const kindColumn = header.indexOf('KIND');
    expect(lines.every((l) => /^[a-z]/.test(l.slice(kindColumn)) && l[kindColumn - 1] === ' ')).toBe(true);
    expect(run.stdout).toMatch(/\npython\/os-command-injection +defect +CWE-78 +high +/);
    expect(run.stdout).toMatch(/\npython\/suggest-docstrings +suggestion +CWE-1059 +/);
    expect(run.stdout.endsWith('\n')).toBe(true);
  });

  it('lists the rules as JSON with --format json', async () => {
    const run = await runCli(['rules', '--format', 'json'], root);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; kind: string; cwe: number; cweName: string }[];
    expect(rules.map((r) => r.id)).toHaveLength(allRules().length);
    expect(rules.find((r) => r.id === 'python/os-command-injection')).toMatchObject({
      kind: 'defect',
      cwe: 78,
      cweName: 'OS Command Injection',
      severity: 'high',
    });
  });
});
