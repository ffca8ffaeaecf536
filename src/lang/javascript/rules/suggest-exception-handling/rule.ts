import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import { aggregate, hidingHandlers, lineOf } from '../../../../rules/suggestions.js';
import { isJsLoggingCall } from '../../helpers/suggestions.js';
import type { JsCall } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

type Hiding = 'empty' | 'default' | 'log';
type Handler = '`catch`' | '`.catch()` callback';

const DESCRIBE: Record<Hiding, string> = {
  empty: 'that is empty',
  default: 'that returns a default',
  log: 'that logs without the error',
};

const QUIET = new Set(['empty_statement', 'continue_statement', 'break_statement']);
const LITERALS = new Set(['null', 'undefined', 'true', 'false', 'number', 'string']);

/** `null`, `undefined`, `false`, `0`, `-1`, `''`, `` `text` ``, `[]`, `{}`: a value that says nothing of the error. */
function isLiteralDefault(value: Node): boolean {
  const v = unwrap(value);
  if (LITERALS.has(v.type)) return true;
  if (v.type === 'identifier') return v.text === 'undefined';
  if (v.type === 'template_string') return !v.namedChildren.some((c) => c.type === 'template_substitution');
  if (v.type === 'array' || v.type === 'object') return v.namedChildCount === 0;
  return v.type === 'unary_expression' && /^[-!]\s*\d+$/.test(v.text);
}

/**
 * Calls whose errors are an answer about their input: parsing, decoding, a URL, a file-system look-up
 * or read, loading a module that may not be installed. A handler around these alone catches what
 * Python names `except (ValueError, OSError, ImportError)`, which is not reported there either.
 */
const ANSWERING_CALLS =
  /^(JSON\.parse|JSON\.stringify|URL|URL\.parse|decodeURIComponent|decodeURI|atob|BigInt|RegExp|require|require\.resolve|import|(node:)?fs(\.promises|\/promises)?\.(stat|lstat|access|readFile|readdir|realpath|readlink|open|statSync|lstatSync|accessSync|readFileSync|readdirSync|realpathSync|readlinkSync|openSync))$/;
/**
 * Functions whose name says they judge their input: `ipaddr.parseCIDR`, `jwt.verify`,
 * `schema.validate`, `User.isPasswordValid`. Their error is the verdict.
 */
const ANSWERING_NAME = /^(parse|decode|validate|verify)([A-Z_]|$)|^is[A-Z]\w*Valid/;

/** Calls that do not throw on well-typed values: they may stand beside the answering calls. */
const PLAIN_METHODS = new Set(
  'split pop shift trim trimStart trimEnd slice substring toLowerCase toUpperCase toString replace replaceAll join startsWith endsWith includes indexOf at map filter match test'.split(
    ' ',
  ),
);

/** The name a call goes by: canonical when it resolves, else as written. */
function calleeName(call: JsCall): string {
  return call.callee ?? call.functionNode?.text.replace(/\s+/g, '') ?? '';
}

/**
 * Whether the calls of the guarded code (nested functions left out) are answering calls, with
 * plain string and `path` helpers beside them: the handler expects their errors.
 */
function expectsItsErrors(
  guarded: Node,
  calls: readonly JsCall[],
  ignore: ReadonlySet<string> = new Set(),
): boolean {
  const own = calls.filter((c) => within(c.node, guarded) && !insideFunction(c.node, guarded));
  let answering = 0;
  for (const c of own) {
    const name = calleeName(c);
    if (ANSWERING_CALLS.test(name) || ANSWERING_NAME.test(name.slice(name.lastIndexOf('.') + 1))) answering++;
    else if (!(
      name.startsWith('path.') ||
      PLAIN_METHODS.has(c.methodName ?? '') ||
      ignore.has(c.methodName ?? '')
    ))
      return false;
  }
  return answering > 0;
}

const within = (node: Node, root: Node): boolean =>
  node.startIndex >= root.startIndex && node.endIndex <= root.endIndex;

function insideFunction(node: Node, root: Node): boolean {
  for (let p = node.parent; p && !p.equals(root); p = p.parent) if (FUNCTION_TYPES.has(p.type)) return true;
  return false;
}

/** Nodes of the given types in `root`, not inside a function nested in it. */
function ownDescendants(root: Node, types: readonly string[]): Node[] {
  return root.descendantsOfType(types).filter((n) => {
    for (let p = n.parent; p && !p.equals(root); p = p.parent) if (FUNCTION_TYPES.has(p.type)) return false;
    return true;
  });
}

/** The names a catch parameter binds (`e`, or `{ message }`). */
function boundNames(param: Node | null | undefined): Set<string> {
  if (!param) return new Set();
  const ids =
    param.type === 'identifier'
      ? [param]
      : param.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']);
  return new Set(ids.map((i) => i.text));
}

/** Whether a node reads one of the names. */
function mentions(node: Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  // `logger.warn('failed', { err })` names it in a shorthand property.
  const reads = ['identifier', 'shorthand_property_identifier'];
  if (reads.includes(node.type) && names.has(node.text)) return true;
  return node.descendantsOfType(reads).some((id) => names.has(id.text));
}

/**
 * How a handler body hides the error, or undefined when it does not: it rethrows, reads the error,
 * or does something else with the failure.
 */
function hiding(body: Node, names: ReadonlySet<string>, logCalls: readonly JsCall[]): Hiding | undefined {
  if (body.type !== 'statement_block') {
    // An arrow's expression: `() => null`, `() => logger.warn('failed')`.
    if (mentions(body, names)) return undefined;
    if (isLiteralDefault(body)) return 'default';
    const call = logCalls.find((c) => c.node.equals(unwrap(body)));
    return call ? 'log' : undefined;
  }
  const statements = body.namedChildren.filter((c) => c.type !== 'comment');
  if (statements.every((s) => QUIET.has(s.type))) return 'empty';
  if (ownDescendants(body, ['throw_statement']).length) return undefined;
  if (mentions(body, names)) return undefined;
  if (logCalls.some((c) => within(c.node, body))) return 'log';
  // Only a `return` of a default: a handler that does more (a fallback, a message to the user)
  // handles the failure.
  const only =
    statements.length === 1 && statements[0].type === 'return_statement' ? statements[0] : undefined;
  const value = only?.namedChildren.find((c) => c.type !== 'comment');
  return only && (!value || isLiteralDefault(value)) ? 'default' : undefined;
}

const THEN = new Set(['then', 'finally']);

const FIX =
  'Handle the errors you expect and rethrow the others; log the error object itself ' +
  '(`logger.warn({ err }, "cannot read settings")`, `console.error("cannot read settings", err)`) so ' +
  'its stack is kept, and return a result the caller can tell from success.';

export default defineRule({
  id: 'javascript/suggest-exception-handling',
  title: 'Exception handling that hides errors',
  cwe: 390,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['javascript'],
  requires: ['catch'],
  description:
    'A `catch` block or a promise `.catch()` callback that is empty, returns a default value or logs ' +
    'a message without the error turns every failure, including programming errors, into silent ' +
    'wrong results; the cause is lost when someone later has to find out what went wrong. ' +
    '(JavaScript cannot catch one kind of error only, so every handler that neither rethrows nor ' +
    'reads the error is considered.)',
  fix: FIX,
  example: {
    bad: 'try {\n  return JSON.parse(await readFile(path, "utf8"));\n} catch {\n  return {};\n}',
    good:
      'try {\n  return JSON.parse(await readFile(path, "utf8"));\n} catch (err) {\n' +
      '  if (err.code === "ENOENT") return {};\n  throw err;\n}',
  },
  check({ file, module, report }) {
    const logCalls = module.calls.filter(isJsLoggingCall);
    const sites: { node: Node; kind: Hiding; handler: Handler }[] = [];
    for (const clause of file.tree.rootNode.descendantsOfType(['catch_clause'])) {
      const body = clause.childForFieldName('body');
      const guarded = clause.parent?.childForFieldName('body');
      if (!body || (guarded && expectsItsErrors(guarded, module.calls))) continue;
      const kind = hiding(body, boundNames(clause.childForFieldName('parameter')), logCalls);
      if (kind) sites.push({ node: clause, kind, handler: '`catch`' });
    }
    for (const call of module.calls) {
      if (call.methodName !== 'catch' || call.args.length !== 1 || call.hasSpread) continue;
      const callback = unwrap(call.args[0]);
      if (!FUNCTION_TYPES.has(callback.type)) continue;
      const params = callback.childForFieldName('parameters') ?? callback.childForFieldName('parameter');
      const body = callback.childForFieldName('body');
      const promise = call.receiver;
      if (!body || (promise && expectsItsErrors(promise, module.calls, THEN))) continue;
      const kind = hiding(body, boundNames(params), logCalls);
      if (kind) sites.push({ node: callback, kind, handler: '`.catch()` callback' });
    }
    const found = aggregate(sites);
    if (!found) return;
    const groups = new Map<string, typeof sites>();
    for (const s of found.sites) {
      const key = `${s.handler} ${s.kind}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    let previous = '';
    const parts = [...groups.values()].map((of) => {
      const lines = [...new Set(of.map((s) => lineOf(s.node)))];
      const where = groups.size > 1 ? ` (${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')})` : '';
      // "`catch` that is empty (line 20), that returns a default (line 28)"
      const handler = of[0].handler === previous ? '' : `${of[0].handler} `;
      previous = of[0].handler;
      return `${handler}${DESCRIBE[of[0].kind]}${where}`;
    });
    report({
      node: found.node,
      lines: found.lines,
      message: `${hidingHandlers(found.sites.length)}: ${parts.join(', ')}.`,
    });
  },
});
