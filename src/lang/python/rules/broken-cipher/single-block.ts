import { maxByteLength } from '../../helpers/byte-length.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';

/**
 * ECB's weakness is that equal plaintext blocks give equal ciphertext blocks: it needs two blocks
 * under one cipher object. A cipher object that a function keeps to itself and passes at most one
 * block of data, proven by its length (a 16-byte constant, `data[:16]`, `os.urandom(16)`), uses the
 * block cipher as the single-block primitive that key derivation and one-block token formats (a
 * hardware token's OTP, a static password derived from a key) define. Data of unknown length, a
 * cipher object returned, stored or handed to another function, and calls in a loop the cipher
 * object was made outside of are not proven and stay reported.
 */

/** The cipher call an ECB mode is given to, and its algorithm's block size in bytes. */
export interface EcbCipher {
  node: Node;
  blockBytes: number;
}

/** `cryptography` cipher objects' methods that make an encryption or decryption context. */
const CONTEXT_METHODS = new Set(['encryptor', 'decryptor']);
/** Methods that take the data, with the keywords that may name it. */
const DATA_METHODS: Record<string, string[]> = {
  update: ['data'],
  update_into: ['data'],
  encrypt: ['plaintext'],
  decrypt: ['ciphertext'],
};
/** Nodes whose body may run more than once, or at another time, than the code around them. */
const REGIONS = new Set([
  'for_statement',
  'while_statement',
  'function_definition',
  'lambda',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

/** True when the ECB cipher made by `ecb` processes at most one block, as the code proves. */
export function singleBlockUse(
  ecb: CallSite,
  cipher: EcbCipher | undefined,
  calls: ReadonlyMap<number, CallSite>,
  module: PythonModule,
): boolean {
  if (!cipher) return false;
  const region = regionOf(ecb.node);
  const data = dataCalls(cipher.node, calls, module, 0);
  if (!data?.every((c) => regionOf(c.node) === region)) return false;
  let total = 0;
  for (const call of data) {
    const arg = call.hasSplat ? undefined : call.argument(0, ...DATA_METHODS[call.methodName ?? '']);
    const n = arg ? maxByteLength(arg, module) : undefined;
    if (n === undefined) return false;
    total += n;
  }
  return total <= cipher.blockBytes;
}

/**
 * True when the cipher object made by the ECB cipher call is kept to the function and only decrypts:
 * its data goes only to `decrypt` or through `decryptor()` contexts. ECB's weakness shows in the
 * ciphertext its encryption produces, and that mode was chosen by whoever encrypted the data (a
 * device, a partner, a file format), not by this code.
 */
export function decryptOnlyUse(
  cipher: EcbCipher | undefined,
  calls: ReadonlyMap<number, CallSite>,
  module: PythonModule,
): boolean {
  if (!cipher) return false;
  const uses = methodCallsOn(cipher.node, calls, module);
  if (!uses?.length) return false;
  for (const use of uses) {
    const method = use.methodName ?? '';
    if (method === 'decrypt') continue;
    if (method !== 'decryptor') return false;
    const inner = dataCalls(use.node, calls, module, 1);
    if (!inner?.every((c) => c.methodName === 'update' || c.methodName === 'update_into')) return false;
  }
  return true;
}

/**
 * The data calls made on a cipher object (or on the contexts it makes), or undefined when the object
 * is used in any other way, so that data may reach it unseen.
 */
function dataCalls(
  object: Node,
  calls: ReadonlyMap<number, CallSite>,
  module: PythonModule,
  depth: number,
): CallSite[] | undefined {
  const uses = methodCallsOn(object, calls, module);
  if (!uses) return undefined;
  const out: CallSite[] = [];
  for (const use of uses) {
    const method = use.methodName ?? '';
    if (method in DATA_METHODS) out.push(use);
    else if (CONTEXT_METHODS.has(method) && depth === 0) {
      const inner = dataCalls(use.node, calls, module, depth + 1);
      if (!inner) return undefined;
      out.push(...inner);
    } else if (method !== 'finalize') return undefined;
  }
  return out;
}

/**
 * The method calls on the object an expression makes: one called on it at once, or on a local name
 * bound once to it and read only as the receiver of method calls. Undefined when the object may
 * escape (returned, stored, passed on, bound at module level where other modules may import it).
 */
function methodCallsOn(
  value: Node,
  calls: ReadonlyMap<number, CallSite>,
  module: PythonModule,
): CallSite[] | undefined {
  const direct = receiverCall(value, calls);
  if (direct) return [direct];
  const assignment = value.parent;
  const target = assignment?.childForFieldName('left');
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== value.id)
    return undefined;
  if (target?.type !== 'identifier') return undefined;
  const found = module.scopeOf(target).lookup(target.text);
  if (
    found?.scope.kind !== 'function' ||
    found.bindings.length !== 1 ||
    found.bindings[0].node.id !== target.id
  )
    return undefined;
  const out: CallSite[] = [];
  for (const ref of found.scope.node.descendantsOfType('identifier')) {
    if (!ref || ref.text !== target.text || ref.id === target.id) continue;
    const parent = ref.parent;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === ref.id) continue;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === ref.id) continue;
    // The same name bound in a nested scope is another variable.
    if (module.scopeOf(ref).lookup(ref.text)?.bindings[0]?.node.id !== target.id) continue;
    const call = receiverCall(ref, calls);
    if (!call) return undefined;
    out.push(call);
  }
  return out;
}

/** The call `value.method(...)` when `value` is its receiver. */
function receiverCall(value: Node, calls: ReadonlyMap<number, CallSite>): CallSite | undefined {
  const attribute = value.parent;
  if (attribute?.type !== 'attribute' || attribute.childForFieldName('object')?.id !== value.id)
    return undefined;
  const call = attribute.parent ? calls.get(attribute.parent.id) : undefined;
  return call?.node.childForFieldName('function')?.id === attribute.id ? call : undefined;
}

/** The innermost loop, comprehension or function around a node (the module's root outside them). */
function regionOf(node: Node): number {
  let n = node.parent;
  while (n?.parent && !REGIONS.has(n.type)) n = n.parent;
  return n?.id ?? node.id;
}
