import type { Node } from '../../../parsing/parser.js';
import { constantValue } from '../semantic/constant.js';
import type { PythonModule } from '../semantic/scope.js';
import { stringValue } from './constants.js';

/** Strings assembled at run time, and the literal text a string expression holds or starts with. */

/** How a string was assembled at run time, for messages: "an f-string", "`%` formatting", ... */
export type StringBuild =
  'an f-string' | '`%` formatting' | '`+` concatenation' | '`.format()`' | '`.join()`' | '`.replace()`';

/**
 * How an expression builds a string from non-constant parts, or undefined when it is a constant or
 * not a string built in place. A name bound in the same scope to such an expression (or extended with
 * `+=`) counts as built.
 */
export function dynamicStringBuild(node: Node, module: PythonModule, depth = 0): StringBuild | undefined {
  if (depth > 4 || constantValue(node, module)) return undefined;
  switch (node.type) {
    case 'string':
      return node.namedChildren.some((c) => c?.type === 'interpolation') ? 'an f-string' : undefined;
    case 'concatenated_string':
      return node.namedChildren.some((c) => c && dynamicStringBuild(c, module, depth + 1))
        ? 'an f-string'
        : undefined;
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? dynamicStringBuild(inner, module, depth + 1) : undefined;
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return undefined;
      if (op === '%' && isStringish(left, module)) {
        // "KILL %d" % thread_id: numeric conversions cannot carry quotes or keywords.
        const fmt = constantValue(left, module)?.value;
        if (typeof fmt === 'string' && onlyNumericConversions(fmt)) return undefined;
        return '`%` formatting';
      }
      if (op === '+' && (isStringish(left, module) || isStringish(right, module))) return '`+` concatenation';
      return undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute') return undefined;
      const method = fn.childForFieldName('attribute')?.text;
      const object = fn.childForFieldName('object');
      if (!object) return undefined;
      const args = node.childForFieldName('arguments');
      const argsConstant = (args?.namedChildren ?? []).every((a) => {
        if (!a) return true;
        const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
        return v ? constantValue(v, module) !== undefined : false;
      });
      if (method === 'format' && isStringish(object, module) && !argsConstant) return '`.format()`';
      if (method === 'join' && isStringish(object, module) && !argsConstant) return '`.join()`';
      if (method === 'replace' && isStringish(object, module) && !argsConstant) return '`.replace()`';
      return undefined;
    }
    case 'identifier': {
      const found = module.scopeOf(node).lookup(node.text);
      if (!found) return undefined;
      for (const b of found.bindings) {
        if (b.kind === 'value') {
          const how = dynamicStringBuild(b.value, module, depth + 1);
          if (how) return how;
        } else if (b.kind === 'opaque' && b.node.type === 'augmented_assignment') {
          const right = b.node.childForFieldName('right');
          if (right && !constantValue(right, module)) return '`+` concatenation';
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A `%` conversion of a format string (`%s`, `%(name)s`, `%-5.2f`); `%%` is a literal percent sign. */
const PERCENT_CONVERSION = /%(\([^)]*\))?[#0 +-]*(\*|\d+)?(\.(\*|\d+))?[hlL]?[a-zA-Z%]/g;

/** True when every `%` conversion in a format string is numeric (`%d`, `%5.2f`, `%(n)x`). */
function onlyNumericConversions(format: string): boolean {
  const specs = format.match(PERCENT_CONVERSION) ?? [];
  return specs.every((spec) => /[diouxXeEfFgG%]$/.test(spec));
}

/** A string literal (even with interpolations) or an expression built from one. */
function isStringish(node: Node, module: PythonModule): boolean {
  if (node.type === 'string' || node.type === 'concatenated_string') return true;
  const v = constantValue(node, module);
  if (v && typeof v.value === 'string') return true;
  if (node.type === 'binary_operator') {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    return Boolean((l && isStringish(l, module)) || (r && isStringish(r, module)));
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return inner ? isStringish(inner, module) : false;
  }
  return false;
}

/**
 * True when a string is written as formatting or concatenation (f-string, %, +, .format, .join,
 * .replace): its shape only, operands not looked at. Rules ask it of a value already known not to be
 * constant, to say how it was built; dynamicStringBuild is the question whether it is built at all.
 */
export function isBuiltString(node: Node): boolean {
  if (node.type === 'string') return node.namedChildren.some((c) => c?.type === 'interpolation');
  if (node.type === 'concatenated_string')
    return node.namedChildren.some((c) => c !== null && isBuiltString(c));
  if (node.type === 'binary_operator')
    return ['+', '%'].includes(node.childForFieldName('operator')?.text ?? '');
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    return (
      fn?.type === 'attribute' &&
      ['format', 'join', 'replace'].includes(fn.childForFieldName('attribute')?.text ?? '')
    );
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
    return !!inner && isBuiltString(inner);
  }
  return false;
}

/** SQL statement keywords: literal text holding one is SQL rather than another query language. */
export const SQL_KEYWORDS =
  /\b(select|insert|update|delete|create|drop|alter|replace|merge|truncate|with|pragma|grant)\b/i;

/**
 * The words of a string expression's literal parts, each part apart, for keyword checks
 * (`f"SELECT {cols} FROM t"` → "SELECT  FROM t"); strings inside interpolations count too.
 */
export function literalWords(node: Node): string {
  return node
    .descendantsOfType(['string_content'])
    .map((c) => c?.text ?? '')
    .join(' ');
}

/**
 * A string literal's text as written (escapes not decoded), implicitly concatenated parts joined and
 * each interpolation replaced by `hole`: what a pattern over the source text of a literal looks at.
 */
export function writtenText(node: Node, hole = '\0'): string {
  if (node.type === 'concatenated_string')
    return node.namedChildren.map((c) => (c ? writtenText(c, hole) : '')).join('');
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
    else if (c.type === 'interpolation') out += hole;
  }
  return out;
}

/**
 * The text a string value certainly starts with: a constant's whole value, the literal part of an f-string
 * before its first interpolation, the left side of a `+` concatenation.
 */
export function literalPrefix(node: Node, module: PythonModule): string {
  const whole = stringValue(node, module);
  if (whole !== undefined) return whole;
  if (node.type === 'string') {
    let out = '';
    for (const c of node.namedChildren) {
      if (c?.type === 'interpolation') break;
      if (c?.type === 'string_content') out += c.text;
    }
    return out;
  }
  if (node.type === 'concatenated_string') {
    const first = node.namedChildren[0];
    return first ? literalPrefix(first, module) : '';
  }
  if (
    node.type === 'binary_operator' &&
    ['+', '%'].includes(node.childForFieldName('operator')?.text ?? '')
  ) {
    const l = node.childForFieldName('left');
    return l ? literalPrefix(l, module) : '';
  }
  if (node.type === 'call') {
    // "/tmp/{}.txt".format(x)
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
    if (object && fn?.childForFieldName('attribute')?.text === 'format')
      return literalPrefix(object, module).split('{')[0];
  }
  return '';
}

/**
 * The text a string value certainly ends with: a constant's whole value, the literal part of an f-string
 * after its last interpolation, what follows the last conversion of a `%` or `.format()` format, the
 * right side of a `+` concatenation (`'%s_session' % app` → "_session").
 */
export function literalSuffix(node: Node, module: PythonModule): string {
  const whole = stringValue(node, module);
  if (whole !== undefined) return whole;
  switch (node.type) {
    case 'string': {
      let out = '';
      for (const c of node.namedChildren)
        if (c?.type === 'interpolation') out = '';
        else if (c?.type === 'string_content') out += c.text;
      return out;
    }
    case 'concatenated_string': {
      const last = node.namedChildren[node.namedChildren.length - 1];
      return last ? literalSuffix(last, module) : '';
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? literalSuffix(inner, module) : '';
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return '';
      if (op === '+') {
        const tail = stringValue(right, module);
        return tail === undefined ? literalSuffix(right, module) : literalSuffix(left, module) + tail;
      }
      const format = op === '%' ? stringValue(left, module) : undefined;
      if (format === undefined) return '';
      let rest = format;
      for (const m of format.matchAll(PERCENT_CONVERSION))
        if (m[0] !== '%%') rest = format.slice((m.index ?? 0) + m[0].length);
      return rest.replaceAll('%%', '%');
    }
    case 'call': {
      // "{}_session".format(app)
      const fn = node.childForFieldName('function');
      const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
      const format = object ? stringValue(object, module) : undefined;
      if (format === undefined || fn?.childForFieldName('attribute')?.text !== 'format') return '';
      const fields = format.replaceAll('{{', '\0\0').replaceAll('}}', '\0\0');
      return format
        .slice(fields.lastIndexOf('}') + 1)
        .replaceAll('{{', '{')
        .replaceAll('}}', '}');
    }
    default:
      return '';
  }
}

/**
 * Names of text written for readers: a module's usage examples and documentation blocks (Ansible's
 * `DOCUMENTATION`/`EXAMPLES`/`RETURN`, a script's `USAGE`), and the help text of command-line
 * options. Values in them illustrate; the program does not use them.
 */
const DOCUMENTATION_NAME =
  /^(__doc__|DOC(UMENTATION)?|EXAMPLES?|RETURN|USAGE|HELP|EPILOG|[A-Z][A-Z0-9_]*_(DOCS?|EXAMPLES?|USAGE|HELP))$/;
const DOCUMENTATION_KEYWORD = new Set(['help', 'epilog', 'usage', 'description']);

/** Whether a string literal is documentation: assigned to a documentation name or given as help text. */
export function isDocumentationText(node: Node): boolean {
  const parent = node.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    return left?.type === 'identifier' && DOCUMENTATION_NAME.test(left.text);
  }
  if (parent?.type === 'keyword_argument' && parent.childForFieldName('value')?.id === node.id)
    return DOCUMENTATION_KEYWORD.has(parent.childForFieldName('name')?.text ?? '');
  return false;
}
