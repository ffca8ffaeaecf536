import type { Node } from '../../../parsing/parser.js';
import type { JsModule } from '../semantic/model.js';
import { propertyName, unwrap } from '../semantic/scope.js';

/**
 * Object literals as rules read options: `https.request({ rejectUnauthorized: false })`, and the
 * same object kept in a `const` first (`const options = {...}; https.request(options)`).
 */

/** A property of an object literal: the whole property (for the finding) and its value. */
export interface Property {
  /** The `key: value` pair, the shorthand `key`, or the method. */
  node: Node;
  value: Node;
}

/**
 * The object literal an expression is, looked through wrappers and a name bound once to it where
 * it is read (a `const`, or a `let` never assigned again, in this function or an enclosing one or
 * the module). Undefined for anything else: an object built elsewhere is not known.
 */
export function objectLiteral(node: Node, module: JsModule): Node | undefined {
  let n = unwrap(node);
  if (n.type === 'identifier') {
    const value = module.singleValue(n);
    n = value ? unwrap(value) : n;
  }
  return n.type === 'object' ? n : undefined;
}

/**
 * The properties of an object literal by key: plain, quoted and constant computed keys
 * (`['rejectUnauthorized']`); a shorthand `{ key }` has the name as its value. Spread properties
 * (`...defaults`) are not known and left out; a later property of the same key wins, as in the
 * language.
 */
export function objectProperties(object: Node, module: JsModule): Map<string, Property> {
  const out = new Map<string, Property>();
  for (const c of object.namedChildren) {
    if (c.type === 'pair') {
      const keyNode = c.childForFieldName('key');
      const value = c.childForFieldName('value');
      const key =
        keyNode?.type === 'computed_property_name'
          ? module.constantString(keyNode.firstNamedChild ?? keyNode)
          : propertyName(keyNode);
      if (key !== undefined && value) out.set(key, { node: c, value });
    } else if (c.type === 'shorthand_property_identifier') out.set(c.text, { node: c, value: c });
    else if (c.type === 'method_definition') {
      const key = propertyName(c.childForFieldName('name'));
      if (key !== undefined) out.set(key, { node: c, value: c });
    }
  }
  return out;
}

/**
 * The property at a path of nested options (`['https', 'rejectUnauthorized']` in got's
 * `{ https: { rejectUnauthorized: false } }`), each level an object literal as `objectLiteral` finds
 * it; undefined when a level is missing or not known.
 */
export function optionAt(node: Node, path: readonly string[], module: JsModule): Property | undefined {
  let property: Property | undefined;
  let at: Node = node;
  for (const key of path) {
    const object = objectLiteral(at, module);
    property = object ? objectProperties(object, module).get(key) : undefined;
    if (!property) return undefined;
    at = property.value;
  }
  return property;
}

/** The object is created without a prototype (`Object.create(null)`, or a name bound to one). */
export function prototypeFree(target: Node, module: JsModule): boolean {
  const value = unwrap(target).type === 'identifier' ? module.singleValue(unwrap(target)) : target;
  return !!value && /^Object\.create\(\s*null\s*\)$/.test(value.text);
}

/**
 * Names every object answers through its prototype (`Object.prototype`'s members), and
 * `prototype`, the second key of `obj.constructor.prototype`: what a key must spell to reach code
 * or objects the table's author never wrote.
 */
const INHERITED_NAMES = [
  'constructor',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  'prototype',
];

/**
 * Whether a key made of these parts in order (constant text, or undefined for text not known) can
 * spell an inherited name. Constant text with a character no such name has (`-`, `:`, `/`, a space)
 * or in a place none has it (`on${name}`) keeps the key to the table's own entries; text pasted to
 * a part of one (`${name}String`, `is${name}`) does not.
 */
export function mayNameInherited(parts: readonly (string | undefined)[]): boolean {
  const text = parts.map((p) => (p === undefined ? '[^]*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const pattern = new RegExp(`^${text.join('')}$`);
  return INHERITED_NAMES.some((name) => pattern.test(name));
}

/**
 * The key can be the request's text as a whole, or text that with constant text around it still
 * spells an inherited name: not `cart:${id}` or `` `on${name}` ``, which can never be `__proto__`
 * or `constructor` (see `mayNameInherited`), directly or through a name bound once.
 */
export function wholeKey(key: Node, module: JsModule): boolean {
  let k = unwrap(key);
  if (k.type === 'identifier') k = module.singleValue(k) ?? k;
  k = unwrap(k);
  if (k.type === 'template_string')
    return mayNameInherited(
      k.namedChildren.map((c) =>
        c.type === 'string_fragment'
          ? c.text
          : c.type === 'template_substitution' && c.namedChildren[0]
            ? module.constantString(c.namedChildren[0])
            : undefined,
      ),
    );
  if (k.type === 'binary_expression' && k.childForFieldName('operator')?.text === '+') {
    const leaves: Node[] = [];
    const flatten = (x: Node): void => {
      const u = unwrap(x);
      const l = u.childForFieldName('left');
      const r = u.childForFieldName('right');
      if (u.type === 'binary_expression' && u.childForFieldName('operator')?.text === '+' && l && r) {
        flatten(l);
        flatten(r);
      } else leaves.push(u);
    };
    flatten(k);
    return mayNameInherited(leaves.map((leaf) => module.constantString(leaf)));
  }
  return true;
}
