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
 * The key can be the request's text as a whole: not text pasted after or before constant text
 * (`cart:${id}` can never be `__proto__`), directly or through a name bound once.
 */
export function wholeKey(key: Node, module: JsModule): boolean {
  let k = unwrap(key);
  if (k.type === 'identifier') k = module.singleValue(k) ?? k;
  k = unwrap(k);
  if (k.type === 'template_string')
    return !k.namedChildren.some((c) => c.type === 'string_fragment' && c.text.length > 0);
  if (k.type === 'binary_expression' && k.childForFieldName('operator')?.text === '+')
    return ![k.childForFieldName('left'), k.childForFieldName('right')].some(
      (o) => o && (o.type === 'string' || o.type === 'template_string') && o.text.length > 2,
    );
  return true;
}
