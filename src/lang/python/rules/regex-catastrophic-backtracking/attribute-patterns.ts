import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../helpers/messages.js';
import type { PythonCall, PythonModule } from '../../semantic/scope.js';
import { patternValue } from './pattern-value.js';

export interface AttributePattern {
  /** The value of the class attribute (`STRONG = r"..."`). */
  node: Node;
  pattern: string;
  verbose: boolean;
  /** "class attribute `STRONG` of `MarkupParser`, which ... compiles by name (...)" */
  what: string;
}

/** `re` (and `regex`) calls that compile their first argument, and `re.Scanner`, whose lexicon holds patterns. */
const COMPILING = /^(re|regex)\.(compile|search|match|fullmatch|findall|finditer|split|sub|subn|Scanner)$/;

/** How many steps (a name bound to the value, a method returning it) the value is followed through. */
const MAX_HOPS = 3;

interface ClassInfo {
  node: Node;
  name: string;
  /** The module the class is written in: this one, or another whose excerpt the engine read. */
  module: PythonModule;
  bases: Node[];
  attrs: Map<string, Node>;
  methods: Map<string, Node>;
}

/** A `getattr(self, <name built at run time>)` whose result the class compiles as a pattern. */
interface Fetch {
  call: Node;
  method: Node;
  owner: ClassInfo;
  compile: Node;
  names: (name: string) => boolean;
}

/**
 * Patterns kept as class attributes that a class of the module fetches by a name built at run time
 * and compiles: `getattr(self, name.upper())` handed to `re.compile`, or into the lexicon of a
 * `re.Scanner` (directly, through a name, or returned by a method the class calls). The attributes
 * whose names the fetch can build (`.upper()`: upper-case names; `"PREFIX_" + x`: names with that
 * prefix) in the fetching class, its bases and its subclasses of the module are such patterns. A
 * class that only reads its constants by name, without compiling them, has none.
 */
export function attributePatterns(
  module: PythonModule,
  /** Whether a pattern would be reported: without one among the module's class attributes, no other module is read. */
  reported: (pattern: string) => boolean = () => true,
): AttributePattern[] {
  const own = classesOf(module);
  if (!own.some((c) => [...c.attrs.values()].some((v) => isReported(v, module, reported)))) return [];
  const ctx = new Classes(module);
  if (ctx.local.length === 0) return [];
  const out: AttributePattern[] = [];
  const seen = new Set<number>();
  for (const fetch of fetches(ctx)) {
    const related = ctx.lineage(fetch.owner);
    const verbose = /\b(re|regex)\.(X|VERBOSE)\b/.test(fetch.compile.text);
    const elsewhere = fetch.owner.module === module ? '' : ` (in \`${fetch.owner.module.file.path}\`)`;
    for (const cls of related) {
      if (cls.module !== module) continue;
      for (const [name, value] of cls.attrs) {
        if (seen.has(value.id) || !fetch.names(name)) continue;
        const pattern = patternValue(value, module);
        if (pattern === undefined) continue;
        seen.add(value.id);
        const where = `${fetch.owner.name}.${fetch.method.childForFieldName('name')?.text ?? '?'}`;
        out.push({
          node: value,
          pattern,
          verbose,
          what:
            `class attribute \`${name}\` of \`${cls.name}\`: \`${where}\`${elsewhere} fetches it by name ` +
            `(\`${codeOf(fetch.call, 50)}\`, line ${fetch.call.startPosition.row + 1}) and ` +
            `\`${codeOf(fetch.compile.childForFieldName('function') ?? fetch.compile, 40)}(...)\` ` +
            `(line ${fetch.compile.startPosition.row + 1}) compiles it`,
        });
      }
    }
  }
  return out;
}

/**
 * The classes of the module, and those of other modules of the project that they derive from (as
 * the excerpts the engine read show them, see semantic/excerpts.ts): a base class elsewhere may be
 * the one that fetches its subclasses' patterns by name and compiles them.
 */
class Classes {
  readonly local: ClassInfo[];
  /** The module's classes and their bases in other modules. */
  readonly all: ClassInfo[] = [];
  private readonly byNode = new Map<number, ClassInfo>();
  private readonly byModule = new Map<PythonModule, Map<string, ClassInfo>>();
  private readonly callsOf = new Map<PythonModule, Map<number, PythonCall>>();
  private readonly parentsOf = new Map<ClassInfo, ClassInfo[]>();

  constructor(readonly module: PythonModule) {
    this.local = this.classesIn(module);
    for (const c of this.local) this.ancestors(c, 0);
  }

  calls(module: PythonModule): Map<number, PythonCall> {
    let found = this.callsOf.get(module);
    if (!found) {
      found = new Map(module.calls.map((c) => [c.node.id, c]));
      this.callsOf.set(module, found);
    }
    return found;
  }

  /** The class a base expression of a class names: of its own module by name, else imported. */
  parents(cls: ClassInfo): ClassInfo[] {
    let found = this.parentsOf.get(cls);
    if (found) return found;
    found = [];
    this.parentsOf.set(cls, found);
    for (const b of cls.bases) {
      const own =
        b.type === 'identifier'
          ? this.classesIn(cls.module, false).find((c) => c.name === b.text)
          : undefined;
      if (own) {
        found.push(own);
        continue;
      }
      const imported = cls.module.importedClass(b);
      if (!imported) continue;
      const info = this.classesIn(imported.module, false).find((c) => c.node.id === imported.node.id);
      if (info) found.push(info);
    }
    return found;
  }

  /** The class, its bases and its subclasses among the known classes. */
  lineage(cls: ClassInfo): ClassInfo[] {
    const out = new Set<ClassInfo>([cls]);
    const up = [cls];
    while (up.length)
      for (const base of this.parents(up.pop()!))
        if (!out.has(base)) {
          out.add(base);
          up.push(base);
        }
    const below = new Set<ClassInfo>([cls]);
    for (let grew = true; grew;) {
      grew = false;
      for (const c of this.all) {
        if (below.has(c) || !this.parents(c).some((p) => below.has(p))) continue;
        below.add(c);
        out.add(c);
        grew = true;
      }
    }
    return [...out];
  }

  private ancestors(cls: ClassInfo, depth: number): void {
    if (depth > 8) return;
    for (const p of this.parents(cls))
      if (!this.all.includes(p)) {
        this.all.push(p);
        this.ancestors(p, depth + 1);
      }
  }

  private classesIn(module: PythonModule, register = true): ClassInfo[] {
    let byName = this.byModule.get(module);
    if (!byName) {
      byName = new Map();
      for (const c of classesOf(module)) {
        const known = this.byNode.get(c.node.id) ?? c;
        this.byNode.set(c.node.id, known);
        byName.set(known.name, known);
      }
      this.byModule.set(module, byName);
    }
    const list = [...byName.values()];
    if (register) for (const c of list) if (!this.all.includes(c)) this.all.push(c);
    return list;
  }
}

function isReported(value: Node, module: PythonModule, reported: (pattern: string) => boolean): boolean {
  if (
    value.type !== 'string' &&
    value.type !== 'concatenated_string' &&
    value.type !== 'binary_operator' &&
    value.type !== 'parenthesized_expression' &&
    value.type !== 'identifier' &&
    value.type !== 'call'
  )
    return false;
  const pattern = patternValue(value, module);
  return pattern !== undefined && reported(pattern);
}

function classesOf(module: PythonModule): ClassInfo[] {
  const out: ClassInfo[] = [];
  for (const node of module.file.tree.rootNode.descendantsOfType('class_definition')) {
    const name = node?.childForFieldName('name')?.text;
    const body = node?.childForFieldName('body');
    if (!node || !name || !body) continue;
    const attrs = new Map<string, Node>();
    const methods = new Map<string, Node>();
    for (const stmt of body.namedChildren) {
      if (!stmt) continue;
      const assignment = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right) attrs.set(left.text, right);
      const def =
        stmt.type === 'function_definition'
          ? stmt
          : stmt.type === 'decorated_definition'
            ? stmt.childForFieldName('definition')
            : undefined;
      const defName = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
      if (def && defName) methods.set(defName, def);
    }
    const bases = (node.childForFieldName('superclasses')?.namedChildren ?? []).filter(
      (b): b is Node => !!b && b.type !== 'keyword_argument' && b.type !== 'comment',
    );
    out.push({ node, name, module, bases, attrs, methods });
  }
  return out;
}

/** Whether the class (or one of its bases in the project) derives from `re.Scanner`. */
function isScannerClass(cls: ClassInfo | undefined, ctx: Classes, depth = 0): boolean {
  if (!cls || depth > 8) return false;
  return (
    cls.bases.some((b) => /^(re|regex)\.Scanner$/.test(cls.module.qualifiedName(b) ?? '')) ||
    ctx.parents(cls).some((p) => isScannerClass(p, ctx, depth + 1))
  );
}

/** The class a name in a class's module denotes: one of that module's, or one imported. */
function classNamed(name: Node, where: ClassInfo, ctx: Classes): ClassInfo | undefined {
  return ctx.parents({ ...where, bases: [name] })[0];
}

/** The name test of a `getattr` name built at run time; undefined for a constant name. */
function nameTest(name: Node): ((n: string) => boolean) | undefined {
  if (name.type === 'string' && !name.namedChildren.some((c) => c?.type === 'interpolation'))
    return undefined;
  if (name.type === 'call') {
    const fn = name.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (method === 'upper') return (n) => /^[A-Z][A-Z0-9_]*$/.test(n);
    if (method === 'lower') return (n) => /^[a-z][a-z0-9_]*$/.test(n);
  }
  const literal = (n: Node | null | undefined): string | undefined =>
    n?.type === 'string' && !n.namedChildren.some((c) => c?.type === 'interpolation')
      ? n.namedChildren
          .filter((c) => c?.type === 'string_content')
          .map((c) => c!.text)
          .join('')
      : undefined;
  if (name.type === 'binary_operator' && name.childForFieldName('operator')?.text === '+') {
    const prefix = literal(name.childForFieldName('left'));
    const suffix = literal(name.childForFieldName('right'));
    if (prefix !== undefined) return (n) => n.startsWith(prefix) && n.length > prefix.length;
    if (suffix !== undefined) return (n) => n.endsWith(suffix) && n.length > suffix.length;
  }
  if (name.type === 'string') {
    // f"PREFIX_{x}": the text before the first interpolation.
    const parts = name.namedChildren.filter((c): c is Node => !!c && c.type !== 'string_start');
    const first = parts.findIndex((c) => c.type === 'interpolation');
    const prefix = parts
      .slice(0, first)
      .filter((c) => c.type === 'string_content')
      .map((c) => c.text)
      .join('');
    return (n) => n.startsWith(prefix) && n.length > prefix.length;
  }
  return () => true;
}

function* fetches(ctx: Classes): Generator<Fetch> {
  for (const owner of ctx.all) {
    for (const method of owner.methods.values()) {
      const self = method.childForFieldName('parameters')?.namedChildren[0];
      if (self?.type !== 'identifier') continue;
      for (const call of method.descendantsOfType('call')) {
        if (!call || call.childForFieldName('function')?.text !== 'getattr') continue;
        const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
          (a): a is Node => !!a && a.type !== 'comment',
        );
        if (args[0]?.text !== self.text || !args[1] || args[1].type === 'keyword_argument') continue;
        const names = nameTest(args[1]);
        if (!names) continue;
        const compile = compiledAt(call, method, owner, ctx, 0);
        if (compile) yield { call, method, owner, compile, names };
      }
    }
  }
}

/**
 * The call that compiles the value of `expr` as a pattern (or a lexicon of patterns): the value
 * held in a tuple, list or comprehension given to it, through a name bound in the function, or
 * returned by a method that the class's methods call on `self`. `expr` is in `owner`'s module.
 */
function compiledAt(expr: Node, fn: Node, owner: ClassInfo, ctx: Classes, hops: number): Node | undefined {
  let top = expr;
  while (
    top.parent &&
    /^(tuple|list|parenthesized_expression|list_comprehension|generator_expression|pair|dictionary)$/.test(
      top.parent.type,
    )
  )
    top = top.parent;
  const parent = top.parent;
  if (!parent) return undefined;
  if (parent.type === 'argument_list') {
    const call = parent.parent ? ctx.calls(owner.module).get(parent.parent.id) : undefined;
    const first = parent.namedChildren.find((c) => c && c.type !== 'comment');
    if (call && first?.id === top.id && compiles(call, owner, ctx)) return call.node;
    return undefined;
  }
  if (hops >= MAX_HOPS) return undefined;
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === top.id) {
    const left = parent.childForFieldName('left');
    if (left?.type !== 'identifier') return undefined;
    for (const use of fn.descendantsOfType('identifier')) {
      if (!use || use.text !== left.text || use.startIndex <= left.startIndex) continue;
      const found = compiledAt(use, fn, owner, ctx, hops + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (parent.type === 'return_statement') {
    const name = fn.childForFieldName('name')?.text;
    if (!name) return undefined;
    // Calls of the method written in the owner's module (where the call's tree is the same).
    for (const cls of ctx.lineage(owner)) {
      if (cls.module !== owner.module) continue;
      for (const method of cls.methods.values()) {
        const self = method.childForFieldName('parameters')?.namedChildren[0];
        if (self?.type !== 'identifier') continue;
        for (const call of method.descendantsOfType('call')) {
          if (call?.childForFieldName('function')?.text !== `${self.text}.${name}`) continue;
          const found = compiledAt(call, method, owner, ctx, hops + 1);
          if (found) return found;
        }
      }
    }
  }
  return undefined;
}

/** Whether the call compiles its first argument: `re.compile`, `re.Scanner`, a subclass of it, or `self.<attr>` naming one. */
function compiles(call: PythonCall, owner: ClassInfo, ctx: Classes): boolean {
  if (COMPILING.test(call.callee ?? '')) return true;
  const fn = call.node.childForFieldName('function');
  if (fn?.type === 'identifier') return isScannerClass(classNamed(fn, owner, ctx), ctx);
  if (fn?.type !== 'attribute' || fn.childForFieldName('object')?.type !== 'identifier') return false;
  const attr = fn.childForFieldName('attribute')?.text ?? '';
  for (const cls of ctx.lineage(owner)) {
    const value = cls.attrs.get(attr);
    if (value?.type === 'identifier' && isScannerClass(classNamed(value, cls, ctx), ctx)) return true;
    if (value && /^(re|regex)\.Scanner$/.test(cls.module.qualifiedName(value) ?? '')) return true;
  }
  return false;
}
