import { stringValue } from '../../helpers/constants.js';
import type { PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';

/** The constant text a URL expression starts with; `complete` when the whole value is that text. */
interface Prefix {
  text: string;
  complete: boolean;
}

const NONE: Prefix = { text: '', complete: false };
const MAX_HOPS = 8;

function prefixOf(node: Node, module: PythonModule, hops: number): Prefix {
  if (hops > MAX_HOPS) return NONE;
  const whole = stringValue(node, module);
  if (whole !== undefined) return { text: whole, complete: true };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? prefixOf(inner, module, hops + 1) : NONE;
    }
    case 'identifier': {
      const value = module.singleValue(node);
      return value ? prefixOf(value, module, hops + 1) : NONE;
    }
    case 'string': {
      // f"https://host/{x}": the literal parts up to the first non-constant interpolation.
      let text = '';
      for (const c of node.namedChildren) {
        if (!c || c.type === 'string_start' || c.type === 'string_end') continue;
        if (c.type === 'interpolation') {
          const e = c.childForFieldName('expression') ?? c.namedChildren[0];
          const v = e ? stringValue(e, module) : undefined;
          if (v === undefined) return { text, complete: false };
          text += v;
        } else text += c.text;
      }
      return { text, complete: false };
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return NONE;
      const l = prefixOf(left, module, hops + 1);
      if (op === '+') {
        if (!l.complete) return l;
        const r = prefixOf(right, module, hops + 1);
        return { text: l.text + r.text, complete: r.complete };
      }
      // "https://host/%s" % x: the text before the first conversion.
      if (op === '%' && l.complete) return { text: l.text.split('%')[0], complete: false };
      return NONE;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      // "https://host/{}".format(x): the text before the first field.
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const receiver = fn.childForFieldName('object');
        const fmt = receiver ? stringValue(receiver, module) : undefined;
        return fmt === undefined ? NONE : { text: fmt.split('{')[0], complete: false };
      }
      // urljoin(base, ref): the host stays the base's only when ref is a relative reference
      // (an absolute or scheme-relative ref replaces it).
      const callee = fn ? module.qualifiedName(fn) : undefined;
      if (callee === 'urllib.parse.urljoin' && args[0] && args[1]) {
        const base = prefixOf(args[0], module, hops + 1);
        const ref = prefixOf(args[1], module, hops + 1);
        if (base.complete && fixesHost(base.text) && isRelativeRef(ref.text))
          return { text: base.text, complete: false };
      }
      return NONE;
    }
    default:
      return NONE;
  }
}

/** `scheme://host/`, `scheme://host?` or `scheme://host#`: the part that picks the server is over. */
function fixesHost(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+[/?#]/i.test(text);
}

/** A reference that urljoin resolves against the base's host: a path, query or fragment. */
function isRelativeRef(text: string): boolean {
  if (/^[/\\]{2}/.test(text)) return false;
  // A path segment (or query/fragment) has begun before any ':' that could end a scheme.
  return /^[^:/?#\\]*[/?#]/.test(text) && !/^[/\\][/\\]/.test(text);
}

/**
 * True when the URL expression starts with constant text that fixes the scheme and host (as in
 * `f"https://partner.example.com/accounts/{account}"`): whatever is appended only picks the path,
 * query or fragment on that server.
 */
export function urlHasFixedHost(node: Node, module: PythonModule): boolean {
  return fixesHost(prefixOf(node, module, 0).text);
}
