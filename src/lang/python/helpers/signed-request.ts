import type { CallSite, PythonModule } from '../semantic/scope.js';
import type { Node } from '../../../parsing/parser.js';
import { enclosingFunction } from './functions.js';
import { destinationNames, nameParts } from './names.js';
import { literalWords } from './strings.js';

/**
 * The message of a signed request: one dictionary, tuple or list that carries both a nonce and a
 * signature (`{"nonce": nonce, "timestamp": ts, "signature": sign}` in the headers of a call to an
 * API, `return nonce, signature`). The receiver checks the signature with a key the sender shares
 * with it, and the nonce only has to differ between requests for its replay check: it travels in
 * clear, so its unpredictability protects nothing, and the digest the signature uses is the one the
 * receiver's protocol defines.
 */
const CONTAINERS = ['dictionary', 'tuple', 'expression_list', 'list'];
const SIGNING_WORDS = new Set(['signature', 'sig', 'sign', 'signed', 'hmac', 'mac']);

function isNonceName(name: string): boolean {
  return nameParts(name).includes('nonce');
}

function isSignatureName(name: string): boolean {
  return nameParts(name).some((p) => SIGNING_WORDS.has(p));
}

/** The variable an element of a message holds (`nonce`, a pair's value), with the names it is known by. */
function member(node: Node): { variable?: string; names: string[] } {
  if (node.type === 'pair') {
    const key = node.childForFieldName('key');
    const value = node.childForFieldName('value');
    const inner = value ? member(value) : { names: [] };
    const keyName = key?.type === 'string' ? literalWords(key) : undefined;
    return { variable: inner.variable, names: keyName ? [keyName, ...inner.names] : inner.names };
  }
  if (node.type === 'identifier') return { variable: node.text, names: [node.text] };
  if (node.type === 'attribute') {
    const a = node.childForFieldName('attribute')?.text;
    return { names: a ? [a] : [] };
  }
  return { names: [] };
}

/** The variables of a function that travel in the message of a signed request. */
export function signedRequestVariables(fn: Node): Set<string> {
  const variables = new Set<string>();
  for (const container of fn.descendantsOfType(CONTAINERS)) {
    if (!container || enclosingFunction(container)?.id !== fn.id) continue;
    const members = container.namedChildren.filter((c): c is Node => !!c).map(member);
    const names = members.flatMap((m) => m.names);
    if (!names.some(isNonceName) || !names.some(isSignatureName)) continue;
    for (const m of members) if (m.variable) variables.add(m.variable);
  }
  return variables;
}

/**
 * Whether the function also checks the variable itself (`sig == received`, `compare_digest(sig, x)`)
 * or keeps it for a later check (`session["nonce"] = nonce`, `self.nonce = nonce`).
 */
function kept(fn: Node, variable: string): boolean {
  const compared = fn
    .descendantsOfType('comparison_operator')
    .some((c) => c?.namedChildren.some((o) => o?.type === 'identifier' && o.text === variable));
  const checked = fn
    .descendantsOfType('call')
    .some(
      (c) =>
        /compare_digest$/.test(c?.childForFieldName('function')?.text ?? '') &&
        c?.childForFieldName('arguments')?.namedChildren.some((a) => a?.text === variable),
    );
  if (compared || checked) return true;
  return fn.descendantsOfType('assignment').some((a) => {
    const left = a?.childForFieldName('left');
    const right = a?.childForFieldName('right');
    return (
      (left?.type === 'subscript' || left?.type === 'attribute') &&
      right?.type === 'identifier' &&
      right.text === variable
    );
  });
}

/**
 * Whether the value of `node`, stored in a variable of its function, travels in a signed request
 * and nowhere else is kept.
 */
export function inSignedRequest(node: Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  const sent = signedRequestVariables(fn);
  const names = destinationNames(node);
  return names.length > 0 && names.every((n) => sent.has(n) && !kept(fn, n));
}

/**
 * Whether every call of the module's function `name` (at least one) stores its result in a variable
 * that travels in a signed request: a `def make_nonce()` whose nonces are only sent in clear.
 */
export function resultsOnlyInSignedRequests(name: string, module: PythonModule): boolean {
  const calls = module.calls.filter((c: CallSite) => calledName(c) === name);
  return calls.length > 0 && calls.every((c) => inSignedRequest(c.node));
}

/** `make_nonce()`, `self.make_nonce()`, `cls.make_nonce()`: the function's own name. */
function calledName(call: CallSite): string | undefined {
  const fn = call.node.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  const receiver = fn?.childForFieldName('object')?.text;
  if (fn?.type === 'attribute' && (receiver === 'self' || receiver === 'cls')) return call.methodName;
  return undefined;
}

export { isNonceName };
