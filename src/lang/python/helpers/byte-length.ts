import type { Node } from '../../../parsing/parser.js';
import { constantValue, isMutatedInPlace } from '../semantic/constant.js';
import type { PythonModule } from '../semantic/scope.js';

/**
 * How many bytes a value can hold at most, when the code as written bounds it: a bytes literal, hex
 * decoded from a constant, random bytes of a constant count, a slice with constant bounds, and
 * names bound once to such a value. A rule asks it to tell one cipher block from a stream of them
 * (ECB mode leaks only across blocks). Undefined means no bound is proven.
 */
export function maxByteLength(node: Node, module: PythonModule): number | undefined {
  return bound(node, module, new Set());
}

/** Calls that decode the hex text of their first argument. */
const HEX_DECODERS = new Set([
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'base64.b16decode',
  'builtins.bytes.fromhex',
  'builtins.bytearray.fromhex',
]);
/** Calls that return as many random bytes as their first argument says. */
const RANDOM_BYTES = new Set([
  'os.urandom',
  'secrets.token_bytes',
  'random.randbytes',
  'Crypto.Random.get_random_bytes',
  'Cryptodome.Random.get_random_bytes',
]);
/** `hashlib.<name>(...).digest()` and its size in bytes. */
const DIGEST = /^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512)\(\)\.digest$/;
const DIGEST_BYTES: Record<string, number> = {
  md5: 16,
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};
/** Encodings that give one byte per ASCII character. */
const ASCII_ENCODINGS = /^(utf-?8|ascii|us-ascii|latin-?1|iso-?8859-?1)$/i;

function bound(node: Node, module: PythonModule, seen: Set<number>): number | undefined {
  const inner = (n: Node | null | undefined): number | undefined => (n ? bound(n, module, seen) : undefined);
  switch (node.type) {
    case 'parenthesized_expression':
      return inner(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'string':
      return bytesLiteralLength(node, module);
    case 'concatenated_string':
      return sum(node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(inner));
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (op === '+') return sum([inner(left), inner(right)]);
      if (op !== '*' || !left || !right) return undefined;
      // b"\0" * 16 or 16 * b"\0"
      const times = integerValue(right, module) ?? integerValue(left, module);
      const unit = integerValue(right, module) !== undefined ? inner(left) : inner(right);
      return times !== undefined && unit !== undefined ? Math.max(0, times) * unit : undefined;
    }
    case 'subscript':
      return sliceBound(node, module, seen);
    case 'call':
      return callBound(node, module, seen);
    case 'identifier': {
      const value = module.singleValue(node);
      const scope = module.scopeOf(node).lookup(node.text)?.scope;
      if (!value || !scope || seen.has(value.id) || isMutatedInPlace(node.text, scope.node)) return undefined;
      seen.add(value.id);
      try {
        return bound(value, module, seen);
      } finally {
        seen.delete(value.id);
      }
    }
    default:
      return undefined;
  }
}

function sum(parts: (number | undefined)[]): number | undefined {
  let total = 0;
  for (const p of parts) {
    if (p === undefined) return undefined;
    total += p;
  }
  return total;
}

function integerValue(node: Node | null | undefined, module: PythonModule): number | undefined {
  const v = node ? constantValue(node, module)?.value : undefined;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/**
 * The length of a `b"..."` literal. Escapes that only text strings decode (`\N{...}`, `\u`, `\U`)
 * stay as written in bytes, so a literal holding one is left unmeasured rather than miscounted.
 */
function bytesLiteralLength(node: Node, module: PythonModule): number | undefined {
  const prefix = node.namedChildren[0]?.type === 'string_start' ? node.namedChildren[0].text : '';
  if (!/b/i.test(prefix)) return undefined;
  if (/\\[NuU]/.test(node.text)) return undefined;
  const v = constantValue(node, module)?.value;
  return typeof v === 'string' ? v.length : undefined;
}

/** The bound of `value[start:stop]` with constant bounds and no step (or step 1). */
function sliceBound(node: Node, module: PythonModule, seen: Set<number>): number | undefined {
  const value = node.childForFieldName('value');
  const slice = node.childForFieldName('subscript');
  if (!value || slice?.type !== 'slice' || node.childrenForFieldName('subscript').length !== 1)
    return undefined;
  // The parts around the colons: [start, stop, step], each absent or an expression.
  const parts: (Node | undefined)[] = [undefined];
  for (const c of slice.children) {
    if (c.type === ':') parts.push(undefined);
    else if (c.type !== 'comment') parts[parts.length - 1] = c;
  }
  const [startNode, stopNode, stepNode] = parts;
  if (stepNode && integerValue(stepNode, module) !== 1) return undefined;
  const start = startNode ? integerValue(startNode, module) : 0;
  const stop = stopNode ? integerValue(stopNode, module) : undefined;
  const whole = bound(value, module, seen);
  if (start === undefined || (stopNode && stop === undefined)) return whole;
  let span: number | undefined;
  if (stop === undefined) span = start < 0 ? -start : undefined;
  else if (start >= 0 === stop >= 0) span = Math.max(0, stop - start);
  if (span === undefined) return whole;
  return whole === undefined ? span : Math.min(span, whole);
}

function callBound(node: Node, module: PythonModule, seen: Set<number>): number | undefined {
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => !!c && c.type !== 'comment',
  );
  if (!fn || args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const first = args[0]?.type === 'keyword_argument' ? undefined : args[0];
  const callee = module.qualifiedName(fn);
  if (callee && HEX_DECODERS.has(callee)) {
    const v = first ? constantValue(first, module)?.value : undefined;
    const hex = typeof v === 'string' ? v.replace(/\s+/g, '') : undefined;
    return hex !== undefined && /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? hex.length / 2 : undefined;
  }
  if (callee && RANDOM_BYTES.has(callee)) return integerValue(first, module);
  const digest = callee ? DIGEST.exec(callee) : null;
  if (digest) return DIGEST_BYTES[digest[1]];
  if (callee === 'builtins.bytes' || callee === 'builtins.bytearray') {
    // bytes(16) is sixteen zero bytes; bytes(b"...") copies its argument.
    if (!first || args.length !== 1) return undefined;
    return integerValue(first, module) ?? bound(first, module, seen);
  }
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text;
  const receiver = fn.childForFieldName('object');
  if (method === 'to_bytes') {
    // int.to_bytes(length, byteorder): exactly `length` bytes (or OverflowError). Other types'
    // `to_bytes()` without a length say nothing.
    const length = args.find(
      (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'length',
    );
    return integerValue(length ? length.childForFieldName('value') : first, module);
  }
  if (method === 'encode' && receiver) {
    // "...".encode() of ASCII text: one byte per character.
    const text = constantValue(receiver, module)?.value;
    const encoding = first ? constantValue(first, module)?.value : 'utf-8';
    if (typeof text !== 'string' || typeof encoding !== 'string' || !ASCII_ENCODINGS.test(encoding))
      return undefined;
    // Constant folding keeps a `%` format's template, not its result: its length is not the text's.
    if (text.includes('%')) return undefined;
    if (receiver.type === 'string' && /b/i.test(receiver.namedChildren[0]?.text ?? '')) return undefined;
    // eslint-disable-next-line no-control-regex -- ASCII is the point
    return /^[\x00-\x7f]*$/.test(text) ? text.length : undefined;
  }
  return undefined;
}
