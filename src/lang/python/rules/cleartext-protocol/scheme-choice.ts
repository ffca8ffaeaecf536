import { elementsOf, stringValue } from '../../helpers/constants.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';

/**
 * A cleartext client that runs only when a URL's scheme names its protocol is protocol support: the
 * program speaks FTP because whoever configured it wrote `ftp://` (next to `s3://`, `file://`, ...),
 * as urllib does. This finds the code that makes that choice: a table of schemes whose `"ftp"` entry
 * is the class or function around the client, a branch on the scheme, or a guard that leaves unless
 * the URL has it (in the function or its class's `__init__`). A client given a host written in the
 * code does not count: nothing was left to configure.
 */

/** URL schemes by the protocol's name in the rule's table. */
const SCHEMES: Record<string, readonly string[]> = {
  FTP: ['ftp'],
  Telnet: ['telnet'],
  POP3: ['pop', 'pop3'],
  IMAP: ['imap'],
};

/** What a test of the scheme proves: `is` when it holds only for the scheme, `isNot` when it fails only for it. */
type Polarity = 'is' | 'isNot';

/** The node that selects the client by URL scheme, or undefined. */
export function schemeChoice(call: CallSite, protocol: string, module: PythonModule): Node | undefined {
  const schemes = SCHEMES[protocol];
  if (!schemes) return undefined;
  const names = (n: Node | null | undefined): boolean => {
    const v = stringValue(n ?? undefined, module);
    return v !== undefined && schemes.includes(v.toLowerCase().replace(/:(?:\/\/)?$/, ''));
  };
  const enclosing: Node[] = [];
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') enclosing.push(n);
    // if scheme == "ftp": FTP(...)
    const branch =
      n.type === 'if_statement' || n.type === 'elif_clause' ? n.childForFieldName('consequence') : null;
    const condition = n.childForFieldName('condition');
    if (branch && condition && contains(branch, call.node) && test(condition, names) === 'is')
      return condition;
  }
  const table = tableEntry(enclosing, names, module);
  if (table) return table;
  const fn = enclosing[0]?.type === 'function_definition' ? enclosing[0] : undefined;
  const guard = fn && exitGuard(fn, call.node, names);
  if (guard) return guard;
  const cls = enclosing.find((d) => d.type === 'class_definition');
  const init = cls
    ?.childForFieldName('body')
    ?.namedChildren.find(
      (d) => d?.type === 'function_definition' && d.childForFieldName('name')?.text === '__init__',
    );
  return init ? exitGuard(init, undefined, names) : undefined;
}

/** Parsers whose result names a URL's parts (`urlparse(uri).hostname`). */
const URL_PARSERS = new Set([
  'urllib.parse.urlparse',
  'urllib.parse.urlsplit',
  'urlparse.urlparse',
  'urlparse.urlsplit',
]);

/**
 * The read of a parsed URL's host in the class around the client (or its function, outside a
 * class): `parts = urlparse(uri)` then `parts.hostname`. The client then connects where a URL it
 * was given says, so the URL's scheme asked for the protocol, as with a scheme table in another
 * module (a registry's `register("ftp", FtpStore)`). Undefined when no such read is found.
 */
export function urlHostRead(call: CallSite, module: PythonModule): Node | undefined {
  let scope: Node | undefined;
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'class_definition') {
      scope = n;
      break;
    }
    if (n.type === 'function_definition') scope ??= n;
  }
  if (!scope) return undefined;
  const parsed = (n: Node | null): boolean => {
    if (n?.type === 'identifier') n = module.singleValue(n) ?? null;
    const fn = n?.type === 'call' ? n.childForFieldName('function') : null;
    return !!fn && URL_PARSERS.has(module.qualifiedName(fn) ?? '');
  };
  for (const a of scope.descendantsOfType('attribute')) {
    if (a?.childForFieldName('attribute')?.text !== 'hostname') continue;
    if (parsed(a.childForFieldName('object'))) return a;
  }
  return undefined;
}

/** True when the client is given a host written in the code, in its call or its `connect`/`open`. */
export function fixedHost(call: CallSite, module: PythonModule): boolean {
  if (stringValue(call.argument(0, 'host'), module) !== undefined) return true;
  return module.calls.some((c) => {
    if ((c.methodName !== 'connect' && c.methodName !== 'open') || c.receiver?.type !== 'identifier')
      return false;
    const bindings = module.scopeOf(c.receiver).lookup(c.receiver.text)?.bindings ?? [];
    const opened = bindings.some(
      (b) => (b.kind === 'value' || b.kind === 'with') && b.value.id === call.node.id,
    );
    return opened && stringValue(c.argument(0, 'host'), module) !== undefined;
  });
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** `{"ftp": FtpStore, ...}`: an entry keyed by the scheme whose value is a definition around the client. */
function tableEntry(enclosing: Node[], names: (n: Node) => boolean, module: PythonModule): Node | undefined {
  if (!enclosing.length) return undefined;
  for (const pair of module.file.tree.rootNode.descendantsOfType('pair')) {
    const value = pair?.childForFieldName('value');
    if (!pair || value?.type !== 'identifier' || !names(pair.childForFieldName('key') as Node)) continue;
    const def = module.singleDefinition(value);
    if (def && enclosing.some((d) => d.id === def.id)) return pair;
  }
  return undefined;
}

/** `if not url.startswith("ftp://"): raise ...` in a function, before `at` when given. */
function exitGuard(fn: Node, at: Node | undefined, names: (n: Node) => boolean): Node | undefined {
  for (const stmt of fn.childForFieldName('body')?.namedChildren ?? []) {
    if (!stmt || (at && stmt.startIndex >= at.startIndex)) break;
    const condition = stmt.type === 'if_statement' ? stmt.childForFieldName('condition') : null;
    const exits = stmt
      .childForFieldName('consequence')
      ?.namedChildren.some((s) => s?.type === 'raise_statement' || s?.type === 'return_statement');
    if (condition && exits && !stmt.childForFieldName('alternative') && test(condition, names) === 'isNot')
      return condition;
  }
  return undefined;
}

/** What a condition proves about the scheme (see Polarity), or undefined when it tests something else. */
function test(node: Node, names: (n: Node) => boolean): Polarity | undefined {
  const flip = (p: Polarity | undefined): Polarity | undefined =>
    p === 'is' ? 'isNot' : p === 'isNot' ? 'is' : undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? test(inner, names) : undefined;
    }
    case 'not_operator': {
      const arg = node.childForFieldName('argument');
      return arg ? flip(test(arg, names)) : undefined;
    }
    case 'boolean_operator': {
      // `a and b` holds only when both do; `a or b` fails only when both do.
      const op = node.childForFieldName('operator')?.text;
      const want: Polarity = op === 'and' ? 'is' : 'isNot';
      const sides = [node.childForFieldName('left'), node.childForFieldName('right')];
      return sides.some((s) => s && test(s, names) === want) ? want : undefined;
    }
    case 'comparison_operator': {
      const operands = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      const op = node
        .childrenForFieldName('operators')
        .map((o) => o.text)
        .join(' ');
      if (operands.length !== 2) return undefined;
      if (op === '==' || op === '!=')
        return operands.some(names) ? (op === '==' ? 'is' : 'isNot') : undefined;
      if (op !== 'in' && op !== 'not in') return undefined;
      return elementsOf(operands[1]).some(names) ? (op === 'in' ? 'is' : 'isNot') : undefined;
    }
    case 'call': {
      // url.startswith("ftp://") or url.startswith(("ftp://", "ftps://"))
      const fn = node.childForFieldName('function');
      const arg = node.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'startswith' || !arg)
        return undefined;
      return names(arg) || elementsOf(arg).some(names) ? 'is' : undefined;
    }
    default:
      return undefined;
  }
}
