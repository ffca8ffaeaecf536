import type { Node } from '../../../parsing/parser.js';
import { constantValue } from '../semantic/constant.js';
import type { Binding, PythonModule } from '../semantic/scope.js';
import { codeOf } from './messages.js';
import {
  decoratorExpression,
  decoratorsOf,
  enclosingClassOf,
  enclosingFunction,
  ownReturns,
} from './functions.js';

/**
 * Constant propagation for injection sinks, over one module's code as written: whether an
 * expression can only hold text the program wrote (one of several literals, numbers, names the
 * driver quotes, names checked against a fixed list), text the operator gives (command line,
 * environment, settings), or something else. The dataflow answers this for code it ran; this
 * answers it for the rest (helpers, migrations, methods no entry point reaches).
 */
export type Fixed = { kind: 'fixed' } | Operator | { kind: 'unknown'; node: Node };

/**
 * Text whoever runs the program controls. `given`: they gave it for this run (the command line, a
 * prompt, a command's options, the environment), so it names what they chose; otherwise it is read
 * from the deployment's configuration or files, which may name a place other people write to.
 */
export type Operator = { kind: 'operator'; what: string; given?: true };

const FIXED: Fixed = { kind: 'fixed' };

/** Calls whose result is a number or a truth value, whatever the argument: no text. */
const NUMERIC_CALLS = new Set([
  'int',
  'float',
  'len',
  'bool',
  'round',
  'abs',
  'ord',
  'hash',
  'id',
  'sum',
  'min',
  'max',
]);
/** String methods whose result is text from the receiver (and constant arguments). */
const TEXT_METHODS = new Set([
  'upper',
  'lower',
  'strip',
  'lstrip',
  'rstrip',
  'title',
  'capitalize',
  'casefold',
  'replace',
]);
/** Methods that read a file's content. */
const READ_METHODS = new Set(['read', 'readline', 'readlines', 'read_text', 'read_bytes']);
/** Identifiers the driver quotes, and statements whose values are bound parameters. */
const QUOTING_CALLS =
  /^(psycopg2?|psycopg)\.sql\.(Identifier|Literal|Placeholder)$|^sqlalchemy(\.sql(\.elements)?)?\.quoted_name$|^sqlalchemy\.(sql\.)?(bindparam|literal_column)$/;
/** psycopg's `sql.SQL(...)`: `.format()` on it quotes what it receives as `Identifier`/`Literal`. */
const COMPOSED_SQL = /^(psycopg2?|psycopg)\.sql\.(SQL|Composed)$/;
/** Operator input: the environment, the command line, settings and configuration. */
const OPERATOR_CALLS =
  /^(os\.getenv|os\.environ\.get|os\.getenvb|getpass\.getpass|builtins\.input|argparse\.ArgumentParser\(\)\.parse_(known_)?args)$/;
/** Library functions whose result is text taken from their arguments: its origin is theirs. */
const DERIVED_CALLS =
  /^(urllib\.parse\.(urlparse|urlsplit|unquote|unquote_plus)|os\.path\.(join|basename|dirname|abspath|normpath|expanduser|splitext)|posixpath\.join)$/;
const OPERATOR_ROOTS = /^(os\.environ|sys\.argv|django\.conf\.settings|flask\.current_app\.config)\b/;
/** Of those, what the operator gives for the run rather than the deployment's settings. */
const GIVEN_ROOTS = /^(os\.environ|sys\.argv)\b/;
const CONFIG_NAMES = /^(settings|config|conf|cfg)$/i;
/** Methods that read the command line (`parser.parse_args()`). */
const ARGUMENT_PARSING = new Set(['parse_args', 'parse_known_args']);
/** Attributes that are the model's own metadata: table and column names written in the code. */
const METADATA_ATTRIBUTES = new Set(['__tablename__', '__name__', '__qualname__', 'name', 'key']);

/** What a sink takes as quoted: calls whose result is safe text whatever their argument (`shlex.quote` for a shell). */
export interface FixedTextOptions {
  quoting?: ReadonlySet<string>;
  /** Whether a parameter may be followed to its callers (not when the dataflow proved a flow into it). */
  followCallers?: boolean;
}

interface Walk {
  depth: number;
  quoting?: ReadonlySet<string>;
  followCallers?: boolean;
  /** Parameters bound to the caller's arguments while a helper's returns are evaluated. */
  params?: Map<string, Fixed>;
  seen: Set<number>;
}

export function fixedTextOf(node: Node, module: PythonModule, options: FixedTextOptions = {}): Fixed {
  return fixed(node, module, {
    depth: 0,
    seen: new Set(),
    quoting: options.quoting,
    followCallers: options.followCallers ?? true,
  });
}

/** The origin of text made of parts: unknown if one is, else the operator's (given only if all are). */
function all(parts: readonly Fixed[]): Fixed {
  return (
    parts.find((p) => p.kind === 'unknown') ??
    parts.find((p) => p.kind === 'operator' && !p.given) ??
    parts.find((p) => p.kind === 'operator') ??
    FIXED
  );
}

function fixed(node: Node, module: PythonModule, walk: Walk): Fixed {
  if (walk.depth > 12) return { kind: 'unknown', node };
  if (constantValue(node, module)) return FIXED;
  const inner = (n: Node | null | undefined): Fixed =>
    n ? fixed(n, module, { ...walk, depth: walk.depth + 1 }) : FIXED;
  const children = (n: Node): Fixed[] =>
    n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map(inner);
  switch (node.type) {
    case 'string':
      return all(
        node.namedChildren
          .filter((c): c is Node => c?.type === 'interpolation')
          .map((i) =>
            inner(
              i.namedChildren.find((c) => c && c.type !== 'format_specifier' && c.type !== 'type_conversion'),
            ),
          ),
      );
    case 'concatenated_string':
    case 'list':
    case 'tuple':
    case 'set':
    case 'parenthesized_expression':
    case 'expression_list':
      return all(children(node));
    case 'dictionary':
      return all(
        node.namedChildren.flatMap((p) => (p?.type === 'pair' ? [inner(p.childForFieldName('value'))] : [])),
      );
    case 'conditional_expression': {
      // a if cond else b: the condition only chooses.
      const [a, , b] = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      return all([inner(a), inner(b)]);
    }
    case 'binary_operator':
      return all([inner(node.childForFieldName('left')), inner(node.childForFieldName('right'))]);
    case 'boolean_operator':
      return all([inner(node.childForFieldName('left')), inner(node.childForFieldName('right'))]);
    case 'comparison_operator':
    case 'not_operator':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return FIXED;
    case 'generator_expression':
    case 'list_comprehension':
    case 'set_comprehension':
      return inner(node.childForFieldName('body'));
    case 'call':
      return callFixed(node, module, walk, inner);
    case 'attribute':
      return attributeFixed(node, module, walk);
    case 'subscript': {
      const value = node.childForFieldName('value');
      const op = operatorRoot(node, module);
      if (op) return op;
      // TABLE_NAMES[key]: an item of a dict or list of program text, unless the table may change.
      if (value?.type === 'identifier' && mayChange(value, module)) return { kind: 'unknown', node };
      return value ? inner(value) : { kind: 'unknown', node };
    }
    case 'identifier':
      return nameFixed(node, module, walk);
    default:
      return { kind: 'unknown', node };
  }
}

/**
 * Whether the container a name holds may be changed after it was built: written through an item
 * (`a["k"] = x`), a method (`a.append(x)`), or a second name or a callee it is handed to (`b = a`,
 * `fill(a)`). Only reads of its items (`a["k"]`) leave it as written.
 */
function mayChange(name: Node, module: PythonModule): boolean {
  const found = module.scopeOf(name).lookup(name.text);
  // Only a table the code builds (a literal bound to the name) is judged here.
  const literal = (b: (typeof found & object)['bindings'][number]): boolean =>
    b.kind === 'value' && ['dictionary', 'list', 'set'].includes(b.value.type);
  if (!found || !found.bindings.every(literal)) return false;
  const targets = new Set(found.bindings.map((b) => b.node.id));
  for (const n of found.scope.node.descendantsOfType('identifier')) {
    if (!n || n.text !== name.text || targets.has(n.id)) continue;
    if (!readsOnly(n)) return true;
  }
  return false;
}

/** Methods and built-ins that read a container without changing it. */
const TABLE_READS = new Set(['get', 'keys', 'values', 'items', 'copy', 'index', 'count']);
const READ_CALLS = new Set([
  'len',
  'sorted',
  'list',
  'tuple',
  'set',
  'frozenset',
  'dict',
  'any',
  'all',
  'iter',
  'enumerate',
  'min',
  'max',
  'sum',
  'str',
  'repr',
]);

/** Whether this use of a name only reads the container it holds. */
function readsOnly(n: Node): boolean {
  const parent = n.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'keyword_argument':
      return parent.childForFieldName('name')?.id === n.id;
    case 'subscript': {
      // `a["k"]` read, not written.
      const up = parent.parent;
      if (parent.childForFieldName('value')?.id !== n.id) return true;
      return (
        !(up?.type === 'assignment' && up.childForFieldName('left')?.id === parent.id) &&
        up?.type !== 'augmented_assignment' &&
        up?.type !== 'delete_statement'
      );
    }
    case 'attribute': {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      return parent.childForFieldName('object')?.id === n.id && TABLE_READS.has(method);
    }
    case 'comparison_operator':
    case 'for_in_clause':
      return true;
    case 'for_statement':
      return parent.childForFieldName('right')?.id === n.id;
    case 'argument_list': {
      const fn = parent.parent?.childForFieldName('function');
      return fn?.type === 'identifier' && READ_CALLS.has(fn.text);
    }
    default:
      return false;
  }
}

function operatorRoot(node: Node, module: PythonModule): Fixed | undefined {
  const configuration: Fixed = { kind: 'operator', what: `configuration \`${node.text.slice(0, 60)}\`` };
  let base: Node | null = node;
  while (base && (base.type === 'subscript' || base.type === 'attribute' || base.type === 'call')) {
    const q = module.qualifiedName(base);
    if (q && (OPERATOR_ROOTS.test(q) || OPERATOR_CALLS.test(q)))
      return {
        kind: 'operator',
        what: `operator input \`${base.text.slice(0, 60)}\``,
        ...(GIVEN_ROOTS.test(q) || OPERATOR_CALLS.test(q) ? { given: true as const } : {}),
      };
    if (base.type === 'attribute') {
      const attr = base.childForFieldName('attribute')?.text ?? '';
      // app.config["X"], self.settings.X: the deployment's configuration.
      if (base.id !== node.id && CONFIG_NAMES.test(attr)) return configuration;
    }
    base =
      base.type === 'subscript'
        ? base.childForFieldName('value')
        : base.type === 'attribute'
          ? base.childForFieldName('object')
          : base.childForFieldName('function');
  }
  if (base?.type === 'identifier' && base.id !== node.id && CONFIG_NAMES.test(base.text)) {
    const q = module.qualifiedName(base);
    if (!q || /settings|config|conf/i.test(q)) return configuration;
  }
  return undefined;
}

function callFixed(
  node: Node,
  module: PythonModule,
  walk: Walk,
  inner: (n: Node | null | undefined) => Fixed,
): Fixed {
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => a !== null && a.type !== 'comment',
  );
  const argValues = args.map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') : a));
  if (!fn) return { kind: 'unknown', node };
  const q = module.qualifiedName(fn);
  const name = q?.replace(/^builtins\./, '');
  if (name && NUMERIC_CALLS.has(name)) return FIXED;
  if (q && (QUOTING_CALLS.test(q) || walk.quoting?.has(q))) return FIXED;
  // shutil.which("pip"): the installed program of a name the program wrote.
  if (q === 'shutil.which') return all(argValues.slice(0, 1).map(inner));
  if (q && DERIVED_CALLS.test(q)) return all(argValues.map(inner));
  if (q && OPERATOR_CALLS.test(q))
    return { kind: 'operator', what: `operator input \`${node.text.slice(0, 60)}\``, given: true };
  if (name === 'str' || name === 'repr' || name === 'compile') return all(argValues.slice(0, 1).map(inner));
  // open(PATH) of a path the program or the operator names: a file of the deployment (its configuration).
  if (name === 'open' || name === 'io.open' || name === 'pathlib.Path') {
    const path = inner(argValues[0]);
    if (path.kind === 'unknown') return path;
    // A file the operator names for this run holds what they chose.
    const given = path.kind === 'operator' && path.given ? { given: true as const } : {};
    return { kind: 'operator', what: `the file \`${codeOf(argValues[0] ?? node)}\``, ...given };
  }
  const op = operatorRoot(node, module);
  if (op) return op;
  if (fn.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = fn.childForFieldName('object');
    const rq = receiver ? module.qualifiedName(receiver) : undefined;
    if (method === 'format' && rq && COMPOSED_SQL.test(rq)) return FIXED;
    if (ARGUMENT_PARSING.has(method))
      return { kind: 'operator', what: `the command line (\`${codeOf(node)}\`)`, given: true };
    if (READ_METHODS.has(method)) {
      const file = inner(receiver);
      return file.kind === 'fixed'
        ? { kind: 'operator', what: `the file \`${codeOf(receiver ?? node)}\`` }
        : file;
    }
    if (method === 'join' || method === 'format' || TEXT_METHODS.has(method))
      return all([inner(receiver), ...argValues.map(inner)]);
    // self.helper(...): a method of this class whose every return is program text.
    if (receiver?.type === 'identifier' && (receiver.text === 'self' || receiver.text === 'cls')) {
      const def = methodOf(receiver, method);
      if (def) return returnsFixed(def, argValues, module, walk, node);
    }
  }
  const def = module.singleDefinition(fn);
  if (def?.type === 'function_definition') return returnsFixed(def, argValues, module, walk, node);
  return { kind: 'unknown', node };
}

/** A function's every `return` is program text, its parameters bound to the call's arguments. */
function returnsFixed(def: Node, args: (Node | null)[], module: PythonModule, walk: Walk, call: Node): Fixed {
  if (walk.seen.has(def.id) || walk.depth > 8) return { kind: 'unknown', node: call };
  const params = new Map<string, Fixed>();
  const names = (def.childForFieldName('parameters')?.namedChildren ?? [])
    .filter((p): p is Node => p !== null)
    .map((p) =>
      p.type === 'identifier'
        ? p.text
        : (p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text ?? ''),
    )
    .filter((n) => n !== 'self' && n !== 'cls');
  names.forEach((n, i) => {
    const a = args[i];
    if (a) params.set(n, fixed(a, module, { ...walk, depth: walk.depth + 1 }));
  });
  const returns = ownReturns(def);
  if (!returns.length) return { kind: 'unknown', node: call };
  const seen = new Set(walk.seen).add(def.id);
  const parts = returns.map((r) => {
    const value = r.namedChildren.find((c) => c && c.type !== 'comment');
    return value
      ? fixed(value, module, {
          depth: walk.depth + 1,
          params,
          seen,
          quoting: walk.quoting,
          followCallers: walk.followCallers,
        })
      : FIXED;
  });
  const f = all(parts);
  return f.kind === 'unknown' ? { kind: 'unknown', node: call } : f;
}

/** The method `name` of the class around `self`, if the class defines it. */
function methodOf(self: Node, name: string): Node | undefined {
  const fn = enclosingFunction(self);
  const body = fn?.parent?.type === 'decorated_definition' ? fn.parent.parent : fn?.parent;
  const cls = body?.parent;
  if (cls?.type !== 'class_definition') return undefined;
  for (const c of body?.namedChildren ?? []) {
    const def = c?.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

/** The class definition a name denotes in this module. */
function classNamed(name: Node, module: PythonModule): Node | undefined {
  const def = module.singleDefinition(name);
  return def?.type === 'class_definition' ? def : undefined;
}

function attributeFixed(node: Node, module: PythonModule, walk: Walk): Fixed {
  const object = node.childForFieldName('object');
  const attr = node.childForFieldName('attribute')?.text ?? '';
  if (!object) return { kind: 'unknown', node };
  const op = operatorRoot(node, module);
  if (op) return op;
  if (attr === '__tablename__' || attr === '__name__' || attr === '__qualname__') return FIXED;
  // The interpreter running this program.
  if (module.qualifiedName(node) === 'sys.executable') return FIXED;
  // Model.__table__.name, column.name of the model metadata: names written in the model's code.
  if (METADATA_ATTRIBUTES.has(attr) && /__table__|\.c\b|\.columns\b|__mapper__/.test(object.text))
    return FIXED;
  // Member.value / Member.name of an enum of this module.
  if ((attr === 'value' || attr === 'name') && object.type === 'attribute') {
    const cls = classNamed(object.childForFieldName('object') ?? object, module);
    if (cls && isEnum(cls)) return FIXED;
  }
  let cls: Node | undefined;
  if (object.type === 'identifier' && (object.text === 'self' || object.text === 'cls'))
    cls = enclosingClassOf(object);
  else cls = classNamed(object, module);
  if (cls) {
    if (isEnum(cls)) return FIXED;
    const f = classAttributeFixed(cls, attr, module, walk, node);
    if (f) return f;
  }
  // args.table of `args = parser.parse_args()`: what the operator gave.
  const of =
    object.type === 'identifier' ? fixed(object, module, { ...walk, depth: walk.depth + 1 }) : undefined;
  return of?.kind === 'operator' ? of : { kind: 'unknown', node };
}

function isEnum(cls: Node): boolean {
  return /\b(Enum|IntEnum|StrEnum|Flag|IntFlag|TextChoices|IntegerChoices|Choices)\b/.test(
    cls.childForFieldName('superclasses')?.text ?? '',
  );
}

/** Every assignment to `X` in the class (its body, or `self.X = ...`) is program text; or `X` is a property returning it. */
function classAttributeFixed(
  cls: Node,
  name: string,
  module: PythonModule,
  walk: Walk,
  at: Node,
): Fixed | undefined {
  const body = cls.childForFieldName('body');
  if (!body) return undefined;
  const values: Node[] = [];
  for (const c of body.namedChildren) {
    const def = c?.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) {
      const isProperty = decoratorsOf(def).some((d) => /property|cached_property/.test(d.text));
      return isProperty ? returnsFixed(def, [], module, walk, at) : undefined;
    }
  }
  for (const n of cls.descendantsOfType(['assignment', 'augmented_assignment'])) {
    const left = n?.childForFieldName('left');
    if (!n || !left) continue;
    const direct = left.type === 'identifier' && left.text === name && n.parent?.parent?.id === body.id;
    const viaSelf =
      left.type === 'attribute' &&
      left.childForFieldName('attribute')?.text === name &&
      ['self', 'cls'].includes(left.childForFieldName('object')?.text ?? '');
    if (!direct && !viaSelf) continue;
    const right = n.childForFieldName('right');
    if (n.type !== 'assignment' || !right) return { kind: 'unknown', node: at };
    values.push(right);
  }
  if (!values.length) return undefined;
  const f = all(values.map((v) => fixed(v, module, { ...walk, depth: walk.depth + 1 })));
  return f.kind === 'unknown' ? { kind: 'unknown', node: at } : f;
}

function nameFixed(node: Node, module: PythonModule, walk: Walk): Fixed {
  const bound = walk.params?.get(node.text);
  if (bound) return bound;
  if (walk.params?.has(node.text)) return FIXED;
  const found = module.scopeOf(node).lookup(node.text);
  if (!found) return { kind: 'unknown', node };
  if (isCheckedName(node)) return FIXED;
  const parts = found.bindings.map((b) => bindingFixed(b, node, module, walk));
  return all(parts);
}

function bindingFixed(b: Binding, name: Node, module: PythonModule, walk: Walk): Fixed {
  if (walk.seen.has(b.node.id)) return FIXED; // x = x + "..." adds nothing new
  const next = (n: Node | null | undefined): Fixed =>
    n ? fixed(n, module, { ...walk, seen: new Set(walk.seen).add(b.node.id), depth: walk.depth + 1 }) : FIXED;
  switch (b.kind) {
    case 'value':
    case 'with':
      return next(b.value);
    case 'param': {
      const fn = enclosingFunction(b.node);
      if (fn && isOperatorFunction(fn))
        return { kind: 'operator', what: `command-line option \`${name.text}\``, given: true };
      return (fn && passedByCallers(fn, b.node, name.text, module, walk)) ?? { kind: 'unknown', node: name };
    }
    case 'opaque': {
      const n = b.node;
      // x += "...": the other bindings of x hold what it started as.
      if (n.type === 'augmented_assignment') return next(n.childForFieldName('right'));
      // for name in ["a", "b"]: a loop over program text; also unpacking of such a tuple.
      let p: Node | null = n.parent;
      while (p && (p.type === 'pattern_list' || p.type === 'tuple_pattern')) p = p.parent;
      if (p?.type === 'for_statement' || p?.type === 'for_in_clause' || p?.type === 'assignment')
        return next(p.childForFieldName('right'));
      return { kind: 'unknown', node: name };
    }
    default:
      return b.kind === 'def' ? FIXED : { kind: 'unknown', node: name };
  }
}

/**
 * What the callers pass a parameter, when the module holds every call of its function: a function
 * nested in another, a private `_name`, or any function of a script (`if __name__ == "__main__":`),
 * each named only as a callee; or a private method `_name` of a class, called only as
 * `self._name(...)` (or `cls._name(...)`) in the class's own methods. Undefined when some caller
 * may be elsewhere or the name escapes.
 */
function passedByCallers(
  fn: Node,
  param: Node,
  paramName: string,
  module: PythonModule,
  walk: Walk,
): Fixed | undefined {
  const nameNode = fn.childForFieldName('name');
  const name = nameNode?.text ?? '';
  if (!walk.followCallers || !nameNode || walk.seen.has(fn.id)) return undefined;
  const method = methodClass(fn);
  if (!method && enclosingClassOf(fn) !== undefined) return undefined;
  const root = module.file.tree.rootNode;
  const nested = enclosingFunction(fn) !== undefined;
  const isPrivate = /^_[^_]/.test(name);
  if (method ? !isPrivate : !nested && !isPrivate && !isScript(root)) return undefined;
  const calls = method ? methodCalls(method, nameNode, root) : functionCalls(fn, nameNode, module);
  if (!calls?.length) return undefined;
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).filter(
    (p): p is Node => p !== null && p.type !== 'comment',
  );
  // A method's call binds its first parameter (`self`, `cls`) unless it is a static method.
  const bound = method && !decoratorsOf(fn).some((d) => /\bstaticmethod\b/.test(d.text)) ? 1 : 0;
  const index = params.findIndex((p) => p.id === param.id) - bound;
  const declared = params[index + bound];
  if (index < 0 || !declared || /splat/.test(declared.type) || declared.type === 'keyword_separator')
    return undefined;
  const byName = (c: Node) =>
    (c.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (a): a is Node => a !== null && a.type !== 'comment',
    );
  const seen = new Set(walk.seen).add(fn.id);
  const passed = calls.map((call): Fixed => {
    const args = byName(call);
    if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat'))
      return { kind: 'unknown', node: param };
    const keyword = args.find(
      (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === paramName,
    );
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const arg =
      keyword?.childForFieldName('value') ?? positional[index] ?? declared.childForFieldName('value');
    if (!arg) return { kind: 'unknown', node: param };
    return fixed(arg, module, {
      depth: walk.depth + 1,
      seen,
      quoting: walk.quoting,
      followCallers: walk.followCallers,
    });
  });
  // An unknown argument names itself: the reason shown is the caller's value, not this parameter.
  return all(passed);
}

/** The class a function is a method of (defined directly in its body), if any. */
function methodClass(fn: Node): Node | undefined {
  const block = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : undefined;
}

/** The calls of a function by its name in the module; undefined when the name is used otherwise. */
function functionCalls(fn: Node, nameNode: Node, module: PythonModule): Node[] | undefined {
  const name = nameNode.text;
  const calls: Node[] = [];
  for (const ref of module.file.tree.rootNode.descendantsOfType('identifier')) {
    if (!ref || ref.text !== name || ref.id === nameNode.id) continue;
    const parent = ref.parent;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === ref.id) continue;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === ref.id) continue;
    if (module.singleDefinition(ref)?.id !== fn.id) {
      // The same name bound elsewhere (another scope's own function) is not a reference.
      if (
        module
          .scopeOf(ref)
          .lookup(name)
          ?.bindings.some((b) => b.node.id === fn.id)
      )
        return undefined;
      continue;
    }
    if (parent?.type !== 'call' || parent.childForFieldName('function')?.id !== ref.id) return undefined;
    calls.push(parent);
  }
  return calls;
}

/**
 * The calls `self._name(...)` of a private method in its class's methods; undefined when the name
 * appears anywhere else in the module (another object's attribute, a reference that is not called).
 */
function methodCalls(cls: Node, nameNode: Node, root: Node): Node[] | undefined {
  const calls: Node[] = [];
  for (const ref of root.descendantsOfType('identifier')) {
    if (!ref || ref.text !== nameNode.text || ref.id === nameNode.id) continue;
    const attr = ref.parent;
    const receiver = attr?.type === 'attribute' ? attr.childForFieldName('object') : null;
    const call = attr?.parent;
    if (
      attr?.childForFieldName('attribute')?.id !== ref.id ||
      (receiver?.text !== 'self' && receiver?.text !== 'cls') ||
      call?.type !== 'call' ||
      call.childForFieldName('function')?.id !== attr.id ||
      enclosingClassOf(call)?.id !== cls.id
    )
      return undefined;
    calls.push(call);
  }
  return calls;
}

/** A module run as a program: its functions are called from its own `__main__` block. */
function isScript(root: Node): boolean {
  return root.namedChildren.some(
    (c) =>
      c?.type === 'if_statement' &&
      /^__name__\s*==\s*["']__main__["']$/.test(c.childForFieldName('condition')?.text ?? ''),
  );
}

/**
 * `if name not in ALLOWED: raise` before the use, or a use inside `if name in ALLOWED:`: the name
 * is one of a fixed set the program holds (an allow-list of columns, a dict of known keys).
 */
export function isCheckedName(use: Node): boolean {
  const fn = enclosingFunction(use);
  if (!fn) return false;
  for (let n: Node | null = use.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'if_statement' && membership(n.childForFieldName('condition'), use.text) === 'in') {
      const body = n.childForFieldName('consequence');
      if (body && body.startIndex <= use.startIndex && use.endIndex <= body.endIndex) return true;
    }
  }
  for (const s of fn.descendantsOfType('if_statement')) {
    if (!s || s.endIndex > use.startIndex) continue;
    const cond = s.childForFieldName('condition');
    if (membership(cond, use.text) !== 'not in' && !isMissingLookup(cond, use.text, fn)) continue;
    const body = s.childForFieldName('consequence');
    const last = body?.namedChildren.filter((c) => c && c.type !== 'comment').pop();
    if (
      last &&
      ['raise_statement', 'return_statement', 'continue_statement', 'break_statement'].includes(last.type)
    ) {
      // The guard covers the use when it sits in a block around it (the use is after it, same or inner block).
      const block = s.parent;
      if (block && block.startIndex <= use.startIndex && use.endIndex <= block.endIndex) return true;
    }
  }
  return false;
}

/**
 * `if not row:` (or `row is None`) where `row = lookup(..., name, ...)` earlier in the function: the
 * name must be a key the program already stores (an installed extension's id) to get past the guard.
 */
function isMissingLookup(cond: Node | null, name: string, fn: Node): boolean {
  let found: Node | null | undefined;
  if (cond?.type === 'not_operator') found = cond.childForFieldName('argument');
  else if (cond?.type === 'comparison_operator' && /\bis\s+None$/.test(cond.text))
    found = cond.namedChildren[0];
  if (found?.type !== 'identifier') return false;
  return fn.descendantsOfType('assignment').some((a) => {
    if (!a || a.childForFieldName('left')?.text !== found.text || a.startIndex > cond!.startIndex)
      return false;
    const right = a.childForFieldName('right');
    const call = right?.type === 'await' ? right.namedChildren[0] : right;
    if (call?.type !== 'call') return false;
    return call
      .descendantsOfType('argument_list')
      .some((args) => args?.descendantsOfType('identifier').some((i) => i?.text === name));
  });
}

function membership(cond: Node | null, name: string): 'in' | 'not in' | undefined {
  if (cond?.type !== 'comparison_operator') return undefined;
  const [left, right] = cond.namedChildren;
  if (left?.type !== 'identifier' || left.text !== name || !right) return undefined;
  // The collection must be the program's: a literal, a constant name or an attribute, not a call's result.
  if (right.type === 'call') return undefined;
  const ops = cond.children
    .filter((c) => c && !c.isNamed)
    .map((c) => c?.text)
    .join(' ');
  if (ops === 'not in') return 'not in';
  return ops === 'in' ? 'in' : undefined;
}

/** Decorators of command-line frameworks: the function's parameters are the operator's options. */
const CLI_DECORATOR =
  /^(click|typer|[\w.]*\bcli|[\w.]*\bapp|[\w.]*\bgroup|[\w.]*\bmanager)\.(command|option|argument|group)\b|^(click|typer|cloup)\b/;

/**
 * Whether a function's parameters are the operator's: a click/typer command, or Django's
 * management command `handle(self, *args, **options)`.
 */
export function isOperatorFunction(fn: Node): boolean {
  for (const d of decoratorsOf(fn)) {
    const e = decoratorExpression(d);
    const callee = e?.type === 'call' ? e.childForFieldName('function') : e;
    if (callee && CLI_DECORATOR.test(callee.text)) return true;
  }
  if (fn.childForFieldName('name')?.text !== 'handle') return false;
  const cls = fn.parent?.parent;
  if (cls?.type !== 'class_definition') return false;
  const bases = cls.childForFieldName('superclasses')?.text ?? '';
  return /Command\b/.test(bases);
}
