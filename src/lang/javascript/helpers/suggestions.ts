import type { Node, SourceFile } from '../../../parsing/parser.js';
import { codeOf } from '../../../rules/messages.js';
import { codeLinesBefore, type ListedSite } from '../../../rules/suggestions.js';
import { isTestCode } from '../files.js';
import type { JsCall, JsModule } from '../semantic/model.js';
import { CLASS_TYPES, definitionName, FUNCTION_TYPES, unwrap } from '../semantic/scope.js';

/**
 * What the JavaScript suggestion rules (javascript/suggest-*) ask of a file: its functions and how
 * a reader names them, its code lines, its logging calls, and whether it is a program's entry
 * point rather than library code. Thresholds, measures and messages are shared with the other
 * languages (rules/suggestions.ts).
 */

/** Every function, method and arrow of the file, in document order. */
export function functionsOf(root: Node): Node[] {
  return root.descendantsOfType([...FUNCTION_TYPES]).filter((n) => n.isNamed);
}

/** A function's body (a block, or an arrow's expression). */
export function bodyOf(fn: Node): Node | null {
  return fn.childForFieldName('body');
}

/**
 * How a reader finds a function: "`Store.get`", "`handler`", "`Topics.getTopic`", or "the callback
 * of `router.get` at line 12" for an anonymous function passed to a call.
 */
export function functionLabel(fn: Node): string {
  const name = definitionName(fn);
  let at = fn;
  while (
    at.parent &&
    ['parenthesized_expression', 'as_expression', 'satisfies_expression'].includes(at.parent.type)
  )
    at = at.parent;
  const up = at.parent;
  if (fn.type === 'method_definition' && name !== undefined) {
    const owner = up?.type === 'class_body' ? up.parent : undefined;
    const ownerName = owner && CLASS_TYPES.has(owner.type) ? definitionName(owner) : undefined;
    return `\`${ownerName ? `${ownerName}.${name}` : name}\``;
  }
  if (up?.type === 'assignment_expression') {
    const left = up.childForFieldName('left');
    if (left?.type === 'member_expression') return `\`${codeOf(left, 40)}\``;
  }
  if (name !== undefined && name !== 'default') return `\`${name}\``;
  if (name === 'default') return 'the default export';
  if (up?.type === 'arguments') {
    const call = up.parent;
    const callee = call?.childForFieldName('function') ?? call?.childForFieldName('constructor');
    if (callee) return `the callback of \`${codeOf(callee, 40)}\` at line ${fn.startPosition.row + 1}`;
  }
  return `the function at line ${fn.startPosition.row + 1}`;
}

/** Rows that hold only comments (or nothing), from the comment nodes of the tree. */
function commentOnlyRows(file: SourceFile): Set<number> {
  const rows = new Set<number>();
  for (const c of file.tree.rootNode.descendantsOfType(['comment'])) {
    const first = c.startPosition.row;
    const last = c.endPosition.row;
    for (let row = first; row <= last; row++) {
      const line = file.lines[row] ?? '';
      const before = row === first ? line.slice(0, c.startPosition.column) : '';
      const after = row === last ? line.slice(c.endPosition.column) : '';
      if (!before.trim() && !after.trim()) rows.add(row);
    }
  }
  return rows;
}

/** Code lines before each row: not blank and not only a comment (see `codeLinesBefore`). */
export function jsCodeLinesBefore(file: SourceFile): Uint32Array {
  const comments = commentOnlyRows(file);
  return codeLinesBefore(file.lines.length, (row) => !comments.has(row) && /\S/.test(file.lines[row] ?? ''));
}

/** What a measuring check says of each function; undefined for nothing. */
export function measureJsFunctions(
  root: Node,
  measure: (fn: Node, body: Node) => ListedSite | undefined,
): ListedSite[] {
  const sites: ListedSite[] = [];
  for (const fn of functionsOf(root)) {
    const body = bodyOf(fn);
    const site = body ? measure(fn, body) : undefined;
    if (site) sites.push(site);
  }
  return sites;
}

/** Methods of loggers and of `console` that write a record. */
const LOG_METHODS = new Set([
  'log',
  'debug',
  'info',
  'warn',
  'warning',
  'error',
  'fatal',
  'trace',
  'verbose',
]);
/** Receivers named as loggers: `logger`, `log`, `this.logger`, `Logger`, `winston`, `pino`. */
const LOGGER_NAME = /(^|\.)(_?log(ger)?|Log(ger)?|winston|pino|console)$/;

/** A call that writes a log record: `console.error(...)`, `logger.warn(...)`, `this.log.info(...)`. */
export function isJsLoggingCall(call: JsCall): boolean {
  const method = call.methodName;
  if (!method || !LOG_METHODS.has(method)) return false;
  const receiver = call.receiver && unwrap(call.receiver);
  return receiver !== undefined && LOGGER_NAME.test(receiver.text.replace(/\s+/g, ''));
}

/** Libraries that make a module a command-line program. */
const CLI_MODULES = new Set([
  'commander',
  'yargs',
  'minimist',
  'meow',
  'cac',
  'sade',
  'arg',
  'mri',
  '@oclif/core',
]);
/** Files a developer or a build tool runs: build configs, task runners, launchers. */
const TOOL_FILE =
  /(^|\/)(bin|cli|scripts?|tools|dev|devtools)\/[^/]+$|(^|\/)(cli|[\w.-]+[-.]cli|gulpfile|gruntfile|[\w.-]+\.config)\.[cm]?[jt]sx?$/i;

/**
 * Whether a file is a program's entry point or a tool rather than library code: a `#!` script, a
 * file in bin/, cli/, scripts/, tools/ or dev/, a `cli.js` or a build or test config
 * (`*.config.js`, Gruntfile), one that checks `require.main === module`, reads `process.argv` or
 * ends the process (`process.exit()`: a library leaves that to the program), or one that loads a
 * command-line parser (commander, yargs, minimist, ...). Code that runs tests counts too
 * (`isTestCode`: a fixture folder holds sample programs, which are judged as programs). Programs may
 * print; libraries should log.
 */
export function isJsEntryPoint(module: JsModule): boolean {
  const path = module.file.path.replace(/\\/g, '/');
  if (isTestCode(path) || TOOL_FILE.test(path)) return true;
  const text = module.file.text;
  if (text.startsWith('#!')) return true;
  if (/\brequire\.main\s*===?\s*module\b|\bmodule\s*===?\s*require\.main\b|\bimport\.meta\.main\b/.test(text))
    return true;
  if (/\bprocess\.(argv\b|exit\s*\()|\bparseArgs\s*\(/.test(text)) return true;
  return module.calls.some((c) => {
    const root = c.callee?.split('.')[0];
    return root !== undefined && CLI_MODULES.has(root);
  });
}

/** Inside a function named `main`, as a program's own code is. */
export function inMainFunction(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent)
    if (FUNCTION_TYPES.has(n.type) && definitionName(n) === 'main') return true;
  return false;
}
