/**
 * The JavaScript and TypeScript pack: one language of secreview (`javascript`, rules
 * `javascript/<name>`) over three tree-sitter grammars picked by extension (files.ts), with the
 * semantic model of semantic/model.ts and the dataflow front end of dataflow/ (sources, entry points
 * and sinks from models/).
 */
import { createResolver } from './resolution.js';
import { treeSitterGrammar } from '../../parsing/parser.js';
import type { Language } from '../language.js';
import { EXTENSIONS, grammarOf, GRAMMARS, isTestFile, notSource } from './files.js';
import {
  importedNames,
  moduleNameForPath,
  PACKAGE_MARKER,
  packageDirs,
  packageModuleName,
} from './modules.js';
import { analyzeJavaScript, type JsModule } from './semantic/model.js';
import { statements } from './statements.js';
import { dataflow } from './dataflow/index.js';
import { isManifest, readManifest } from './manifests.js';

declare module '../../rules/rule.js' {
  /** A rule with `languages: ['javascript']` gets the JavaScript model as `context.module`. */
  interface LanguageModels {
    javascript: JsModule;
  }
}

/** TypeScript's code is fenced as TypeScript, so that viewers highlight its types. */
const FENCES = { javascript: 'js', typescript: 'ts', tsx: 'tsx' } as const;

export const javascript: Language<JsModule> = {
  id: 'javascript',
  name: 'JavaScript/TypeScript',
  codeFence: 'js',
  codeFenceOf: (path) => FENCES[grammarOf(path)],
  extensions: EXTENSIONS,
  shebang: /^#!.*\b(node|nodejs|bun|deno|ts-node|tsx)\b/,
  grammar: treeSitterGrammar('javascript', { specifiers: GRAMMARS, variantOf: grammarOf }),
  comments: { line: '//', nodeTypes: ['comment'] },
  statements,
  discovery: {
    excludes: [
      '**/node_modules/**',
      '**/bower_components/**',
      // Declaration files hold types, no code that runs: reviewed when named, never looked for.
      '**/*.d.ts',
      '**/*.d.mts',
      '**/*.d.cts',
    ],
    outputs: [
      '**/dist/**',
      '**/build/**',
      '**/out/**',
      '**/coverage/**',
      '**/.next/**',
      '**/.nuxt/**',
      '**/.svelte-kit/**',
    ],
  },
  isTestFile,
  notSource,
  modules: {
    packageMarkers: [PACKAGE_MARKER],
    nested: true,
    packageDirs,
    nameOf: packageModuleName,
    nameForPath: moduleNameForPath,
    importedNames,
    importResolver: createResolver,
  },
  bind: analyzeJavaScript,
  dataflow,
  manifests: { isManifest, read: readManifest },
};
