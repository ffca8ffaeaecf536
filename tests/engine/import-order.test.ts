import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachedByImports } from '../../src/engine/import-order.js';
import { importedNames } from '../../src/lang/python/imports.js';
import { review } from '../../src/engine/review.js';
import { ReviewStats } from '../../src/engine/stats.js';
import { flaskRunApp } from '../helpers/flask.js';

describe('importedNames', () => {
  it('reads absolute, relative and aliased imports from the text', () => {
    const text = [
      'import os, sys as system',
      'import pkg.sub.mod as m',
      'from . import sibling',
      'from .helpers import run, spawn as sp',
      'from .. import top  # a comment',
      'from other.place import (',
      '    thing,',
      ')',
      '    from lazy import inner',
      'x = "from fake import nothing"',
    ].join('\n');
    expect(importedNames({ file: 'pkg/sub/mod.py', text, module: 'pkg.sub.mod' }).sort()).toEqual([
      'lazy',
      'lazy.inner',
      'os',
      'other.place',
      'pkg',
      'pkg.sub',
      'pkg.sub.helpers',
      'pkg.sub.helpers.run',
      'pkg.sub.helpers.spawn',
      'pkg.sub.mod',
      'pkg.sub.sibling',
      'pkg.top',
      'sys',
    ]);
  });

  it('makes the relative imports of a package __init__.py start from the package itself', () => {
    const text = 'from .api import wsgi\nfrom . import conf\n';
    expect(importedNames({ file: 'nova/__init__.py', text, module: 'nova' }).sort()).toEqual([
      'nova',
      'nova.api',
      'nova.api.wsgi',
      'nova.conf',
    ]);
  });
});

describe('reachedByImports', () => {
  it('follows imports from the start files, through the files they import', () => {
    const sources = [
      { file: 'app/web.py', language: 'python', module: 'app.web', text: 'from app import views\n' },
      { file: 'app/views.py', language: 'python', module: 'app.views', text: 'from .util import quote\n' },
      { file: 'app/util.py', language: 'python', module: 'app.util', text: 'import os\n' },
      { file: 'app/unused.py', language: 'python', module: 'app.unused', text: 'from app import util\n' },
      { file: 'app/__init__.py', language: 'python', module: 'app', text: '' },
    ];
    expect(reachedByImports(sources, [true, false, false, false, false])).toEqual([
      false,
      true,
      true,
      false,
      true,
    ]);
  });
});

describe('files the project pass reaches through imports', () => {
  it('are reviewed whole by the pass (every rule), not parsed again by the pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secreview-claims-'));
    try {
      const files: Record<string, string> = {
        'app/__init__.py': '',
        'app/web.py': flaskRunApp('from app.helpers import run'),
        'app/helpers.py': [
          'import os',
          '',
          'PASSWORD = "hunter2-hunter2"',
          '',
          'def run(cmd):',
          // Built here: the helper's own call is the sink reported (not a wrapper handing `cmd` on).
          "    return os.system('nice ' + cmd)",
          '',
        ].join('\n'),
        'app/other.py': 'import subprocess\n\ndef go(x):\n    subprocess.call(x, shell=True)\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const stats = new ReviewStats();
      const result = await review({ paths: ['.'], cwd: dir, stats });
      expect(stats.counters.passFiles).toBe(2);
      expect(
        result.findings
          .filter((f) => f.kind !== 'suggestion')
          .map((f) => `${f.location.file}:${f.location.start.line} ${f.ruleId}`),
      ).toEqual([
        'app/helpers.py:3 python/hardcoded-credentials',
        'app/helpers.py:6 python/os-command-injection',
        'app/other.py:4 python/os-command-injection',
      ]);
      expect(result.findings.find((f) => f.location.file === 'app/helpers.py' && f.flow)?.confidence).toBe(
        'high',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
