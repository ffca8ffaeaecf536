import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { parseSource } from '../../src/lang/registry.js';
import { probeRule } from '../helpers/probe-rule.js';

/** Where `os.system(cmd)` is reported when the text before it on its line is `prefix`. */
async function reported(prefix: string): Promise<{ start: unknown; end: unknown }> {
  const text = `import os\n\n${prefix}os.system(cmd)\n`;
  const { findings } = await analyzeSource('cols.py', text, 'python', [probeRule('os.system')]);
  expect(findings).toHaveLength(1);
  return { start: findings[0].location.start, end: findings[0].location.end };
}

describe('locations: 1-based lines, 1-based UTF-16 columns', () => {
  it('counts an ASCII prefix one column per character', async () => {
    // "x = 'ab'; " is 10 characters, so the call starts at column 11 and ends (exclusive) 14 later.
    expect(await reported("x = 'ab'; ")).toEqual({
      start: { line: 3, column: 11 },
      end: { line: 3, column: 25 },
    });
  });

  it('counts é as one column although it is two bytes in UTF-8', async () => {
    expect(await reported("x = 'éé'; ")).toEqual({
      start: { line: 3, column: 11 },
      end: { line: 3, column: 25 },
    });
  });

  it('counts CJK characters (three UTF-8 bytes) as one column each', async () => {
    expect(await reported("x = '中文'; ")).toEqual({
      start: { line: 3, column: 11 },
      end: { line: 3, column: 25 },
    });
  });

  it('counts an emoji (four UTF-8 bytes, a surrogate pair) as two columns', async () => {
    expect(await reported("x = '😀'; ")).toEqual({
      start: { line: 3, column: 11 },
      end: { line: 3, column: 25 },
    });
    expect(await reported("x = '😀😀'; ")).toEqual({
      start: { line: 3, column: 13 },
      end: { line: 3, column: 27 },
    });
  });

  it('agrees with JavaScript string indexing on a line mixing all of them', async () => {
    const prefix = "s = 'é😀中🇫🇷'; t = '\\u00e9'; ";
    const at = await reported(prefix);
    expect(at.start).toEqual({ line: 3, column: prefix.length + 1 });
    expect(at.end).toEqual({ line: 3, column: prefix.length + 'os.system(cmd)'.length + 1 });
  });

  it('counts non-ASCII text on earlier lines only in line numbers', async () => {
    const text = 'import os\n# ünïcödé 😀 中文\nx = "😀"\nos.system(cmd)\n';
    const { findings } = await analyzeSource('cols.py', text, 'python', [probeRule('os.system')]);
    expect(findings.map((f) => f.location)).toEqual([
      { file: 'cols.py', start: { line: 4, column: 1 }, end: { line: 4, column: 15 } },
    ]);
  });

  it('keeps lines and columns right with CRLF line endings', async () => {
    const text = 'import os\r\n\r\nx = "é"; os.system(cmd)\r\n';
    const { findings } = await analyzeSource('crlf.py', text, 'python', [probeRule('os.system')]);
    expect(findings.map((f) => [f.location.start, f.location.end, f.snippet])).toEqual([
      [{ line: 3, column: 10 }, { line: 3, column: 24 }, 'x = "é"; os.system(cmd)'],
    ]);
  });

  it('gives a multi-line node its first and last line, the end column exclusive', async () => {
    const file = await parseSource('m.py', 'f(\n  "é",\n  x)\n', 'python');
    const call = file.tree.rootNode.descendantsOfType('call')[0]!;
    expect(file.location(call)).toEqual({
      file: 'm.py',
      start: { line: 1, column: 1 },
      end: { line: 3, column: 5 },
    });
    file.tree.delete();
  });
});
