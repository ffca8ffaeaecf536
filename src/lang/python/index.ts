/**
 * The Python pack: what the shared engine asks of Python (see ../language.ts), assembled from the
 * grammar, the scope binder (semantic/scope.ts), module naming (semantic/modules.ts), import
 * discovery (imports.ts) and the dataflow front end (dataflow/).
 */
import type { Language } from '../language.js';
import { FUNCTION_TYPES, mayHoldEntryPoint, ProjectTaint, taintedSinks } from './dataflow/index.js';
import { pythonGrammar } from './grammar.js';
import { importedNames } from './imports.js';
import { isManifest, readManifest } from './manifests.js';
import { sinksToTrace, type SinkPicking } from './models/select.js';
import { packageDirs, packageModuleName } from './semantic/modules.js';
import { analyzePython, moduleNameForPath, type PythonModule } from './semantic/scope.js';
import { statements } from './statements.js';
import { isTestFile } from './test-files.js';
import { notForProduction } from './not-for-production.js';
import { templateCallResolver } from './templates/calls.js';

declare module '../../rules/rule.js' {
  /** A rule with `languages: ['python']` gets the Python semantic model as `context.module`. */
  interface LanguageModels {
    python: PythonModule;
  }
  /** Its `taint` picks concepts of the Python models (see models/select.ts). */
  interface LanguageSinkPickings {
    python: SinkPicking;
  }
}

export const python: Language<PythonModule, SinkPicking> = {
  id: 'python',
  name: 'Python',
  codeFence: 'python',
  extensions: ['.py', '.pyw'],
  // Type stubs hold no code that runs: reviewed when named, not looked for.
  namedExtensions: ['.pyi'],
  shebang: /^#!.*\bpython[0-9.]*\b/,
  grammar: pythonGrammar,
  comments: { line: '#', nodeTypes: ['comment'] },
  statements,
  discovery: {
    excludes: [
      '**/.venv/**',
      '**/venv/**',
      '**/.tox/**',
      '**/.nox/**',
      '**/__pycache__/**',
      '**/site-packages/**',
      '**/.eggs/**',
      '**/*.egg-info/**',
      '**/.mypy_cache/**',
      '**/.pytest_cache/**',
      '**/.ruff_cache/**',
    ],
    // What setuptools and PyInstaller build: copies of the package's modules (`build/lib/`), a
    // wheel's tree, and `dist/`. A package called `build` is source.
    outputs: ['**/build/lib/**', '**/build/lib.*/**', '**/build/bdist.*/**', '**/dist/**'],
    environmentMarker: 'pyvenv.cfg',
  },
  isTestFile,
  notForProduction,
  modules: {
    packageMarkers: ['__init__.py', '__init__.pyi'],
    packageDirs,
    nameOf: packageModuleName,
    nameForPath: moduleNameForPath,
    importedNames,
    importResolver: templateCallResolver,
  },
  bind: analyzePython,
  dataflow: {
    functionTypes: FUNCTION_TYPES,
    mayHoldEntryPoint,
    project: (modules, options) => new ProjectTaint(modules, options),
    tracedSinks: (module, taint, spec, cwe) => {
      const sinks = sinksToTrace(spec, cwe, taint.options.sinks);
      return sinks.length ? taintedSinks(module, taint, sinks, cwe, spec.trust) : [];
    },
  },
  manifests: { isManifest, read: readManifest },
};
