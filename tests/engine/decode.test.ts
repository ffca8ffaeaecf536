import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/engine/read.js';
import { runMain, tempTree } from '../cli/run.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decoding source files as Python does', () => {
  it('uses the PEP 263 coding declaration on line 1 or 2', () => {
    expect(decodeSource(bytes('# -*- coding: latin-1 -*-\nname = "caf', [0xe9], '"\n'))).toEqual({
      ok: true,
      text: '# -*- coding: latin-1 -*-\nname = "café"\n',
    });
    expect(
      decodeSource(
        bytes('#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\nx = "', [0xa4], '"\n'),
      ),
    ).toEqual({
      ok: true,
      text: '#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\nx = "€"\n',
    });
    // Not on line 2 when line 1 is code; then the bytes must be UTF-8.
    expect(decodeSource(bytes('x = 1\n# coding: latin-1\ny = "', [0xe9], '"\n'))).toMatchObject({
      ok: false,
      reason: 'not-utf8',
    });
  });

  it('decodes UTF-16 with a byte-order mark, little- and big-endian', () => {
    const le = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('import os\nos.system(x)\n', 'utf16le'),
    ]);
    expect(decodeSource(le)).toEqual({ ok: true, text: 'import os\nos.system(x)\n' });
    const be = Buffer.from(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a = 1\n', 'utf16le')]));
    for (let i = 2; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
    expect(decodeSource(be)).toEqual({ ok: true, text: 'a = 1\n' });
  });

  it('ends a line at a lone CR, keeping CRLF as it is', () => {
    expect(decodeSource(bytes('a = 1\rb = 2\r\nc = 3\r'))).toEqual({
      ok: true,
      text: 'a = 1\nb = 2\r\nc = 3\n',
    });
  });

  it('reports findings at the right lines in latin-1, UTF-16 and CR-only files', async () => {
    const dir = await tempTree({
      'latin.py': bytes(
        '# coding: latin-1\nimport os\ndef f(cmd):\n    s = "',
        [0xe9],
        '"\n    os.system(cmd)\n',
      ),
      'wide.py': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('import os\ndef f(cmd):\n    os.system(cmd)\n', 'utf16le'),
      ]),
      'mac.py': 'import os\rdef f(cmd):\r    os.system(cmd)\r',
    });
    const run = await runMain(['-f', 'json', '-q', '--no-cache', '--fail-on', 'never'], dir);
    const report = JSON.parse(run.stdout) as {
      findings: { kind: string; ruleId: string; location: { file: string; start: { line: number } } }[];
      files: { file: string; status: string }[];
    };
    expect(report.files.map((f) => `${f.file} ${f.status}`).sort()).toEqual([
      'latin.py reviewed',
      'mac.py reviewed',
      'wide.py reviewed',
    ]);
    const cmd = report.findings
      .filter((f) => f.ruleId === 'python/os-command-injection')
      .map((f) => `${f.location.file}:${f.location.start.line}`)
      .sort();
    expect(cmd).toEqual(['latin.py:5', 'mac.py:3', 'wide.py:3']);
  });
});
