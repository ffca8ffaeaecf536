import { describe, expect, it } from 'vitest';
import { escapeHtml, formatHtml } from '../../src/reporters/html.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const OS = INPUT.findings.find((f) => f.ruleId === 'python/os-command-injection')!;

describe('html reporter', () => {
  it('is one self-contained page: inline style and script, a CSP that forbids any fetch', () => {
    const page = formatHtml(INPUT);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    );
    expect(page).not.toMatch(/<link|\ssrc=|@import|url\(/);
    expect(page.endsWith('</html>\n')).toBe(true);
  });

  it('gives the verdict, counts by severity, CWE and file, and every defect with code, flow and fix', () => {
    const page = formatHtml(INPUT);
    expect(page).toContain('<p class="verdict bad" id="verdict">3 security defects detected.</p>');
    expect(page).toContain(
      '<a href="https://cwe.mitre.org/data/definitions/78.html" rel="noreferrer">CWE-78 OS Command Injection</a>',
    );
    expect(page).toContain('<tr><td>app/views.py</td><td>2</td></tr>');
    // Active defects, plus the suppressed one (hidden until the filter asks for it).
    expect(page.match(/<article class="finding /g)).toHaveLength(4);
    expect(page).toContain('data-suppressed="true"');
    expect(page).toContain('<button type="button" data-line="12">line 12</button>: `host` comes from');
    expect(page).toContain('<p class="fix"><b>Fix:</b> Pass an argument list with shell=False.</p>');
    expect(page).toContain('<section id="suggestions">');
    expect(page).toContain('<code>assets/logo.py</code>: skipped, binary file (contains NUL bytes)');
  });

  it('escapes everything from the repository: code with markup is shown as text', () => {
    const evil = {
      ...OS,
      snippet: '</pre><script>alert(1)</script><img src=x onerror=alert(2)>',
      message: '`x` "quoted" & <b>',
      location: { ...OS.location, file: 'a"><script>.py' },
    };
    const page = formatHtml({ ...INPUT, findings: [evil] });
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;/pre&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page).toContain('data-file="a&#34;&#62;&#60;script&#62;.py"');
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(escapeHtml(`<&>"'`)).toBe('&#60;&#38;&#62;&#34;&#39;');
  });

  it('says the verdict for a clean review and when nothing was reviewed', () => {
    expect(formatHtml(CLEAN_INPUT)).toContain(
      'id="verdict">No security defects are detected in the code.</p>',
    );
    expect(formatHtml(NOTHING_REVIEWED_INPUT)).toContain(
      'id="verdict">No files were reviewed, so no verdict can be given.</p>',
    );
  });
});
