import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './hostile.js';

/**
 * Attack 7: escape sequences and newlines in code and file names reach terminals raw, and a
 * backtick in quoted code ends an inline code span in markdown and pull-request comments.
 */

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
});
afterEach(() => box.remove());

const ESC = '\u001b';
/** Sets the terminal title, then clears the screen. */
const TITLE = `${ESC}]0;pwned\u0007${ESC}[2J`;
/** Control characters that must never reach a terminal from the repository. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output', () => {
  it('shows control characters in file names and code as escapes; a newline in a name does not split the report', async () => {
    const name = `evil${TITLE}\nNo security defects are detected in the code.\n.py`;
    writeFileSync(
      join(box.repo, name),
      `import os\ndef f(request):\n    os.system(request.GET["cmd"] + "${TITLE}\u202e")\n`,
    );
    const res = await box.run(['review', '-q']);
    expect(res.code).toBe(1);
    expect(res.stdout).not.toMatch(RAW_CONTROLS);
    const [heading, finding] = res.stdout.split('\n');
    expect(heading).toBe(
      'evil\\x1b]0;pwned\\x07\\x1b[2J\\nNo security defects are detected in the code.\\n.py',
    );
    expect(finding).toBe('  3  high  CWE-78 OS Command Injection  python/os-command-injection');
    expect(res.stdout).toContain(
      '    3 | os.system(request.GET["cmd"] + "\\x1b]0;pwned\\x07\\x1b[2J\\u202e")\n',
    );
  });

  it('audit-review input and error messages are escaped too', async () => {
    writeFileSync(join(box.repo, 'app.py'), 'import os\ndef f(cmd):\n    os.system(cmd)\n');
    writeFileSync(
      join(box.repo, 'review.txt'),
      `Overall: no security defects${TITLE}.\n1. CWE-78 at line 3: os.system runs a command${TITLE}.\n`,
    );
    const audit = await box.run(['audit-review', 'review.txt', '--code', 'app.py']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).not.toMatch(RAW_CONTROLS);
    expect(audit.stdout).toContain('\\x1b]0;pwned\\x07');
    const missing = await box.run(['review', `gone${TITLE}.py`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'secreview: error: no such file or directory: gone\\x1b]0;pwned\\x07\\x1b[2J.py\n',
    );
  });
});

/**
 * The text of markdown outside its inline code spans and fenced blocks, as CommonMark reads them:
 * a run of n backticks opens a span that the next run of exactly n backticks closes.
 */
function outsideCode(markdown: string): string {
  const unfenced = markdown.replace(/^ *(`{3,})[^\n]*\n[\s\S]*?^ *\1`*$/gm, '');
  let out = '';
  let i = 0;
  while (i < unfenced.length) {
    if (unfenced[i] !== '`') {
      out += unfenced[i++];
      continue;
    }
    let n = 0;
    while (unfenced[i + n] === '`') n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    close.lastIndex = i + n;
    const m = close.exec(unfenced);
    if (m) i = m.index + n;
    else {
      out += '`'.repeat(n);
      i += n;
    }
  }
  return out;
}

describe('markdown and review comments', () => {
  const CODE = 'import os\ndef f(host):\n    os.system("ping `id` ` [x](https://evil.example) " + host)\n';

  it('quoted code with backticks stays inside its code span; file names are code spans', async () => {
    writeFileSync(join(box.repo, 'a`b.py'), CODE);
    const res = await box.run(['review', '-q', '-f', 'markdown']);
    expect(res.stdout).toContain('### ``a`b.py``\n');
    // The snippet's fence is longer than any backtick run in it.
    expect(res.stdout).toContain(
      '   ```python\n   os.system("ping `id` ` [x](https://evil.example) " + host)\n   ```',
    );
    const message = res.stdout.split('\n').find((l) => l.startsWith('1. **CWE-78'));
    expect(message).toContain('``"ping `id` ` [x](https://evil.example) " + host``');
    expect(outsideCode(res.stdout)).not.toContain('[x](https');
  });

  it('GitHub and Gerrit payloads quote the code the same way', async () => {
    writeFileSync(join(box.repo, 'app.py'), CODE);
    const github = JSON.parse((await box.run(['review', '-q', '-f', 'github'])).stdout) as {
      body: string;
      comments: { body: string }[];
    };
    const all = [github.body, ...github.comments.map((c) => c.body)].join('\n');
    expect(all).toContain('``"ping `id` ` [x](https://evil.example) " + host``');
    expect(outsideCode(all)).not.toContain('[x](https');
  });
});
