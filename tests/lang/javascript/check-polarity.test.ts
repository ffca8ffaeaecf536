import { describe, expect, it } from 'vitest';
import { polarityOf } from '../../../src/dataflow/verdicts.js';
import { checkPolarity } from '../../../src/lang/javascript/dataflow/verdicts.js';
import { parseSource } from '../../../src/lang/registry.js';

/** The polarity of each function declared at the top of a module, by name. */
async function polarities(text: string): Promise<Record<string, string>> {
  const file = await parseSource('checks.ts', text, 'javascript');
  expect(file.syntaxErrorLines()).toEqual([]);
  const out: Record<string, string> = {};
  for (const def of file.tree.rootNode.namedChildren) {
    if (def.type !== 'function_declaration') continue;
    out[def.childForFieldName('name')!.text] = checkPolarity(def) ?? 'unknown';
  }
  return out;
}

describe('how a check answers (dataflow/verdicts.ts)', () => {
  it('combines the kinds of its returns', () => {
    expect(polarityOf(['true', 'falsy'])).toBe('pass');
    expect(polarityOf(['test'])).toBe('pass');
    expect(polarityOf(['error', 'falsy'])).toBe('error');
    expect(polarityOf(['error'])).toBe('none');
    expect(polarityOf(['falsy'])).toBe('none');
    expect(polarityOf(['true', 'error', 'falsy'])).toBe('none');
    expect(polarityOf(['error', 'other'])).toBeUndefined();
    expect(polarityOf([])).toBeUndefined();
  });

  it('reads a JavaScript function by its returns', async () => {
    expect(
      await polarities(
        [
          'function verdict(x: string) { if (!x) return false; return /^\\w+$/.test(x); }',
          "function message(x: string) { if (x.length > 9) return 'too long'; return null; }",
          "async function thrown(x: string) { if (x.includes('..')) return new Error('bad'); }",
          'function flag(x: string) { let ok = false; if (x === "a") ok = true; return ok; }',
          'function always(x: string) { const errors: string[] = []; return { errors }; }',
          'function mixed(x: string) { if (x) return true; return `bad ${x}`; }',
          'function passes(x: string) { return x; }',
          'function onlyErrors(x: string) { if (x) { return "a"; } else { return "b"; } }',
          'const arrow = (x: string) => x.startsWith("/");',
        ].join('\n'),
      ),
    ).toEqual({
      verdict: 'pass',
      message: 'error',
      thrown: 'error',
      flag: 'pass',
      always: 'none',
      mixed: 'none',
      passes: 'unknown',
      onlyErrors: 'none',
    });
  });
});
