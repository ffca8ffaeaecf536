import { existsSync, lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LineCounter, Node as YamlNode } from 'yaml';
import type { Confidence, Severity } from '../core/index.js';
import type { DeclaredSanitizer, DeclaredSink, DeclaredSource } from '../dataflow/concepts.js';
import { CONFIG_SCHEMA } from './schema.js';
import { terminalSafe } from '../core/escape.js';
import { FileReadError, isDirectory, readBoundedFile, userConfigDir } from '../core/files.js';
import { applyTrust, checkPatternCount } from './trust.js';

export const CONFIG_FILE_NAMES = ['.secreview.yml', '.secreview.yaml'];

/** The `taint:` section's entries: plain data, which each language pack reads as its models' entries. */
export type TaintSourceSpec = DeclaredSource;
export type TaintSanitizerSpec = DeclaredSanitizer;
export type TaintSinkSpec = DeclaredSink & { severity?: Severity };

/** The validated configuration, with the file's kebab-case keys. */
export interface Config {
  version?: 1;
  rules?: { enable?: string[]; disable?: string[]; severity?: Record<string, Severity> };
  include?: string[];
  exclude?: string[];
  'min-confidence'?: Confidence;
  /** Report hygiene findings (not exploitable on their own) as defects rather than suggestions. */
  'hygiene-as-defects'?: boolean;
  /** Report defects in example and documentation folders at full severity (default: low). */
  'examples-as-production'?: boolean;
  'fail-on'?: Severity | 'never';
  'max-file-size'?: number;
  suggestions?: {
    enabled?: boolean;
    checks?: string[];
    disable?: string[];
    'max-per-file'?: number;
    /** Thresholds of the checks that have one, by check name (`function-size: 80`). */
    limits?: Record<string, number>;
  };
  taint?: {
    sources?: TaintSourceSpec[];
    sinks?: TaintSinkSpec[];
    sanitizers?: TaintSanitizerSpec[];
    'lower-trust-sources'?: { environment?: boolean; files?: boolean; sockets?: boolean };
    /** Whether command-line arguments, prompts, the environment and config files may attack the program. */
    'operator-input'?: 'trusted' | 'untrusted';
    /** Whether request data of handlers only administrators reach may attack the program (default: trusted, reported low). */
    'admin-input'?: 'trusted' | 'untrusted';
  };
  llm?: {
    enabled?: boolean;
    'base-url'?: string;
    model?: string;
    'response-format'?: 'json_schema' | 'json_object' | 'none';
    temperature?: number;
    'context-budget'?: number;
    'max-requests'?: number;
    concurrency?: number;
    /** Seconds per request. */
    timeout?: number;
    retries?: number;
    /** Seconds before the first retry; doubled each time unless the server sends Retry-After. */
    'retry-delay'?: number;
    'repair-attempts'?: number;
    'move-window'?: number;
    cache?: boolean;
  };
  review?: {
    scope?: 'added' | 'context' | 'file';
    'show-existing'?: boolean;
    baseline?: string;
    'report-unused-suppressions'?: boolean;
    'max-comments'?: number;
    'comment-severity'?: Severity;
  };
  gerrit?: {
    url?: string;
    label?: string | null;
    'vote-on-defects'?: number;
    'vote-on-clean'?: number;
    notify?: 'NONE' | 'OWNER' | 'OWNER_REVIEWERS' | 'ALL';
    /** Seconds. */
    timeout?: number;
  };
  github?: {
    'api-url'?: string;
    'event-on-defects'?: 'COMMENT' | 'REQUEST_CHANGES';
    'event-on-clean'?: 'COMMENT' | 'APPROVE';
    /** Seconds. */
    timeout?: number;
  };
  performance?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the project's file, or undefined when defaults are used. */
  path: string | undefined;
  /** The user's own config (outside any repository), when there is one. */
  userPath?: string;
  /** Settings of the project's config that were ignored, each naming the key and the file. */
  warnings: string[];
}

/** A config is a few hundred bytes; a larger one than this is refused rather than parsed. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A broken config: names the file, the line and what is allowed. */
export class ConfigError extends Error {}

/**
 * The YAML parser and the schema validator, loaded when a config file is read: a review without
 * one (and every worker thread) then starts without them (about 70 ms).
 */
let libraries: { yaml: typeof import('yaml'); validate: ValidateFunction<Config> } | undefined;
function configLibraries(): NonNullable<typeof libraries> {
  if (!libraries) {
    const require = createRequire(import.meta.url);
    const { Ajv } = require('ajv') as typeof import('ajv');
    libraries = {
      yaml: require('yaml') as typeof import('yaml'),
      validate: new Ajv({ allErrors: true, strict: false }).compile<Config>(CONFIG_SCHEMA),
    };
  }
  return libraries;
}

/**
 * Looks for .secreview.yml from `start` upward, up to the repository root (the folder holding
 * `.git`, a folder or, in worktrees and submodules, a file) or else the filesystem root: a
 * config above the repository belongs to someone else.
 */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && !isDirectory(dir)) dir = dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (exists(candidate)) return candidate;
    }
    if (exists(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Without following links: a link is found (and then judged by readBoundedFile), not skipped. */
function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates one config file: a regular file of at most MAX_CONFIG_BYTES (a link only
 * into `roots`), with a bounded number of patterns. Errors name the file and never its content.
 */
export function readConfigFile(path: string, roots?: readonly string[]): Config {
  let text: string;
  try {
    text = readBoundedFile(path, { what: 'config', maxBytes: MAX_CONFIG_BYTES, roots });
  } catch (e) {
    if (e instanceof FileReadError) throw new ConfigError(e.message);
    throw e;
  }
  const config = parseConfig(text, path);
  checkPatternCount(config, path);
  return config;
}

export function loadConfigFile(path: string): LoadedConfig {
  return { config: readConfigFile(path, [dirname(path)]), path, warnings: [] };
}

export function parseConfig(text: string, path: string): Config {
  const { yaml, validate } = configLibraries();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0];
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new ConfigError(
      `${terminalSafe(path)}:${line}: invalid YAML: ${terminalSafe(err.message.split('\n')[0])}`,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (e) {
    // The yaml library stops alias bombs ("excessive alias count") by throwing: a config error.
    throw new ConfigError(`${terminalSafe(path)}: invalid YAML: ${terminalSafe((e as Error).message)}`);
  }
  if (validate(data)) return data;
  const messages = (validate.errors ?? []).map((e) => {
    const line = lineOf(doc.contents, e, lineCounter);
    return terminalSafe(`${path}:${line}: ${describe(e)}`);
  });
  throw new ConfigError([...new Set(messages)].join('\n'));
}

/** "/rules/severity/lang~1x" → ["rules", "severity", "lang/x"] (JSON Pointer unescaping). */
function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `'${pointerSegments(e.instancePath).join('.')}'` : 'the top level';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = allowedKeys(e.schemaPath);
      return `unknown key '${key}' in ${where}${allowed ? `; allowed keys: ${allowed}` : ''}`;
    }
    case 'enum':
      return `bad value for ${where}; allowed values: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `bad value for ${where}; expected ${(e.params as { type: string }).type}`;
    case 'required':
      return `${where} is missing the required key '${(e.params as { missingProperty: string }).missingProperty}'`;
    default:
      return `bad value for ${where}: ${e.message ?? e.keyword}`;
  }
}

function allowedKeys(schemaPath: string): string | undefined {
  // "#/properties/rules/additionalProperties" → the schema object holding "properties".
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = CONFIG_SCHEMA;
  for (const p of parts) node = (node as Record<string, unknown>)?.[p];
  const props = (node as { properties?: Record<string, unknown> })?.properties;
  return props ? Object.keys(props).join(', ') : undefined;
}

function lineOf(root: unknown, e: ErrorObject, lc: LineCounter): number {
  const path = pointerSegments(e.instancePath);
  if (e.keyword === 'additionalProperties')
    path.push((e.params as { additionalProperty: string }).additionalProperty);
  let node = root as YamlNode | null | undefined;
  let offset = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (configLibraries().yaml.isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] })?.range?.[0] ?? offset;
      node = pair.value as YamlNode;
      if (e.keyword !== 'additionalProperties' && key === path[path.length - 1]) {
        offset = (node as { range?: [number, number, number] })?.range?.[0] ?? offset;
      }
    } else if (configLibraries().yaml.isSeq(node)) {
      const item = node.items[Number(key)] as YamlNode | undefined;
      if (!item) break;
      offset = (item as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lc.linePos(offset).line;
}

/** The user's config file: `$XDG_CONFIG_HOME/secreview/config.yml` (else ~/.config/secreview/). */
export function userConfigPath(env: Record<string, string | undefined>): string {
  return join(userConfigDir(env), 'config.yml');
}

/**
 * The project's config (`--config FILE` or the nearest .secreview.yml above the first reviewed
 * path) and the user's, merged under the trust model (see trust.ts and docs/security.md): the
 * project's config may not set what sends data anywhere or decides the review's verdict; only
 * the user's config, flags and environment may.
 */
export function resolveConfig(
  explicit: string | undefined,
  cwd: string,
  firstPath: string,
  env: Record<string, string | undefined> = {},
): LoadedConfig {
  let path: string | undefined;
  let project: Config = {};
  if (explicit) {
    path = resolve(cwd, explicit);
    if (!exists(path)) throw new ConfigError(`${terminalSafe(explicit)}: config file not found`);
    // Named by the user: a link may point anywhere, but the target is still read with bounds.
    project = readConfigFile(path);
  } else {
    path = findConfig(resolve(cwd, firstPath));
    if (path) project = readConfigFile(path, [dirname(path), cwd]);
  }
  const userPath = userConfigPath(env);
  const user = existsSync(userPath) ? readConfigFile(userPath) : undefined;
  const { config, warnings } = applyTrust(project, path, user);
  return { config, path, ...(user ? { userPath } : {}), warnings };
}
