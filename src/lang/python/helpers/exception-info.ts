/**
 * Whether an expression carries details of an exception: a traceback (`traceback.format_exc()`,
 * `sys.exc_info()`), or the message of an exception caught by `except ... as e` (`str(e)`,
 * `f"{e}"`, `e.args`), also through local names, containers, string building and the parameters of
 * a function of the module whose callers pass one (a stub error application made in an `except`).
 */
import type { Node } from '../../../parsing/parser.js';
import type { PythonModule } from '../semantic/scope.js';
import { localCallSites } from './views.js';

export interface ExceptionInfo {
  kind: 'traceback' | 'message';
  /** The expression the details come from (`traceback.format_exc()`, or the caught name). */
  origin: Node;
  /** For a message: the `except` clause's type, as written (`Exception`, `(OSError, ValueError)`). */
  caught?: string;
}

const TRACEBACK_CALLS = new Set([
  'traceback.format_exc',
  'traceback.format_exception',
  'traceback.format_exception_only',
  'traceback.format_tb',
  'traceback.format_stack',
  'traceback.extract_tb',
  'traceback.extract_stack',
  'sys.exc_info',
]);

/** Builtins whose result is text or data made from their argument. */
const CONVERSIONS = new Set([
  'builtins.str',
  'builtins.repr',
  'builtins.format',
  'builtins.dict',
  'builtins.list',
  'json.dumps',
]);

/** String methods whose result holds their receiver's and arguments' text. */
const TEXT_METHODS = new Set(['format', 'join', 'replace', 'strip', 'encode', 'decode', 'lower', 'upper']);

/**
 * Attributes of an exception that hold its text or the data behind it: the arguments and message,
 * an OS error's file name, a database driver's original error, a failed command's output. Others
 * (`status_code`, `errno`, `code`) are numbers or names that tell nothing of the system.
 */
const DETAIL_ATTRIBUTES = new Set([
  'args',
  'message',
  'msg',
  'strerror',
  'filename',
  'filename2',
  'orig',
  'output',
  'stdout',
  'stderr',
  'reason',
  '__traceback__',
  '__cause__',
  '__context__',
]);

/**
 * Exceptions meant for the client: validation and HTTP errors whose message the application wrote
 * for the user (a form's errors, "not found"), and errors of parsing the client's own input.
 */
const CLIENT_FACING =
  /^(?:\w*Validation\w*|Invalid\w*|ValueError|\w*HTTP\w*|\w*Http\w*|BadRequest\w*|\w*NotFound\w*|\w*Forbidden\w*|PermissionDenied|\w*Unauthori[sz]ed\w*|\w*Form\w*Error|\w*Schema\w*Error|\w*ParseError|\w*DecodeError|UserError|\w*Conflict\w*|\w*AlreadyExists\w*)$/;

const MAX_DEPTH = 6;

/** Whether every class an `except` clause names is one meant for the client. */
export function catchesOnlyClientErrors(caught: string): boolean {
  const names = caught
    .replace(/[()\s]/g, '')
    .split(',')
    .filter((n) => n !== '');
  return names.length > 0 && names.every((n) => CLIENT_FACING.test(n.split('.').pop() ?? n));
}

function parameterIndex(def: Node, name: string): { index: number; keyword: string } | undefined {
  const params = def.childForFieldName('parameters')?.namedChildren ?? [];
  let index = 0;
  for (const p of params) {
    if (!p) continue;
    const id =
      p.type === 'identifier'
        ? p
        : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
    if (
      p.type === 'list_splat_pattern' ||
      p.type === 'dictionary_splat_pattern' ||
      p.type === 'keyword_separator'
    )
      return undefined;
    if (id?.text === name) return { index, keyword: name };
    index++;
  }
  return undefined;
}

/** What the callers of the function that has `param` pass for it, when one passes exception details. */
function throughCallers(
  param: Node,
  name: string,
  module: PythonModule,
  depth: number,
): ExceptionInfo | undefined {
  let def: Node | null = param.parent;
  while (def && def.type !== 'function_definition') def = def.parent;
  if (!def) return undefined;
  const at = parameterIndex(def, name);
  if (!at) return undefined;
  for (const call of localCallSites(def, module)) {
    const arg = call.argument(at.index, at.keyword);
    const found = arg && exceptionInfo(arg, module, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * What the code between a container's binding and its read stores into it (`reply["traceback"] =
 * traceback.format_exc()`), in the same function.
 */
function storedInto(read: Node, bound: Node, module: PythonModule, depth: number): ExceptionInfo | undefined {
  let scope: Node | null = read.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return undefined;
  for (const a of scope.descendantsOfType('assignment')) {
    if (!a || a.startIndex < bound.startIndex || a.endIndex > read.startIndex) continue;
    const left = a.childForFieldName('left');
    const target = left?.type === 'subscript' ? left.childForFieldName('value') : undefined;
    const right = a.childForFieldName('right');
    if (target?.type !== 'identifier' || target.text !== read.text || !right) continue;
    const found = exceptionInfo(right, module, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function fromName(node: Node, module: PythonModule, depth: number): ExceptionInfo | undefined {
  const found = module.scopeOf(node).lookup(node.text);
  if (!found || found.bindings.length === 0) return undefined;
  for (const b of found.bindings) {
    if (b.kind === 'opaque' && b.node.type === 'as_pattern' && b.node.parent?.type === 'except_clause') {
      // Only a read inside the clause (or a function defined there) sees the caught exception.
      const clause = b.node.parent;
      if (node.startIndex < clause.startIndex || node.endIndex > clause.endIndex) continue;
      const type = b.node.namedChildren.find((c) => c && c.type !== 'as_pattern_target');
      return { kind: 'message', origin: node, caught: type?.text ?? 'BaseException' };
    }
    if (b.kind === 'value') {
      if (b.value.startIndex <= node.startIndex && b.value.endIndex >= node.endIndex) continue;
      const inner = exceptionInfo(b.value, module, depth + 1) ?? storedInto(node, b.node, module, depth);
      if (inner) return inner;
    }
    if (b.kind === 'param') {
      const inner = throughCallers(b.node, node.text, module, depth);
      if (inner) return inner;
    }
  }
  return undefined;
}

function fromCall(node: Node, module: PythonModule, depth: number): ExceptionInfo | undefined {
  const fn = node.childForFieldName('function');
  if (!fn) return undefined;
  const q = module.qualifiedName(fn);
  if (q && TRACEBACK_CALLS.has(q)) return { kind: 'traceback', origin: node };
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).map((a) =>
    a?.type === 'keyword_argument' ? a.childForFieldName('value') : a,
  );
  const inArgs = (): ExceptionInfo | undefined => {
    for (const a of args) {
      const found = a && exceptionInfo(a, module, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  if (q && CONVERSIONS.has(q)) return inArgs();
  if (fn.type === 'attribute' && TEXT_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
    const receiver = fn.childForFieldName('object');
    return (receiver && exceptionInfo(receiver, module, depth + 1)) ?? inArgs();
  }
  return undefined;
}

/** The exception details `node` carries, if any. */
export function exceptionInfo(node: Node, module: PythonModule, depth = 0): ExceptionInfo | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'identifier':
      return fromName(node, module, depth);
    case 'call':
      return fromCall(node, module, depth);
    case 'attribute': {
      const attr = node.childForFieldName('attribute')?.text ?? '';
      const object = node.childForFieldName('object');
      return DETAIL_ATTRIBUTES.has(attr) && object ? exceptionInfo(object, module, depth + 1) : undefined;
    }
    case 'keyword_argument': {
      const value = node.childForFieldName('value');
      return value ? exceptionInfo(value, module, depth + 1) : undefined;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      return value ? exceptionInfo(value, module, depth + 1) : undefined;
    }
    case 'interpolation':
    case 'parenthesized_expression':
    case 'pair':
    case 'conditional_expression':
    case 'binary_operator':
    case 'string':
    case 'concatenated_string':
    case 'dictionary':
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
    case 'await': {
      for (const c of node.namedChildren) {
        if (!c) continue;
        // A dict's keys and a conditional's test do not reach the body.
        if (node.type === 'pair' && c.id === node.childForFieldName('key')?.id) continue;
        if (node.type === 'conditional_expression' && c.id === node.namedChildren[1]?.id) continue;
        const found = exceptionInfo(c, module, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
