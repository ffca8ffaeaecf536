import type { Node } from '../../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';

/**
 * Jinja2 environments whose templates come from a loader that serves stored text, not files: a
 * project `BaseLoader` whose `get_source` returns what the application keeps in its settings or
 * database. Such templates are written by whoever may edit that data, through the application,
 * and an environment that is not sandboxed runs their expressions with the server's rights.
 */

/** Jinja2's environments that compile templates without a sandbox. */
const UNSANDBOXED = new Set([
  'jinja2.Environment',
  'jinja2.environment.Environment',
  'jinja2.nativetypes.NativeEnvironment',
]);

/** Jinja2's loader base class, which a custom loader subclasses to say where template text comes from. */
const LOADER_BASES = new Set(['jinja2.BaseLoader', 'jinja2.loaders.BaseLoader']);

/**
 * Calls in `get_source` that show the text is a file's or another loader's (`open`, `read_text`,
 * `os.path.getmtime`, `self.inner.get_source(...)`), as in Jinja2's documented custom loader.
 */
const FILE_OR_DELEGATE = new Set([
  'open',
  'read',
  'read_text',
  'read_bytes',
  'get_data',
  'get_source',
  'getmtime',
  'exists',
  'isfile',
  'FileSystemLoader',
  'PackageLoader',
]);

/** How deep loaders nest inside one another (`ChoiceLoader([PrefixLoader({...}), ...])`). */
const MAX_DEPTH = 4;

/** An unsandboxed environment built by a call, and the node that chose it (the call, or a subclass's base). */
export interface ChosenEnvironment {
  /** Where the unsandboxed environment is chosen: what a fix changes. */
  node: Node;
  /** "`jinja2.Environment`", or "`RelEnv` (a subclass of `jinja2.Environment`)". */
  label: string;
}

/** A project class a name denotes in this module, when it is bound once to a `class` statement. */
function projectClass(name: Node | null | undefined, module: PythonModule): Node | undefined {
  if (name?.type !== 'identifier') return undefined;
  const def = module.singleDefinition(name);
  return def?.type === 'class_definition' ? def : undefined;
}

function basesOf(cls: Node): Node[] {
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).filter(
    (b): b is Node => b !== null && b.type !== 'keyword_argument' && b.type !== 'comment',
  );
}

/**
 * The base of a project class that is one of `names`, directly or through the module's own classes:
 * the node naming it, and its qualified name.
 */
function libraryBase(
  cls: Node,
  module: PythonModule,
  names: ReadonlySet<string>,
  depth = 0,
): { node: Node; name: string } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const base of basesOf(cls)) {
    const name = module.qualifiedName(base);
    if (name !== undefined && names.has(name)) return { node: base, name };
    const local = projectClass(base, module);
    const inner = local && libraryBase(local, module, names, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** The unsandboxed Jinja2 environment a call builds, directly or as a project subclass. */
export function unsandboxedEnvironment(call: CallSite, module: PythonModule): ChosenEnvironment | undefined {
  if (call.callee !== undefined && UNSANDBOXED.has(call.callee))
    return { node: call.node, label: `\`${call.callee}\`` };
  const fn = call.node.childForFieldName('function');
  const cls = projectClass(fn, module);
  const base = cls && libraryBase(cls, module, UNSANDBOXED);
  if (!cls || !base) return undefined;
  const name = cls.childForFieldName('name')?.text ?? fn?.text ?? '';
  return { node: base.node, label: `\`${name}\` (a subclass of \`${base.name}\`)` };
}

/** The name a call's function ends with: `open`, `read_text` for `p.read_text()`. */
function calledName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

/** The `get_source` method a class body defines, if any. */
function getSourceOf(cls: Node): Node | undefined {
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === 'get_source')
      return def;
  }
  return undefined;
}

/** Whether a loader class's `get_source` returns text it neither reads from a file nor gets from another loader. */
function servesStoredText(cls: Node): boolean {
  const getSource = getSourceOf(cls);
  if (!getSource) return false;
  const calls = getSource.descendantsOfType('call').filter((c): c is Node => c !== null);
  return !calls.some((c) => FILE_OR_DELEGATE.has(calledName(c) ?? ''));
}

/**
 * The project loader class among what a `loader=` value builds (through names bound once, the
 * arguments of other loaders, lists and dicts of them) whose templates are stored text.
 */
export function storedTextLoader(node: Node, module: PythonModule, depth = 0): Node | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const next = (n: Node | null | undefined): Node | undefined =>
    n ? storedTextLoader(n, module, depth + 1) : undefined;
  switch (node.type) {
    case 'identifier':
      return next(module.singleValue(node));
    case 'call': {
      const cls = projectClass(node.childForFieldName('function'), module);
      if (cls && libraryBase(cls, module, LOADER_BASES) && servesStoredText(cls)) return cls;
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
        const found = next(arg?.type === 'keyword_argument' ? arg.childForFieldName('value') : arg);
        if (found) return found;
      }
      return undefined;
    }
    case 'list':
    case 'tuple':
    case 'dictionary':
      for (const item of node.namedChildren) {
        const found = next(item?.type === 'pair' ? item.childForFieldName('value') : item);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}
