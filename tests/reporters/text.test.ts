import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { formatText } from '../../src/reporters/text.js';
import { expectGolden } from '../helpers/golden.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const OS = INPUT.findings.find((f) => f.ruleId === 'python/os-command-injection')!;

/** ESC, and the colour codes it starts: what must never come from the repository's text. */
// eslint-disable-next-line no-control-regex -- the escape character is what is checked
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex -- the escape character is what is checked
const RAW = /\u001b|[\uE000-\uE0FF]/;

const golden = (name: string): string => join(import.meta.dirname, 'golden', name);

describe('text reporter', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.txt'), formatText(INPUT));
  });

  it('names the file of a flow step in another file (the sink inside a project wrapper)', () => {
    const wrapped = {
      ...OS,
      flow: [
        ...OS.flow!.slice(0, 2),
        {
          location: { ...OS.location, file: 'app/shell.py', start: { line: 7, column: 5 } },
          note: 'reaches `subprocess.run`',
        },
      ],
    };
    const text = formatText({ ...INPUT, findings: [wrapped] });
    expect(text).toContain('      line 13 `cmd` is built from `host`\n');
    expect(text).toContain('      app/shell.py:7 reaches `subprocess.run`\n');
  });

  it('prints exactly the verdict sentence for a clean review', () => {
    expect(formatText(CLEAN_INPUT)).toBe(`${NO_DEFECTS_SENTENCE}\n`);
  });

  it('does not give the verdict when every file was skipped', () => {
    expectGolden(golden('nothing-reviewed.txt'), formatText(NOTHING_REVIEWED_INPUT));
    expect(formatText(NOTHING_REVIEWED_INPUT)).not.toContain(NO_DEFECTS_SENTENCE);
  });

  it('opens each defect with its lines, severity, CWE id and short name, and rule', () => {
    const text = formatText(INPUT);
    expect(text).toContain('\n  14  high  CWE-78 OS Command Injection  python/os-command-injection\n');
    expect(text).toContain('\n  20-22  critical  CWE-502 Deserialization of Untrusted Data  ');
  });

  it('gives the full CWE name, pillar and fix once per rule, at the end of the file section', () => {
    const two = {
      ...INPUT,
      findings: [
        ...INPUT.findings,
        {
          ...OS,
          location: {
            ...OS.location,
            start: { line: 16, column: 1 },
            end: { line: 16, column: 9 },
          },
        },
      ],
    };
    const text = formatText(two);
    const heading =
      "CWE-78 Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection') [pillar CWE-707 Improper Neutralization]";
    expect(text.split(heading).length - 1).toBe(1);
    expect(text.split('fix: Pass an argument list with shell=False.').length - 1).toBe(1);
    expect(text.indexOf(heading)).toBeGreaterThan(text.indexOf('\n  16  high'));
    expect(text.indexOf(heading)).toBeLessThan(text.indexOf('lib/crypto.py'));
  });

  it('with verbose, puts the full CWE heading and the fix under every finding', () => {
    expectGolden(golden('report-verbose.txt'), formatText({ ...INPUT, display: { verbose: true } }));
    const text = formatText({ ...INPUT, display: { verbose: true } });
    expect(text).toContain(
      '    confidence high: matched in the code as written\n' +
        '    CWE-327 Use of a Broken or Risky Cryptographic Algorithm [pillar CWE-693 Protection Mechanism Failure]\n' +
        '    fix: Use AES-GCM or ChaCha20-Poly1305.\n',
    );
  });

  it('colours only when asked, and code from the repository cannot inject escapes either way', () => {
    const evil = { ...OS, snippet: 'x = "\u001b[2J\uE000\uE002red\uE0FF"' };
    const input = { ...INPUT, findings: [evil] };
    const plain = formatText(input);
    expect(plain).not.toMatch(RAW);
    expect(plain).toContain('x = "\\x1b[2J\\ue000\\ue002red\\ue0ff"');
    const coloured = formatText({ ...input, display: { color: true } });
    expect(coloured).toContain('\u001b[31mhigh\u001b[0m');
    expect(coloured).toContain('x = "\\x1b[2J\\ue000\\ue002red\\ue0ff"');
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('cuts long code lines with an ellipsis and says how many lines of a long span it left out', () => {
    const long = {
      ...OS,
      snippet: ['a = ' + 'x'.repeat(200), 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n'),
      location: {
        ...OS.location,
        start: { line: 61, column: 1 },
        end: { line: 68, column: 2 },
      },
    };
    const text = formatText({ ...INPUT, findings: [long] });
    expect(text).toContain('\n  61-68  high  ');
    expect(text).toContain(`61 | a = ${'x'.repeat(115)}…\n`);
    expect(text).toContain('65 | e\n       | … 3 more lines (66-68)\n');
  });

  it('separates files with a blank line in the suggestions too, and ends with a newline', () => {
    const other = {
      ...INPUT.findings.find((f) => f.kind === 'suggestion')!,
      location: { ...OS.location, file: 'z.py' },
    };
    const text = formatText({ ...INPUT, findings: [...INPUT.findings, other] });
    expect(text).toContain(
      'python/broad-except\n    Catch the specific exceptions and log the rest.\n\nz.py\n',
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('leaves suppressed findings out and keeps suggestions apart from defects', () => {
    const text = formatText(INPUT);
    expect(text).not.toContain('hunter2');
    const suggestions = text.indexOf('Suggestions for improvement (not security defects):');
    expect(suggestions).toBeGreaterThan(text.indexOf('lib/crypto.py'));
    expect(text.slice(0, suggestions)).not.toContain('broad-except');
  });

  it('gives the verdict sentence, then suggestions and notes, when only suggestions are active', () => {
    const input = {
      ...INPUT,
      findings: INPUT.findings.filter((f) => f.kind === 'suggestion' || f.suppressed),
    };
    expectGolden(golden('suggestions-only.txt'), formatText(input));
    expect(formatText(input).split('\n')[0]).toBe(NO_DEFECTS_SENTENCE);
  });
});
