import { afterAll, describe, expect, it } from 'vitest';
import { NO_DEFECTS_SENTENCE } from '../../src/core/index.js';
import { cleanup, runCli, runMain, tempTree } from './run.js';

afterAll(cleanup);

/** A clean, well-written module: documented, typed, specific error handling, lazy logging. */
const CLEAN_MODULE = `"""Read and validate the inventory service's settings file."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = Path("/etc/inventory/settings.json")


def settings_path() -> Path:
    """Return the file named by INVENTORY_SETTINGS, or the default location."""
    return Path(os.environ.get("INVENTORY_SETTINGS", str(DEFAULT_SETTINGS)))


def load_settings(path: Path) -> dict[str, object]:
    """Read the JSON settings at \`path\`; raise OSError or ValueError if they cannot be used."""
    try:
        with path.open(encoding="utf-8") as f:
            settings = json.load(f)
    except (OSError, ValueError):
        logger.exception("cannot read settings from %s", path)
        raise
    logger.info("loaded %d settings from %s", len(settings), path)
    return settings
`;

/** The habits of the issue: basicConfig in a library, hard-coded config path, bare except, ... */
const HABITS_MODULE = `import logging
import os

logging.basicConfig(level=logging.DEBUG)
LOG = logging.getLogger(__name__)

CONFIG_FILE = "/etc/nova/nova.conf"


def read_config(path):
    try:
        with open(path) as f:
            return f.read()
    except:
        return ""


def get_setting(setting_name, default_value=None):
    configDir = os.environ.get("CONFIG_DIR")
    try:
        return read_config(os.path.join(configDir, setting_name))
    except Exception as e:
        LOG.error(f"could not read setting {setting_name}")
        return default_value


def setSetting(setting_name, value):
    print("debug: setting", setting_name, "in", CONFIG_FILE)
`;

const LOGGING =
  '  4, 23, 28  1 logging call formats its message eagerly with an f-string (line 23); 1 `print` call reports ' +
  'diagnostics from library code (line 28); `logging.basicConfig` configures the root logger from ' +
  'library code (line 4).  python/suggest-logging\n' +
  '    Pass the values as arguments (`logger.info("user %s", name)`) so they are formatted only when the ' +
  'record is emitted. Report diagnostics through a module logger (`logger = logging.getLogger(__name__)`) ' +
  'instead of print. Leave `logging.basicConfig` to the application entry point so that applications ' +
  'keep control of logging.\n';
const CONFIG_PATH =
  '  7  The configuration path `/etc/nova/nova.conf` is hard-coded.  python/suggest-config-paths\n' +
  '    Read the location from a command-line option or an environment variable with the path as its ' +
  'documented default, or look it up in the standard places (`$XDG_CONFIG_HOME`, ' +
  '`platformdirs.user_config_dir()`, then `/etc/<app>/`).\n';
const EXCEPTIONS =
  '  14, 22  2 exception handlers hide errors: bare `except:` (line 14), `except Exception:` that logs without ' +
  'the exception (line 22).  python/suggest-exception-handling\n' +
  '    Catch the specific exceptions you expect; log with `logger.exception()` or `exc_info=True` so the ' +
  'traceback is kept, and re-raise or return a result the caller can tell from success. A bare `except:` ' +
  'also catches KeyboardInterrupt and SystemExit.\n';
const NAMING =
  '  19, 27  Names mostly use snake_case (4 names), but 2 use camelCase: `configDir` and `setSetting`.' +
  '  python/suggest-naming-convention\n' +
  '    Rename the outliers to snake_case (`configDir` → `config_dir`), as PEP 8 recommends for functions ' +
  'and variables.\n';
const ENV =
  '  19  Environment variable `CONFIG_DIR` has a generic name that other programs may set too and is read ' +
  'without a default.  python/suggest-env-vars\n' +
  "    Prefix variables with the application's name (`MYAPP_CONFIG_DIR`). Pass a documented default to " +
  '`os.environ.get(name, default)`, or fail early with a message naming the variable.\n';

const HABITS_OUTPUT =
  `${NO_DEFECTS_SENTENCE}\n` +
  '\n' +
  'Suggestions for improvement (not security defects):\n' +
  'habits.py\n' +
  LOGGING +
  CONFIG_PATH +
  EXCEPTIONS +
  NAMING +
  ENV +
  '\n' +
  'Notes:\n' +
  '- habits.py: 2 more suggestions not shown (type-hints, docstrings); raise suggestions.max-per-file ' +
  '(now 5) to list them\n';

interface JsonFinding {
  kind: string;
  ruleId: string;
  cwe: { id: number };
  lines?: number[];
  location: { start: { line: number } };
}

describe('improvement suggestions beside the security verdict', () => {
  it('prints only the verdict for a clean, well-written module', async () => {
    const dir = await tempTree({ 'settings.py': CLEAN_MODULE });
    const run = await runCli(['settings.py', '-q'], dir);
    expect(run).toEqual({ code: 0, stdout: `${NO_DEFECTS_SENTENCE}\n`, stderr: '' });
  });

  it('prints the verdict, then a short and specific suggestions section, and exits 0', async () => {
    const dir = await tempTree({ 'habits.py': HABITS_MODULE });
    const run = await runCli(['habits.py', '-q'], dir);
    expect(run).toEqual({ code: 0, stdout: HABITS_OUTPUT, stderr: '' });
  });

  it('turns the section off with --no-suggestions', async () => {
    const dir = await tempTree({ 'habits.py': HABITS_MODULE });
    const run = await runMain(['habits.py', '-q', '--no-suggestions', '--no-cache'], dir);
    expect(run).toEqual({ code: 0, stdout: `${NO_DEFECTS_SENTENCE}\n`, stderr: '' });
  });

  it('changes the exit code only with --fail-on-suggestions', async () => {
    const dir = await tempTree({ 'habits.py': HABITS_MODULE, 'settings.py': CLEAN_MODULE });
    expect((await runMain(['habits.py', '-q', '--no-cache'], dir)).code).toBe(0);
    expect((await runMain(['habits.py', '-q', '--no-cache', '--fail-on-suggestions'], dir)).code).toBe(1);
    expect((await runMain(['settings.py', '-q', '--no-cache', '--fail-on-suggestions'], dir)).code).toBe(0);
    const off = await runMain(
      ['habits.py', '-q', '--no-cache', '--fail-on-suggestions', '--no-suggestions'],
      dir,
    );
    expect(off.code).toBe(0);
  });

  it('reports suggestions in JSON as kind suggestion with every line, never as defects', async () => {
    const dir = await tempTree({
      'habits.py': HABITS_MODULE,
      '.secreview.yml': 'suggestions:\n  max-per-file: 9\n',
    });
    const run = await runMain(['habits.py', '-q', '--no-cache', '-f', 'json'], dir);
    const report = JSON.parse(run.stdout) as {
      verdict: string;
      summary: { defects: number; suggestions: number };
      findings: JsonFinding[];
    };
    expect(report.verdict).toBe(NO_DEFECTS_SENTENCE);
    expect(report.summary).toMatchObject({ defects: 0, suggestions: 7 });
    expect(
      report.findings.map((f) => [f.kind, f.ruleId, f.cwe.id, f.location.start.line, f.lines ?? []]),
    ).toEqual([
      ['suggestion', 'python/suggest-docstrings', 1059, 1, [1, 10, 18, 27]],
      ['suggestion', 'python/suggest-logging', 1076, 4, [4, 23, 28]],
      ['suggestion', 'python/suggest-config-paths', 1052, 7, [7]],
      ['suggestion', 'python/suggest-type-hints', 1117, 10, [10, 18, 27]],
      ['suggestion', 'python/suggest-exception-handling', 390, 14, [14, 22]],
      ['suggestion', 'python/suggest-naming-convention', 1099, 19, [19, 27]],
      ['suggestion', 'python/suggest-env-vars', 1076, 19, [19]],
    ]);
  });

  it('gives suggestions SARIF level note', async () => {
    const dir = await tempTree({ 'habits.py': HABITS_MODULE });
    const run = await runMain(['habits.py', '-q', '--no-cache', '-f', 'sarif'], dir);
    const log = JSON.parse(run.stdout) as {
      runs: { results: { ruleId: string; level: string; properties: { kind: string } }[] }[];
    };
    const results = log.runs[0].results;
    expect(results).toHaveLength(5);
    for (const r of results) expect([r.level, r.properties.kind]).toEqual(['note', 'suggestion']);
  });

  it('heads the markdown section "Suggestions for improvement"', async () => {
    const dir = await tempTree({ 'habits.py': HABITS_MODULE });
    const run = await runMain(['habits.py', '-q', '--no-cache', '-f', 'markdown'], dir);
    expect(run.stdout).toContain(`${NO_DEFECTS_SENTENCE}\n\n### Suggestions for improvement\n`);
    expect(run.stdout).toContain(
      '- The configuration path `/etc/nova/nova.conf` is hard-coded. (line 7, `python/suggest-config-paths`).',
    );
  });

  it('runs only the checks the config selects, and leaves out the disabled ones', async () => {
    const dir = await tempTree({
      'habits.py': HABITS_MODULE,
      'only.yml': 'suggestions:\n  checks: [exception-handling, python/suggest-config-paths]\n',
      'disable.yml': 'suggestions:\n  disable: [logging, docstrings, type-hints, naming-convention]\n',
      'off.yml': 'suggestions:\n  enabled: false\n',
    });
    const only = await runMain(['habits.py', '-q', '--no-cache', '-c', 'only.yml'], dir);
    expect(only.stdout).toBe(
      `${NO_DEFECTS_SENTENCE}\n\nSuggestions for improvement (not security defects):\nhabits.py\n` +
        CONFIG_PATH +
        EXCEPTIONS,
    );
    const disabled = await runMain(['habits.py', '-q', '--no-cache', '-c', 'disable.yml'], dir);
    expect(disabled.stdout).toBe(
      `${NO_DEFECTS_SENTENCE}\n\nSuggestions for improvement (not security defects):\nhabits.py\n` +
        CONFIG_PATH +
        EXCEPTIONS +
        ENV,
    );
    const off = await runMain(['habits.py', '-q', '--no-cache', '-c', 'off.yml'], dir);
    expect(off.stdout).toBe(`${NO_DEFECTS_SENTENCE}\n`);
  });

  it('keeps the most important checks when a file has more than max-per-file', async () => {
    const dir = await tempTree({
      'habits.py': HABITS_MODULE,
      '.secreview.yml': 'suggestions:\n  max-per-file: 2\n',
    });
    const run = await runMain(['habits.py', '-q', '--no-cache'], dir);
    expect(run.stdout).toBe(
      `${NO_DEFECTS_SENTENCE}\n\nSuggestions for improvement (not security defects):\nhabits.py\n` +
        LOGGING +
        EXCEPTIONS +
        '\nNotes:\n' +
        '- habits.py: 5 more suggestions not shown (env-vars, config-paths, naming-convention, type-hints, ' +
        'docstrings); raise suggestions.max-per-file (now 2) to list them\n',
    );
  });

  it('rejects an unknown suggestion check in the config with exit 2', async () => {
    const dir = await tempTree({
      'habits.py': HABITS_MODULE,
      '.secreview.yml': 'suggestions:\n  checks: [spelling]\n',
    });
    const run = await runMain(['habits.py', '-q', '--no-cache'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "secreview: error: config names an unknown suggestion check 'spelling'; known checks: config-paths, " +
        'docstrings, env-vars, exception-handling, function-size, logging, naming-convention, nesting-depth, type-annotations, type-hints\n',
    );
  });

  describe('limits of the checks that have one', () => {
    /** `nested` reaches 3 levels at line 4; `long_one` has 12 lines of code. */
    const SHAPES = [
      'def nested(rows):',
      '    for row in rows:',
      '        if row:',
      '            while row:',
      '                row = row[1:]',
      '',
      '',
      'def long_one(x):',
      ...Array.from({ length: 12 }, (_, i) => `    x = x + ${i}`),
      '',
    ].join('\n');
    // In this process, and with the built CLI, whose worker threads get the limits with the rules.
    const suggestions = async (config: string, inWorkers = false) => {
      const dir = await tempTree({ 'shapes.py': SHAPES, '.secreview.yml': config });
      const args = ['shapes.py', '-q', '--no-cache', '-f', 'json'];
      const run = inWorkers ? await runCli(['review', ...args], dir) : await runMain(args, dir);
      const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
      return report.findings
        .filter(
          (f) => f.ruleId === 'python/suggest-function-size' || f.ruleId === 'python/suggest-nesting-depth',
        )
        .map((f) => `${f.ruleId}:${f.location.start.line} ${f.message}`);
    };

    it('are 50 lines and 4 levels by default', async () => {
      expect(await suggestions('suggestions:\n  max-per-file: 9\n')).toEqual([]);
    });

    it('are taken from suggestions.limits', async () => {
      const config =
        'suggestions:\n  max-per-file: 9\n  limits:\n    function-size: 10\n    nesting-depth: 2\n';
      expect(await suggestions(config, true)).toEqual(await suggestions(config));
      expect(await suggestions(config)).toEqual([
        'python/suggest-nesting-depth:4 A function nests blocks more than 2 levels deep: `nested` reaches 3 levels at line 4.',
        'python/suggest-function-size:8 A function is longer than 10 lines of code: `long_one` has 12.',
      ]);
    });

    it('must be positive whole numbers of a check that has a limit', async () => {
      for (const bad of ['function-size: 0', 'docstrings: 3']) {
        const dir = await tempTree({
          'shapes.py': SHAPES,
          '.secreview.yml': `suggestions:\n  limits:\n    ${bad}\n`,
        });
        const run = await runMain(['shapes.py', '-q', '--no-cache'], dir);
        expect(run.code, bad).toBe(2);
        expect(run.stderr, bad).toMatch(/^secreview: error: .*\.secreview\.yml:3/);
      }
    });
  });
});

describe('suggestions of Python and TypeScript in one review', () => {
  /** A TypeScript module with the habits of the Python one: a swallowed error, console.log, `any`. */
  const SETTINGS_TS = [
    'interface Store {',
    '  get(key: string): Promise<string>;',
    '}',
    '',
    'export async function readSetting(store: Store, key: string): Promise<string | undefined> {',
    '  try {',
    '    return await store.get(key);',
    '  } catch {',
    '    return undefined;',
    '  }',
    '}',
    '',
    'export function describeSetting(key: string, value: any) {',
    "  console.log('setting', key);",
    '  return `${key}=${String(value)}`;',
    '}',
    '',
  ].join('\n');
  const CONFIG = 'suggestions:\n  checks: [exception-handling, logging, type-annotations]\n';
  const tree = () =>
    tempTree({ 'habits.py': HABITS_MODULE, 'web/settings.ts': SETTINGS_TS, '.secreview.yml': CONFIG });

  const JS_EXCEPTIONS =
    '  8  1 exception handler hides errors: `catch` that returns a default.  javascript/suggest-exception-handling\n' +
    '    Handle the errors you expect and rethrow the others; log the error object itself (`logger.warn({ err }, ' +
    '"cannot read settings")`, `console.error("cannot read settings", err)`) so its stack is kept, and return a ' +
    'result the caller can tell from success.\n';
  const JS_TYPES =
    '  13  1 exported function lacks precise types: `describeSetting` (`any` in `value`, no return type).' +
    '  javascript/suggest-type-annotations\n' +
    '    Give exported functions precise parameter types (`unknown` and a check where the type is really open) ' +
    'and an explicit return type; `noImplicitAny` and the typescript-eslint rules `no-explicit-any` and ' +
    '`explicit-module-boundary-types` keep them so.\n';
  const JS_LOGGING =
    '  14  1 call to `console.log` writes diagnostics from library code instead of a logger.  javascript/suggest-logging\n' +
    "    Report diagnostics through the project's logger (pino, winston, or the module logger the code already " +
    'uses) at a level that can be switched off, and remove debugging output.\n';

  it('lists both languages in the suggestions section of the text report', async () => {
    const run = await runMain(['.', '-q', '--no-cache'], await tree());
    expect(run).toEqual({
      code: 0,
      stdout:
        `${NO_DEFECTS_SENTENCE}\n\nSuggestions for improvement (not security defects):\nhabits.py\n` +
        LOGGING +
        EXCEPTIONS +
        '\nweb/settings.ts\n' +
        JS_EXCEPTIONS +
        JS_TYPES +
        JS_LOGGING,
      stderr: '',
    });
  });

  it('lists both in markdown, JSON and SARIF, as suggestions', async () => {
    const dir = await tree();
    const markdown = (await runMain(['.', '-q', '--no-cache', '-f', 'markdown'], dir)).stdout;
    expect(markdown).toContain(
      `${NO_DEFECTS_SENTENCE}\n\n### Suggestions for improvement\n\n_These are not security defects._\n\n\`habits.py\`\n`,
    );
    expect(markdown).toContain(
      '\n\n`web/settings.ts`\n\n- 1 exception handler hides errors: `catch` that returns a default. ' +
        '(line 8, `javascript/suggest-exception-handling`). ',
    );
    expect(markdown).toContain(
      '\n- 1 call to `console.log` writes diagnostics from library code instead of a logger. ' +
        '(line 14, `javascript/suggest-logging`). ',
    );
    expect(markdown.indexOf('`python/suggest-exception-handling`')).toBeLessThan(
      markdown.indexOf('`javascript/suggest-type-annotations`'),
    );
    const json = JSON.parse((await runMain(['.', '-q', '--no-cache', '-f', 'json'], dir)).stdout) as {
      verdict: string;
      summary: { defects: number; suggestions: number };
      findings: (JsonFinding & { location: { file: string } })[];
    };
    expect(json.verdict).toBe(NO_DEFECTS_SENTENCE);
    expect(json.summary).toMatchObject({ defects: 0, suggestions: 5 });
    expect(
      json.findings.map((f) => [
        f.kind,
        f.ruleId,
        f.cwe.id,
        f.location.file,
        f.location.start.line,
        f.lines ?? [],
      ]),
    ).toEqual([
      ['suggestion', 'python/suggest-logging', 1076, 'habits.py', 4, [4, 23, 28]],
      ['suggestion', 'python/suggest-exception-handling', 390, 'habits.py', 14, [14, 22]],
      ['suggestion', 'javascript/suggest-exception-handling', 390, 'web/settings.ts', 8, [8]],
      ['suggestion', 'javascript/suggest-type-annotations', 1117, 'web/settings.ts', 13, [13]],
      ['suggestion', 'javascript/suggest-logging', 1076, 'web/settings.ts', 14, [14]],
    ]);
    const sarif = JSON.parse((await runMain(['.', '-q', '--no-cache', '-f', 'sarif'], dir)).stdout) as {
      runs: { results: { ruleId: string; level: string; properties: { kind: string } }[] }[];
    };
    expect(sarif.runs[0].results.map((r) => [r.ruleId, r.level, r.properties.kind])).toEqual([
      ['python/suggest-logging', 'note', 'suggestion'],
      ['python/suggest-exception-handling', 'note', 'suggestion'],
      ['javascript/suggest-exception-handling', 'note', 'suggestion'],
      ['javascript/suggest-type-annotations', 'note', 'suggestion'],
      ['javascript/suggest-logging', 'note', 'suggestion'],
    ]);
  });
});
