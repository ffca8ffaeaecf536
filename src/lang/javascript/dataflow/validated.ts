/**
 * Values a validator checked (see ../models/validation.ts): the shape of what a zod schema or a
 * class-validator DTO lets through, field by field, and the abstract value that shape leaves of the
 * data it was given. TypeScript types that admit no free text (a union of literals, an enum) are
 * read here too.
 */
import type { Node } from '../../../parsing/parser.js';
import { CLEAN, dataOf, type Val } from '../../../dataflow/value.js';
import { objectLiteral, objectProperties } from '../helpers/objects.js';
import { CLASS_VALIDATOR, ZOD } from '../models/validation.js';
import type { JsModule } from '../semantic/model.js';
import { propertyName, unwrap } from '../semantic/scope.js';
import { safePattern } from './guards.js';

/** What a validator lets through: no free text, text, or an object checked field by field. */
export type Shape = 'safe' | 'text' | { readonly fields: ReadonlyMap<string, Shape> };

const MAX_DEPTH = 12;

function argsOf(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
}

/** The expression a name is bound to once, or the expression itself. */
function valueOf(node: Node, module: JsModule): Node {
  const n = unwrap(node);
  return n.type === 'identifier' ? unwrap(module.singleValue(n) ?? n) : n;
}

/** Whether a name is zod's namespace (`z` of `import { z } from 'zod'`, or `z.coerce`). */
function isZod(node: Node, module: JsModule): boolean {
  const name = module.qualifiedName(node);
  return name !== undefined && ZOD.package.test(name.replace(/\.coerce$/, ''));
}

/** The shape of a zod schema written in the module (`z.object({ n: z.number() })`, through a name bound once). */
export function zodShape(node: Node, module: JsModule, depth = 0): Shape {
  if (depth > MAX_DEPTH) return 'text';
  const n = valueOf(node, module);
  const fn = n.type === 'call_expression' ? n.childForFieldName('function') : null;
  if (fn?.type !== 'member_expression') return 'text';
  const method = propertyName(fn.childForFieldName('property'));
  const object = fn.childForFieldName('object');
  if (method === undefined || !object) return 'text';
  const args = argsOf(n);
  if (isZod(object, module)) {
    if (ZOD.safe.has(method)) return 'safe';
    if (ZOD.object.has(method)) return zodObject(args[0], module, depth);
    if (ZOD.array.has(method))
      return args[0] && zodShape(args[0], module, depth + 1) === 'safe' ? 'safe' : 'text';
    if (ZOD.union.has(method)) {
      const list = args[method === 'union' ? 0 : 1];
      const items = list && unwrap(list).type === 'array' ? unwrap(list).namedChildren : [];
      return items.length > 0 && items.every((i) => zodShape(i, module, depth + 1) === 'safe')
        ? 'safe'
        : 'text';
    }
    return 'text';
  }
  const inner = zodShape(object, module, depth + 1);
  if (ZOD.keeps.has(method)) return inner;
  if (ZOD.safeString.has(method)) return 'safe';
  if (method === ZOD.pattern) {
    const re = args[0] && valueOf(args[0], module);
    return re?.type === 'regex' && safePattern(re) ? 'safe' : inner;
  }
  if (method === 'or')
    return inner === 'safe' && args[0] && zodShape(args[0], module, depth + 1) === 'safe' ? 'safe' : 'text';
  if (typeof inner === 'object') {
    if (method === 'partial' || method === 'required' || method === 'passthrough') return inner;
    if (method === 'extend' || method === 'merge') {
      const more = args[0]
        ? method === 'merge'
          ? zodShape(args[0], module, depth + 1)
          : zodObject(args[0], module, depth)
        : 'text';
      return typeof more === 'object' ? { fields: new Map([...inner.fields, ...more.fields]) } : 'text';
    }
  }
  return 'text';
}

function zodObject(arg: Node | undefined, module: JsModule, depth: number): Shape {
  const obj = arg && objectLiteral(arg, module);
  if (!obj) return 'text';
  const fields = new Map<string, Shape>();
  for (const [key, p] of objectProperties(obj, module)) fields.set(key, zodShape(p.value, module, depth + 1));
  return { fields };
}

/** The decorators written on a class member (`@IsInt()`): its own, or the body's children just before it. */
function decoratorsOn(node: Node): Node[] {
  const out = node.namedChildren.filter((c) => c.type === 'decorator');
  const siblings = node.parent?.namedChildren ?? [];
  for (let i = siblings.findIndex((c) => c.equals(node)) - 1; i >= 0 && siblings[i].type === 'decorator'; i--)
    out.push(siblings[i]);
  return out;
}

/**
 * The shape of a class-validator DTO (the class's declaration and the module it is written in):
 * a field with a decorator that leaves no free text is safe; any other field, and any other key,
 * is text.
 */
export function dtoShape(cls: Node, module: JsModule): Shape {
  const fields = new Map<string, Shape>();
  for (const m of cls.childForFieldName('body')?.namedChildren ?? []) {
    if (m.type !== 'public_field_definition' && m.type !== 'field_definition') continue;
    const name = propertyName(m.childForFieldName('name') ?? m.childForFieldName('property'));
    if (name === undefined) continue;
    const safe = decoratorsOn(m).some((d) => {
      const e = d.namedChildren[0];
      const fn = e?.type === 'call_expression' ? e.childForFieldName('function') : e;
      const q = fn ? module.qualifiedName(fn) : undefined;
      const prefix = `${CLASS_VALIDATOR.package}.`;
      if (q === undefined || !q.startsWith(prefix)) return false;
      const short = q.slice(prefix.length);
      if (CLASS_VALIDATOR.safe.has(short)) return true;
      if (short !== CLASS_VALIDATOR.pattern || e?.type !== 'call_expression') return false;
      const re = argsOf(e)[0];
      const pattern = re && valueOf(re, module);
      return pattern?.type === 'regex' && safePattern(pattern);
    });
    fields.set(name, safe ? 'safe' : 'text');
  }
  return [...fields.values()].some((s) => s === 'safe') ? { fields } : 'text';
}

/** What a validated value may hold, from the data it was made of. */
export function shapedValue(
  shape: Shape,
  data: Val,
  alloc: (fields: Map<string, Val>, elem: Val) => Val,
): Val {
  if (shape === 'safe') return CLEAN;
  const d = dataOf(data);
  if (shape === 'text') return data;
  const fields = new Map<string, Val>();
  for (const [k, s] of shape.fields) fields.set(k, shapedValue(s, d, alloc));
  return alloc(fields, d);
}

/**
 * Whether a TypeScript type admits no free text: a union of literals (`'asc' | 'desc'`), an enum
 * of the module, or an alias of the module for either (arrays of them too).
 */
export function closedType(type: Node | null | undefined, module: JsModule, depth = 0): boolean {
  if (!type || depth > 4) return false;
  switch (type.type) {
    case 'type_annotation':
    case 'parenthesized_type':
      return closedType(type.namedChildren[0], module, depth);
    case 'literal_type':
      return true;
    case 'predefined_type':
      return /^(number|boolean|bigint|null|undefined|void|never)$/.test(type.text);
    case 'union_type':
      return type.namedChildren.length > 0 && type.namedChildren.every((t) => closedType(t, module, depth));
    case 'array_type':
      return closedType(type.namedChildren[0], module, depth);
    case 'type_identifier': {
      const root = type.tree.rootNode;
      for (const d of root.descendantsOfType(['enum_declaration', 'type_alias_declaration'])) {
        if (!d || d.childForFieldName('name')?.text !== type.text) continue;
        if (d.type === 'enum_declaration') return true;
        return closedType(d.childForFieldName('value'), module, depth + 1);
      }
      return false;
    }
    default:
      return false;
  }
}
