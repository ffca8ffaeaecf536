import { describe, expect, it } from 'vitest';
import { mergeDeclared } from '../../../src/core/index.js';
import { isManifest, readManifest } from '../../../src/lang/python/manifests.js';

const read = (name: string, text: string): Record<string, unknown> =>
  Object.fromEntries(readManifest(name, text));

describe('Python dependency manifests', () => {
  it('reads requirements files: pins, lower bounds, extras, markers, comments and options', () => {
    expect(
      read(
        'requirements.txt',
        [
          '-r base.txt',
          '# lxml==3.0',
          'lxml==6.1.0  # pinned',
          'Django_Extensions[all] >= 3.2, < 4 ; python_version >= "3.9"',
          'requests~=2.31',
          'gunicorn',
          '--hash=sha256:abc',
        ].join('\n'),
      ),
    ).toEqual({
      lxml: { kind: 'exact', version: '6.1.0' },
      'django-extensions': { kind: 'at-least', version: '3.2' },
      requests: { kind: 'at-least', version: '2.31' },
      gunicorn: { kind: 'any' },
    });
  });

  it('reads PEP 621 and Poetry tables of pyproject.toml, not the other keys', () => {
    const text = [
      '[project]',
      'name = "app"',
      'classifiers = [',
      '  "Programming Language :: Python",',
      ']',
      'dependencies = [',
      '  "lxml>=5.2",',
      ']',
      '[project.optional-dependencies]',
      'xml = ["defusedxml==0.7.1"]',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'jinja2 = "^3.1"',
      'pyyaml = { version = "6.0.1", optional = true }',
    ].join('\n');
    expect(read('pyproject.toml', text)).toEqual({
      lxml: { kind: 'at-least', version: '5.2' },
      defusedxml: { kind: 'exact', version: '0.7.1' },
      jinja2: { kind: 'at-least', version: '3.1' },
      pyyaml: { kind: 'exact', version: '6.0.1' },
    });
  });

  it('reads exact versions from Poetry and uv lock files and setup.cfg install_requires', () => {
    const lock =
      '[[package]]\nname = "lxml"\nversion = "5.3.0"\n\n[[package]]\nname = "Jinja2"\nversion = "3.1.4"\n';
    expect(read('uv.lock', lock)).toEqual({
      lxml: { kind: 'exact', version: '5.3.0' },
      jinja2: { kind: 'exact', version: '3.1.4' },
    });
    expect(
      read('setup.cfg', '[metadata]\nname = x\n[options]\ninstall_requires =\n    lxml>=4.5.0\n'),
    ).toEqual({
      lxml: { kind: 'at-least', version: '4.5.0' },
    });
    expect(['requirements-dev.txt', 'poetry.lock', 'setup.py', 'package.json'].map(isManifest)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('merges manifests: an exact version beats a range, the lowest bound wins among ranges', () => {
    expect(mergeDeclared({ kind: 'at-least', version: '4.9' }, { kind: 'exact', version: '6.0.2' })).toEqual({
      kind: 'exact',
      version: '6.0.2',
    });
    expect(mergeDeclared({ kind: 'at-least', version: '5.2' }, { kind: 'at-least', version: '4.9' })).toEqual(
      {
        kind: 'at-least',
        version: '4.9',
      },
    );
    expect(mergeDeclared(undefined, { kind: 'any' })).toEqual({ kind: 'any' });
  });
});
