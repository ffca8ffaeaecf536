/**
 * Extraction by hand ("zip slip"): a loop over an archive's members that writes each one to a path
 * built from the member's stored name (`for name in zf.namelist(): open(os.path.join(dest, name),
 * "wb")`). zipfile and tarfile clean member names only in their own `extract` methods; a name used
 * directly keeps its `../` and absolute parts.
 */
import type { Node } from '../../../../parsing/parser.js';
import { resolveValue, stringValue } from '../../helpers/constants.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';

/** A tar archive object: `tarfile.open(...)`, `TarFile(...)`, `TarFile.open(...)` and the compression variants. */
export const TAR_ARCHIVE = String.raw`tarfile\.(open|TarFile|TarFile\.(open|taropen|gzopen|bz2open|xzopen))\(\)`;
/** An archive object: a zip file or a tar file, however opened. */
const ARCHIVE = new RegExp(String.raw`^(zipfile\.ZipFile\(\)|${TAR_ARCHIVE})$`);
/** Methods listing an archive's members: by name, or as member objects. */
const NAME_LISTS = new Set(['namelist', 'getnames']);
const MEMBER_LISTS = new Set(['infolist', 'getmembers']);
/** Where a member object keeps its stored name. */
const NAME_FIELDS = ['filename', 'name', 'path'];
/** Calls whose result keeps no directory part of a name, or a safe one. */
const CLEANERS = new Set([
  'os.path.basename',
  'posixpath.basename',
  'ntpath.basename',
  'werkzeug.utils.secure_filename',
  'django.utils.text.get_valid_filename',
  'pathvalidate.sanitize_filename',
  'pathvalidate.sanitize_filepath',
]);
/** A check that keeps a path in its destination, or refuses `..` and absolute names. */
const CONTAINMENT =
  /\.(startswith|is_relative_to|relative_to)\s*\(|\bcommon(path|prefix)\s*\(|\bisabs\s*\(|["']\.\.["']|\bsafe_join\s*\(/;
/** A project check of the name, called as a statement or in a condition. */
const CHECK_NAME = /(valid|safe|check|sanit|secure)/i;

export interface ManualExtraction {
  /** The call that writes. */
  sink: CallSite;
  /** The member name as the code reads it (`info.filename`). */
  member: string;
  /** The listing call (`zf.namelist()`). */
  listing: Node;
  /** What the sink does: "writes the file", "creates the directory". */
  what: string;
}

/** Calls that give back the items of their argument, reordered or copied. */
const SAME_ITEMS = new Set([
  'builtins.sorted',
  'builtins.list',
  'builtins.tuple',
  'builtins.set',
  'builtins.reversed',
]);

/**
 * The loop's iterable when it lists an archive's members, names or member objects: the listing call
 * itself, a name bound once to it, a copy or sorted copy, or a comprehension that keeps some items.
 */
function listing(iterable: Node, module: PythonModule, depth = 0): 'names' | 'members' | undefined {
  if (depth > 6) return undefined;
  const next = (n: Node | null | undefined) => (n ? listing(n, module, depth + 1) : undefined);
  if (iterable.type === 'identifier') {
    const bound = resolveValue(iterable, module);
    if (bound.id !== iterable.id) return next(bound);
  }
  if (
    iterable.type === 'list_comprehension' ||
    iterable.type === 'generator_expression' ||
    iterable.type === 'set_comprehension'
  ) {
    // `[x for x in names if ...]`: the items kept are members' names as well.
    const body = iterable.childForFieldName('body');
    const clause = iterable.namedChildren.find((c) => c?.type === 'for_in_clause');
    const left = clause?.childForFieldName('left');
    return body && left && body.text === left.text ? next(clause?.childForFieldName('right')) : undefined;
  }
  if (iterable.type === 'call') {
    const fn = iterable.childForFieldName('function');
    const q = fn ? module.qualifiedName(fn) : undefined;
    if (q && SAME_ITEMS.has(q)) return next(iterable.childForFieldName('arguments')?.namedChildren[0]);
    if (fn?.type !== 'attribute') return undefined;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const recv = fn.childForFieldName('object');
    const archive = recv ? module.qualifiedName(recv) : undefined;
    if (!archive || !ARCHIVE.test(archive)) return undefined;
    if (NAME_LISTS.has(method)) return 'names';
    if (MEMBER_LISTS.has(method)) return 'members';
    return undefined;
  }
  // Iterating a TarFile yields its members.
  const q = module.qualifiedName(iterable);
  return q && ARCHIVE.test(q) && q.startsWith('tarfile.') ? 'members' : undefined;
}

/** The loop variable and what it iterates: `for i, name in enumerate(names)` iterates `names` as `name`. */
function loopItems(loop: Node, module: PythonModule): { variable: Node; iterable: Node } | undefined {
  const left = loop.childForFieldName('left');
  const right = loop.childForFieldName('right');
  if (!left || !right) return undefined;
  if (left.type === 'identifier') return { variable: left, iterable: right };
  const fn = right.type === 'call' ? right.childForFieldName('function') : null;
  const parts = left.namedChildren.filter((c): c is Node => c !== null);
  if (
    fn &&
    module.qualifiedName(fn) === 'builtins.enumerate' &&
    parts.length === 2 &&
    parts[1].type === 'identifier'
  ) {
    const inner = right.childForFieldName('arguments')?.namedChildren[0];
    return inner ? { variable: parts[1], iterable: inner } : undefined;
  }
  return undefined;
}

/** Whether an expression reads one of the names or member-name attributes. */
function reads(node: Node, names: ReadonlySet<string>): boolean {
  if ((node.type === 'identifier' || node.type === 'attribute') && names.has(node.text)) return true;
  for (const c of node.namedChildren) if (c && reads(c, names)) return true;
  return false;
}

/** What a call writes, when its path argument is the given one; undefined when it writes nothing. */
function writes(call: CallSite, module: PythonModule): { path: Node; what: string } | undefined {
  const callee = call.callee ?? '';
  if (callee === 'builtins.open' || callee === 'io.open' || callee === 'codecs.open') {
    const mode = call.argument(1, 'mode');
    const m = mode ? stringValue(mode, module) : 'r';
    const path = call.argument(0, 'file', 'filename');
    return path && m !== undefined && /[wax+]/.test(m) ? { path, what: 'writes the file' } : undefined;
  }
  if (callee === 'os.makedirs' || callee === 'os.mkdir') {
    const path = call.argument(0, 'name', 'path');
    return path ? { path, what: 'creates the directory' } : undefined;
  }
  if (/^(shutil\.(copyfile|copy|copy2|move)|os\.(rename|replace))$/.test(callee)) {
    const path = call.argument(1, 'dst');
    return path ? { path, what: 'writes the file' } : undefined;
  }
  const method = call.methodName;
  if (method && /^(write_bytes|write_text|mkdir|touch|symlink_to)$/.test(method) && call.receiver)
    return { path: call.receiver, what: method === 'mkdir' ? 'creates the directory' : 'writes the file' };
  return undefined;
}

/** The sinks of the module's hand-written extraction loops. */
export function manualExtractions(module: PythonModule): ManualExtraction[] {
  const out: ManualExtraction[] = [];
  const root = module.file.tree.rootNode;
  for (const loop of root.descendantsOfType('for_statement')) {
    const items = loop ? loopItems(loop, module) : undefined;
    const body = loop?.childForFieldName('body');
    if (!items || !body) continue;
    const { variable, iterable } = items;
    const kind = listing(iterable, module);
    if (!kind) continue;
    // The loop checks the paths it builds: not judged here.
    if (CONTAINMENT.test(body.text)) continue;
    const v = variable.text;
    const names = new Set(kind === 'names' ? [v] : NAME_FIELDS.map((f) => `${v}.${f}`));
    const member = kind === 'names' ? v : `${v}.${NAME_FIELDS[0]}`;
    // Names assigned from the member's name in the loop, in order; a cleaner's result is no longer it.
    let checked = false;
    for (const n of body.descendantsOfType(['assignment', 'call'])) {
      if (!n) continue;
      if (n.type === 'call') {
        const fn = n.childForFieldName('function');
        const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
        if (name && CHECK_NAME.test(name) && reads(n, names)) checked = true;
        continue;
      }
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type !== 'identifier' || !right || !reads(right, names)) continue;
      const q =
        right.type === 'call'
          ? module.qualifiedName(right.childForFieldName('function') ?? right)
          : undefined;
      if (q && CLEANERS.has(q)) names.delete(left.text);
      else names.add(left.text);
    }
    if (checked) continue;
    for (const call of module.calls) {
      if (call.node.startIndex < body.startIndex || call.node.endIndex > body.endIndex) continue;
      const w = writes(call, module);
      if (w && reads(w.path, names)) out.push({ sink: call, member, listing: iterable, what: w.what });
    }
  }
  return out;
}
