import type { Node } from '../../../parsing/parser.js';
import type { JsModule } from '../semantic/model.js';
import { definitionName, FUNCTION_TYPES, propertyName, unwrap } from '../semantic/scope.js';

/**
 * Which names a JavaScript value is given: the variable, property or key it is stored under, or the
 * function that returns it. What those names say (a secret, a token) is judged in rules/names.ts,
 * the same for every language.
 */

/**
 * Calls that turn a value into another form of the same value (`Math.floor`, `.toString(36)`,
 * `.padStart`): the result is still the random value, under whatever name it then takes.
 */
const TRANSFORMS = new Set([
  'Math.floor',
  'Math.ceil',
  'Math.round',
  'Math.trunc',
  'Math.abs',
  'String',
  'Number',
  'parseInt',
  'String.fromCharCode',
  'Buffer.from',
]);
const TRANSFORM_METHODS = new Set(
  'toString toFixed slice substring substr padStart padEnd charAt charCodeAt join replace toUpperCase toLowerCase concat map'.split(
    ' ',
  ),
);
/** Operators whose result still carries the value. */
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>']);
/** Callbacks whose results make up a new value: `Array.from({ length }, () => ...)`, `.map(...)`, `.replace(re, () => ...)`. */
const BUILDING_CALLBACKS = new Set(['from', 'map', 'replace', 'replaceAll']);

/** Where a value ends, and whether it was built from several picks rather than one. */
export interface Destination {
  /** The variable, property or key names, innermost first; the function's name for a return. */
  names: string[];
  /** Whether the value was only used to index existing values (`keys[Math.floor(...)]`) once. */
  singlePick: boolean;
  /** The local variable the value is stored in (`const s = ...`, `result += ...`), whose reads say more. */
  variable?: Node;
}

/** The name of the function, method or arrow around a node (`newToken`, `makeSecret`). */
export function enclosingFunctionName(node: Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return definitionName(n);
  return undefined;
}

/** The name a target of an assignment gives: `token`, `this.token`, `user.resetToken`, `o['sid']`. */
function targetName(left: Node): string | undefined {
  const n = unwrap(left);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'member_expression') return propertyName(n.childForFieldName('property'));
  if (n.type === 'subscript_expression') {
    const index = n.childForFieldName('index');
    return index?.type === 'string' ? propertyName(index) : undefined;
  }
  return undefined;
}

/**
 * The names a value flows into, going out through expressions that keep it (arithmetic, string
 * building, `.toString(36)`, `Math.floor`, an index into a string of characters, the callback of
 * `Array.from` or `.map`) to the declaration, assignment, property or `return` that names it. A
 * value passed to any other call stops there: what the call makes of it is not known.
 */
export function destinationOf(node: Node): Destination {
  let picked = false;
  let built = false;
  let at = node;
  for (let up = node.parent; up; at = up, up = up.parent) {
    switch (up.type) {
      case 'parenthesized_expression':
      case 'as_expression':
      case 'non_null_expression':
      case 'satisfies_expression':
      case 'unary_expression':
      case 'template_substitution':
      case 'spread_element':
      case 'array':
        continue;
      case 'template_string':
        built = true;
        continue;
      case 'binary_expression': {
        // Arithmetic keeps the value; a comparison (`Math.random() < rate`) makes a boolean.
        const operator = up.childForFieldName('operator')?.text ?? '';
        if (!ARITHMETIC.has(operator)) return { names: [], singlePick: false };
        if (operator === '+') built = true;
        continue;
      }
      case 'ternary_expression':
        if (up.childForFieldName('condition')?.equals(at)) return { names: [], singlePick: false };
        continue;
      case 'subscript_expression':
        if (!up.childForFieldName('index')?.equals(at)) continue;
        picked = true;
        continue;
      case 'member_expression':
        continue;
      case 'arguments': {
        const call = up.parent;
        const fn = call?.childForFieldName('function');
        const method =
          fn?.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) : undefined;
        const ok = (fn && TRANSFORMS.has(fn.text)) || (method !== undefined && TRANSFORM_METHODS.has(method));
        if (!ok || !call) return { names: [], singlePick: false };
        up = call;
        continue;
      }
      case 'call_expression':
        // `x.toString(36)`: the value is the receiver of a method of the chain.
        continue;
      case 'arrow_function': {
        // `() => chars[...]` given to `Array.from` or `.map`: each call adds a piece.
        const call = up.parent?.type === 'arguments' ? up.parent.parent : undefined;
        const fn = call?.childForFieldName('function');
        const method =
          fn?.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) : undefined;
        if (!call || method === undefined || !BUILDING_CALLBACKS.has(method))
          return named(enclosingFunctionName(at));
        built = true;
        up = call;
        continue;
      }
      case 'variable_declarator': {
        const name = up.childForFieldName('name');
        return name?.type === 'identifier' ? named(name.text, name) : named(undefined);
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        if (up.type === 'augmented_assignment_expression') built = true;
        const left = up.childForFieldName('left');
        if (!left || left.equals(at)) return named(undefined);
        const target = unwrap(left);
        return named(targetName(left), target.type === 'identifier' ? target : undefined);
      }
      case 'pair':
        return named(
          up.childForFieldName('value')?.equals(at) ? propertyName(up.childForFieldName('key')) : undefined,
        );
      case 'public_field_definition':
      case 'field_definition':
        return named(propertyName(up.childForFieldName('name') ?? up.childForFieldName('property')));
      case 'return_statement':
        return named(enclosingFunctionName(up));
      default:
        return { names: [], singlePick: false };
    }
  }
  return { names: [], singlePick: false };

  function named(name: string | undefined, variable?: Node): Destination {
    return { names: name === undefined ? [] : [name], singlePick: picked && !built, variable };
  }
}

/**
 * Where a value ends, looked through a local variable whose name says nothing (`const s = ...`,
 * `let result = ''`): the names its reads flow into are added (`at: \`${s} ${m} * * *\``, `return
 * result`, which names the function). `followed` says whether the variable's reads were read: then
 * the names are all there is, and the enclosing function's name says nothing more of the value (a
 * random minute in `scheduleTokenCleanup` is no token).
 */
export function destinationThroughUses(
  node: Node,
  module: JsModule,
  saysNothing: (name: string) => boolean,
): Destination & { followed: boolean } {
  const destination = destinationOf(node);
  const variable = destination.variable;
  if (!variable || !destination.names.every(saysNothing)) return { ...destination, followed: false };
  const declared = module.scopeOf(variable).lookup(variable.text);
  if (!declared || declared.scope.kind === 'module') return { ...destination, followed: false };
  const names = [...destination.names];
  let followed = false;
  for (const read of declared.scope.node.descendantsOfType('identifier')) {
    if (read.text !== variable.text || read.equals(variable)) continue;
    if (module.scopeOf(read).lookup(read.text)?.scope !== declared.scope) continue;
    followed = true;
    for (const name of destinationOf(read).names) if (!names.includes(name)) names.push(name);
  }
  return { ...destination, names, followed };
}
