import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { review } from '../../src/engine/review.js';
import { flaskRunApp } from '../helpers/flask.js';

/** A package with a Flask app that reaches shell commands in a sibling module. */
const PACKAGE: Record<string, string> = {
  '__init__.py': 'from .helpers import spawn\n',
  'helpers.py': [
    'import os',
    'import subprocess',
    '',
    'def run(cmd):',
    '    return os.system(cmd)',
    '',
    'def spawn(cmd):',
    '    return subprocess.call(cmd, shell=True)',
    '',
  ].join('\n'),
  'app.py': [
    'from flask import Flask, request',
    'from pkg.helpers import run',
    'from pkg import spawn',
    'app = Flask(__name__)',
    '',
    "@app.route('/run')",
    'def do_run():',
    "    return run(request.args['cmd'])",
    '',
    "@app.route('/spawn')",
    'def do_spawn():',
    "    return spawn(request.form['cmd'])",
    '',
  ].join('\n'),
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'secreview-modules-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [file, text] of Object.entries(PACKAGE)) {
    write(`flat/pkg/${file}`, text);
    write(`srclayout/src/pkg/${file}`, text);
  }
  write('flat/setup.py', 'from setuptools import setup\nsetup()\n');
  // A namespace package (no __init__.py), imported through absolutely and relatively.
  write(
    'flat/scripts/shell.py',
    'import os\nimport subprocess\n\ndef run(cmd):\n    return os.system(cmd)\n\ndef call(cmd):\n    return subprocess.call(cmd, shell=True)\n',
  );
  write(
    'flat/scripts/web.py',
    [
      'from flask import Flask, request',
      'from scripts.shell import run',
      'from . import shell',
      'app = Flask(__name__)',
      '',
      "@app.route('/a')",
      'def a():',
      "    return run(request.args['a'])",
      '',
      "@app.route('/b')",
      'def b():',
      "    return shell.call(request.args['b'])",
      '',
    ].join('\n'),
  );
  write('srclayout/setup.py', 'from setuptools import setup\nsetup()\n');
  // Two projects side by side, each with its own package `app`: one runs the command as given, the
  // other quotes it.
  const web = flaskRunApp('from app.helpers import run');
  for (const twin of ['one', 'two']) {
    write(`twins/${twin}/app/__init__.py`, '');
    write(`twins/${twin}/web.py`, web);
  }
  write('twins/one/app/helpers.py', 'import os\n\ndef run(cmd):\n    return os.system(cmd)\n');
  write(
    'twins/two/app/helpers.py',
    "import os\nimport shlex\n\ndef run(cmd):\n    return os.system('ls ' + shlex.quote(cmd))\n",
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command-injection findings of a review as `file:line`, with each finding's flow. */
async function injections(cwd: string, path = '.'): Promise<string[]> {
  const result = await review({ paths: [path], cwd: join(dir, cwd) });
  return result.findings
    .filter((f) => f.ruleId === 'python/os-command-injection')
    .map(
      (f) =>
        `${f.location.file}:${f.location.start.line} <- ${(f.flow ?? [])
          .map((s) => `${s.location.file}:${s.location.start.line}`)
          .join(' ')}`,
    );
}

/**
 * The findings expected when the package folder is reached through `prefix`: at each call of the
 * wrappers, where the command is built, with the wrapper's sink as the flow's last step.
 */
function expected(prefix: string): string[] {
  return [
    `${prefix}app.py:8 <- ${prefix}app.py:8 ${prefix}app.py:8 ${prefix}helpers.py:5`,
    `${prefix}app.py:12 <- ${prefix}app.py:12 ${prefix}app.py:12 ${prefix}helpers.py:8`,
  ];
}

/** The findings of the namespace package, reached through `prefix`. */
function namespaced(prefix: string): string[] {
  return [
    `${prefix}web.py:8 <- ${prefix}web.py:8 ${prefix}web.py:8 ${prefix}shell.py:5`,
    `${prefix}web.py:12 <- ${prefix}web.py:12 ${prefix}web.py:12 ${prefix}shell.py:8`,
  ];
}

describe('a cross-file flow through `from pkg.helpers import run`', () => {
  it('is found when the review root is the repository', async () => {
    expect(await injections('flat')).toEqual([...expected('pkg/'), ...namespaced('scripts/')]);
  });

  it('is found when the review root is the parent of the repository', async () => {
    expect(await injections('.', 'flat')).toEqual([...expected('flat/pkg/'), ...namespaced('flat/scripts/')]);
  });

  it('is found when the review root is the package folder', async () => {
    expect(await injections('flat/pkg')).toEqual(expected(''));
  });

  it('is found in a src layout reviewed from the repository root', async () => {
    expect(await injections('srclayout')).toEqual(expected('src/pkg/'));
  });

  it('is found in a src layout reviewed from the package folder', async () => {
    expect(await injections('srclayout/src/pkg')).toEqual(expected(''));
  });
});

describe('imports through a namespace package (a folder without __init__.py)', () => {
  it('still resolve, absolute and relative, by the path from the review root', async () => {
    expect(await injections('flat', 'scripts')).toEqual(namespaced('scripts/'));
  });
});

describe('two projects side by side with a package of the same name', () => {
  it('resolve each import to the package in its own tree', async () => {
    expect(await injections('twins')).toEqual([
      'one/web.py:7 <- one/web.py:7 one/web.py:7 one/app/helpers.py:4',
    ]);
  });
});
