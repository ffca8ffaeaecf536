import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPackage, rewriteImports, writeCopies } from '../../bench/scale-copies.js';

describe('rewriteImports', () => {
  it('renames the package in every import form and leaves other names and strings alone', () => {
    const source = [
      'import nova',
      'import nova.conf',
      'import os, nova.utils as utils',
      'import novaclient',
      'from nova import exception',
      'from nova.compute import (api,',
      '    nova_api)',
      'from . import nova',
      'from novaclient import client',
      'import json, \\',
      '    nova.db',
      'CONF = nova.conf.CONF',
      'path = "nova.compute.manager"',
      'x = other.nova.attr',
    ].join('\n');
    expect(rewriteImports(source, 'nova', 'nova_copy2').split('\n')).toEqual([
      'import nova_copy2',
      'import nova_copy2.conf',
      'import os, nova_copy2.utils as utils',
      'import novaclient',
      'from nova_copy2 import exception',
      'from nova_copy2.compute import (api,',
      '    nova_api)',
      'from . import nova',
      'from novaclient import client',
      'import json, \\',
      '    nova_copy2.db',
      'CONF = nova_copy2.conf.CONF',
      'path = "nova.compute.manager"',
      'x = other.nova.attr',
    ]);
  });

  it('leaves code references alone when no import binds the package name', () => {
    const source = 'from nova import conf\nimport nova.conf as cfg\nnova.thing = 1\n';
    expect(rewriteImports(source, 'nova', 'nova_copy3')).toBe(
      'from nova_copy3 import conf\nimport nova_copy3.conf as cfg\nnova.thing = 1\n',
    );
  });
});

describe('writeCopies', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('writes each copy as a package of its own, with its imports renamed', () => {
    root = mkdtempSync(join(tmpdir(), 'scale-test-'));
    const src = join(root, 'src');
    mkdirSync(join(src, 'app', 'sub'), { recursive: true });
    writeFileSync(join(src, 'app', '__init__.py'), '');
    writeFileSync(join(src, 'app', 'sub', 'views.py'), 'from app.sub import db\nimport app.util\n');
    writeFileSync(join(src, 'app', 'README.txt'), 'not copied');
    const pkg = findPackage(src);
    const out = join(root, 'out');
    expect(writeCopies(pkg, out, 2)).toEqual({ files: 2, lines: 2 });
    expect(readFileSync(join(out, 'app', 'sub', 'views.py'), 'utf8')).toBe(
      'from app.sub import db\nimport app.util\n',
    );
    expect(readFileSync(join(out, 'app_copy2', 'sub', 'views.py'), 'utf8')).toBe(
      'from app_copy2.sub import db\nimport app_copy2.util\n',
    );
    expect(readFileSync(join(out, 'app_copy2', '__init__.py'), 'utf8')).toBe('');
    expect(() => findPackage(join(root!, 'out'))).toThrow('holds 2 top-level packages (app, app_copy2)');
  });
});
