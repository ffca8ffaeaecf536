import { chmod } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover.js';
import { tempTrees } from '../helpers/temp-tree.js';

const tree = tempTrees('secreview-scripts-');

describe('scripts without an extension in a folder walk', () => {
  it('are found by the shebang of a registered language; other files without an extension are not', async () => {
    const root = await tree({
      'bin/deploy': '#!/usr/bin/env python3\nimport os\n',
      'bin/serve': '#!/usr/bin/node\nrequire("http");\n',
      'bin/setup': '#!/bin/sh\necho hi\n',
      'bin/empty': '',
      'bin/ignored-tool': '#!/usr/bin/env python\n',
      README: 'python\n',
      Makefile: 'all:\n\tpython x.py\n',
      'pkg/app.py': 'x = 1\n',
      'node_modules/pkg/bin/cli': '#!/usr/bin/env node\n',
      '.venv/pyvenv.cfg': 'home = /usr\n',
      '.venv/bin/pip': '#!/usr/bin/env python\n',
      '.gitignore': 'bin/ignored-tool\n',
    });
    const { files } = await discover([root], root);
    expect(files.map((f) => relative(root, f)).sort()).toEqual(['bin/deploy', 'bin/serve', 'pkg/app.py']);
  });

  it('skips a script it cannot read without failing the walk', async () => {
    const root = await tree({ 'bin/locked': '#!/usr/bin/env python3\n', 'app.py': 'x = 1\n' });
    await chmod(join(root, 'bin/locked'), 0o000);
    const { files } = await discover([root], root);
    const found = files.map((f) => relative(root, f)).sort();
    // Root reads any file: the script is then found by its shebang.
    expect(found).toEqual(process.getuid?.() === 0 ? ['app.py', 'bin/locked'] : ['app.py']);
  });

  it('looks for no scripts when the walk is for given extensions', async () => {
    const root = await tree({ 'bin/deploy': '#!/usr/bin/env python3\n', 'app.py': 'x = 1\n' });
    const { files } = await discover([root], root, { extensions: ['.py'] });
    expect(files.map((f) => relative(root, f))).toEqual(['app.py']);
  });
});
