import { describe, expect, it } from 'vitest';
import { polarityOf } from '../../src/dataflow/verdicts.js';
import { checkPolarity } from '../../src/lang/javascript/dataflow/verdicts.js';
import { checkPolarity as pythonPolarity } from '../../src/lang/python/dataflow/verdicts.js';
import { parseSource } from '../../src/lang/registry.js';

/** The polarity of each function declared at the top of a module, by name. */
async function polarities(text: string, language = 'javascript'): Promise<Record<string, string>> {
  const file = await parseSource(language === 'python' ? 'checks.py' : 'checks.ts', text, language);
  expect(file.syntaxErrorLines()).toEqual([]);
  const out: Record<string, string> = {};
  for (const def of file.tree.rootNode.namedChildren) {
    if (def.type !== 'function_declaration' && def.type !== 'function_definition') continue;
    const polarity = language === 'python' ? pythonPolarity(def) : checkPolarity(def);
    out[def.childForFieldName('name')!.text] = polarity ?? 'unknown';
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

  it('reads a Python function by its returns (an empty container is falsy)', async () => {
    expect(
      await polarities(
        [
          'def verdict(x):',
          '    return x in ALLOWED',
          'def message(x):',
          '    if len(x) > 9:',
          '        return f"too long: {x}"',
          'def raised(x):',
          '    if ".." in x:',
          '        return ValueError("bad")',
          '    return []',
          'def always(x):',
          '    return {"errors": []}',
          'def mixed(x):',
          '    if x:',
          '        return True',
          '    return "bad"',
          'def passes(x):',
          '    return x',
          '',
        ].join('\n'),
        'python',
      ),
    ).toEqual({
      verdict: 'pass',
      message: 'error',
      raised: 'error',
      always: 'none',
      mixed: 'none',
      passes: 'unknown',
    });
  });
});
