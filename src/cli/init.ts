import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { terminalSafe } from '../core/escape.js';
import { EXIT_OK } from './exit.js';
import { UsageError, type CliIO } from './io.js';

/** Framework names as they appear in dependency files and imports, with how the file says them. */
const FRAMEWORKS: readonly { name: string; packages: readonly string[]; imports: readonly string[] }[] = [
  { name: 'Django', packages: ['django'], imports: ['django'] },
  { name: 'Django REST framework', packages: ['djangorestframework'], imports: ['rest_framework'] },
  { name: 'Flask', packages: ['flask'], imports: ['flask'] },
  { name: 'FastAPI', packages: ['fastapi'], imports: ['fastapi'] },
  { name: 'Starlette', packages: ['starlette'], imports: ['starlette'] },
  { name: 'Tornado', packages: ['tornado'], imports: ['tornado'] },
  { name: 'aiohttp', packages: ['aiohttp'], imports: ['aiohttp'] },
  { name: 'Bottle', packages: ['bottle'], imports: ['bottle'] },
  {
    name: 'SQLAlchemy',
    packages: ['sqlalchemy', 'flask-sqlalchemy', 'sqlmodel'],
    imports: ['sqlalchemy', 'sqlmodel'],
  },
  { name: 'Jinja2', packages: ['jinja2'], imports: ['jinja2'] },
];

const DEPENDENCY_FILES = [
  'requirements.txt',
  'requirements-dev.txt',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'Pipfile',
];

/** Folders of tests, by the names the Python test runners and most projects use. */
const TEST_DIR = /^(tests?|testing|test_.*|.*_tests?)$/;
const SKIP_DIR = /^(\.|node_modules$|__pycache__$|venv$|env$|site-packages$|build$|dist$)/;

/** How many folders and files the walk looks at: init must answer at once on any checkout. */
const WALK_LIMIT = 20000;

interface Found {
  frameworks: string[];
  testDirs: string[];
}

function safeRead(path: string): string {
  try {
    return statSync(path).size < 1024 * 1024 ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Frameworks from the dependency files, else from the imports of the Python files; test folders. */
export function detectProject(root: string): Found {
  const frameworks = new Set<string>();
  const deps = DEPENDENCY_FILES.map((f) => safeRead(join(root, f)).toLowerCase()).join('\n');
  const testDirs: string[] = [];
  const sources: string[] = [];
  const queue = [root];
  let seen = 0;
  while (queue.length && seen < WALK_LIMIT) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      seen++;
      const path = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIR.test(e.name)) {
        if (TEST_DIR.test(e.name)) testDirs.push(relative(root, path).split('\\').join('/'));
        else queue.push(path);
      } else if (e.isFile() && e.name.endsWith('.py') && sources.length < 500) sources.push(path);
    }
  }
  const imports = sources.map(safeRead).join('\n');
  for (const fw of FRAMEWORKS) {
    const inDeps = fw.packages.some((p) =>
      new RegExp(`(^|[\\s"'\\[,])${p.replace('-', '[-_]')}\\b`, 'm').test(deps),
    );
    const imported = fw.imports.some((m) => new RegExp(`^\\s*(from|import)\\s+${m}\\b`, 'm').test(imports));
    if (inDeps || imported) frameworks.add(fw.name);
  }
  return { frameworks: [...frameworks], testDirs };
}

/** The file `init` writes: every setting commented, the project's own values filled in. */
export function initConfigText(found: Found): string {
  const frameworks = found.frameworks.length
    ? `# Frameworks detected: ${found.frameworks.join(', ')}. secreview models them already;\n# nothing to configure for them.`
    : '# No web framework detected; secreview models Django, Flask, FastAPI and others when they are used.';
  const exclude = found.testDirs.length
    ? ['exclude:', ...found.testDirs.map((d) => `  - "${d}/**"`)]
    : ['# exclude:', '#   - "tests/**"'];
  return [
    '# secreview configuration. Every key is optional; see the README, "Configuration".',
    frameworks,
    '',
    'version: 1',
    '',
    '# Files left out of the review. Test code is excluded: a hard-coded password in a test',
    '# fixture is not a defect of the product.',
    ...exclude,
    '',
    '# Findings below this confidence are not reported (low, medium, high).',
    '# min-confidence: medium',
    '',
    '# Rules: turn some off, or change a severity (`secreview rules` lists them).',
    '# rules:',
    '#   disable: [python/flask-debug-mode]',
    '#   severity: { python/weak-password-hash: high }',
    '',
    '# Improvement suggestions, shown apart from the security defects.',
    '# suggestions:',
    '#   enabled: true',
    '#   max-per-file: 5',
    '',
  ].join('\n');
}

export function registerInit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a commented .secreview.yml for the project (detected frameworks, tests excluded)')
    .argument('[dir]', 'the project folder', '.')
    .option('--force', 'overwrite an existing .secreview.yml')
    .action((dir: string, flags: { force?: boolean }) => {
      const root = resolve(io.cwd, dir);
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new UsageError(`not a directory: ${terminalSafe(dir)}`);
      const target = join(root, '.secreview.yml');
      if (existsSync(target) && !flags.force)
        throw new UsageError(
          `${terminalSafe(relative(io.cwd, target) || target)} exists; --force overwrites it`,
        );
      const found = detectProject(root);
      writeFileSync(target, initConfigText(found));
      const shown = terminalSafe(relative(io.cwd, target) || target);
      io.stdout(
        [
          `Wrote ${shown}` +
            (found.frameworks.length ? ` (frameworks: ${found.frameworks.join(', ')})` : '') +
            (found.testDirs.length ? `; excluded ${found.testDirs.length} test folder(s)` : '') +
            '.',
          'Next:',
          `  secreview review ${dir === '.' ? '' : terminalSafe(dir)}`.trimEnd() + '   review the project',
          '  secreview baseline create -o .secreview-baseline.json   record what is there today; then',
          '    review with --baseline .secreview-baseline.json to see only new findings',
          '  secreview diff   review only your uncommitted change',
          'See the README for CI set-ups (GitHub Action, pre-commit, GitLab, Gerrit).',
          '',
        ].join('\n'),
      );
      setExit(EXIT_OK);
    });
}
