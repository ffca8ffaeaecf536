import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGitignored, loadGitignores } from '../../src/engine/gitignore.js';
import { tempTrees } from '../helpers/temp-tree.js';

const tree = tempTrees('secreview-gitignore-');

/** Which of `paths` (relative to `root`) git would ignore in a walk of `root`. */
async function ignored(root: string, paths: string[]): Promise<string[]> {
  const ignores = await loadGitignores(root, ['**/.git/**']);
  return paths.filter((p) => isGitignored(p, ignores));
}

describe('gitignore matching', () => {
  it('applies each .gitignore to its own folder, with anchors, directory patterns and negation', async () => {
    const root = await tree({
      '.gitignore': '*.gen.py\nbuild-out/\n',
      'pkg/.gitignore': '/local.py\n!keep.gen.py\ncache/\n',
    });
    expect(
      await ignored(root, [
        'a.gen.py',
        'pkg/b.gen.py',
        'pkg/keep.gen.py',
        'keep.gen.py',
        'build-out/x.py',
        'pkg/build-out/y.py',
        'pkg/local.py',
        'pkg/sub/local.py',
        'local.py',
        'pkg/cache/z.py',
        'cache/z.py',
        'pkg/main.py',
      ]),
    ).toEqual([
      'a.gen.py',
      'pkg/b.gen.py',
      'keep.gen.py',
      'build-out/x.py',
      'pkg/build-out/y.py',
      'pkg/local.py',
      'pkg/cache/z.py',
    ]);
  });

  it('reads the .gitignore files of parent folders up to the git work tree, and none outside one', async () => {
    const repo = await tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'secret_*.py\n/src/gen/\n',
      'src/.gitignore': 'tmp/\n',
    });
    expect(await ignored(join(repo, 'src', 'app'), ['secret_x.py', 'tmp/a.py', 'main.py'])).toEqual([
      'secret_x.py',
      'tmp/a.py',
    ]);
    expect(await ignored(join(repo, 'src'), ['gen/a.py', 'app/gen/b.py'])).toEqual(['gen/a.py']);

    const plain = await tree({ '.gitignore': '*.py\n' });
    expect(await ignored(join(plain, 'sub'), ['a.py'])).toEqual([]);
  });
});
