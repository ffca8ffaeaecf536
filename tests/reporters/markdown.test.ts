import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { formatMarkdown } from '../../src/reporters/markdown.js';
import { expectGolden } from '../helpers/golden.js';
import { CLEAN_INPUT, INPUT, NOTHING_REVIEWED_INPUT } from './input.js';

const golden = (name: string): string => join(import.meta.dirname, 'golden', name);

describe('markdown reporter', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.md'), formatMarkdown(INPUT));
  });

  it('gives the verdict sentence on its own line for a clean review', () => {
    expectGolden(golden('clean.md'), formatMarkdown(CLEAN_INPUT));
    expect(formatMarkdown(CLEAN_INPUT).split('\n')).toContain(NO_DEFECTS_SENTENCE);
  });

  it('does not give the verdict when every file was skipped', () => {
    expect(formatMarkdown(NOTHING_REVIEWED_INPUT)).not.toContain(NO_DEFECTS_SENTENCE);
    expect(formatMarkdown(NOTHING_REVIEWED_INPUT)).toContain(
      'No files were reviewed, so no verdict can be given.',
    );
  });

  it('names the lines with syntax errors', () => {
    expect(formatMarkdown(INPUT)).toContain(
      '### Partly reviewed files\n\n- `lib/crypto.py`: syntax errors at lines 7, 9; the rest of the file was reviewed\n',
    );
  });

  it('fences a snippet that itself holds a code fence with a longer fence', () => {
    const finding = { ...INPUT.findings[1], snippet: 'doc = """\n```\n"""' };
    const md = formatMarkdown({ ...INPUT, findings: [finding], notices: [] });
    expect(md).toContain('   ````python\n   doc = """\n   ```\n   """\n   ````');
  });
});
