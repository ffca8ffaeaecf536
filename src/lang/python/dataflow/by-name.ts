/**
 * Methods called on objects the analysis cannot type. `conn = manager.connection()` from a driver
 * registry, a service injected into an attribute, a plugin's return value: the receiver is unknown,
 * so the call would run nothing. When the method's name is defined by at most MAX_DEFINITIONS
 * classes of the project (abstract declarations aside), the call runs each of them with the
 * caller's arguments, so what they do with the arguments counts: `conn.execute_scalar(sql)` hands
 * `sql` to the cursor's `execute` inside the project's driver class, and the wrapper summaries
 * (forwards.ts) report it at the call. Their results are not used (the call's value stays
 * unknown), so a wrong guess cannot make data up.
 */
import type { Node } from '../../../parsing/parser.js';
import type { Val } from '../../../dataflow/value.js';
import { invokeFn } from './calls.js';
import { callableForRoot } from './entry-points.js';
import type { Frame, Interpreter } from './interpreter.js';
import { field, named, textOf } from './syntax.js';

/** More definitions than this: the name is generic (`get`, `run`), and the call could be any. */
const MAX_DEFINITIONS = 3;

/**
 * The methods of the built-in types and files: a value of unknown type is most often one of these
 * (`text.format(...)`, `items.append(...)`), whatever the project's classes also define.
 */
const BUILTIN_METHODS = new Set(
  [
    'add append as_integer_ratio bit_count bit_length buffer capitalize casefold center clear ' +
      'close closed conjugate copy count decode denominator detach difference difference_update ' +
      'discard encode encoding endswith errors expandtabs extend fileno find flush format ' +
      'format_map from_bytes fromhex fromkeys get hex imag index insert intersection ' +
      'intersection_update isalnum isalpha isascii isatty isdecimal isdigit isdisjoint ' +
      'isidentifier islower isnumeric isprintable isspace issubset issuperset istitle isupper ' +
      'items join keys line_buffering ljust lower lstrip maketrans name newlines numerator ' +
      'partition pop popitem read readable readline readlines real reconfigure remove ' +
      'removeprefix removesuffix replace reverse rfind rindex rjust rpartition rsplit rstrip seek ' +
      'seekable setdefault sort split splitlines startswith strip swapcase symmetric_difference ' +
      'symmetric_difference_update tell title to_bytes translate truncate union update upper ' +
      'values writable write write_through writelines zfill',
  ]
    .join('')
    .split(' '),
);

/** An indented `def name(`: a method (or nested function) defined in the module's text. */
const INDENTED_DEF = /^[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z]\w*)[ \t]*\(/gm;

const indexes = new WeakMap<Interpreter, Map<string, number[]>>();
const resolved = new WeakMap<Interpreter, Map<string, { mod: number; def: Node }[]>>();

/** Module numbers by the names of the indented definitions in their text, read once. */
function definingModules(it: Interpreter): Map<string, number[]> {
  let index = indexes.get(it);
  if (index) return index;
  index = new Map();
  for (let mod = 0; mod < it.modules.count; mod++) {
    if (!it.isProjectCode(mod)) continue;
    for (const m of it.modules.text(mod).matchAll(INDENTED_DEF)) {
      const list = index.get(m[1] as string) ?? [];
      if (list[list.length - 1] !== mod) list.push(mod);
      index.set(m[1] as string, list);
    }
  }
  indexes.set(it, index);
  return index;
}

/** A body that only declares the method: a docstring, `pass`, `...` or `raise NotImplementedError`. */
function declaresOnly(def: Node): boolean {
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  if (/@(abc\.)?abstractmethod\b/.test(textOf(outer).split('def ')[0] ?? '')) return true;
  const body = field(def, 'body');
  return named(body ?? def).every((s) => {
    const t = textOf(s).trim();
    if (s.type === 'pass_statement') return true;
    if (s.type === 'expression_statement')
      return named(s).every((e) => e.type === 'string' || e.type === 'ellipsis');
    return s.type === 'raise_statement' && /^raise\s+NotImplementedError\b/.test(t);
  });
}

/** The project's methods of this name (1 to MAX_DEFINITIONS of them), by module. */
function methodsNamed(it: Interpreter, name: string): { mod: number; def: Node }[] {
  const mods = definingModules(it).get(name);
  if (!mods || mods.length > MAX_DEFINITIONS) return [];
  let cache = resolved.get(it);
  if (!cache) resolved.set(it, (cache = new Map()));
  const known = cache.get(name);
  if (known) return known;
  const out: { mod: number; def: Node }[] = [];
  for (const mod of mods) {
    for (const def of it.mods(mod).file.tree.rootNode.descendantsOfType('function_definition')) {
      if (field(def, 'name')?.text !== name) continue;
      const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
      const inClass = outer.parent?.type === 'block' && outer.parent.parent?.type === 'class_definition';
      if (inClass && !declaresOnly(def)) out.push({ mod, def });
    }
  }
  const methods = out.length <= MAX_DEFINITIONS ? out : [];
  cache.set(name, methods);
  return methods;
}

/**
 * Runs `recv.name(...)` on a receiver of unknown type as a call of each of the project's methods of
 * that name, when there are few enough of them (see the module's comment), with `self` a new
 * instance of its class. What they return is not used: the call's value stays unknown. Public
 * names only: a `_private` method is called through `self`, which resolves.
 */
export function callByName(
  it: Interpreter,
  frame: Frame,
  call: Node,
  name: string,
  args: Val[],
  kwargs: Map<string, Val>,
  argNodes: Node[],
): void {
  if (name.startsWith('_') || BUILTIN_METHODS.has(name)) return;
  for (const m of methodsNamed(it, name)) {
    const fn = callableForRoot(it, m.mod, m.def);
    if (fn.cls === undefined) continue;
    const self: Val = { o: [it.heap.newInstance(fn.cls)] };
    invokeFn(it, { ...fn, self }, args, kwargs, call, frame.depth + 1, frame, argNodes);
  }
}
