import { describe, expect, it } from 'vitest';
import { packSources } from '../../src/engine/packed-sources.js';
import { EVERY_MODULE, ProjectTexts, ReviewSources } from '../../src/engine/project-texts.js';
import type { ProjectSource } from '../../src/engine/taint.js';

const SOURCES: ProjectSource[] = [
  { file: 'pkg/__init__.py', text: '', language: 'python', module: 'pkg' },
  {
    file: 'pkg/env.py',
    text: 'from jinja2 import Environment\nenv = Environment()\n',
    language: 'python',
    module: 'pkg.env',
  },
  { file: 'web/env.js', text: 'module.exports = {};\n', language: 'javascript', module: 'web/env' },
  { file: 'tool.py', text: 'X = "é"\n', language: 'python' },
];

describe("the review's texts as models read their neighbours", () => {
  it('finds modules by name within the file language, and records what each file looked for', () => {
    const texts = ProjectTexts.of(SOURCES);
    const modules = texts.forFile('pkg/use.py', 'python');
    expect(modules.module('pkg.env')?.text).toBe(SOURCES[1].text);
    expect(modules.module('pkg.env')?.path).toBe('pkg/env.py');
    expect(modules.module('tool')?.text).toBe('X = "é"\n'); // named from its path
    expect(modules.module('web/env')).toBeUndefined(); // another language's
    expect(modules.module('pkg.missing')).toBeUndefined();
    expect(texts.consultedBy('pkg/use.py')).toEqual(['pkg.env', 'pkg.missing', 'tool', 'web/env']);
    expect(modules.all().map((m) => m.name)).toEqual(['pkg', 'pkg.env', 'tool']);
    expect(texts.consultedBy('pkg/use.py')).toContain(EVERY_MODULE);
    expect(texts.consultedBy('pkg/other.py')).toBeUndefined();
  });

  it('reads the packed texts a thread receives, and derives a value once for every thread', () => {
    const review = new ReviewSources(SOURCES);
    const one = ReviewSources.inThread(review.shared);
    const two = ReviewSources.inThread(review.shared);
    expect(two.forFile('a.py', 'python').module('tool')?.text).toBe('X = "é"\n');
    let made = 0;
    const length = (m: { text: string }): number => {
      made++;
      return m.text.length;
    };
    const env = one.forFile('a.py', 'python').module('pkg.env')!;
    expect(one.forFile('a.py', 'python').derived('length', env, length)).toBe(SOURCES[1].text.length);
    const again = two.forFile('b.py', 'python').module('pkg.env')!;
    expect(two.forFile('b.py', 'python').derived('length', again, length)).toBe(SOURCES[1].text.length);
    expect(made).toBe(1);
    // Without shared values each view makes its own.
    const packed = packSources(SOURCES, true);
    const alone = ProjectTexts.fromPacked(packed);
    expect(alone.forFile('c.py', 'python').derived('length', env, length)).toBe(SOURCES[1].text.length);
    expect(made).toBe(2);
  });
});
