import type { Node, SourceFile } from '../../../parsing/parser.js';
import type { PythonModule } from '../semantic/scope.js';

/**
 * Facts about a module as a whole: whether it is a program's entry point (`__main__` guard), what it
 * imports, the names it assigns at module or class level, and whether it is a settings module.
 */

/** `if __name__ == "__main__":` */
function isMainGuard(node: Node): boolean {
  if (node.type !== 'if_statement') return false;
  const cond = node.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  return /^__name__==['"]__main__['"]$|^['"]__main__['"]==__name__$/.test(cond);
}

/**
 * True inside `if __name__ == "__main__":`, the code that runs only when the file is executed as a
 * program. With `orInMainFunction`, also inside a function named `main`, which such a block calls by
 * convention: a rule about entry code (printing, configuring logging) counts it in, a rule about
 * debug settings that only a developer's run enables (flask-debug-mode) does not.
 */
export function underMainGuard(node: Node, options: { orInMainFunction?: boolean } = {}): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (isMainGuard(n)) return true;
    if (
      options.orInMainFunction &&
      n.type === 'function_definition' &&
      n.childForFieldName('name')?.text === 'main'
    )
      return true;
  }
  return false;
}

/** Scripts a developer runs by hand: files in bin/, scripts/, tools/ or dev/, and serve.py-style launchers. */
const DEVELOPMENT_SCRIPT =
  /(^|\/)(bin|scripts?|tools|dev|devtools)\/[^/]+\.py$|(^|\/)(serve|runserver|dev_?server|debug_?server|run_?dev\w*)\.py$/;

/**
 * True when the code runs only when a developer starts the program by hand: inside
 * `if __name__ == "__main__":` or the `main()` it calls, or in a launcher script (bin/, scripts/,
 * serve.py). Servers in production import the application instead and never run this code.
 */
export function isDevelopmentEntry(node: Node, path: string): boolean {
  return (
    underMainGuard(node, { orInMainFunction: true }) || DEVELOPMENT_SCRIPT.test(path.replace(/\\/g, '/'))
  );
}

/** Libraries that make a module a command-line program. */
const CLI_MODULES = ['argparse', 'click', 'typer', 'fire', 'docopt', 'optparse'];

/**
 * Whether the file is an application entry point rather than library code: it has an
 * `if __name__ == "__main__":` block, is a `__main__.py`/`manage.py`/`setup.py`, or parses a
 * command line. Scripts may print and configure logging; libraries should not.
 */
export function isEntryPoint(module: PythonModule): boolean {
  const base = module.file.path.replace(/\\/g, '/').split('/').pop() ?? '';
  if (['__main__.py', 'manage.py', 'setup.py', 'conftest.py'].includes(base)) return true;
  for (const stmt of module.file.tree.rootNode.namedChildren) {
    if (stmt && isMainGuard(stmt)) return true;
  }
  return CLI_MODULES.some((m) => module.calls.some((c) => c.callee?.startsWith(`${m}.`)));
}

/** One pattern per list of prefixes: rules ask with the same few lists on every file. */
const importPatterns = new Map<string, RegExp>();

/**
 * True when the module imports a module whose dotted name starts with one of the prefixes. By
 * default anywhere in its text, so an import inside a function counts (the module uses the library).
 * With `moduleLevel`, only names the import binds in the module's own scope: flask-debug-mode asks
 * whether the module is itself a Flask module, where `app` names the application.
 */
export function importsAny(
  module: PythonModule,
  prefixes: readonly string[],
  options: { moduleLevel?: boolean } = {},
): boolean {
  if (options.moduleLevel) {
    const imported = (q: string): boolean => prefixes.some((p) => q === p || q.startsWith(`${p}.`));
    for (const bindings of module.root.bindings.values())
      if (bindings.some((b) => b.kind === 'import' && imported(b.qualname))) return true;
    return false;
  }
  const key = prefixes.join('|');
  let pattern = importPatterns.get(key);
  if (!pattern) {
    // One scan of the text with an alternation finds what one scan per prefix found.
    const names = prefixes.map((p) => p.replace(/\./g, '\\.')).join('|');
    pattern = new RegExp(`^\\s*(from|import)\\s+(?:${names})\\b`, 'm');
    importPatterns.set(key, pattern);
  }
  return prefixes.length > 0 && pattern.test(module.file.text);
}

export interface NameAssignment {
  name: string;
  /** The assigned expression. */
  value: Node;
  /** The assignment node. */
  node: Node;
  /** `+=` rather than `=`. */
  augmented: boolean;
}

/** `NAME = value` statements at module level, including those nested in module-level if/try blocks. */
export function moduleAssignments(module: PythonModule): NameAssignment[] {
  const out: NameAssignment[] = [];
  collectAssignments(module.root.node, out);
  return out;
}

/** `NAME = value` statements directly in a class body. */
export function classAssignments(classNode: Node): NameAssignment[] {
  const out: NameAssignment[] = [];
  const body = classNode.childForFieldName('body');
  if (body) collectAssignments(body, out);
  return out;
}

const NESTING = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'finally_clause',
  'block',
  'with_statement',
]);

function collectAssignments(node: Node, out: NameAssignment[]): void {
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'expression_statement') {
      for (const s of c.namedChildren) {
        if (s?.type !== 'assignment' && s?.type !== 'augmented_assignment') continue;
        let left = s.childForFieldName('left');
        let value = s.childForFieldName('right');
        // A = B = value: every target takes the final value.
        while (value?.type === 'assignment') {
          if (left?.type === 'identifier')
            out.push({ name: left.text, value, node: s, augmented: s.type !== 'assignment' });
          left = value.childForFieldName('left');
          value = value.childForFieldName('right');
        }
        if (left?.type === 'identifier' && value)
          out.push({ name: left.text, value, node: s, augmented: s.type === 'augmented_assignment' });
      }
    } else if (NESTING.has(c.type)) {
      collectAssignments(c, out);
    }
  }
}

/** Assignments `target = value` in the module whose target is an attribute named `attribute`. */
export function attributeAssignments(
  module: PythonModule,
  attribute: string,
): { target: Node; object: Node; value: Node; node: Node }[] {
  const out: { target: Node; object: Node; value: Node; node: Node }[] = [];
  for (const a of module.file.tree.rootNode.descendantsOfType('assignment')) {
    if (!a) continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'attribute' || !right) continue;
    const object = left.childForFieldName('object');
    if (left.childForFieldName('attribute')?.text !== attribute || !object) continue;
    out.push({ target: left, object, value: right, node: a });
  }
  return out;
}

/** Settings meant for a developer's machine or the test run, where debug values are expected. */
const DEV_SETTINGS =
  /(^|[/_.-])(dev|devel|development|local|test|tests|testing|unittests?|unit_tests?|ci|debug)([/_.-]|$)/i;

/**
 * 'production' for a Django-style settings module (`settings.py`, `settings/<x>.py`, `*_settings.py`
 * or a module that assigns INSTALLED_APPS/ROOT_URLCONF/MIDDLEWARE), 'development' when its name says
 * it is for development or tests, undefined for other modules.
 */
export function settingsKind(
  file: SourceFile,
  module: PythonModule,
): 'production' | 'development' | undefined {
  const path = file.path.replace(/\\/g, '/');
  const base = path.split('/').pop() ?? '';
  const named = /settings/i.test(base) || /(^|\/)settings\/[^/]+\.py$/.test(path);
  const assignsDjango = moduleAssignments(module).some((a) =>
    ['INSTALLED_APPS', 'ROOT_URLCONF', 'MIDDLEWARE', 'WSGI_APPLICATION'].includes(a.name),
  );
  if (!named && !assignsDjango) return undefined;
  const stem = path
    .replace(/\.pyi?$/, '')
    .split('/')
    .slice(-2)
    .join('/');
  return DEV_SETTINGS.test(stem.replace(/settings/gi, '')) ? 'development' : 'production';
}
